"""Tableau de suivi (.xlsx): the plan d'actions, its indicators and their values in a workbook.

Users export it, edit it in a spreadsheet and import it back. The sheets and their columns are a user
contract (issue 5, item 6; README « Formats d'échange »): change them only with the documentation.

Import matches fiches by Réf, indicators by (Réf fiche, Indicateur), values by (indicator, Année,
Trimestre); orientations, axes and objectives by title (created when new). Nothing is ever deleted:
a fiche, indicator or value absent from the file is left as it is. The whole file is checked in one
transaction and rolled back on the first error found or in a dry run, so a bad file writes nothing.

What an import may change depends on who imports and on the convention (`tracking_scope`): the plan,
its fiches and indicators are the convention's text, written by the Caf until signature and then only
through an avenant; the follow-up (statuses, progress, indicator values) is open to whoever follows the
convention up. In follow-up scope any other difference in the file is an error naming its cell.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from actions import services
from actions.enums import STATUSES_NEEDING_REASON, ActionKind, ActionLevel, ActionStatus
from actions.levels import AXIS, OBJECTIVE, ORIENTATION, OUTSIDE_ORIENTATIONS, PlanLevel
from actions.models import ActionSheet, Axis, Methodology, Objective, Priority
from actions.plan import plan_tree
from conventions.models import Convention, Domain
from core.locking import advance_version, expected_marker, markers
from core.text import fold
from core.xlsx import workbook_bytes, write_sheet

from .enums import Direction, IndicatorKind
from .models import Indicator, Measurement
from .perms import FOLLOW_UP, FULL, SCOPES, tracking_limited_by_role, tracking_scope

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
MAX_UNCOMPRESSED_SIZE = 200 * 1024 * 1024  # a 5 Mo zip that inflates beyond this is not a tableau de suivi
HISTORY_REASON = "Import du tableau de suivi"

FOLLOW_UP_COLUMNS = {(ACTIONS_SHEET, "Statut"), (ACTIONS_SHEET, "Avancement (%)")}
FOLLOW_UP_ONLY = "statuts, l'avancement des fiches et les valeurs des indicateurs"


def scope_notice(*, user, convention: Convention) -> str:
    """What the import page tells someone who may only import the follow-up; empty in full scope."""
    if tracking_scope(user=user, convention=convention) == FULL:
        return ""
    if tracking_limited_by_role(user=user, convention=convention):
        return (
            f"En tant que chargé·e de coopération, vous importez les {FOLLOW_UP_ONLY} : les autres colonnes "
            "doivent rester telles qu'exportées (la Caf les modifie)."
        )
    return (
        f"La convention est signée : sans avenant en préparation, l'import ne met à jour que les {FOLLOW_UP_ONLY}. "
        "Les autres colonnes doivent rester telles qu'exportées."
    )


def tracking_filename(convention: Convention) -> str:
    return f"suivi-{slugify(convention.reference)}.xlsx"


def choice_label(enum, value: str) -> str:
    """The French label written in the workbook: « à conforter », « en cours », « hausse »…"""
    return enum(value).label.lower() if value else ""


# --------------------------------------------------------------------------------------------- export


def _cell_text(value: str) -> str | None:
    # openpyxl refuses control characters that XML cannot hold; they never carry meaning in these fields.
    return ILLEGAL_CHARACTERS_RE.sub("", value) if value else None


def _write_sheet(workbook: Workbook, title: str, rows: list[list]) -> None:
    columns = COLUMNS[title]
    write_sheet(
        workbook,
        title=title,
        header=columns,
        rows=rows,
        widths=[45 if column in WIDE_COLUMNS else max(12, len(column) + 2) for column in columns],
        column_formats=NUMBER_FORMATS,
        wrapped=WIDE_COLUMNS,
        choices={
            column: [label.lower() for label in enum.labels]
            for (sheet, column), enum in CHOICE_COLUMNS.items()
            if sheet == title
        },
        cells_as_text=True,
    )


def tracking_export(*, convention: Convention) -> bytes:
    """The tableau de suivi of a convention as .xlsx bytes (a fixed number of queries)."""
    tree = plan_tree(
        convention=convention,
        actions=ActionSheet.objects.filter(convention=convention)
        .select_related("orientation", "axis", "objective", "priority", "methodology")
        .prefetch_related("domains"),
    )
    actions = [step.item for step in tree.walk() if step.kind == "action"]
    action_rank = {a.pk: i for i, a in enumerate(actions)}
    indicators = sorted(
        Indicator.objects.filter(convention=convention).select_related("action").prefetch_related("measurements"),
        key=lambda i: (i.action_id is None, action_rank.get(i.action_id, 0), i.order, i.pk),
    )

    action_rows = [
        [
            _cell_text(a.orientation.title) if a.orientation else None,
            _cell_text(a.axis.title) if a.axis else None,
            _cell_text(a.objective.title) if a.objective else None,
            a.reference,
            _cell_text(a.title),
            choice_label(ActionKind, a.kind) or None,
            choice_label(ActionLevel, a.level) or None,
            "; ".join(d.label for d in a.domains.all()) or None,
            _cell_text(a.target_public),
            _cell_text(a.target_territory),
            _cell_text(a.lead),
            _cell_text(a.pilots),
            _cell_text(a.partners),
            _cell_text(a.context),
            _cell_text(a.objectives),
            _cell_text(a.implementation),
            _cell_text(a.expected_results),
            a.start_year,
            a.end_year,
            a.due_date,
            a.budget_amount,
            _cell_text(a.budget_text),
            _cell_text(a.caf_means),
            a.priority.label if a.priority else None,
            a.methodology.label if a.methodology else None,
            _cell_text(a.vigilance),
            choice_label(ActionStatus, a.status),
            a.progress,
        ]
        for a in actions
    ]
    indicator_rows = []
    value_rows = []
    for indicator in indicators:
        reference = indicator.action.reference if indicator.action else None
        indicator_rows.append(
            [
                reference,
                _cell_text(indicator.label),
                choice_label(IndicatorKind, indicator.kind) or None,
                _cell_text(indicator.unit),
                indicator.baseline_value,
                indicator.baseline_year,
                indicator.target_value,
                indicator.target_year,
                choice_label(Direction, indicator.direction) or None,
            ]
        )
        for m in sorted(indicator.measurements.all(), key=lambda m: (m.year, m.quarter or 0)):
            value_rows.append(
                [
                    reference,
                    _cell_text(indicator.label),
                    m.year,
                    m.quarter,
                    m.value,
                    _cell_text(m.text),
                    _cell_text(m.source),
                    _cell_text(m.comment),
                ]
            )

    workbook = Workbook()
    workbook.remove(workbook.active)
    _write_sheet(workbook, ACTIONS_SHEET, action_rows)
    _write_sheet(workbook, INDICATORS_SHEET, indicator_rows)
    _write_sheet(workbook, VALUES_SHEET, value_rows)
    workbook.properties.title = f"Tableau de suivi – {convention.reference}"
    workbook.properties.creator = "CTG"
    return workbook_bytes(workbook)


# --------------------------------------------------------------------------------------------- report


@dataclass
class SheetCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class Change:
    """One thing the import creates or changes, as the preview lists it."""

    sheet: str
    row: int
    subject: str  # « fiche « 1.2 » », « indicateur « … » (fiche 1.2) », « valeur 2024 T1 de « … » »
    column: str = ""  # empty for a creation
    before: str = ""
    after: str = ""

    def __str__(self) -> str:
        where = f"Feuille {self.sheet}, ligne {self.row}"
        if not self.column:
            return f"{where} : {self.subject}."
        return f"{where}, {self.subject}, {self.column} : « {self.before or '(vide)'} » → « {self.after or '(vide)'} »"


@dataclass
class TrackingReport:
    dry_run: bool
    counts: dict[str, SheetCounts] = field(default_factory=lambda: {sheet: SheetCounts() for sheet in SHEETS})
    changes: list[Change] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # What the import updates, each with the marker it read (core.locking): {"fiche:12": "3", …}.
    # The preview keeps it; the confirmation is refused if it finds another one (`stale`).
    fingerprint: dict[str, str] = field(default_factory=dict)
    stale: str = ""

    @property
    def refused(self) -> bool:
        return bool(self.errors)

    @property
    def written(self) -> bool:
        return not self.dry_run and not self.errors

    @property
    def has_changes(self) -> bool:
        return any(c.created or c.updated for c in self.counts.values()) or bool(self.changes)

    def rows(self) -> list[tuple[str, SheetCounts]]:
        return list(self.counts.items())

    def summary(self) -> str:
        def part(n: int, word: str, feminine: bool) -> str:
            return f"{n} {word}{'e' if feminine else ''}{'s' if n > 1 else ''}"

        parts = []
        for sheet, c in self.counts.items():
            feminine = sheet != INDICATORS_SHEET
            parts.append(
                f"{sheet} : {part(c.created, 'créé', feminine)}, {part(c.updated, 'mis', feminine)} à jour, "
                f"{part(c.unchanged, 'inchangé', feminine)}"
            )
        return " ; ".join(parts)


# --------------------------------------------------------------------------------------------- reading


class _Invalid(Exception):
    """A cell that cannot be read; the message is French and completes « colonne X : … »."""


def workbook_problem(data: bytes) -> str | None:
    """Why these bytes are not an .xlsx workbook we accept, or None."""
    if len(data) > MAX_UPLOAD_SIZE:
        return "Le fichier dépasse 5 Mo : un tableau de suivi pèse bien moins. Vérifiez qu'il s'agit du bon fichier."
    if not data.startswith(b"PK\x03\x04"):
        return "Ce fichier n'est pas un classeur Excel (.xlsx). Enregistrez-le au format « Classeur Excel (.xlsx) »."
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if "xl/workbook.xml" not in names:
                return "Ce fichier n'est pas un classeur Excel (.xlsx) : c'est une archive d'un autre type."
            if sum(info.file_size for info in infos) > MAX_UNCOMPRESSED_SIZE:
                return "Ce classeur est anormalement volumineux une fois décompressé : il ne peut pas être importé."
    except zipfile.BadZipFile:
        return "Ce fichier n'est pas un classeur Excel (.xlsx) lisible : il est peut-être endommagé."
    return None


def _norm(text: str) -> str:
    """Line endings and surrounding spaces do not make a difference between the file and the database."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _key(text: str) -> str:
    return " ".join(text.split())


