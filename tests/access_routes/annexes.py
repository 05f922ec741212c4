"""Editing the text and annexes 1, 2 and 4 (conventions/urls.py, annexes_urls): advisers of the Caf only."""

from . import EDIT, Route, convention_pk


def child(victim_key: str, kwarg: str) -> Route:
    return Route(EDIT, lambda victim: {"convention_pk": victim["convention"].pk, kwarg: victim[victim_key].pk})


ROUTES = {
    "conventions:convention_text_edit": Route(EDIT, convention_pk),
    "conventions:clause_create": Route(EDIT, convention_pk),
    "conventions:clause_edit": child("clause", "clause_pk"),
    "conventions:clause_reset": child("clause", "clause_pk"),
    "conventions:clause_delete": child("clause", "clause_pk"),
    "conventions:clause_move": child("clause", "clause_pk"),
    "conventions:diagnostic_edit": Route(EDIT, convention_pk),
    "conventions:key_figure_create": Route(EDIT, convention_pk),
    "conventions:key_figure_edit": child("key_figure", "key_figure_pk"),
    "conventions:key_figure_delete": child("key_figure", "key_figure_pk"),
    "conventions:issue_create": Route(EDIT, convention_pk),
    "conventions:issue_edit": child("issue", "issue_pk"),
    "conventions:issue_delete": child("issue", "issue_pk"),
    "conventions:supported_equipment_add": Route(EDIT, convention_pk),
    "conventions:supported_equipment_create": Route(EDIT, convention_pk),
    "conventions:equipment_options": Route(EDIT, convention_pk),
    "conventions:supported_equipment_edit": child("supported_equipment", "supported_equipment_pk"),
    "conventions:supported_equipment_remove": child("supported_equipment", "supported_equipment_pk"),
    "conventions:ao_competence_create": Route(EDIT, convention_pk),
    "conventions:ao_competence_edit": child("ao_competence", "ao_competence_pk"),
    "conventions:ao_competence_delete": child("ao_competence", "ao_competence_pk"),
    "conventions:committee_create": Route(EDIT, convention_pk),
    "conventions:committee_edit": child("committee", "committee_pk"),
    "conventions:committee_delete": child("committee", "committee_pk"),
    "conventions:committee_member_create": child("committee", "committee_pk"),
    "conventions:committee_member_edit": child("committee_member", "committee_member_pk"),
    "conventions:committee_member_delete": child("committee_member", "committee_member_pk"),
    "conventions:committee_member_move": child("committee_member", "committee_member_pk"),
}
