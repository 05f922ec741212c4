"""Annexe 3 in the browser: the fiche-action page (read), the plan editing screens, and the follow-up.

Editing is for the users who may write the convention (`can_edit_convention`), while its text is open
(`get_text_editable_convention`: refused once signed, unless an avenant is being prepared). Every form
works as a plain POST followed by a redirect; the plan page adds htmx so that reordering, renaming and
adding refresh only the tree.

The follow-up (« Mon suivi », statuses, budgets, meetings) is for the users who may follow the convention
up (`get_follow_up_convention`: its advisers and chargés de coopération), signed or not.
"""

from .budget import budget
from .fiches import action_create, action_detail, action_edit, action_move
from .follow_up import my_follow_up, status_update
from .meetings import meeting_create, meeting_delete, meeting_edit, meetings
from .plan import (
    axis_create,
    node_delete,
    node_move,
    node_rename,
    objective_create,
    orientation_create,
    plan_edit,
    plan_levels_edit,
    plan_outline,
)

__all__ = [
    "action_create",
    "action_detail",
    "action_edit",
    "action_move",
    "axis_create",
    "budget",
    "meeting_create",
    "meeting_delete",
    "meeting_edit",
    "meetings",
    "my_follow_up",
    "node_delete",
    "node_move",
    "node_rename",
    "objective_create",
    "orientation_create",
    "plan_edit",
    "plan_levels_edit",
    "plan_outline",
    "status_update",
]
