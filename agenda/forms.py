from django import forms


class DigestPreferenceForm(forms.Form):
    digest_enabled = forms.BooleanField(
        label="Recevoir chaque lundi un récapitulatif par courriel de ce qui me concerne",
        required=False,
        help_text="Fiches en retard ou à échéance, bilans à présenter, conventions qui arrivent à leur terme.",
    )
