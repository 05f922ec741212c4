"""The plan d'actions as a tree, read in a fixed number of queries whatever its size."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from .models import ActionSheet, Axis, Objective, Orientation


@dataclass
class ObjectiveNode:
    objective: Objective
    actions: list[ActionSheet] = field(default_factory=list)


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


@dataclass
class PlanTree:
    orientations: list[OrientationNode]
    loose_actions: list[ActionSheet]

    @property
    def action_count(self) -> int:
        return sum(len(o.all_actions()) for o in self.orientations) + len(self.loose_actions)


def plan_tree(*, convention) -> PlanTree:
    orientations = list(convention.orientations.order_by("order", "pk"))
    axes = list(Axis.objects.filter(orientation__convention=convention).order_by("order", "pk"))
    objectives = list(Objective.objects.filter(orientation__convention=convention).order_by("order", "pk"))
    actions = list(
        ActionSheet.objects.filter(convention=convention).prefetch_related(Prefetch("domains")).order_by("order", "pk")
    )
    orientation_nodes = {o.pk: OrientationNode(o) for o in orientations}
    axis_nodes = {a.pk: AxisNode(a) for a in axes}
    objective_nodes = {o.pk: ObjectiveNode(o) for o in objectives}
    for axis in axes:
        orientation_nodes[axis.orientation_id].axes.append(axis_nodes[axis.pk])
    for objective in objectives:
        parent = axis_nodes[objective.axis_id] if objective.axis_id else orientation_nodes[objective.orientation_id]
        parent.objectives.append(objective_nodes[objective.pk])
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
    return PlanTree(orientations=[orientation_nodes[o.pk] for o in orientations], loose_actions=loose)