def _text(raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "oui" if raw else "non"
    if isinstance(raw, float):
        return str(int(raw)) if raw.is_integer() else repr(raw)
    if isinstance(raw, datetime):
        raw = raw.date()
    if isinstance(raw, date):
        return raw.strftime("%d/%m/%Y")
    return _norm(str(raw))


def _number_text(raw) -> str:
    text = str(raw).strip()
    for character in ("\u202f", "\xa0", " ", "€", "%"):
        text = text.replace(character, "")
    return text.replace(",", ".")


def _decimal(raw) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise _Invalid(f"nombre attendu, « {raw} » trouvé.")
    if isinstance(raw, int | float | Decimal):
        value = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
    else:
        try:
            value = Decimal(_number_text(raw))
        except InvalidOperation:
            raise _Invalid(f"nombre attendu, « {_text(raw)} » trouvé.")
    if not value.is_finite():
        raise _Invalid(f"nombre attendu, « {_text(raw)} » trouvé.")
    try:
        rounded = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise _Invalid(f"nombre trop grand, « {_text(raw)} » trouvé.")
    # A spreadsheet's binary arithmetic leaves 0.30000000000000004: that is 0.30, not a third decimal.
    if abs(rounded - value) > Decimal("0.000001"):
        raise _Invalid(f"deux décimales au plus, « {_text(raw)} » trouvé.")
    return rounded if value != rounded else value


def _integer(raw, *, low: int, high: int, what: str) -> int | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    value = None
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    elif isinstance(raw, float) and raw.is_integer():
        value = int(raw)
    elif isinstance(raw, str) and re.fullmatch(r"-?\d+", _number_text(raw)):
        value = int(_number_text(raw))
    if value is None or not low <= value <= high:
        raise _Invalid(f"{what} attendu, « {_text(raw)} » trouvé.")
    return value


def _year(raw) -> int | None:
    return _integer(raw, low=1900, high=2200, what="année (quatre chiffres)")


def _quarter(raw) -> int | None:
    if isinstance(raw, str) and re.fullmatch(r"\s*[tTqQ]\s*[1-4]\s*", raw):
        raw = raw.strip()[1:].strip()
    return _integer(raw, low=1, high=4, what="trimestre de 1 à 4 (ou vide pour une valeur annuelle)")


def _date(raw) -> date | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool) and 1 <= raw < 2_958_466:
        return from_excel(raw).date()
    text = _text(raw)
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise _Invalid(f"date attendue (JJ/MM/AAAA), « {text} » trouvé.")


