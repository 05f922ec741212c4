"""Forms of the evaluation: bilans, annexe 5 (an indicator, the grid of its values per year and quarter) and the
tableau de suivi upload."""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import Truncator

from actions.models import ActionSheet
from conventions.models import Convention, Meeting
from core.forms import FrenchDecimalField, MarkedModelForm, StyledFormMixin
from core.locking import expected_marker
from core.text import french_number
from core.xlsx import XLSX_CONTENT_TYPE

from .enums import Direction, IndicatorKind, ReviewKind
from .models import Indicator, Measurement, Review
from .services.indicators import MeasurementChange, Period
from .services.reviews import review_years
from .tracking import MAX_UPLOAD_SIZE, workbook_problem


class ReviewCreateForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Type de bilan", choices=ReviewKind.choices, initial=ReviewKind.ANNUAL)
    year = forms.TypedChoiceField(label="Année", coerce=int)

    def __init__(self, *args, convention: Convention, **kwargs):
        super().__init__(*args, **kwargs)
        years = review_years(convention=convention)
        self.fields["year"].choices = [(year, str(year)) for year in years]
        # A bilan is usually written early in the next year: offer the last year that is over.
        self.fields["year"].initial = min(max(timezone.localdate().year - 1, years[0]), years[-1])


class ReviewNarrativeForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Review
        fields = ["summary", "decisions", "meeting"]
        labels = {"summary": "Synthèse de l'année", "decisions": "Décisions du comité", "meeting": "Présenté lors de"}
        help_texts = {
            "summary": "Ce que retient le comité : faits marquants, réussites, difficultés.",
            "decisions": "Une décision par ligne.",
            "meeting": "La réunion du comité de pilotage où le bilan est présenté.",
        }
        widgets = {"summary": forms.Textarea(attrs={"rows": 6}), "decisions": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = (
            Meeting.objects.filter(committee__convention_id=self.instance.convention_id)
            .select_related("committee")
            .order_by("-date", "pk")
        )
        self.fields["meeting"].empty_label = "Aucune réunion choisie"


# -- annexe 5 ----


def year_field(label: str) -> forms.IntegerField:
    field = forms.IntegerField(label=label, required=False, min_value=1990, max_value=2100)
    field.error_messages.update(
        invalid="Saisissez une année, par exemple « 2024 ».",
        min_value="Saisissez une année à partir de 1990.",
        max_value="Saisissez une année jusqu'à 2100.",
    )
    field.widget.attrs.update(inputmode="numeric", placeholder="AAAA")
    return field


class ConventionActionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ActionSheet) -> str:
        return f"{obj.reference} – {Truncator(obj.title).chars(90)}"


