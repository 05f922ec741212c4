"""Editing the text and annexes 1, 2 and 4 of a convention, while its text is open (draft, or avenant).

Every view loads the convention with `get_text_editable_convention` (404 for strangers, 403 for readers and
once signed). Every action works as a plain form (POST, then back to the convention's page at the section);
requests sent by htmx (inline rows of the tables) get the updated row instead of a redirect.
"""

from .ao import ao_competence_create, ao_competence_delete, ao_competence_edit
from .diagnostic import (
    diagnostic_edit,
    issue_create,
    issue_delete,
    issue_edit,
    key_figure_create,
    key_figure_delete,
    key_figure_edit,
)
from .equipment import (
    equipment_options,
    supported_equipment_add_view,
    supported_equipment_create,
    supported_equipment_edit,
    supported_equipment_remove,
)
from .governance import (
    committee_create,
    committee_delete_view,
    committee_edit,
    committee_member_create,
    committee_member_delete,
    committee_member_edit,
    committee_member_move_view,
)
from .text import (
    clause_create_view,
    clause_delete,
    clause_edit,
    clause_move_view,
    clause_reset_view,
    convention_text_edit,
)

__all__ = [
    "ao_competence_create",
    "ao_competence_delete",
    "ao_competence_edit",
    "clause_create_view",
    "clause_delete",
    "clause_edit",
    "clause_move_view",
    "clause_reset_view",
    "committee_create",
    "committee_delete_view",
    "committee_edit",
    "committee_member_create",
    "committee_member_delete",
    "committee_member_edit",
    "committee_member_move_view",
    "convention_text_edit",
    "diagnostic_edit",
    "equipment_options",
    "issue_create",
    "issue_delete",
    "issue_edit",
    "key_figure_create",
    "key_figure_delete",
    "key_figure_edit",
    "supported_equipment_add_view",
    "supported_equipment_create",
    "supported_equipment_edit",
    "supported_equipment_remove",
]
