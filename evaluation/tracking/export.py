"""The tableau de suivi of a convention as an .xlsx workbook."""

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty

from actions.enums import ActionKind, ActionLevel, ActionStatus, DuePrecision
from actions.models import ActionSheet
from actions.plan import plan_tree
from conventions.models import Convention
from core.xlsx import workbook_bytes, write_sheet

from ..enums import Direction, IndicatorKind
from ..models import Indicator
from .columns import (
    ACTIONS_SHEET,
    CHOICE_COLUMNS,
    COLUMNS,
    INDICATORS_SHEET,
    NUMBER_FORMATS,
    VALUES_SHEET,
    WIDE_COLUMNS,
    choice_label,
    place_headings,
)


def _cell_text(value: str) -> str | None:
    # An empty text is an empty cell (core.xlsx removes the control characters XML cannot hold).
    return value or None


def _write_sheet(workbook: Workbook, title: str, rows: list[list], headings: dict[str, str]) -> None:
    columns = COLUMNS[title]
    write_sheet(
        workbook,
        title=title,
        header=[headings.get(column, column) for column in columns],
        rows=rows,
        widths=[45 if column in WIDE_COLUMNS else max(12, len(column) + 2) for column in columns],
        column_formats=NUMBER_FORMATS,
        wrapped=WIDE_COLUMNS,
        choices={
            column: [label.lower() for label in enum.labels]
            for (sheet, column), enum in CHOICE_COLUMNS.items()
            if sheet == title
        },
    )


EXPORTED_AT_PROPERTY = "CTG exporté le"


def tracking_export(*, convention: Convention, blank: bool = False) -> bytes:
    """The tableau de suivi of a convention as .xlsx bytes (a fixed number of queries); `blank`: its headings
    only, the template an adviser fills in to import a whole plan."""
    tree = plan_tree(
        convention=convention,
        actions=ActionSheet.objects.filter(convention=convention)
        .select_related("orientation", "axis", "objective", "priority", "methodology")
        .prefetch_related("domains"),
    )
    actions = [] if blank else [step.item for step in tree.walk() if step.kind == "action"]
    action_rank = {a.pk: i for i, a in enumerate(actions)}
    indicator_rows_of = Indicator.objects.none() if blank else Indicator.objects.filter(convention=convention)
    indicators = sorted(
        indicator_rows_of.select_related("action").prefetch_related("measurements"),
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
            a.due_date if a.due_precision == DuePrecision.DAY else a.due_label,
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
    headings = place_headings(convention)
    _write_sheet(workbook, ACTIONS_SHEET, action_rows, headings)
    _write_sheet(workbook, INDICATORS_SHEET, indicator_rows, headings)
    _write_sheet(workbook, VALUES_SHEET, value_rows, headings)
    workbook.properties.title = f"Tableau de suivi – {convention.reference}"
    # When it was exported: the import flags rows changed in the application after it (`exported_at`).
    workbook.custom_doc_props.append(StringProperty(name=EXPORTED_AT_PROPERTY, value=timezone.now().isoformat()))
    workbook.properties.creator = "CTG"
    return workbook_bytes(workbook)
