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


class SecondFactorForm(forms.Form):
    """A code from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label="Code de vérification",
        max_length=32,
        help_text="Les 6 chiffres affichés par votre application, ou l'un de vos codes de secours.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "class": "form-control", "spellcheck": "false"}
        ),
        error_messages={"required": "Saisissez le code affiché par votre application ou un code de secours."},
    )


class EnrolmentForm(forms.Form):
    code = forms.CharField(
        label="Code affiché par l'application",
        max_length=16,
        help_text="6 chiffres, renouvelés toutes les 30 secondes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "form-control"}
        ),
        error_messages={"required": "Saisissez le code à 6 chiffres affiché par l'application."},
    )
