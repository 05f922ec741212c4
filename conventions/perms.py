"""Who may do what on a convention. Views ask these, never the role directly."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.enums import Role

from .models import Convention, Membership


def get_visible_convention(user, pk: int) -> Convention:
    """The convention if the user may read it; 404 otherwise (never reveal that it exists)."""
    try:
        return Convention.objects.visible_to(user).select_related("caf", "territory", "edition").get(pk=pk)
    except (Convention.DoesNotExist, ValueError):
        raise Http404("Convention introuvable.") from None


def can_edit_convention(user, convention: Convention) -> bool:
    """Write the text, parties, perimeter, annexes and plan (advisers of the Caf, administrators)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_administrator:
        return True
    return user.role == Role.ADVISER and user.caf_id is not None and user.caf_id == convention.caf_id


def can_follow_up(user, convention: Convention) -> bool:
    """Update statuses, indicator values, meetings and bilans."""
    if can_edit_convention(user, convention):
        return True
    return (
        user.is_authenticated
        and user.role == Role.COOPERATION
        and Membership.objects.filter(convention=convention, user=user).exists()
    )


def get_editable_convention(user, pk: int) -> Convention:
    """The convention if the user may write its text and annexes; 404 if they may not even read it."""
    convention = get_visible_convention(user, pk)
    if not can_edit_convention(user, convention):
        raise PermissionDenied("Vous pouvez consulter cette convention, mais pas la modifier.")
    return convention


def get_text_editable_convention(user, pk: int) -> Convention:
    """As above, and refused once signed unless an avenant is being prepared."""
    convention = get_editable_convention(user, pk)
    if convention.is_text_locked:
        raise PermissionDenied(
            "La convention est signée : son texte et ses annexes ne changent que par un avenant. "
            "Ouvrez un avenant depuis la page de la convention pour les modifier."
        )
    return convention


def get_follow_up_convention(user, pk: int) -> Convention:
    """The convention if the user may update statuses, values, meetings and bilans."""
    convention = get_visible_convention(user, pk)
    if not can_follow_up(user, convention):
        raise PermissionDenied("Vous pouvez consulter cette convention, mais pas en assurer le suivi.")
    return convention