class IndicatorForm(MarkedModelForm):
    action = ConventionActionChoiceField(
        label="Fiche-action",
        queryset=ActionSheet.objects.none(),
        required=False,
        empty_label="Aucune : indicateur de la convention",
        error_messages={"invalid_choice": "Choisissez une fiche-action de cette convention."},
    )
    baseline_value = FrenchDecimalField(label="Valeur de référence", required=False, max_digits=14, decimal_places=2)
    baseline_year = year_field("Année de référence")
    target_value = FrenchDecimalField(label="Cible", required=False, max_digits=14, decimal_places=2)
    target_year = year_field("Année cible")

    class Meta:
        model = Indicator
        fields = [
            "action",
            "label",
            "kind",
            "unit",
            "baseline_value",
            "baseline_year",
            "target_value",
            "target_year",
            "direction",
        ]
        labels = {"label": "Intitulé de l'indicateur", "direction": "Sens attendu"}
        help_texts = {"unit": "Par exemple « familles », « % », « € »."}
        widgets = {"label": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, convention: Convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = ActionSheet.objects.filter(convention=convention).order_by("order", "pk")
        self.fields["label"].error_messages["required"] = "Indiquez l'intitulé de l'indicateur."
        self.fields["direction"].choices = [("", "Non précisé"), *Direction.choices]

    def clean(self):
        cleaned = super().clean()
        baseline, target = cleaned.get("baseline_year"), cleaned.get("target_year")
        if baseline and target and target < baseline:
            self.add_error("target_year", "L'année cible ne peut pas précéder l'année de référence.")
        return cleaned


# -- the values grid ------------------------------------------------------------------------------------

CELL_NAME = re.compile(r"^v-(?P<indicator>\d+)-(?P<year>\d{1,4})(?:-t(?P<quarter>\d+))?$")


@dataclass
class Cell:
    indicator: Indicator
    period: Period
    measurement: Measurement | None
    shown: str  # what the input shows: the stored value, or what was posted when the grid is refused
    original: str  # the stored value as read with the page, posted back to tell changed cells apart
    version: str
    error: str = ""

    @property
    def name(self) -> str:
        return f"v-{self.indicator.pk}-{self.period.suffix}"

    @property
    def progress(self) -> dict | None:
        """The value against the target: « 412 / 500 (82 %) », and whether the target is reached."""
        indicator, measurement = self.indicator, self.measurement
        if (
            self.period.quarter
            or indicator.kind != IndicatorKind.QUANTITATIVE
            or indicator.target_value in (None, 0)
            or measurement is None
            or measurement.value is None
        ):
            return None
        value, target = measurement.value, indicator.target_value
        percent = value / target * 100
        reached = value <= target if indicator.direction == Direction.DOWN else value >= target
        return {
            "label": (
                f"{french_number(value, thousands=' ')} / {french_number(target, thousands=' ')} "
                f"({french_number(Decimal(round(percent)), thousands=' ')} %)"
            ),
            "percent": int(min(max(percent, 0), 100)),
            "reached": reached,
        }


@dataclass
class Row:
    indicator: Indicator
    cells: list[Cell] = field(default_factory=list)

    @property
    def errors(self) -> list[Cell]:
        return [cell for cell in self.cells if cell.error]


def cell_text(indicator: Indicator, measurement: Measurement | None) -> str:
    if measurement is None:
        return ""
    if indicator.kind == IndicatorKind.QUANTITATIVE:
        return french_number(measurement.value, thousands=" ") if measurement.value is not None else ""
    return measurement.text


class ValuesGrid:
    """The values of a convention's indicators, one row per indicator and one cell per period.

    Only the cells whose posted value differs from the value read with the page are changes, so a grid
    saved over someone else's edit of *another* cell does not undo it; a changed cell that someone else
    changed meanwhile is refused by the service (lock version).
    """

    def __init__(
        self,
        *,
        indicators: list[Indicator],
        shown: list[Indicator],
        periods: list[Period],
        data: QueryDict | None = None,
        only: Indicator | None = None,
    ):
        self.indicators = {indicator.pk: indicator for indicator in indicators}
        self.shown = shown
        self.periods = periods
        self.data = data
        self.only = only  # a row saved on its own (htmx): every other posted cell is ignored
        self.measurements = {
            (m.indicator_id, m.year, m.quarter): m for indicator in indicators for m in indicator.measurements.all()
        }
        self.errors: dict[str, str] = {}  # cell name -> message (with the indicator and period)
        self.changes: list[MeasurementChange] = []
        self.refused = ""  # the service's refusal (someone else changed a cell meanwhile)

    def _parse(self, indicator: Indicator, raw: str) -> tuple[Decimal | None, str]:
        raw = raw.strip()
        if indicator.kind != IndicatorKind.QUANTITATIVE:
            return None, raw
        field = FrenchDecimalField(required=False, max_digits=14, decimal_places=2)
        field.error_messages["invalid"] = "Saisissez un nombre, par exemple « 1 250,5 »."
        return field.clean(raw), ""

    def is_valid(self) -> bool:
        assert self.data is not None
        for name in self.data:
            if not name.startswith("v-"):
                continue
            match = CELL_NAME.match(name)
            if match is None:
                self.errors[name] = f"Case « {name} » illisible : rechargez la page."
                continue
            indicator = self.indicators.get(int(match["indicator"]))
            if indicator is None:
                self.errors[name] = "Indicateur inconnu dans cette convention : rechargez la page."
                continue
            if self.only is not None and indicator.pk != self.only.pk:
                continue
            year, quarter = int(match["year"]), int(match["quarter"]) if match["quarter"] else None
            where = f"« {Truncator(indicator.label).chars(60)} », {Period(year, quarter).label}"
            if not 1990 <= year <= 2100:
                self.errors[name] = f"{where} : l'année doit être comprise entre 1990 et 2100."
                continue
            if quarter is not None and not 1 <= quarter <= 4:
                self.errors[name] = f"{where} : le trimestre doit être compris entre 1 et 4."
                continue
            try:
                value, text = self._parse(indicator, self.data.get(name, ""))
            except ValidationError as exc:
                self.errors[name] = f"{where} : {' '.join(exc.messages)}"
                continue
            try:
                original = self._parse(indicator, self.data.get(f"o-{name}", ""))
            except ValidationError:
                original = (None, "")
            if (value, text) == original:
                continue
            version = self.data.get(f"lv-{name}", "")
            self.changes.append(
                MeasurementChange(
                    indicator=indicator,
                    period=Period(year, quarter),
                    value=value,
                    text=text,
                    marker=version or None,
                )
            )
        return not self.errors

    def rows(self) -> list[Row]:
        rows = []
        for indicator in self.shown:
            row = Row(indicator)
            for period in self.periods:
                measurement = self.measurements.get((indicator.pk, period.year, period.quarter))
                stored = cell_text(indicator, measurement)
                cell = Cell(
                    indicator=indicator,
                    period=period,
                    measurement=measurement,
                    shown=stored,
                    original=stored,
                    version="" if measurement is None else expected_marker(measurement),
                )
                if self.data is not None and (self.errors or self.refused) and cell.name in self.data:
                    # A refused grid shows what was typed, and keeps what was read to compare with.
                    cell.shown = self.data.get(cell.name, "")
                    cell.original = self.data.get(f"o-{cell.name}", "")
                    cell.version = self.data.get(f"lv-{cell.name}", "")
                    cell.error = self.errors.get(cell.name, "")
                row.cells.append(cell)
            rows.append(row)
        return rows


# -- tableau de suivi ----


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
