from django import forms
from django.contrib.auth.forms import AuthenticationForm


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label="Adresse e-mail", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    def clean_username(self) -> str:
        # Addresses are stored in lower case; phones often capitalise the first letter typed.
        return self.cleaned_data["username"].strip().lower()

    error_messages = {
        "invalid_login": "Adresse e-mail ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé.",
    }


def code_field(*, label: str, max_length: int, help_text: str, required: str, **attrs) -> forms.CharField:
    """A one-time code typed by hand or filled by the phone (autocomplete « one-time-code »)."""
    attrs = {"autocomplete": "one-time-code", "class": "form-control", **attrs}
    return forms.CharField(
        label=label,
        max_length=max_length,
        help_text=help_text,
        widget=forms.TextInput(attrs=attrs),
        error_messages={"required": required},
    )


# The two codes asked (declarative): at login (app or recovery code), and the first one when enrolling.
CODE_FIELDS = {
    "login": {
        "label": "Code de vérification",
        "max_length": 32,
        "help_text": "Les 6 chiffres affichés par votre application, ou l'un de vos codes de secours.",
        "required": "Saisissez le code affiché par votre application ou un code de secours.",
        "autofocus": True,
        "spellcheck": "false",
    },
    "enrolment": {
        "label": "Code affiché par l'application",
        "max_length": 16,
        "help_text": "6 chiffres, renouvelés toutes les 30 secondes.",
        "required": "Saisissez le code à 6 chiffres affiché par l'application.",
        "inputmode": "numeric",
    },
}


class SecondFactorForm(forms.Form):
    """A code from the authenticator app, or a recovery code."""

    code = code_field(**CODE_FIELDS["login"])


class EnrolmentForm(forms.Form):
    code = code_field(**CODE_FIELDS["enrolment"])
