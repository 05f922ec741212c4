"""Who may change what through the evaluation screens and the tableau de suivi import."""

from conventions.models import Convention
from conventions.perms import can_edit_convention

# What a tableau de suivi import may change: everything, or only the follow-up (statuses, progress, values).
FULL = "full"
FOLLOW_UP = "follow_up"
SCOPES = (FULL, FOLLOW_UP)


def tracking_scope(*, user, convention: Convention) -> str:
    """FULL for whoever may write the convention's text while it is open (no user: a command run by the
    operator); FOLLOW_UP for a chargé·e de coopération, and for everyone once the convention is signed
    and no avenant is open."""
    if convention.is_text_locked:
        return FOLLOW_UP
    if user is None or can_edit_convention(user, convention):
        return FULL
    return FOLLOW_UP


def tracking_limited_by_role(*, user, convention: Convention) -> bool:
    """In follow-up scope: is it because of who imports (True) or because the text is locked (False)?"""
    return user is not None and not can_edit_convention(user, convention)
