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

from .columns import (
    ACTION_COLUMNS,
    ACTIONS_SHEET,
    INDICATOR_COLUMNS,
    INDICATORS_SHEET,
    MAX_UPLOAD_SIZE,
    SHEETS,
    VALUE_COLUMNS,
    VALUES_SHEET,
    tracking_filename,
)
from .export import tracking_export
from .importer import tracking_import
from .reader import MAX_CELL_LENGTH, MAX_COLUMNS, MAX_ROWS, workbook_problem
from .report import Change, Conflict, SheetCounts, TrackingReport, scope_notice

__all__ = [
    "ACTIONS_SHEET",
    "ACTION_COLUMNS",
    "INDICATORS_SHEET",
    "INDICATOR_COLUMNS",
    "MAX_CELL_LENGTH",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "MAX_UPLOAD_SIZE",
    "SHEETS",
    "VALUES_SHEET",
    "VALUE_COLUMNS",
    "Change",
    "SheetCounts",
    "Conflict",
    "TrackingReport",
    "scope_notice",
    "tracking_export",
    "tracking_filename",
    "tracking_import",
    "workbook_problem",
]
