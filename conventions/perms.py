"""Who may do what on a convention. Views, forms and templates ask these, never the role directly.

Templates read `ConventionRights` (`convention_rights`), computed once per page: `rights.edit`,
`rights.edit_text`, `rights.follow_up`, `rights.define_indicators`.
"""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.views.decorators.http import require_http_methods

from accounts.enums import Role
from territories.models import Caf

from .models import Convention, Membership

# Advisers and administrators read their conventions through their role, never through a membership.
MEMBER_ROLES = (Role.COOPERATION, Role.COPIL)


def get_visible_convention(user, pk: int) -> Convention:
    """The convention if the user may read it; 404 otherwise (never reveal that it exists)."""
    try:
        return Convention.objects.visible_to(user).select_related("caf", "territory", "edition").get(pk=pk)
    except (Convention.DoesNotExist, ValueError):
        raise Http404("Convention introuvable.") from None


def can_create_convention(user) -> bool:
    """Advisers (for their Caf) and administrators create conventions."""
    return user.is_authenticated and (user.is_administrator or (user.role == Role.ADVISER and user.caf_id is not None))


def creatable_cafs(user) -> QuerySet:
    """The Cafs a new convention of `user` may belong to."""
    return Caf.objects.all() if user.is_administrator else Caf.objects.filter(pk=user.caf_id)


def can_edit_convention(user, convention: Convention) -> bool:
    """Write the text, parties, perimeter, annexes and plan (advisers of the Caf, administrators)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_administrator:
        return True
    return user.role == Role.ADVISER and user.caf_id is not None and user.caf_id == convention.caf_id


def can_edit_text(user, convention: Convention) -> bool:
    """Write the text, annexes and plan now: an editor, while the text is open (draft, or avenant)."""
    return can_edit_convention(user, convention) and not convention.is_text_locked


def can_follow_up(user, convention: Convention) -> bool:
    """Update statuses, indicator values, meetings and bilans."""
    if can_edit_convention(user, convention):
        return True
    return (
        user.is_authenticated
        and user.role == Role.COOPERATION
        and Membership.objects.filter(convention=convention, user=user).exists()
    )


def followed_conventions(user) -> QuerySet:
    """The conventions whose follow-up `user` may write: `can_follow_up` for all of them at once."""
    followed = Convention.objects.editable_by(user)
    if user.is_authenticated and user.role == Role.COOPERATION:
        followed = followed | Convention.objects.filter(memberships__user=user)
    return followed


def may_be_member(user) -> bool:
    """Chargé·es de coopération and COPIL members join conventions as members; nobody else needs to."""
    return not user.is_administrator and user.role in MEMBER_ROLES


@dataclass(frozen=True)
class ConventionRights:
    """What a user may do on one convention, for the templates."""

    edit: bool  # general information, lifecycle, members
    edit_text: bool  # text, annexes 1–5 definitions and plan, while the text is open
    follow_up: bool  # statuses, values, budgets, meetings, bilans

    @property
    def exchange_export(self) -> bool:
        """The JSON exchange file moves a convention between instances: a Caf tool, not a reader's download."""
        return self.edit

    @property
    def define_indicators(self) -> bool:
        """Indicator definitions belong to annexe 5: the Caf writes them while the text is open."""
        return self.edit_text


def convention_rights(user, convention: Convention) -> ConventionRights:
    edit = can_edit_convention(user, convention)
    return ConventionRights(
        edit=edit,
        edit_text=edit and not convention.is_text_locked,
        follow_up=can_follow_up(user, convention),
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


def convention_view(getter, *methods: str):
    """A view of one convention: login required, `methods` only, and the convention of the URL's `convention_pk`
    loaded by `getter` (one of the `get_…_convention` above: 404 to strangers, refused beyond one's rights),
    passed to the view in its place."""

    def decorate(view):
        @login_required
        @require_http_methods(list(methods))
        @wraps(view)
        def wrapper(request, convention_pk: int, **kwargs):
            return view(request, getter(request.user, convention_pk), **kwargs)

        return wrapper

    return decorate
