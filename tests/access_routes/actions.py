"""Annexe 3: the fiche page (read) and the plan editing screens (advisers, text editable)."""

from . import EDIT, SCOPED, Route


def convention(victim: dict) -> dict:
    return {"convention_pk": victim["convention"].pk}


def action(victim: dict) -> dict:
    return {"convention_pk": victim["convention"].pk, "pk": victim["action"].pk}


def node(kind: str, key: str):
    return lambda victim: {"convention_pk": victim["convention"].pk, "node_kind": kind, "node_pk": victim[key].pk}


ROUTES = {
    "actions:detail": Route(SCOPED, action),
    "actions:plan_edit": Route(EDIT, convention),
    "actions:plan_levels": Route(EDIT, convention),
    "actions:plan_outline": Route(EDIT, convention),
    "actions:create": Route(EDIT, convention),
    "actions:edit": Route(EDIT, action),
    "actions:move": Route(EDIT, action),
    "actions:orientation_create": Route(EDIT, convention),
    "actions:axis_create": Route(
        EDIT, lambda v: {"convention_pk": v["convention"].pk, "orientation_pk": v["orientation"].pk}
    ),
    "actions:objective_create": Route(
        EDIT, lambda v: {"convention_pk": v["convention"].pk, "parent_kind": "axe", "parent_pk": v["axis"].pk}
    ),
    "actions:node_rename": Route(EDIT, node("objectif", "objective")),
    "actions:node_move": Route(EDIT, node("axe", "axis")),
    "actions:node_delete": Route(EDIT, node("objectif", "objective")),
}
