"""Adding a member to a convention: a chargé·e de coopération or a COPIL member, named by e-mail."""

from django import forms
from django.contrib.auth import get_user_model

from core.forms import StyledFormMixin

from ..models import Convention, Membership
from ..perms import may_be_member


class MemberAddForm(StyledFormMixin, forms.Form):
    email = forms.EmailField(
        label="Adresse e-mail",
        help_text="Le compte doit exister et avoir le rôle chargé·e de coopération ou membre du COPIL.",
    )

    def __init__(self, *args, convention: Convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.convention = convention

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError("Aucun compte actif n'a cette adresse e-mail.")
        if not may_be_member(user):
            raise forms.ValidationError(
                f"Ce compte a le rôle « {user.get_role_display()} » : seul·es les chargé·es de coopération "
                "et les membres du COPIL sont ajouté·es comme membres."
            )
        if Membership.objects.filter(convention=self.convention, user=user).exists():
            raise forms.ValidationError("Cette personne est déjà membre de la convention.")
        self.user = user
        return email