def _choice(raw, enum, *, required: bool = False) -> str:
    possible = ", ".join(label.lower() for label in enum.labels)
    text = _text(raw)
    if not text:
        if required:
            raise _Invalid(f"valeur obligatoire (valeurs possibles : {possible}).")
        return ""
    wanted = fold(text)
    for value, label in enum.choices:
        if wanted in (fold(label), fold(value), fold(value.replace("_", " "))):
            return value
    raise _Invalid(f"valeur inconnue « {text} » (valeurs possibles : {possible}).")


def _shown(value) -> str:
    """A value as the preview shows it (close to what the spreadsheet shows)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f").replace(".", ",")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:77] + "…"


# --------------------------------------------------------------------------------------------- import


class _Importer:
    def __init__(self, *, convention: Convention, user, report: TrackingReport, scope: str):
        self.convention = convention
        self.user = user
        self.report = report
        self.follow_up_only = scope == FOLLOW_UP
        if tracking_limited_by_role(user=user, convention=convention):
            self.reserved = f"réservée à la Caf ; un·e chargé·e de coopération n'importe que les {FOLLOW_UP_ONLY}."
        else:
            self.reserved = (
                "réservée à un avenant ; la convention est signée et, sans avenant en préparation, l'import ne "
                f"met à jour que les {FOLLOW_UP_ONLY}."
            )
        self.indicator_markers: dict[int, str] | None = None  # read when first needed
        self.today = timezone.localdate()
        # Fiches, indicators and their placement, read once: no query per unchanged row.
        self.actions = {
            a.reference: a
            for a in ActionSheet.objects.filter(convention=convention)
            .select_for_update(of=("self",))
            .select_related("orientation", "axis", "objective", "priority", "methodology")
            .prefetch_related("domains")
            .order_by("order", "pk")
        }
        self.orientations = list(convention.orientations.order_by("order", "pk"))
        self.axes = list(Axis.objects.filter(orientation__convention=convention).order_by("order", "pk"))
        self.objectives = list(Objective.objects.filter(orientation__convention=convention).order_by("order", "pk"))
        # Link the tree in memory: placing a fiche under a node reads the node's parents.
        orientations = {o.pk: o for o in self.orientations}
        axes = {a.pk: a for a in self.axes}
        for axis in self.axes:
            axis.orientation = orientations[axis.orientation_id]
        for objective in self.objectives:
            objective.orientation = orientations[objective.orientation_id]
            objective.axis = axes.get(objective.axis_id)
        self.domains = services.open_list_known(Domain)
        self.priorities = services.open_list_known(Priority)
        self.methodologies = services.open_list_known(Methodology)
        self.indicators: dict[tuple[str, str], Indicator] = {}
        self.folded_indicators: dict[tuple[str, str], Indicator] = {}
        by_pk = {a.pk: a for a in self.actions.values()}
        indicators = list(
            Indicator.objects.filter(convention=convention)
            .select_for_update(of=("self",))
            .order_by("action_id", "order", "pk")
        )
        for indicator in indicators:
            indicator.action = by_pk.get(indicator.action_id) if indicator.action_id else None
            reference = indicator.action.reference if indicator.action else ""
            self.indicators.setdefault((reference, _key(indicator.label)), indicator)
            self.folded_indicators.setdefault((reference, fold(indicator.label)), indicator)
        self.measurements = {
            (m.indicator_id, m.year, m.quarter): m
            for m in Measurement.objects.filter(indicator__convention=convention).select_for_update(of=("self",))
        }
        self.next_action_order = (
            ActionSheet.objects.filter(convention=convention).aggregate(last=Max("order"))["last"] or 0
        ) + 1
        # What the file says, row by row: references seen (valid or not), indicators of the file.
        self.file_references: dict[str, int] = {}
        self.failed_references: set[str] = set()
        self.file_indicators: dict[tuple[str, str], Indicator | None] = {}

    # -- messages ----------------------------------------------------------------------------------

    def error(self, sheet: str, row: int, column: str, message: str) -> None:
        self.report.errors.append(f"Feuille {sheet}, ligne {row}, colonne {column} : {message}")

    def validation_errors(self, sheet: str, row: int, exc: ValidationError, columns: dict[str, str], first: str):
        for name, messages in exc.message_dict.items():
            for message in messages:
                self.error(sheet, row, columns.get(name, first), message)

    def refuse_outside_scope(self, sheet: str, row: int, column: str, *, creation: bool = False) -> bool:
        """In follow-up scope, report a change or creation the importing user may not make (True)."""
        if not self.follow_up_only or sheet == VALUES_SHEET or (sheet, column) in FOLLOW_UP_COLUMNS:
            return False
        self.error(sheet, row, column, f"{'création' if creation else 'modification'} {self.reserved}")
        return True

    def changed(self, sheet, row, subject, column, before, after) -> None:
        if self.refuse_outside_scope(sheet, row, column):
            return
        self.report.changes.append(Change(sheet, row, subject, column, _shown(before), _shown(after)))

    def touch(self, kind: str, instance, marker: str) -> None:
        """Note that the import updates `instance` as it read it, with its `marker` (before saving it)."""
        self.report.fingerprint[f"{kind}:{instance.pk}"] = marker

    def indicator_marker(self, indicator: Indicator) -> str:
        if self.indicator_markers is None:
            self.indicator_markers = markers(Indicator, [i.pk for i in self.indicators.values()])
        return self.indicator_markers.get(indicator.pk, "")

    def save(self, instance) -> None:
        instance._history_user = self.user
        instance._change_reason = HISTORY_REASON
        instance.save()

    def apply(self, instance, new: dict, *, created: bool, where: tuple, columns: dict, choices: dict) -> bool:
        """Set the fields that differ from the file; list each change (not for a creation). True if any."""
        dirty = False
        for name, value in new.items():
            old = getattr(instance, name)
            if (_norm(old) == _norm(value)) if isinstance(value, str) else old == value:
                continue  # line endings and surrounding spaces are not changes
            if not created:
                enum = choices.get(name)
                before, after = (choice_label(enum, old), choice_label(enum, value)) if enum else (old, value)
                self.changed(*where, columns[name], before, after)
            setattr(instance, name, value)
            dirty = True
        return dirty

    # -- sheets ------------------------------------------------------------------------------------

    def read(self, data: bytes) -> dict[str, list[tuple[int, dict]]] | None:
        """The rows of each sheet as {column: raw value}, or None when the workbook's shape is wrong."""
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds of errors on a damaged file
            self.report.errors.append("Ce fichier n'est pas un classeur Excel (.xlsx) lisible.")
            return None
        sheets = {}
        try:
            names = {fold(name): name for name in workbook.sheetnames}
            for sheet in SHEETS:
                if fold(sheet) not in names:
                    self.report.errors.append(
                        f"Le classeur n'a pas de feuille « {sheet} » : il faut les feuilles {', '.join(SHEETS)} "
                        "(exportez le tableau de suivi pour partir du bon modèle)."
                    )
                    continue
                sheets[sheet] = self.read_sheet(sheet, workbook[names[fold(sheet)]])
        finally:
            workbook.close()
        if self.report.errors:
            return None
        return sheets

    def read_sheet(self, sheet: str, worksheet) -> list[tuple[int, dict]]:
        columns = COLUMNS[sheet]
        worksheet.reset_dimensions()  # some tools declare 16 384 columns: read only what is there
        rows = worksheet.iter_rows(values_only=True)
        header = [_text(value) for value in next(rows, ())]
        for index, expected in enumerate(columns):
            found = header[index] if index < len(header) else ""
            if fold(found) != fold(expected):
                self.error(
                    sheet,
                    1,
                    get_column_letter(index + 1),
                    f"en-tête « {found} » au lieu de « {expected} » (les colonnes attendues, dans l'ordre : "
                    f"{' | '.join(columns)}).",
                )
                return []
        extra = [value for value in header[len(columns) :] if value]
        if extra:
            self.report.warnings.append(
                f"Feuille {sheet} : colonnes ignorées à droite du tableau ({', '.join(extra)})."
            )
        result = []
        for number, values in enumerate(rows, start=2):
            values = list(values[: len(columns)]) + [None] * (len(columns) - len(values))
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            result.append((number, dict(zip(columns, values, strict=True))))
        return result

    def cells(self, sheet: str, number: int, row: dict, readers: dict) -> dict | None:
        """Read the cells of a row with their readers; None (errors reported) if any cell is invalid."""
        values, ok = {}, True
        for column, reader in readers.items():
            try:
                values[column] = reader(row[column])
            except _Invalid as exc:
                self.error(sheet, number, column, str(exc))
                ok = False
        return values if ok else None

    # -- open lists --------------------------------------------------------------------------------

    def open_item(self, sheet, number, column, label: str, cache: dict, model, noun: str):
        """The entry of an open list matching `label` without regard to case or accents, created if new."""
        key = fold(label)
        if key not in cache:
            if self.refuse_outside_scope(sheet, number, column, creation=True):
                raise _Invalid("")
            try:
                _item, created = services.open_list_value(model=model, label=label, known=cache)
            except ValidationError as exc:
                for message in exc.messages:
                    self.error(sheet, number, column, f"« {label} » : {message}")
                raise _Invalid("") from None
            if created:
                self.report.warnings.append(
                    f"Feuille {sheet}, ligne {number}, colonne {column} : nouvelle valeur « {label} », "
                    f"ajoutée à la liste des {noun}."
                )
        return cache[key]

    # -- plan --------------------------------------------------------------------------------------

    @staticmethod
    def find(title: str, candidates: list):
        wanted = _key(title)
        for node in candidates:
            if _key(node.title) == wanted:
                return node
        wanted = fold(title)
        for node in candidates:
            if fold(node.title) == wanted:
                return node
        return None

    def node(self, sheet, number, values: dict, current: ActionSheet | None):
        """The node a row puts its fiche under (None: outside every orientation), created when new."""
        o_title, a_title, obj_title = values["Orientation"], values["Axe"], values["Objectif opérationnel"]
        if not o_title:
            if a_title or obj_title:
                self.error(
                    sheet,
                    number,
                    "Orientation",
                    "indiquez l'orientation de l'axe ou de l'objectif (ou videz aussi l'axe et l'objectif pour "
                    "une fiche hors orientation).",
                )
                raise _Invalid("")
            return None
        orientation = self.pick(o_title, self.orientations, current.orientation_id if current else None)
        if orientation is None:
            orientation = self.create_node(
                sheet,
                number,
                ORIENTATION,
                services.orientation_create,
                convention=self.convention,
                title=o_title,
                order=self.next_order(self.orientations),
            )
            self.orientations.append(orientation)
        axis = None
        if a_title:
            siblings = [a for a in self.axes if a.orientation_id == orientation.pk]
            axis = self.pick(a_title, siblings, current.axis_id if current else None)
            if axis is None:
                axis = self.create_node(
                    sheet,
                    number,
                    AXIS,
                    services.axis_create,
                    orientation=orientation,
                    title=a_title,
                    order=self.next_order(siblings),
                )
                self.axes.append(axis)
        if not obj_title:
            return axis or orientation
        siblings = [o for o in self.objectives if o.orientation_id == orientation.pk and o.axis == axis]
        objective = self.pick(obj_title, siblings, current.objective_id if current else None)
        if objective is None:
            objective = self.create_node(
                sheet,
                number,
                OBJECTIVE,
                services.objective_create,
                parent=axis or orientation,
                title=obj_title,
                order=self.next_order(siblings),
            )
            self.objectives.append(objective)
        return objective

    def pick(self, title: str, candidates: list, current_pk: int | None):
        """The node of that title; the fiche's current one first, since two nodes may share a title."""
        current = [node for node in candidates if node.pk == current_pk]
        return self.find(title, current) or self.find(title, candidates)

    @staticmethod
    def next_order(siblings: list) -> int:
        return max((s.order for s in siblings), default=-1) + 1

    def create_node(self, sheet, number, level: PlanLevel, create, **fields):
        """A node the row names and the plan lacks, written by the actions service `create`."""
        if self.refuse_outside_scope(sheet, number, level.column, creation=True):
            raise _Invalid("")
        try:
            node = create(number="", user=self.user, reason=HISTORY_REASON, **fields)
        except ValidationError as exc:
            for message in exc.messages:
                self.error(sheet, number, level.column, message)
            raise _Invalid("") from None
        self.report.changes.append(Change(sheet, number, f"création de l'{level.noun} « {_shown(node.title)} »"))
        return node

    # -- Fiches ------------------------------------------------------------------------------------

    def action_readers(self) -> dict:
        readers = dict.fromkeys(ACTION_COLUMNS, _text)
        readers.update(
            {
                "Type": lambda raw: _choice(raw, ActionKind),
                "Échelon": lambda raw: _choice(raw, ActionLevel),
                "Statut": lambda raw: _choice(raw, ActionStatus, required=True),
                "Année de début": _year,
                "Année de fin": _year,
                "Échéance": _date,
                "Budget (€)": _decimal,
                "Avancement (%)": lambda raw: _integer(raw, low=0, high=100, what="nombre entier de 0 à 100") or 0,
            }
        )
        return readers

    def import_actions(self, rows) -> None:
        sheet = ACTIONS_SHEET
        counts = self.report.counts[sheet]
        readers = self.action_readers()
        for number, row in rows:
            reference = _text(row["Réf"])
            if not reference:
                self.error(sheet, number, "Réf", "référence de la fiche obligatoire (par exemple « 1.1 »).")
                continue
            if reference in self.file_references:
                self.error(
                    sheet,
                    number,
                    "Réf",
                    f"la fiche « {reference} » figure déjà ligne {self.file_references[reference]}.",
                )
                continue
            self.file_references[reference] = number
            values = self.cells(sheet, number, row, readers)
            try:
                if values is None:
                    raise _Invalid("")
                outcome = self.import_action(sheet, number, reference, values)
            except _Invalid:
                self.failed_references.add(reference)
                continue
            setattr(counts, outcome, getattr(counts, outcome) + 1)

        absent = [reference for reference in self.actions if reference not in self.file_references]
        if len(absent) == 1:
            self.report.warnings.append(
                f"1 fiche de la convention n'est pas dans le fichier et reste inchangée : {absent[0]}."
            )
        elif absent:
            self.report.warnings.append(
                f"{len(absent)} fiches de la convention ne sont pas dans le fichier et restent inchangées : "
                f"{', '.join(absent)}."
            )

    def import_action(self, sheet: str, number: int, reference: str, values: dict) -> str:
        action = self.actions.get(reference)
        subject = f"fiche « {reference} »"
        if action is None and self.refuse_outside_scope(sheet, number, "Réf", creation=True):
            raise _Invalid("")
        if not values["Intitulé"]:
            self.error(sheet, number, "Intitulé", "intitulé de la fiche obligatoire.")
            raise _Invalid("")
        start, end = values["Année de début"], values["Année de fin"]
        if start and end and end < start:
            self.error(sheet, number, "Année de fin", f"l'année de fin ({end}) précède l'année de début ({start}).")
            raise _Invalid("")

        domains = []
        for label in (part.strip() for part in values["Champs d'intervention"].split(";")):
            if label and fold(label) not in {fold(d.label) for d in domains}:
                domains.append(
                    self.open_item(
                        sheet,
                        number,
                        "Champs d'intervention",
                        label,
                        self.domains,
                        Domain,
                        "champs d'intervention",
                    )
                )
        priority = methodology = None
        if values["Priorité"]:
            priority = self.open_item(
                sheet,
                number,
                "Priorité",
                values["Priorité"],
                self.priorities,
                Priority,
                "priorités",
            )
        if values["Méthodologie"]:
            methodology = self.open_item(
                sheet,
                number,
                "Méthodologie",
                values["Méthodologie"],
                self.methodologies,
                Methodology,
                "méthodologies",
            )
        node = self.node(sheet, number, values, action)

        created = action is None
        if created:
            action = ActionSheet(convention=self.convention, reference=reference, order=self.next_action_order)
            self.next_action_order += 1
            before_status = None
        else:
            before_status = action.status

        new = {ACTION_TEXT_FIELDS[column]: values[column] for column in ACTION_TEXT_FIELDS}
        new.update(
            {
                "kind": values["Type"],
                "level": values["Échelon"],
                "start_year": start,
                "end_year": end,
                "due_date": values["Échéance"],
                "budget_amount": values["Budget (€)"],
                "priority": priority,
                "methodology": methodology,
                "status": values["Statut"],
                "progress": values["Avancement (%)"],
            }
        )
        dirty = self.apply(
            action,
            new,
            created=created,
            where=(sheet, number, subject),
            columns=ACTION_FIELD_COLUMNS,
            choices=ACTION_CHOICES,
        )

        if (
            action.status in STATUSES_NEEDING_REASON
            and action.status != before_status
            and not action.status_reason.strip()
        ):
            self.error(
                sheet,
                number,
                "Statut",
                f"une fiche « {choice_label(ActionStatus, action.status)} » doit dire pourquoi : le tableau de suivi "
                "n'a pas de colonne pour le motif. Changez ce statut sur la fiche dans l'application, "
                "avec son motif, puis importez de nouveau le tableau.",
            )
            raise _Invalid("")

        old_place = (action.orientation_id, action.axis_id, action.objective_id)
        before_place = self.place_label(action) if not created else ""
        action.place_under(node)
        new_place = (action.orientation_id, action.axis_id, action.objective_id)
        if new_place != old_place:
            # Reported on the first of the three columns that moves the fiche when the user may not move it.
            moved = next(c for c, old, new in zip(PLACE_COLUMNS, old_place, new_place, strict=True) if old != new)
            if not created and not self.refuse_outside_scope(sheet, number, moved):
                self.changed(
                    sheet, number, subject, "Orientation / Axe / Objectif", before_place, self.place_label(action)
                )
            dirty = True

        domains_changed = not created and {d.pk for d in action.domains.all()} != {d.pk for d in domains}
        if domains_changed:
            self.changed(
                sheet,
                number,
                subject,
                "Champs d'intervention",
                "; ".join(d.label for d in action.domains.all()),
                "; ".join(d.label for d in domains),
            )
        if not (created or dirty or domains_changed):
            return "unchanged"

        # Written by the actions services, as on screen: the history names the importing user, a form opened
        # before the import is refused as stale, and a status or progress change goes on the fiche's timeline.
        try:
            if created:
                services.action_sheet_create(
                    action=action,
                    place=node,
                    domains=domains,
                    target_communes=None,
                    order=action.order,
                    user=self.user,
                    reason=HISTORY_REASON,
                )
            else:
                marker = expected_marker(action)
                self.touch("fiche", action, marker)
                services.action_sheet_update(
                    action=action,
                    marker=marker,
                    domains=domains if domains_changed else None,
                    target_communes=None,
                    user=self.user,
                    comment=HISTORY_REASON,
                    reason=HISTORY_REASON,
                )
        except ValidationError as exc:
            self.validation_errors(sheet, number, exc, ACTION_FIELD_COLUMNS, "Réf")
            raise _Invalid("") from None
        if created:
            self.actions[reference] = action
            self.report.changes.append(Change(sheet, number, f"création de la fiche « {reference} »"))
            return "created"
        return "updated"

    @staticmethod
    def place_label(action: ActionSheet) -> str:
        parts = [node.title for node in (action.orientation, action.axis, action.objective) if node]
        return " > ".join(parts) or OUTSIDE_ORIENTATIONS.lower()

    # -- Indicateurs -------------------------------------------------------------------------------

    def fiche(self, sheet: str, number: int, reference: str) -> tuple[bool, ActionSheet | None]:
        """(ok, fiche) for a « Réf fiche » cell: ok is False when the row must be skipped."""
        if not reference:
            return True, None
        action = self.actions.get(reference)
        if action is None and reference in self.failed_references:
            return False, None  # a new fiche whose own row is already reported
        if action is None:
            self.error(
                sheet,
                number,
                "Réf fiche",
                f"fiche inconnue « {reference} » : elle n'est ni dans la feuille Fiches ni dans la convention.",
            )
            return False, None
        return True, action

    def import_indicators(self, rows) -> None:
        sheet = INDICATORS_SHEET
        counts = self.report.counts[sheet]
        readers = {
            "Réf fiche": _text,
            "Indicateur": _text,
            "Type": lambda raw: _choice(raw, IndicatorKind) or IndicatorKind.QUANTITATIVE,
            "Unité": _text,
            "Valeur de référence": _decimal,
            "Année de référence": _year,
            "Cible": _decimal,
            "Année cible": _year,
            "Sens": lambda raw: _choice(raw, Direction),
        }
        next_order: dict[int | None, int] = {}
        for indicator in self.indicators.values():
            next_order[indicator.action_id] = max(next_order.get(indicator.action_id, 0), indicator.order + 1)
        for number, row in rows:
            values = self.cells(sheet, number, row, readers)
            reference = _text(row["Réf fiche"])
            label = _text(row["Indicateur"])
            key = (reference, _key(label))
            if not label:
                self.error(sheet, number, "Indicateur", "libellé de l'indicateur obligatoire.")
                continue
            if key in self.file_indicators:
                self.error(sheet, number, "Indicateur", "cet indicateur figure déjà plus haut pour la même fiche.")
                continue
            indicator = self.indicators.get(key) or self.folded_indicators.get((reference, fold(label)))
            # Until the row is saved, values are checked against the indicator as it is (none for a new one).
            self.file_indicators[key] = indicator
            ok, action = self.fiche(sheet, number, reference)
            if not ok or values is None:
                continue
            subject = f"indicateur « {_shown(label)} »" + (f" (fiche {reference})" if reference else " (convention)")
            created = indicator is None
            if created and self.refuse_outside_scope(sheet, number, "Indicateur", creation=True):
                continue
            if created:
                order = next_order.get(action.pk if action else None, 0)
                next_order[action.pk if action else None] = order + 1
                indicator = Indicator(convention=self.convention, action=action, order=order)
            new = {
                "label": label,
                "kind": values["Type"],
                "unit": values["Unité"],
                "baseline_value": values["Valeur de référence"],
                "baseline_year": values["Année de référence"],
                "target_value": values["Cible"],
                "target_year": values["Année cible"],
                "direction": values["Sens"],
            }
            dirty = self.apply(
                indicator,
                new,
                created=created,
                where=(sheet, number, subject),
                columns=INDICATOR_FIELD_COLUMNS,
                choices=INDICATOR_CHOICES,
            )
            if not (created or dirty):
                self.file_indicators[key] = indicator
                counts.unchanged += 1
                continue
            try:
                indicator.full_clean()
            except ValidationError as exc:
                self.validation_errors(sheet, number, exc, INDICATOR_FIELD_COLUMNS, "Indicateur")
                continue
            if not created:
                self.touch("indicateur", indicator, self.indicator_marker(indicator))
            self.save(indicator)
            self.file_indicators[key] = indicator
            if created:
                self.report.changes.append(Change(sheet, number, f"création de l'{subject}"))
                counts.created += 1
            else:
                counts.updated += 1

    # -- Valeurs -----------------------------------------------------------------------------------

    def import_values(self, rows) -> None:
        sheet = VALUES_SHEET
        counts = self.report.counts[sheet]
        readers = {
            "Année": _year,
            "Trimestre": _quarter,
            "Valeur": _decimal,
            "Texte": _text,
            "Source": _text,
            "Commentaire": _text,
        }
        seen: dict[tuple, int] = {}
        for number, row in rows:
            values = self.cells(sheet, number, row, readers)
            reference = _text(row["Réf fiche"])
            label = _text(row["Indicateur"])
            ok, action = self.fiche(sheet, number, reference)
            if not ok:
                continue
            if not label:
                self.error(sheet, number, "Indicateur", "libellé de l'indicateur obligatoire.")
                continue
            key = (reference, _key(label))
            if key in self.file_indicators:
                indicator = self.file_indicators[key]
                if indicator is None:
                    continue  # its row of the Indicateurs sheet is already reported
            else:
                indicator = self.indicators.get(key) or self.folded_indicators.get((reference, fold(label)))
                if indicator is None:
                    whose = f"la fiche « {reference} »" if reference else "la convention"
                    self.error(
                        sheet,
                        number,
                        "Indicateur",
                        f"indicateur inconnu « {_shown(label)} » pour {whose} : ajoutez-le dans la feuille "
                        "Indicateurs.",
                    )
                    continue
            if values is None:
                continue
            if values["Année"] is None:
                self.error(sheet, number, "Année", "année obligatoire.")
                continue
            period = (indicator.pk, values["Année"], values["Trimestre"])
            period_label = f"{values['Année']}" + (f" T{values['Trimestre']}" if values["Trimestre"] else "")
            if period in seen:
                self.error(
                    sheet,
                    number,
                    "Trimestre" if values["Trimestre"] else "Année",
                    f"la période {period_label} de l'indicateur « {_shown(label)} » figure déjà ligne "
                    f"{seen[period]} : une seule valeur par période.",
                )
                continue
            seen[period] = number
            measurement = self.measurements.get(period)
            subject = f"valeur {period_label} de l'indicateur « {_shown(label)} »"
            created = measurement is None
            if created:
                measurement = Measurement(
                    indicator=indicator, year=values["Année"], quarter=values["Trimestre"], author=self.user
                )
            new = {
                "value": values["Valeur"],
                "text": values["Texte"],
                "source": values["Source"],
                "comment": values["Commentaire"],
            }
            dirty = self.apply(
                measurement,
                new,
                created=created,
                where=(sheet, number, subject),
                columns=VALUE_FIELD_COLUMNS,
                choices={},
            )
            if not (created or dirty):
                counts.unchanged += 1
                continue
            if not created:
                self.touch("valeur", measurement, expected_marker(measurement))
                measurement.author = self.user
                advance_version(measurement)
            try:
                if created:
                    measurement.full_clean()
                else:
                    # Only value, text, source and comment change: the period and its uniqueness stand, so
                    # skip the queries that would check them again (a quarterly import updates many values).
                    measurement.full_clean(
                        exclude=["indicator", "author", "year", "quarter"],
                        validate_unique=False,
                        validate_constraints=False,
                    )
            except ValidationError as exc:
                self.validation_errors(sheet, number, exc, VALUE_FIELD_COLUMNS, "Année")
                continue
            self.save(measurement)
            self.measurements[period] = measurement
            if created:
                self.report.changes.append(Change(sheet, number, f"création de la {subject}"))
                counts.created += 1
            else:
                counts.updated += 1

    def run(self, data: bytes) -> None:
        sheets = self.read(data)
        if sheets is None:
            return
        self.import_actions(sheets[ACTIONS_SHEET])
        self.import_indicators(sheets[INDICATORS_SHEET])
        self.import_values(sheets[VALUES_SHEET])


