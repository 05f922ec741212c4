"""Writes to the plan d'actions (annexe 3) and its follow-up. Each runs in one transaction and validates."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_update_with_history

from conventions.models import Convention, Domain, Meeting
from core.deletion import delete_recorded
from core.locking import advance_version, check_rows_unchanged, rows_marker, save_if_unchanged
from core.ordering import Direction, next_order, swap_among
from core.text import fold
from territories.models import Commune

from .enums import STATUSES_NEEDING_REASON, ActionStatus
from .levels import LABEL_FIELDS, plan_levels
from .models import ActionSheet, Axis, BudgetLine, Methodology, Objective, Orientation, Priority, StatusUpdate
from .outline import Outline

PlanNode = Orientation | Axis | Objective
TIMELINE_COMMENT = "Modification de la fiche"
OUTLINE_REASON = "Plan collé"
LABEL_MAX_LENGTH = 60


def _siblings(node: PlanNode) -> QuerySet:
    """The nodes that share the parent of `node` (itself included): the set its order is relative to."""
    if isinstance(node, Orientation):
        return Orientation.objects.filter(convention_id=node.convention_id)
    if isinstance(node, Axis):
        return Axis.objects.filter(orientation_id=node.orientation_id)
    return Objective.objects.filter(orientation_id=node.orientation_id, axis_id=node.axis_id)


def _convention_of(node: PlanNode) -> Convention:
    return node.convention if isinstance(node, Orientation) else node.orientation.convention


def _written_by(instance, user, reason: str) -> None:
    """Who writes (and why, for an import), as the history will say."""
    if user is not None:
        instance._history_user = user
    if reason:
        instance._change_reason = reason


def _create_node(node: PlanNode, order: int | None, user, reason: str) -> PlanNode:
    with transaction.atomic():
        node.order = next_order(_siblings(node)) if order is None else order
        node.full_clean()
        _written_by(node, user, reason)
        node.save()
    return node


def orientation_create(
    *, convention: Convention, number: str, title: str, order: int | None = None, user=None, reason: str = ""
) -> Orientation:
    """A new orientation, last of the plan (or at `order`, which an importer computes for a whole file)."""
    return _create_node(Orientation(convention=convention, number=number, title=title), order, user, reason)


def axis_create(
    *, orientation: Orientation, number: str, title: str, order: int | None = None, user=None, reason: str = ""
) -> Axis:
    return _create_node(Axis(orientation=orientation, number=number, title=title), order, user, reason)


def objective_create(
    *, parent: Orientation | Axis, number: str, title: str, order: int | None = None, user=None, reason: str = ""
) -> Objective:
    """An objective under an axis, or directly under an orientation (plans that skip the axis level)."""
    if isinstance(parent, Axis):
        objective = Objective(orientation=parent.orientation, axis=parent, number=number, title=title)
    else:
        objective = Objective(orientation=parent, axis=None, number=number, title=title)
    return _create_node(objective, order, user, reason)


def plan_levels_rename(*, convention: Convention, names: list[str], user=None) -> Convention:
    """Name the plan's three levels as the convention does (« Axe », « Objectif stratégique »…)."""
    names = [" ".join(name.split()) for name in names]
    errors = {}
    for field_name, name in zip(LABEL_FIELDS, names, strict=True):
        if not name:
            errors[field_name] = "Indiquez le nom de ce niveau."
        elif len(name) > LABEL_MAX_LENGTH:
            errors[field_name] = f"{LABEL_MAX_LENGTH} caractères au plus."
        setattr(convention, field_name, name)
    folded = [fold(name) for name in names]
    for rank, name in enumerate(folded):
        if name and name in folded[:rank] and LABEL_FIELDS[rank] not in errors:
            errors[LABEL_FIELDS[rank]] = "Deux niveaux ne peuvent pas porter le même nom."
    if errors:
        raise ValidationError(errors)
    _written_by(convention, user, "")
    convention.save(update_fields=[*LABEL_FIELDS, "updated_at"])
    return convention


