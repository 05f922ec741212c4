"""The tableau de suivi's sheets and columns (a user contract: README « Formats d'échange »)."""

from django.utils.text import slugify

from actions.enums import ActionKind, ActionLevel, ActionStatus
from actions.levels import plan_levels
from conventions.models import Convention

from ..enums import Direction, IndicatorKind

ACTIONS_SHEET = "Fiches"
INDICATORS_SHEET = "Indicateurs"
VALUES_SHEET = "Valeurs"
SHEETS = (ACTIONS_SHEET, INDICATORS_SHEET, VALUES_SHEET)

ACTION_COLUMNS = (
    "Orientation",
    "Axe",
    "Objectif opérationnel",
    "Réf",
    "Intitulé",
    "Type",
    "Échelon",
    "Champs d'intervention",
    "Public cible",
    "Territoire cible",
    "Porteur",
    "Pilotes",
    "Partenaires",
    "Contexte",
    "Objectifs",
    "Modalités de mise en œuvre",
    "Résultats attendus",
    "Année de début",
    "Année de fin",
    "Échéance",
    "Budget (€)",
    "Budget (précisions)",
    "Moyens Caf",
    "Priorité",
    "Méthodologie",
    "Points de vigilance",
    "Statut",
    "Avancement (%)",
)
INDICATOR_COLUMNS = (
    "Réf fiche",
    "Indicateur",
    "Type",
    "Unité",
    "Valeur de référence",
    "Année de référence",
    "Cible",
    "Année cible",
    "Sens",
)
VALUE_COLUMNS = ("Réf fiche", "Indicateur", "Année", "Trimestre", "Valeur", "Texte", "Source", "Commentaire")
COLUMNS = {ACTIONS_SHEET: ACTION_COLUMNS, INDICATORS_SHEET: INDICATOR_COLUMNS, VALUES_SHEET: VALUE_COLUMNS}

# Free-text columns of the Fiches sheet and the ActionSheet field each one holds.
ACTION_TEXT_FIELDS = {
    "Intitulé": "title",
    "Public cible": "target_public",
    "Territoire cible": "target_territory",
    "Porteur": "lead",
    "Pilotes": "pilots",
    "Partenaires": "partners",
    "Contexte": "context",
    "Objectifs": "objectives",
    "Modalités de mise en œuvre": "implementation",
    "Résultats attendus": "expected_results",
    "Budget (précisions)": "budget_text",
    "Moyens Caf": "caf_means",
    "Points de vigilance": "vigilance",
}
# Where a model validation error is reported when full_clean() finds one.
ACTION_FIELD_COLUMNS = {
    **{name: column for column, name in ACTION_TEXT_FIELDS.items()},
    "reference": "Réf",
    "kind": "Type",
    "level": "Échelon",
    "start_year": "Année de début",
    "end_year": "Année de fin",
    "due_date": "Échéance",
    "due_precision": "Échéance",
    "budget_amount": "Budget (€)",
    "priority": "Priorité",
    "methodology": "Méthodologie",
    "status": "Statut",
    "status_reason": "Statut",
    "progress": "Avancement (%)",
    "orientation": "Orientation",
    "axis": "Axe",
    "objective": "Objectif opérationnel",
}
INDICATOR_FIELD_COLUMNS = {
    "action": "Réf fiche",
    "label": "Indicateur",
    "kind": "Type",
    "unit": "Unité",
    "baseline_value": "Valeur de référence",
    "baseline_year": "Année de référence",
    "target_value": "Cible",
    "target_year": "Année cible",
    "direction": "Sens",
}
VALUE_FIELD_COLUMNS = {
    "indicator": "Indicateur",
    "year": "Année",
    "quarter": "Trimestre",
    "value": "Valeur",
    "text": "Texte",
    "source": "Source",
    "comment": "Commentaire",
}

# The columns that place a fiche in the plan, from the top.
PLACE_COLUMNS = ("Orientation", "Axe", "Objectif opérationnel")


def place_headings(convention: Convention) -> dict[str, str]:
    """The headings of the place columns for this convention: its own names of its plan's levels."""
    return {column: level.column for column, level in zip(PLACE_COLUMNS, plan_levels(convention), strict=True)}


# Columns that hold long text: wide and wrapped.
WIDE_COLUMNS = {
    "Orientation",
    "Axe",
    "Objectif opérationnel",
    "Intitulé",
    "Indicateur",
    "Contexte",
    "Objectifs",
    "Modalités de mise en œuvre",
    "Résultats attendus",
    "Moyens Caf",
    "Points de vigilance",
    "Budget (précisions)",
    "Public cible",
    "Partenaires",
    "Pilotes",
    "Texte",
    "Commentaire",
}
NUMBER_FORMATS = {
    "Année de début": "0",
    "Année de fin": "0",
    "Année de référence": "0",
    "Année cible": "0",
    "Année": "0",
    "Trimestre": "0",
    "Avancement (%)": "0",
    "Échéance": "DD/MM/YYYY",
    "Budget (€)": "#,##0.00",
    "Valeur de référence": "#,##0.##",
    "Cible": "#,##0.##",
    "Valeur": "#,##0.##",
    "Réf": "@",
    "Réf fiche": "@",
}
# Fields whose changes the preview shows with their French label.
ACTION_CHOICES = {"kind": ActionKind, "level": ActionLevel, "status": ActionStatus}
INDICATOR_CHOICES = {"kind": IndicatorKind, "direction": Direction}
CHOICE_COLUMNS = {
    (ACTIONS_SHEET, "Type"): ActionKind,
    (ACTIONS_SHEET, "Échelon"): ActionLevel,
    (ACTIONS_SHEET, "Statut"): ActionStatus,
    (INDICATORS_SHEET, "Type"): IndicatorKind,
    (INDICATORS_SHEET, "Sens"): Direction,
}

MAX_UPLOAD_SIZE = 5 * 1024 * 1024
HISTORY_REASON = "Import du tableau de suivi"

FOLLOW_UP_COLUMNS = {(ACTIONS_SHEET, "Statut"), (ACTIONS_SHEET, "Avancement (%)")}
FOLLOW_UP_ONLY = "statuts, l'avancement des fiches et les valeurs des indicateurs"


def tracking_filename(convention: Convention) -> str:
    return f"suivi-{slugify(convention.reference)}.xlsx"


def choice_label(enum, value: str) -> str:
    """The French label written in the workbook: « à conforter », « en cours », « hausse »…"""
    return enum(value).label.lower() if value else ""
