"""Importing a tableau de suivi: all or nothing, each problem named by sheet, row and column.

The workbook is read (`..reader`), then each sheet by its own importer, in this order, over a shared state
(`.state`): Fiches (`.actions`, with the plan nodes a row names, `.plan`), Indicateurs (`.indicators`),
Valeurs (`.values`). `.stale` explains a confirmation refused because the data changed since the preview.
"""

from django.db import transaction

from conventions.models import Convention

from ...perms import SCOPES
from ..columns import ACTIONS_SHEET, INDICATORS_SHEET, VALUES_SHEET, place_headings
from ..reader import read_workbook, workbook_problem
from ..report import TrackingReport
from .actions import ActionsSheetImporter
from .indicators import IndicatorsSheetImporter
from .stale import stale_message
from .state import ImportState
from .values import ValuesSheetImporter

__all__ = ["tracking_import"]


def tracking_import(
    *,
    convention: Convention,
    data: bytes,
    user,
    scope: str,
    dry_run: bool,
    expected_fingerprint: dict[str, str] | None = None,
    overwrite: frozenset[str] = frozenset(),
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

    A row the file changes that someone changed in the application after the workbook was exported (its
    export time is in the workbook) is listed in `report.conflicts` and left as it is, unless its key
    (« fiche:12 ») is in `overwrite`: what the person ticked in the preview.
    """
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")
    report = TrackingReport(dry_run=dry_run)
    problem = workbook_problem(data)
    if problem:
        report.errors.append(problem)
        return report
    with transaction.atomic():
        sheets = read_workbook(data, report, headings=place_headings(convention))
        if sheets is not None:
            state = ImportState(
                convention=convention, user=user, report=report, scope=scope, overwrite=frozenset(overwrite)
            )
            ActionsSheetImporter(state).import_rows(sheets[ACTIONS_SHEET])
            IndicatorsSheetImporter(state).import_rows(sheets[INDICATORS_SHEET])
            ValuesSheetImporter(state).import_rows(sheets[VALUES_SHEET])
        stale = not report.errors and expected_fingerprint is not None and report.fingerprint != expected_fingerprint
        if report.errors or stale or dry_run:
            transaction.set_rollback(True)
    if stale:
        # Read once rolled back: the history then ends with the change that came between.
        report.stale = stale_message(expected_fingerprint, report.fingerprint)
        report.errors.append(report.stale)
    return report
