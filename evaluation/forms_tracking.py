"""The upload form of the tableau de suivi import."""

from django import forms

from core.forms import StyledFormMixin
from core.xlsx import XLSX_CONTENT_TYPE

from .tracking import MAX_UPLOAD_SIZE, workbook_problem


class TrackingImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label="Tableau de suivi (.xlsx)",
        help_text="Le tableau exporté depuis la convention, complété dans un tableur. 5 Mo au plus.",
        widget=forms.FileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
        error_messages={
            "required": "Choisissez le fichier .xlsx à importer.",
            "empty": "Ce fichier est vide.",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Refuse before reading it into memory.
        if upload.size > MAX_UPLOAD_SIZE:
            raise forms.ValidationError(
                "Le fichier dépasse 5 Mo : un tableau de suivi pèse bien moins. Vérifiez qu'il s'agit du bon fichier."
            )
        content = upload.read()
        problem = workbook_problem(content)
        if problem:
            raise forms.ValidationError(problem)
        self.content = content
        return upload
