"""The plan tree a row of the Fiches sheet names: its orientation, axis and objective, found by title or
created by the actions services."""

from django.core.exceptions import ValidationError

from actions import services
from actions.levels import OUTSIDE_ORIENTATIONS, PlanLevel, plan_levels
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
        self.levels = plan_levels(state.convention)

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
        orientation = self.found_or_created(
            sheet,
            number,
            self.levels.orientation,
            services.orientation_create,
            o_title,
            self.state.orientations,
            current.orientation_id if current else None,
            convention=self.state.convention,
        )
        axis = None
        if a_title:
            axis = self.found_or_created(
                sheet,
                number,
                self.levels.axis,
                services.axis_create,
                a_title,
                [a for a in self.state.axes if a.orientation_id == orientation.pk],
                current.axis_id if current else None,
                orientation=orientation,
            )
        if not obj_title:
            return axis or orientation
        return self.found_or_created(
            sheet,
            number,
            self.levels.objective,
            services.objective_create,
            obj_title,
            [o for o in self.state.objectives if o.orientation_id == orientation.pk and o.axis == axis],
            current.objective_id if current else None,
            parent=axis or orientation,
        )

    def found_or_created(self, sheet, number, level: PlanLevel, create, title: str, siblings, current_pk, **parent):
        """The node of that title among `siblings`, or a new one written by `create` and placed after them."""
        node = self.pick(title, siblings, current_pk)
        if node is None:
            node = self.create_node(
                sheet, number, level, create, title=title, order=self.next_order(siblings), **parent
            )
            {"orientation": self.state.orientations, "axe": self.state.axes, "objectif": self.state.objectives}[
                level.slug
            ].append(node)
        return node

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
        self.state.report.changes.append(Change(sheet, number, f"création de {level.the} « {_shown(node.title)} »"))
        return node


def place_label(action: ActionSheet) -> str:
    parts = [node.title for node in (action.orientation, action.axis, action.objective) if node]
    return " > ".join(parts) or OUTSIDE_ORIENTATIONS.lower()
