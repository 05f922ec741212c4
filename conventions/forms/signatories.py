"""The signatories grid: every party's representative (civility, name, title) and deliberation (body, date,
reference) on one page, typed or pasted from a spreadsheet (tab-separated), validated cell by cell."""

from __future__ import annotations

from django import forms

from core.forms import StyledFormMixin
from territories.names import fold

from ..dossier.signatories import GridRow

PERSON_FIELDS = ["civility", "name", "title"]
PARTY_FIELDS = ["deliberation_body", "deliberation_date", "deliberation_reference"]
COLUMNS = PERSON_FIELDS + PARTY_FIELDS
DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%d-%m-%Y", "%Y-%m-%d"]
HEADER_WORDS = {"organisme", "civilite", "signataire"}


class SignatoriesGridForm(StyledFormMixin, forms.Form):
    """Fields « l<n>-<column> » for line n of the grid; « collage » fills the lines from a spreadsheet.

    A pasted line has the six columns in the grid's order, or seven with the organisation first (then it
    goes to that party's next line, whatever the order). Nothing is written unless every cell is valid.
    """

    paste = forms.CharField(
        label="Coller depuis un tableur",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Une ligne par personne, colonnes séparées par des tabulations : [organisme,] civilité, nom, "
        "qualité, instance délibérante, date de la délibération (JJ/MM/AAAA), référence. Le collage remplace les "
        "lignes de la grille qu'il couvre.",
    )

    def __init__(self, data=None, *, rows: list[GridRow]):
        self.rows = rows
        if data is not None:
            data = data.copy()
            self.paste_errors = self._apply_paste(data)
        else:
            self.paste_errors = []
        super().__init__(data)
        for index, row in enumerate(rows):
            prefix = f"l{index}-"
            self.fields[prefix + "key"] = forms.CharField(
                widget=forms.HiddenInput, required=False, initial=row_key(row)
            )
            self.fields[prefix + "civility"] = forms.CharField(
                label="Civilité", max_length=20, required=False, initial=row.civility
            )
            self.fields[prefix + "name"] = forms.CharField(
                label="Nom", max_length=200, required=False, initial=row.name
            )
            self.fields[prefix + "title"] = forms.CharField(
                label="Qualité", max_length=200, required=False, initial=row.title
            )
            if row.first_of_party:
                self.fields[prefix + "deliberation_body"] = forms.CharField(
                    label="Instance délibérante", max_length=200, required=False, initial=row.deliberation_body
                )
                self.fields[prefix + "deliberation_date"] = forms.DateField(
                    label="Date de la délibération",
                    required=False,
                    input_formats=DATE_FORMATS,
                    initial=row.deliberation_date,
                    widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "JJ/MM/AAAA"}),
                    error_messages={"invalid": "Date invalide : écrivez JJ/MM/AAAA (par exemple 23/11/2026)."},
                )
                self.fields[prefix + "deliberation_reference"] = forms.CharField(
                    label="Référence", max_length=120, required=False, initial=row.deliberation_reference
                )
        for index, row in enumerate(rows):  # the error summary says which row: « Nom – Commune de Firminy »
            for column in COLUMNS:
                field = self.fields.get(f"l{index}-{column}")
                if field is not None:
                    field.label = f"{field.label} – {row.party.name}"
        if self.is_bound:
            self.data["paste"] = ""  # applied to the cells: shown there, not pasted twice

    def _apply_paste(self, data) -> list[str]:
        """Copy the pasted lines into the cells of ``data``; the problems of lines that fit no row."""
        problems: list[str] = []
        text = (data.get("paste") or "").replace("\r\n", "\n").replace("\r", "\n")
        lines = [line for line in text.split("\n") if line.strip()]
        if lines and fold(lines[0].split("\t")[0]).strip() in HEADER_WORDS:
            lines = lines[1:]  # the spreadsheet's header row
        taken: set[int] = set()
        by_party: dict[str, list[int]] = {}
        for index, row in enumerate(self.rows):
            by_party.setdefault(fold(row.party.name).strip(), []).append(index)
        next_in_order = 0
        for number, line in enumerate(lines, start=1):
            cells = [cell.strip() for cell in line.split("\t")]
            if len(cells) > len(COLUMNS):
                organisation, cells = cells[0], cells[1:]
                free = [i for i in by_party.get(fold(organisation).strip(), []) if i not in taken]
                if not free:
                    problems.append(f"Ligne {number} du collage : aucun signataire « {organisation} » à remplir.")
                    continue
                index = free[0]
            else:
                while next_in_order in taken:
                    next_in_order += 1
                index = next_in_order
                if index >= len(self.rows):
                    problems.append(f"Ligne {number} du collage : plus de lignes que de signataires dans la grille.")
                    continue
            taken.add(index)
            cells += [""] * (len(COLUMNS) - len(cells))
            for column, value in zip(COLUMNS, cells, strict=False):
                if column in PARTY_FIELDS and not self.rows[index].first_of_party:
                    continue
                data[f"l{index}-{column}"] = value
        return problems

    def line_fields(self):
        """(row, hidden key field, [bound fields of its cells]) for the template, in the grid's order."""
        for index, row in enumerate(self.rows):
            cells = [self[f"l{index}-{column}"] for column in COLUMNS if f"l{index}-{column}" in self.fields]
            yield row, self[f"l{index}-key"], cells

    def clean(self):
        cleaned = super().clean()
        if self.paste_errors:
            self.add_error("paste", self.paste_errors)
        for index, row in enumerate(self.rows):
            prefix = f"l{index}-"
            if cleaned.get(prefix + "key", row_key(row)) != row_key(row):
                self.add_error(None, "Les signataires ont changé depuis l'ouverture de la grille : rechargez la page.")
                break
            name, title = cleaned.get(prefix + "name", ""), cleaned.get(prefix + "title", "")
            if not name and (title or cleaned.get(prefix + "civility")):
                self.add_error(prefix + "name", "Indiquez le nom de la personne qui signe.")
            if name and not title:
                self.add_error(prefix + "title", "Indiquez sa qualité (Maire, Président·e…).")
        return cleaned

    def cleaned_rows(self) -> list[GridRow]:
        rows = []
        for index, row in enumerate(self.rows):
            values = {
                column: self.cleaned_data.get(f"l{index}-{column}", getattr(row, column))
                for column in COLUMNS
                if f"l{index}-{column}" in self.fields
            }
            rows.append(
                GridRow(party=row.party, representative=row.representative, first_of_party=row.first_of_party, **values)
            )
        return rows


def row_key(row: GridRow) -> str:
    return f"{row.party.pk}:{row.representative.pk if row.representative else 0}"