def _stale_message(expected: dict[str, str], found: dict[str, str]) -> str:
    """Why the confirmation is refused: what changed since the preview, by whom and when."""
    keys = sorted(k for k in expected.keys() | found.keys() if expected.get(k) != found.get(k))
    kind, pk = keys[0].split(":")
    model = {"fiche": ActionSheet, "indicateur": Indicator, "valeur": Measurement}[kind]
    record = model.history.filter(id=int(pk)).select_related("history_user").order_by("-history_id").first()
    if record is None:
        what = "une donnée modifiée"
    else:
        if kind == "fiche":
            what = f"fiche « {record.reference} » modifiée"
        elif kind == "indicateur":
            what = f"indicateur « {_shown(record.label)} » modifié"
        else:
            period = f"{record.year}" + (f" T{record.quarter}" if record.quarter else "")
            what = f"valeur {period} modifiée"
        if record.history_user:
            what += f" par {record.history_user}"
        what += f" le {timezone.localtime(record.history_date):%d/%m/%Y à %H:%M}"
    if len(keys) > 1:
        what += f", et {len(keys) - 1} autre{'s' if len(keys) > 2 else ''}"
    return f"Des données ont changé depuis l'aperçu ({what}) : relancez l'import pour voir l'aperçu à jour."


def tracking_import(
    *,
    convention: Convention,
    data: bytes,
    user,
    scope: str,
    dry_run: bool,
    expected_fingerprint: dict[str, str] | None = None,
) -> TrackingReport:
    """Check a tableau de suivi and, unless `dry_run` or refused, write it: all or nothing.

    `scope` (see `tracking_scope`) says what the file may change; any other difference is an error. The
    report counts what is (or would be) created, updated and left unchanged on each sheet, lists the
    changes, the warnings (open-list values created, fiches absent from the file) and the errors, each
    naming its sheet, row and column. Every write carries `user` in the history; each status or progress
    change adds a point to the fiche's timeline.

    `expected_fingerprint` is the fingerprint of the preview: when the rows the import updates, or their
    versions, are no longer the same, someone changed them meanwhile and the import is refused (`stale`)
    rather than overwrite their work.
    """
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")
    report = TrackingReport(dry_run=dry_run)
    problem = workbook_problem(data)
    if problem:
        report.errors.append(problem)
        return report
    with transaction.atomic():
        _Importer(convention=convention, user=user, report=report, scope=scope).run(data)
        stale = not report.errors and expected_fingerprint is not None and report.fingerprint != expected_fingerprint
        if report.errors or stale or dry_run:
            transaction.set_rollback(True)
    if stale:
        # Read once rolled back: the history then ends with the change that came between.
        report.stale = _stale_message(expected_fingerprint, report.fingerprint)
        report.errors.append(report.stale)
    return report