def plan_outline_create(*, convention: Convention, outline: Outline, user=None) -> dict[int, int]:
    """Write a pasted outline (actions.outline) after the plan's last orientation, all or nothing.

    Refused whole (ValidationError, nothing written) while a line is in error. Returns the number of nodes
    created at each depth."""
    if not outline.is_valid:
        raise ValidationError(outline.error or f"{len(outline.errors)} ligne(s) à corriger : rien n'a été créé.")
    created = {1: 0, 2: 0, 3: 0}
    with transaction.atomic():
        order = next_order(Orientation.objects.filter(convention=convention))
        parents: list = [None, None]
        ranks = [0, 0, 0]
        for line in outline.nodes:
            fields = {"number": line.number, "title": line.title, "user": user, "reason": OUTLINE_REASON}
            if line.depth == 1:
                node = orientation_create(convention=convention, order=order + ranks[0], **fields)
                ranks = [ranks[0] + 1, 0, 0]
            elif line.depth == 2:
                node = axis_create(orientation=parents[0], order=ranks[1], **fields)
                ranks = [ranks[0], ranks[1] + 1, 0]
            else:
                node = objective_create(parent=parents[1], order=ranks[2], **fields)
                ranks[2] += 1
            if line.depth < 3:
                parents[line.depth - 1] = node
            created[line.depth] += 1
    return created


def plan_node_rename(*, node: PlanNode, number: str, title: str) -> PlanNode:
    node.number = number
    node.title = title
    node.full_clean()
    node.save(update_fields=["number", "title"])
    return node


def plan_node_actions(*, node: PlanNode) -> QuerySet:
    """The fiches-action under a node, at any depth."""
    # The upper levels are stored on each fiche, but look through the tree too in case they drifted.
    if isinstance(node, Orientation):
        condition = Q(orientation=node) | Q(axis__orientation=node) | Q(objective__orientation=node)
    elif isinstance(node, Axis):
        condition = Q(axis=node) | Q(objective__axis=node)
    else:
        condition = Q(objective=node)
    return ActionSheet.objects.filter(condition)


def plan_node_delete(*, node: PlanNode) -> None:
    """Delete a node and the levels below it; refused while a fiche-action still sits under it."""
    with transaction.atomic():
        count = plan_node_actions(node=node).count()
        if count:
            level = plan_levels(_convention_of(node)).of(node)
            raise ValidationError(
                f"Impossible de supprimer {level.this} contient encore {count} fiche"
                f"{'s' if count > 1 else ''}-action. Déplacez-les d'abord vers une autre partie du plan."
            )
        delete_recorded(node)  # the levels below it, each in the history


def plan_node_move(*, node: PlanNode, direction: Direction) -> bool:
    """Swap a node with its previous or next sibling; False when it is already first or last.

    Only the `order` column changes and its values are computed here: nothing to full_clean().
    """
    with transaction.atomic():
        pair = swap_among(_siblings(node), node, direction, start=0)
        if pair is None:
            return False
        for sibling in pair:
            sibling.save(update_fields=["order"])
            if sibling.pk == node.pk:
                node.order = sibling.order
    return True


# -- open lists -----------------------------------------------------------------------------------------


def open_list_value(*, model: type[Domain | Priority | Methodology], label: str, known: dict) -> tuple[object, bool]:
    """The entry of an open list (champs d'intervention, priorités, méthodologies) that `label` names, matched
    without regard to case or accents among `known` (fold(label) → entry, kept by the caller across a file);
    created when new. Returns (entry, created); ValidationError when the label cannot be an entry."""
    label = label.strip()
    key = fold(label)
    if key in known:
        return known[key], False
    with transaction.atomic():
        if model is Domain:
            # « petite-enfance » is the champ whose code is petite-enfance, whatever its label.
            code = slugify(label)[:60] or "champ"
            existing = Domain.objects.filter(code=code).first()
            if existing is not None:
                known[key] = existing
                return existing, False
            item = Domain(code=code, label=label)
        else:
            item = model(label=label)
        item.full_clean()
        item.save()
    known[key] = item
    return item, True


def open_list_known(model: type[Domain | Priority | Methodology]) -> dict:
    """Every entry of an open list by its folded label, for `open_list_value`."""
    return {fold(item.label): item for item in model.objects.all()}


# -- fiches ---------------------------------------------------------------------------------------------


