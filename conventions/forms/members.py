"""Adding a member to a convention: a chargé·e de coopération or a COPIL member, named by e-mail."""

from django import forms
from django.contrib.auth import get_user_model

from accounts.enums import Role
from accounts.passwords import is_pending_invitation
from core.forms import StyledFormMixin

from ..models import Convention, Membership
from ..perms import may_be_member


class MemberAddForm(StyledFormMixin, forms.Form):
    """A member by e-mail; an address without an account gets one, inactive, and an invitation to set a password."""

    email = forms.EmailField(
        label="Adresse e-mail",
        help_text="Sans compte à cette adresse, un compte est créé et une invitation lui est envoyée.",
    )
    role = forms.ChoiceField(
        label="Rôle (nouveau compte)",
        choices=[(Role.COOPERATION, Role.COOPERATION.label), (Role.COPIL, Role.COPIL.label)],
        initial=Role.COPIL,
        required=False,
        help_text="Utilisé seulement si le compte n'existe pas encore.",
    )
    first_name = forms.CharField(label="Prénom (nouveau compte)", max_length=150, required=False)
    last_name = forms.CharField(label="Nom (nouveau compte)", max_length=150, required=False)

    def __init__(self, *args, convention: Convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.convention = convention

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        user = get_user_model().objects.filter(email__iexact=email).first()
        self.user = user  # None: a new account, invited
        if user is None:
            return email
        if not user.is_active and not is_pending_invitation(user):
            raise forms.ValidationError("Ce compte est désactivé : demandez à un administrateur de le réactiver.")
        if not may_be_member(user):
            raise forms.ValidationError(
                f"Ce compte a le rôle « {user.get_role_display()} » : seul·es les chargé·es de coopération "
                "et les membres du COPIL sont ajouté·es comme membres."
            )
        if Membership.objects.filter(convention=self.convention, user=user).exists():
            raise forms.ValidationError("Cette personne est déjà membre de la convention.")
        self.user = user
        return email
