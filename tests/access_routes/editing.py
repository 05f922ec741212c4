from . import ADVISERS, AUTHENTICATED, EDIT, SCOPED, Route, convention_pk


def party(victim):
    return {"convention_pk": victim["convention"].pk, "party_pk": victim["party"].pk}


ROUTES = {
    "conventions:create": Route(ADVISERS),
    "conventions:import": Route(ADVISERS),
    "conventions:import_job": Route(ADVISERS),
    "conventions:edit": Route(EDIT, convention_pk),
    "conventions:perimeter_edit": Route(EDIT, convention_pk),
    "conventions:party_add": Route(EDIT, convention_pk),
    "conventions:parties_from_perimeter": Route(EDIT, convention_pk),
    "conventions:signatories_grid": Route(EDIT, convention_pk),
    "conventions:party_edit": Route(EDIT, party),
    "conventions:party_delete": Route(EDIT, party),
    "conventions:party_reorder": Route(EDIT, party),
    "conventions:deliberation_download": Route(SCOPED, party),
    "conventions:transition": Route(EDIT, lambda v: {"convention_pk": v["convention"].pk, "target": "validee_copil"}),
    "conventions:amendment_create": Route(EDIT, convention_pk),
    "conventions:amendment_sign": Route(
        EDIT, lambda v: {"convention_pk": v["convention"].pk, "amendment_pk": v["amendment"].pk}
    ),
    "conventions:history": Route(SCOPED, convention_pk),
    "conventions:renew": Route(EDIT, convention_pk),
    "territories:commune_search": Route(AUTHENTICATED),
}
