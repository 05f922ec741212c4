from django import forms

from ..dossier.renewal import CHOICES, default_choice


class RenewalForm(forms.Form):
    """One choice per fiche-action of the ending convention: reconduire, réécrire or clore."""

    def __init__(self, *args, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.actions = list(actions)
        for action in self.actions:
            self.fields[f"fiche_{action.pk}"] = forms.ChoiceField(
                label=f"{action.reference} – {action.title}",
                choices=CHOICES,
                initial=default_choice(action),
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Choisissez : reconduire, réécrire ou clore.",
                    "invalid_choice": "Choisissez : reconduire, réécrire ou clore.",
                },
            )

    def rows(self):
        """(fiche, bound field) for the template's table."""
        return [(action, self[f"fiche_{action.pk}"]) for action in self.actions]

    def choices(self) -> dict[int, str]:
        return {action.pk: self.cleaned_data[f"fiche_{action.pk}"] for action in self.actions}