def action_sheet_create(
    *,
    action: ActionSheet,
    place: PlanNode | None,
    domains: Iterable[Domain] = (),
    target_communes: Iterable[Commune] | None = (),
    also_objectives: Iterable[Objective] = (),
    order: int | None = None,
    user=None,
    reason: str = "",
) -> ActionSheet:
    """Save a new fiche under `place` (None: outside every orientation), after the convention's last one (or at
    `order`, which an importer computes for a whole file)."""
    with transaction.atomic():
        action.place_under(place)
        if order is None:
            order = next_order(ActionSheet.objects.filter(convention_id=action.convention_id))
        action.order = order
        action.full_clean()
        _written_by(action, user, reason)
        action.save()
        action.domains.set(domains)
        if target_communes is not None:
            action.target_communes.set(target_communes)
        action_also_objectives_set(action=action, objectives=also_objectives)
    return action


def action_also_objectives_set(*, action: ActionSheet, objectives: Iterable[Objective] | None) -> None:
    """The other objectives the fiche serves (« contribue aussi à »): of its convention, not its own one."""
    if objectives is None:
        return
    objectives = [objective for objective in objectives if objective.pk != action.objective_id]
    wanted = {objective.pk for objective in objectives}
    if wanted:
        found = set(
            Objective.objects.filter(pk__in=wanted, orientation__convention_id=action.convention_id).values_list(
                "pk", flat=True
            )
        )
        if found != wanted:
            raise ValidationError({"also_objectives": "Un objectif choisi appartient à une autre convention."})
    action.also_objectives.set(objectives)


def action_sheet_update(
    *,
    action: ActionSheet,
    marker: str,
    domains: Iterable[Domain] | None,
    target_communes: Iterable[Commune] | None,
    user=None,
    place: PlanNode | None | bool = False,
    also_objectives: Iterable[Objective] | None = None,
    comment: str = "",
    reason: str = "",
) -> ActionSheet:
    """Save the fiche unless someone saved it since `marker` was read (StaleEditError, nothing written).

    `place`, when given (None: outside every orientation), moves it in the plan; `domains`,
    `target_communes` and `also_objectives` are left as they are when None. A change of status or progress also
    goes on the fiche's timeline, with `comment` (by default its status reason, or « Modification de la fiche »).
    """
    if place is not False:
        action.place_under(place)
    action.full_clean()
    with transaction.atomic():
        before = ActionSheet.objects.filter(pk=action.pk).values("status", "progress").first()
        _written_by(action, user, reason)
        save_if_unchanged(instance=action, marker=marker, user=user)
        if domains is not None:
            action.domains.set(domains)
        if target_communes is not None:
            action.target_communes.set(target_communes)
        action_also_objectives_set(action=action, objectives=also_objectives)
        if before and (before["status"], before["progress"]) != (action.status, action.progress):
            timeline_add(
                action=action,
                date=timezone.localdate(),
                comment=comment or action.status_reason or TIMELINE_COMMENT,
                author=user,
            )
    return action


def action_sheet_move(*, action: ActionSheet, place: PlanNode | None) -> ActionSheet:
    """Put the fiche under another node of its convention, last among the fiches there."""
    with transaction.atomic():
        action.place_under(place)
        action.order = next_order(ActionSheet.objects.filter(convention_id=action.convention_id).exclude(pk=action.pk))
        action.full_clean()
        action.save(update_fields=["orientation", "axis", "objective", "order", "updated_at"])
    return action


# -- follow-up ------------------------------------------------------------------------------------------


def timeline_add(**point) -> StatusUpdate:
    """A point on the fiche's timeline, saved; `point` as `timeline_point` takes it (an imported point gives its
    status and progress, otherwise the fiche's own)."""
    update = timeline_point(**point)
    update.full_clean()
    update.save()
    return update


def timeline_point(
    *,
    action: ActionSheet,
    date: datetime.date | None,
    comment: str,
    author,
    status: str | None = None,
    progress: int | None = None,
) -> StatusUpdate:
    """The one place a timeline point is made (unsaved): the fiche's status and progress unless given."""
    return StatusUpdate(
        action=action,
        date=date,
        status=action.status if status is None else status,
        progress=action.progress if progress is None else progress,
        comment=comment,
        author=author,
    )


