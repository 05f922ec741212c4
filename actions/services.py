"""Writes to the plan d'actions (annexe 3). Each runs in one transaction and validates with full_clean()."""

from collections.abc import Iterable
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet

from conventions.locking import versioned_save
from conventions.models import Convention, Domain
from territories.models import Commune

from .models import ActionSheet, Axis, Objective, Orientation

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
    expected_version: int,
    domains: Iterable[Domain],
    target_communes: Iterable[Commune],
) -> ActionSheet:
    """Save the fiche unless someone saved it since `expected_version` (StaleEditError, nothing written)."""
    action.full_clean()
    with transaction.atomic():
        versioned_save(instance=action, expected_version=expected_version)
        action.domains.set(domains)
        action.target_communes.set(target_communes)
    return action


def action_sheet_move(*, action: ActionSheet, place: PlanNode | None) -> ActionSheet:
    """Put the fiche under another node of its convention, last among the fiches there."""
    with transaction.atomic():
        action.place_under(place)
        action.order = _next_order(ActionSheet.objects.filter(convention_id=action.convention_id).exclude(pk=action.pk))
        action.full_clean()
        action.save(update_fields=["orientation", "axis", "objective", "order", "updated_at"])
    return action
