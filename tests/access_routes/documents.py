"""Documents: the convention PDF, one PDF per fiche-action, the Documents page (everyone who reads the convention)."""

from . import SCOPED, Route, convention_pk


def action(victim: dict) -> dict:
    return {"convention_pk": victim["convention"].pk, "action_pk": victim["action"].pk}


ROUTES = {
    "conventions:documents": Route(SCOPED, convention_pk),
    "conventions:pdf": Route(SCOPED, convention_pk),
    "conventions:action_pdf": Route(SCOPED, action),
}