def action_status_update(
    *,
    action: ActionSheet,
    status: str,
    progress: int,
    comment: str,
    date: datetime.date,
    user,
    marker: str,
    reason: str = "",
) -> StatusUpdate:
    """Move the fiche to `status` / `progress` and add the point to its timeline, authored by `user`.

    Refused (ValidationError, nothing written) without a reason for reportée / bloquée / abandonnée, and
    (StaleEditError) when someone saved the fiche since `marker` was read.
    """
    action.status = status
    action.progress = progress
    # The reason explains a reportée / bloquée / abandonnée fiche: it goes once the fiche moves on.
    action.status_reason = reason.strip() if status in STATUSES_NEEDING_REASON else ""
    update = timeline_point(action=action, date=date, comment=comment.strip(), author=user)
    action.full_clean()
    update.full_clean()
    with transaction.atomic():
        save_if_unchanged(
            instance=action,
            marker=marker,
            user=user,
            update_fields=["status", "progress", "status_reason", "updated_at"],
        )
        update.save()
    return update


def action_status_bulk_update(
    *, actions: Iterable[ActionSheet], status: str, reason: str, user, date: datetime.date | None = None
) -> int:
    """Give every fiche of `actions` the same status (progress unchanged), each with its timeline point.

    All or nothing: a fiche that refuses the status (no reason for reportée…) refuses the whole batch. The
    caller has checked that `user` may follow up every fiche. Returns the number of fiches changed.
    """
    if status not in ActionStatus.values:
        raise ValidationError({"status": "Statut inconnu."})
    date = date or timezone.localdate()
    reason = reason.strip()
    status_reason = reason if status in STATUSES_NEEDING_REASON else ""
    with transaction.atomic():
        rows = list(
            ActionSheet.objects.select_for_update(of=("self",))
            .filter(pk__in=[action.pk for action in actions])
            .select_related("orientation", "axis", "objective")  # clean() reads them: no query per fiche
            .order_by("pk")
        )
        now = timezone.now()
        for action in rows:
            action.status = status
            action.status_reason = status_reason
            try:
                action.clean()
            except ValidationError as exc:
                raise ValidationError(f"Fiche {action.reference} : {' '.join(exc.messages)}") from None
            advance_version(action)
            action.updated_at = now
        bulk_update_with_history(
            rows, ActionSheet, ["status", "status_reason", "lock_version", "updated_at"], default_user=user
        )
        StatusUpdate.objects.bulk_create(
            timeline_point(action=action, date=date, comment=reason, author=user) for action in rows
        )
    return len(rows)


BUDGET_FIELDS = ("year", "funder", "funder_name", "nature", "planned", "actual", "is_caf_means", "note")


def budget_marker(*, action: ActionSheet) -> str:
    """The marker of the fiche's budget lines, read as one set by the budget form (core.locking)."""
    return rows_marker(BudgetLine.objects.filter(action=action))


def budget_save(
    *,
    action: ActionSheet,
    lines: Iterable[BudgetLine],
    deleted: Iterable[BudgetLine],
    marker: str,
    user,
) -> None:
    """Write the fiche's changed and new budget lines and delete the removed ones, unless the budget
    changed since `marker` was read (StaleEditError, nothing written)."""
    with transaction.atomic():
        # Lock the fiche: two budget saves of the same fiche run one after the other.
        list(ActionSheet.objects.select_for_update().filter(pk=action.pk).values_list("pk", flat=True))
        check_rows_unchanged(
            queryset=BudgetLine.objects.filter(action=action), marker=marker, subject="Budget", action_id=action.pk
        )
        for line in deleted:
            line._history_user = user
            line.delete()
        for line in lines:
            line.action = action
            line.full_clean()
            line._history_user = user
            line.save()


def meeting_save(*, meeting: Meeting, actions: Iterable[ActionSheet], marker: str, user) -> Meeting:
    """Record a committee meeting and the fiches its decisions concern (fiches of the same convention only)."""
    actions = list(actions)
    convention_id = meeting.committee.convention_id
    foreign = [action.reference for action in actions if action.convention_id != convention_id]
    if foreign:
        raise ValidationError({"actions": f"Fiche(s) d'une autre convention : {', '.join(foreign)}."})
    with transaction.atomic():
        meeting.full_clean()
        save_if_unchanged(instance=meeting, marker=marker, user=user)
        meeting.actions.set(actions)
    return meeting


def meeting_delete(*, meeting: Meeting, user) -> None:
    """Delete a meeting, unless a bilan refers to it (the bilan would lose the COPIL that examined it)."""
    with transaction.atomic():
        reviews = list(meeting.reviews.all())
        if reviews:
            names = ", ".join(str(review) for review in reviews)
            raise ValidationError(
                f"Cette réunion est liée au bilan {names} : détachez-la du bilan avant de la supprimer."
            )
        delete_recorded(meeting, user=user)
