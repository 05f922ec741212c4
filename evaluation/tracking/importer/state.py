"""What every sheet's importer shares: the convention as read once, what the file said so far, the report.

The rows the import may update are read here, locked (`select_for_update`) and linked in memory, so that an
unchanged row costs no query; the helpers report a problem at its cell, refuse what the importing user's scope
does not allow, and list each change the way the preview shows it.
"""

from django.core.exceptions import ValidationError
from django.db.models import Max

from actions import services
from actions.models import ActionSheet, Axis, Methodology, Objective, Priority
from conventions.models import Convention, Domain
from core.locking import changed_on, markers
from core.text import fold

from ...models import Indicator, Measurement
from ...perms import FOLLOW_UP, tracking_limited_by_role
from ..cells import _Invalid, _key, _norm, _shown
from ..columns import FOLLOW_UP_COLUMNS, FOLLOW_UP_ONLY, HISTORY_REASON, VALUES_SHEET, choice_label
from ..report import Change, Conflict, TrackingReport


class ImportState:
    """The convention's plan, indicators and values as the import found them, and what the file said so far."""

    def __init__(
        self, *, convention: Convention, user, report: TrackingReport, scope: str, overwrite: frozenset = frozenset()
    ):
        self.convention = convention
        self.overwrite = overwrite  # the rows changed after the export that the person ticked to overwrite
        self.changed_after_export: dict[str, object] | None = None  # read when first needed
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
        self.report.cell_error(sheet, row, column, message)

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

    def held_back(self, kind: str, instance, where: tuple) -> bool:
        """True when the row changed in the application after the workbook was exported and the person did
        not tick it: the import then leaves it as it is (listed in the preview, « après l'export »)."""
        if self.report.exported_at is None:
            return False
        if self.changed_after_export is None:
            self.changed_after_export = _changed_after(self.convention, self.report.exported_at)
        key = f"{kind}:{instance.pk}"
        record = self.changed_after_export.get(key)
        if record is None:
            return False
        overwritten = key in self.overwrite
        by = str(record.history_user) if record.history_user_id else ""
        sheet, row, subject = where
        self.report.conflicts.append(Conflict(key, sheet, row, subject, by, changed_on(record), overwritten))
        return not overwritten

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

    # -- cells and open lists ----------------------------------------------------------------------

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

    # -- « Réf fiche » -----------------------------------------------------------------------------

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


class SheetImporter:
    """One sheet's importer: the sheet, the readers of its cells, its counts in the report, the shared state."""

    sheet: str
    readers: dict

    def __init__(self, state: ImportState):
        self.state = state
        self.counts = state.report.counts[self.sheet]


def _changed_after(convention: Convention, moment) -> dict[str, object]:
    """The latest history record after `moment` of each fiche, indicator and value of the convention (three
    queries, whatever the number of rows)."""
    found = {}
    for kind, model, lookup in (
        ("fiche", ActionSheet, "convention"),
        ("indicateur", Indicator, "convention"),
        ("valeur", Measurement, "indicator__convention"),
    ):
        owned = model.objects.filter(**{lookup: convention}).values("pk")
        records = (
            model.history.filter(id__in=owned, history_date__gt=moment)
            .select_related("history_user")
            .order_by("id", "history_date")
        )
        for record in records:  # the last one of each row wins
            found[f"{kind}:{record.id}"] = record
    return found
