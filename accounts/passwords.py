"""Setting a password from a link sent by e-mail: the invitation of a new account and « mot de passe oublié ».

Both links are Django's password-reset links (``default_token_generator``): they expire after
``PASSWORD_RESET_TIMEOUT`` and serve once (the token hashes the password, which they change). An invited
account is created inactive without a usable password (``account_invite``); setting its password activates
it. An account deactivated by an administrator (inactive *with* a password) is never reactivated by a link.
The e-mails go through the background jobs (``jobs.account_mail``: this layer sits below jobs).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core.forms import StyledFormMixin

from .enums import Role


def is_pending_invitation(user) -> bool:
    return not user.is_active and not user.has_usable_password()


def password_set_path(user) -> str:
    """The path of the one-use link that sets the user's password."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("accounts:password_set", args=[uid, default_token_generator.make_token(user)])


def account_invite(*, email: str, role: str = Role.COPIL, first_name: str = "", last_name: str = "", caf=None):
    """The account of ``email``, created inactive without a password when there is none. (user, created)."""
    User = get_user_model()
    email = email.strip().lower()
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        if user is not None:
            return user, False
        user = User(email=email, role=role, first_name=first_name.strip(), last_name=last_name.strip(), caf=caf)
        user.is_active = False
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
    return user, True


class AccountPasswordResetForm(StyledFormMixin, PasswordResetForm):
    """« Mot de passe oublié » for active accounts and for invitations not yet accepted."""

    def get_users(self, email):
        User = get_user_model()
        candidates = User._default_manager.filter(email__iexact=email.strip()).filter(
            Q(is_active=True) | Q(is_active=False, password__startswith="!")
        )
        return (user for user in candidates if user.has_usable_password() or is_pending_invitation(user))


class AccountSetPasswordForm(StyledFormMixin, SetPasswordForm):
    """The new password; an invitation's account becomes active with it."""

    def save(self, commit=True):
        user = self.user
        activate = is_pending_invitation(user)
        user = super().save(commit=False)
        if activate:
            user.is_active = True
        if commit:
            user.save()
        return user
