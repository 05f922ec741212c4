"""The plan tree a row of the Fiches sheet names: its orientation, axis and objective, found by title or
created by the actions services."""

from django.core.exceptions import ValidationError

from actions import services
from actions.levels import AXIS, OBJECTIVE, ORIENTATION, OUTSIDE_ORIENTATIONS, PlanLevel
from actions.models import ActionSheet
from core.text import fold

from ..cells import _Invalid, _key, _shown
from ..columns import HISTORY_REASON
from ..report import Change
from .state import ImportState


class PlanPlacement:
    """Finds, or creates when new, the node under which a row puts its fiche."""

    def __init__(self, state: ImportState):
        self.state = state

    @staticmethod
    def find(title: str, candidates: list):
        wanted = _key(title)
        for node in candidates:
            if _key(node.title) == wanted:
                return node
        wanted = fold(title)
        for node in candidates:
            if fold(node.title) == wanted:
                return node
        return None

    def node(self, sheet, number, values: dict, current: ActionSheet | None):
        """The node a row puts its fiche under (None: outside every orientation), created when new."""
        o_title, a_title, obj_title = values["Orientation"], values["Axe"], values["Objectif opérationnel"]
        if not o_title:
            if a_title or obj_title:
                self.state.error(
                    sheet,
                    number,
                    "Orientation",
                    "indiquez l'orientation de l'axe ou de l'objectif (ou videz aussi l'axe et l'objectif pour "
                    "une fiche hors orientation).",
                )
                raise _Invalid("")
            return None
        orientation = self.pick(o_title, self.state.orientations, current.orientation_id if current else None)
        if orientation is None:
            orientation = self.create_node(
                sheet,
                number,
                ORIENTATION,
                services.orientation_create,
                convention=self.state.convention,
                title=o_title,
                order=self.next_order(self.state.orientations),
            )
            self.state.orientations.append(orientation)
        axis = None
        if a_title:
            siblings = [a for a in self.state.axes if a.orientation_id == orientation.pk]
            axis = self.pick(a_title, siblings, current.axis_id if current else None)
            if axis is None:
                axis = self.create_node(
                    sheet,
                    number,
                    AXIS,
                    services.axis_create,
                    orientation=orientation,
                    title=a_title,
                    order=self.next_order(siblings),
                )
                self.state.axes.append(axis)
        if not obj_title:
            return axis or orientation
        siblings = [o for o in self.state.objectives if o.orientation_id == orientation.pk and o.axis == axis]
        objective = self.pick(obj_title, siblings, current.objective_id if current else None)
        if objective is None:
            objective = self.create_node(
                sheet,
                number,
                OBJECTIVE,
                services.objective_create,
                parent=axis or orientation,
                title=obj_title,
                order=self.next_order(siblings),
            )
            self.state.objectives.append(objective)
        return objective

    def pick(self, title: str, candidates: list, current_pk: int | None):
        """The node of that title; the fiche's current one first, since two nodes may share a title."""
        current = [node for node in candidates if node.pk == current_pk]
        return self.find(title, current) or self.find(title, candidates)

    @staticmethod
    def next_order(siblings: list) -> int:
        return max((s.order for s in siblings), default=-1) + 1

    def create_node(self, sheet, number, level: PlanLevel, create, **fields):
        """A node the row names and the plan lacks, written by the actions service `create`."""
        if self.state.refuse_outside_scope(sheet, number, level.column, creation=True):
            raise _Invalid("")
        try:
            node = create(number="", user=self.state.user, reason=HISTORY_REASON, **fields)
        except ValidationError as exc:
            for message in exc.messages:
                self.state.error(sheet, number, level.column, message)
            raise _Invalid("") from None
        self.state.report.changes.append(Change(sheet, number, f"création de l'{level.noun} « {_shown(node.title)} »"))
        return node


def place_label(action: ActionSheet) -> str:
    parts = [node.title for node in (action.orientation, action.axis, action.objective) if node]
    return " > ".join(parts) or OUTSIDE_ORIENTATIONS.lower()
