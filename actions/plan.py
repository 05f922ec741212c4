"""The plan d'actions as a tree, read in a fixed number of queries whatever its size, and walked in one way.

`PlanTree.walk()` is the reading order every view of the plan uses (the page, the convention PDF, the « place
dans le plan » selects, the tableau de suivi, the Convention JSON): per orientation, its own fiches, its
objectives without an axis (each with its fiches), then its axes (each with its fiches, then its objectives);
the fiches outside every orientation last.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from .levels import DEFAULT_LEVELS, PlanLevels, plan_levels
from .models import ActionSheet, Axis, Objective, Orientation


@dataclass
class ObjectiveNode:
    objective: Objective
    actions: list[ActionSheet] = field(default_factory=list)
    also_actions: list[ActionSheet] = field(default_factory=list)  # fiches placed elsewhere that serve it too


@dataclass
class AxisNode:
    axis: Axis
    objectives: list[ObjectiveNode] = field(default_factory=list)
    actions: list[ActionSheet] = field(default_factory=list)


@dataclass
class OrientationNode:
    orientation: Orientation
    axes: list[AxisNode] = field(default_factory=list)
    objectives: list[ObjectiveNode] = field(default_factory=list)
    actions: list[ActionSheet] = field(default_factory=list)

    def all_actions(self) -> list[ActionSheet]:
        found = list(self.actions)
        for node in self.objectives:
            found += node.actions
        for axis in self.axes:
            found += axis.actions
            for node in axis.objectives:
                found += node.actions
        return found


@dataclass(frozen=True)
class PlanStep:
    """One node or fiche of the walk: `kind` is "orientation", "axis", "objective" or "action"; `depth` its
    indentation (0 for an orientation and a fiche outside every orientation); its parents as found on the way."""

    kind: str
    item: object
    depth: int
    orientation: Orientation | None = None
    axis: Axis | None = None
    objective: Objective | None = None


@dataclass
class PlanTree:
    orientations: list[OrientationNode]
    loose_actions: list[ActionSheet]
    levels: PlanLevels = DEFAULT_LEVELS  # the convention's names of its levels

    @property
    def action_count(self) -> int:
        return sum(len(o.all_actions()) for o in self.orientations) + len(self.loose_actions)

    def walk(self, *, actions: bool = True) -> Iterator[PlanStep]:
        """Every node (and fiche, unless `actions` is False) in reading order, with its depth and parents."""

        def fiches(items, depth, orientation=None, axis=None, objective=None):
            if actions:
                for action in items:
                    yield PlanStep("action", action, depth, orientation, axis, objective)

        def objective_steps(nodes, depth, orientation, axis=None):
            for node in nodes:
                objective = node.objective
                yield PlanStep("objective", objective, depth, orientation, axis)
                yield from fiches(node.actions, depth + 1, orientation, axis, objective)

        for node in self.orientations:
            orientation = node.orientation
            yield PlanStep("orientation", orientation, 0)
            yield from fiches(node.actions, 1, orientation)
            yield from objective_steps(node.objectives, 1, orientation)
            for axis_node in node.axes:
                axis = axis_node.axis
                yield PlanStep("axis", axis, 1, orientation)
                yield from fiches(axis_node.actions, 2, orientation, axis)
                yield from objective_steps(axis_node.objectives, 2, orientation, axis)
        yield from fiches(self.loose_actions, 0)


def plan_tree(*, convention, actions: QuerySet | None = None) -> PlanTree:
    """The plan of `convention`; `actions` (fiches of the convention) lets a caller read more of each fiche."""
    orientations = list(convention.orientations.order_by("order", "pk"))
    axes = list(Axis.objects.filter(orientation__convention=convention).order_by("order", "pk"))
    objectives = list(Objective.objects.filter(orientation__convention=convention).order_by("order", "pk"))
    if actions is None:
        actions = ActionSheet.objects.filter(convention=convention).prefetch_related(Prefetch("domains"))
    actions = list(actions.order_by("order", "pk"))
    orientation_nodes = {o.pk: OrientationNode(o) for o in orientations}
    axis_nodes = {a.pk: AxisNode(a) for a in axes}
    objective_nodes = {o.pk: ObjectiveNode(o) for o in objectives}
    for axis in axes:
        orientation_nodes[axis.orientation_id].axes.append(axis_nodes[axis.pk])
    for objective in objectives:
        parent = axis_nodes[objective.axis_id] if objective.axis_id else orientation_nodes[objective.orientation_id]
        parent.objectives.append(objective_nodes[objective.pk])
    # « Contribue aussi à »: each objective lists the fiches placed elsewhere that serve it (`also_actions`, on
    # its node and on the objective a walk yields), each fiche the other objectives it serves (`also_list`).
    by_pk = {action.pk: action for action in actions}
    for action in actions:
        action.also_list = []
    for objective in objectives:
        objective.also_actions = objective_nodes[objective.pk].also_actions
    also = ActionSheet.also_objectives.through.objects.filter(actionsheet__convention=convention)
    for objective_id, action_id in also.order_by("pk").values_list("objective_id", "actionsheet_id"):
        if objective_id in objective_nodes and action_id in by_pk:
            objective_nodes[objective_id].also_actions.append(by_pk[action_id])
            by_pk[action_id].also_list.append(objective_nodes[objective_id].objective)
    loose = []
    for action in actions:
        if action.objective_id:
            objective_nodes[action.objective_id].actions.append(action)
        elif action.axis_id:
            axis_nodes[action.axis_id].actions.append(action)
        elif action.orientation_id:
            orientation_nodes[action.orientation_id].actions.append(action)
        else:
            loose.append(action)
    return PlanTree(
        orientations=[orientation_nodes[o.pk] for o in orientations],
        loose_actions=loose,
        levels=plan_levels(convention),
    )
