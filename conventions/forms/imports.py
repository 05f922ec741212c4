"""Depositing a Convention JSON file (the import itself is conventions/dossier/exchange, tout ou rien)."""

from django import forms

from core.forms import StyledFormMixin

from ..dossier.exchange import MAX_FILE_SIZE


class ConventionImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label="Fichier Convention JSON (.json)",
        help_text="Un fichier exporté depuis CTG (« Télécharger la convention (JSON) »). 20 Mo au plus.",
        widget=forms.FileInput(attrs={"accept": ".json,application/json"}),
        error_messages={"required": "Choisissez le fichier .json à importer.", "empty": "Ce fichier est vide."},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_SIZE:  # refused before reading it into memory
            raise forms.ValidationError(f"Le fichier dépasse {MAX_FILE_SIZE // (1024 * 1024)} Mo.")
        if not upload.name.lower().endswith(".json"):
            raise forms.ValidationError("Le fichier doit être un fichier Convention JSON (extension .json).")
        self.content = upload.read()
        self.filename = upload.name[-150:]
        return upload
