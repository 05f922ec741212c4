"""Follow-up: « Mon suivi », statuses, budgets, meetings, indicators and their values.

Written by the convention's advisers and chargés de coopération; its COPIL members get 403.
"""

from . import AUTHENTICATED, EDIT, FOLLOW_UP, SCOPED, Route


def convention(victim: dict) -> dict:
    return {"convention_pk": victim["convention"].pk}


def child(key: str):
    return lambda victim: {"convention_pk": victim["convention"].pk, "pk": victim[key].pk}


ROUTES = {
    "actions:my_follow_up": Route(AUTHENTICATED),
    "actions:status_update": Route(FOLLOW_UP, child("action")),
    "actions:budget": Route(FOLLOW_UP, child("action")),
    "actions:meetings": Route(SCOPED, convention),
    "actions:meeting_create": Route(FOLLOW_UP, convention),
    "actions:meeting_edit": Route(FOLLOW_UP, child("meeting")),
    "actions:meeting_delete": Route(FOLLOW_UP, child("meeting")),
    # Indicator definitions are annexe 5: the Caf writes them (chargés de coopération enter values).
    "evaluation:indicator_create": Route(EDIT, convention),
    "evaluation:indicator_edit": Route(EDIT, child("indicator")),
    "evaluation:indicator_delete": Route(EDIT, child("indicator")),
    "evaluation:values": Route(FOLLOW_UP, convention),
}
