"""Writes to the plan d'actions (annexe 3) and its follow-up. Each runs in one transaction and validates."""

import datetime
from collections.abc import Iterable
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from conventions.models import Convention, Domain, Meeting
from core.locking import advance_version, check_rows_unchanged, rows_marker, save_if_unchanged
from territories.models import Commune

from .enums import STATUSES_NEEDING_REASON, ActionStatus
from .models import ActionSheet, Axis, BudgetLine, Objective, Orientation, StatusUpdate

PlanNode = Orientation | Axis | Objective


def _siblings(node: PlanNode) -> QuerySet:
    """The nodes that share the parent of `node` (itself included): the set its order is relative to."""
    if isinstance(node, Orientation):
        return Orientation.objects.filter(convention_id=node.convention_id)
    if isinstance(node, Axis):
        return Axis.objects.filter(orientation_id=node.orientation_id)
    return Objective.objects.filter(orientation_id=node.orientation_id, axis_id=node.axis_id)


def _next_order(queryset: QuerySet) -> int:
    last = queryset.aggregate(last=Max("order"))["last"]
    return 0 if last is None else last + 1


def _create_node(node: PlanNode) -> PlanNode:
    with transaction.atomic():
        node.order = _next_order(_siblings(node))
        node.full_clean()
        node.save()
    return node


def orientation_create(*, convention: Convention, number: str, title: str) -> Orientation:
    return _create_node(Orientation(convention=convention, number=number, title=title))


def axis_create(*, orientation: Orientation, number: str, title: str) -> Axis:
    return _create_node(Axis(orientation=orientation, number=number, title=title))


def objective_create(*, parent: Orientation | Axis, number: str, title: str) -> Objective:
    """An objective under an axis, or directly under an orientation (plans that skip the axis level)."""
    if isinstance(parent, Axis):
        objective = Objective(orientation=parent.orientation, axis=parent, number=number, title=title)
    else:
        objective = Objective(orientation=parent, axis=None, number=number, title=title)
    return _create_node(objective)


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
            what = {Orientation: "cette orientation : elle", Axis: "cet axe : il", Objective: "cet objectif : il"}
            raise ValidationError(
                f"Impossible de supprimer {what[type(node)]} contient encore {count} fiche{'s' if count > 1 else ''}"
                "-action. Déplacez-les d'abord vers une autre partie du plan."
            )
        node.delete()


def plan_node_move(*, node: PlanNode, direction: Literal["up", "down"]) -> bool:
    """Swap a node with its previous or next sibling; False when it is already first or last.

    Every sibling is renumbered 0, 1, 2… so that ties left by imports (all at 0) cannot make the order
    ambiguous. Only the `order` column changes and its values are computed here: nothing to full_clean().
    """
    if direction not in ("up", "down"):
        raise ValueError(f"Direction inconnue : {direction!r}")
    with transaction.atomic():
        siblings = list(_siblings(node).select_for_update().order_by("order", "pk"))
        index = next(i for i, sibling in enumerate(siblings) if sibling.pk == node.pk)
        target = index - 1 if direction == "up" else index + 1
        if not 0 <= target < len(siblings):
            return False
        siblings[index], siblings[target] = siblings[target], siblings[index]
        for position, sibling in enumerate(siblings):
            if sibling.order != position:
                sibling.order = position
                sibling.save(update_fields=["order"])
                if sibling.pk == node.pk:
                    node.order = position
    return True


def action_sheet_create(
    *,
    action: ActionSheet,
    place: PlanNode | None,
    domains: Iterable[Domain] = (),
    target_communes: Iterable[Commune] = (),
) -> ActionSheet:
    """Save a new fiche under `place` (None: outside every orientation), after the convention's last one."""
    with transaction.atomic():
        action.place_under(place)
        action.order = _next_order(ActionSheet.objects.filter(convention_id=action.convention_id))
        action.full_clean()
        action.save()
        action.domains.set(domains)
        action.target_communes.set(target_communes)
    return action


def action_sheet_update(
    *,
    action: ActionSheet,
    marker: str,
    domains: Iterable[Domain],
    target_communes: Iterable[Commune],
    user=None,
) -> ActionSheet:
    """Save the fiche unless someone saved it since `marker` was read (StaleEditError, nothing written).

    A change of status or progress made in the form also goes on the fiche's timeline.
    """
    action.full_clean()
    with transaction.atomic():
        before = ActionSheet.objects.filter(pk=action.pk).values("status", "progress").first()
        save_if_unchanged(instance=action, marker=marker, user=user)
        action.domains.set(domains)
        action.target_communes.set(target_communes)
        if before and (before["status"], before["progress"]) != (action.status, action.progress):
            StatusUpdate.objects.create(
                action=action,
                date=timezone.localdate(),
                status=action.status,
                progress=action.progress,
                comment=action.status_reason or "Modification de la fiche",
                author=user,
            )
    return action


def action_sheet_move(*, action: ActionSheet, place: PlanNode | None) -> ActionSheet:
    """Put the fiche under another node of its convention, last among the fiches there."""
    with transaction.atomic():
        action.place_under(place)
        action.order = _next_order(ActionSheet.objects.filter(convention_id=action.convention_id).exclude(pk=action.pk))
        action.full_clean()
        action.save(update_fields=["orientation", "axis", "objective", "order", "updated_at"])
    return action


# -- follow-up ------------------------------------------------------------------------------------------


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
    update = StatusUpdate(action=action, date=date, status=status, progress=progress, comment=comment.strip())
    update.author = user
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
            StatusUpdate(action=action, date=date, status=status, progress=action.progress, comment=reason, author=user)
            for action in rows
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
        meeting._history_user = user
        meeting.delete()
