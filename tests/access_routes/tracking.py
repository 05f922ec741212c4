"""Tableau de suivi (.xlsx) and Convention JSON: downloads for readers, import for follow-up."""

from . import EDIT, FOLLOW_UP, SCOPED, Route, convention_pk

ROUTES = {
    "evaluation:tracking_export": Route(SCOPED, convention_pk),
    "evaluation:tracking_import": Route(FOLLOW_UP, convention_pk),
    "evaluation:tracking_import_job": Route(FOLLOW_UP, convention_pk),
    "evaluation:convention_json": Route(EDIT, convention_pk),
    "evaluation:tracking_template": Route(EDIT, convention_pk),
}
