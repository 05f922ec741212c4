"""The Fiches sheet: one row per fiche, matched by Réf; written by the actions services (history, stale
check, timeline point on a status or progress change)."""

from django.core.exceptions import ValidationError

from actions import services
from actions.enums import STATUSES_NEEDING_REASON, ActionKind, ActionLevel, ActionStatus
from actions.models import ActionSheet, Methodology, Priority
from conventions.models import Domain
from core.locking import expected_marker
from core.text import fold

from ..cells import _choice, _decimal, _due, _integer, _Invalid, _text, _year
from ..columns import (
    ACTION_CHOICES,
    ACTION_COLUMNS,
    ACTION_FIELD_COLUMNS,
    ACTION_TEXT_FIELDS,
    ACTIONS_SHEET,
    HISTORY_REASON,
    PLACE_COLUMNS,
    choice_label,
)
from ..report import Change
from .plan import PlanPlacement, place_label
from .state import ImportState, SheetImporter


class ActionsSheetImporter(SheetImporter):
    """Imports the rows of the Fiches sheet; warns of the convention's fiches absent from the file."""

    sheet = ACTIONS_SHEET
    readers = {
        **dict.fromkeys(ACTION_COLUMNS, _text),
        "Type": lambda raw: _choice(raw, ActionKind),
        "Échelon": lambda raw: _choice(raw, ActionLevel),
        "Statut": lambda raw: _choice(raw, ActionStatus, required=True),
        "Année de début": _year,
        "Année de fin": _year,
        "Échéance": _due,
        "Budget (€)": _decimal,
        "Avancement (%)": lambda raw: _integer(raw, low=0, high=100, what="nombre entier de 0 à 100") or 0,
    }

    def __init__(self, state: ImportState):
        super().__init__(state)
        self.plan = PlanPlacement(state)

    def import_rows(self, rows) -> None:
        sheet, counts, readers = self.sheet, self.counts, self.readers
        for number, row in rows:
            reference = _text(row["Réf"])
            if not reference:
                self.state.error(sheet, number, "Réf", "référence de la fiche obligatoire (par exemple « 1.1 »).")
                continue
            if reference in self.state.file_references:
                self.state.error(
                    sheet,
                    number,
                    "Réf",
                    f"la fiche « {reference} » figure déjà ligne {self.state.file_references[reference]}.",
                )
                continue
            self.state.file_references[reference] = number
            values = self.state.cells(sheet, number, row, readers)
            try:
                if values is None:
                    raise _Invalid("")
                outcome = self.import_action(sheet, number, reference, values)
            except _Invalid:
                self.state.failed_references.add(reference)
                continue
            setattr(counts, outcome, getattr(counts, outcome) + 1)

        absent = [reference for reference in self.state.actions if reference not in self.state.file_references]
        if len(absent) == 1:
            self.state.report.warnings.append(
                f"1 fiche de la convention n'est pas dans le fichier et reste inchangée : {absent[0]}."
            )
        elif absent:
            self.state.report.warnings.append(
                f"{len(absent)} fiches de la convention ne sont pas dans le fichier et restent inchangées : "
                f"{', '.join(absent)}."
            )

    def open_entry(self, sheet: str, number: int, column: str, label: str):
        """The entry of the open list `column` holds, matched without case or accents, created if new."""
        cache, model, noun = {
            "Champs d'intervention": (self.state.domains, Domain, "champs d'intervention"),
            "Priorité": (self.state.priorities, Priority, "priorités"),
            "Méthodologie": (self.state.methodologies, Methodology, "méthodologies"),
        }[column]
        return self.state.open_item(sheet, number, column, label, cache, model, noun)

    def import_action(self, sheet: str, number: int, reference: str, values: dict) -> str:
        action = self.state.actions.get(reference)
        subject = f"fiche « {reference} »"
        if action is None and self.state.refuse_outside_scope(sheet, number, "Réf", creation=True):
            raise _Invalid("")
        if not values["Intitulé"]:
            self.state.error(sheet, number, "Intitulé", "intitulé de la fiche obligatoire.")
            raise _Invalid("")
        start, end = values["Année de début"], values["Année de fin"]
        if start and end and end < start:
            self.state.error(
                sheet, number, "Année de fin", f"l'année de fin ({end}) précède l'année de début ({start})."
            )
            raise _Invalid("")

        domains = []
        for label in (part.strip() for part in values["Champs d'intervention"].split(";")):
            if label and fold(label) not in {fold(d.label) for d in domains}:
                domains.append(self.open_entry(sheet, number, "Champs d'intervention", label))
        priority = self.open_entry(sheet, number, "Priorité", values["Priorité"]) if values["Priorité"] else None
        methodology = (
            self.open_entry(sheet, number, "Méthodologie", values["Méthodologie"]) if values["Méthodologie"] else None
        )
        node = self.plan.node(sheet, number, values, action)

        created = action is None
        if created:
            action = ActionSheet(
                convention=self.state.convention, reference=reference, order=self.state.next_action_order
            )
            self.state.next_action_order += 1
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
                "due_date": values["Échéance"][0],
                "due_precision": values["Échéance"][1],
                "budget_amount": values["Budget (€)"],
                "priority": priority,
                "methodology": methodology,
                "status": values["Statut"],
                "progress": values["Avancement (%)"],
            }
        )
        dirty = self.state.apply(
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
            self.state.error(
                sheet,
                number,
                "Statut",
                f"une fiche « {choice_label(ActionStatus, action.status)} » doit dire pourquoi : le tableau de suivi "
                "n'a pas de colonne pour le motif. Changez ce statut sur la fiche dans l'application, "
                "avec son motif, puis importez de nouveau le tableau.",
            )
            raise _Invalid("")

        old_place = (action.orientation_id, action.axis_id, action.objective_id)
        before_place = place_label(action) if not created else ""
        action.place_under(node)
        new_place = (action.orientation_id, action.axis_id, action.objective_id)
        if new_place != old_place:
            # Reported on the first of the three columns that moves the fiche when the user may not move it.
            moved = next(c for c, old, new in zip(PLACE_COLUMNS, old_place, new_place, strict=True) if old != new)
            if not created and not self.state.refuse_outside_scope(sheet, number, moved):
                self.state.changed(
                    sheet, number, subject, "Orientation / Axe / Objectif", before_place, place_label(action)
                )
            dirty = True

        domains_changed = not created and {d.pk for d in action.domains.all()} != {d.pk for d in domains}
        if domains_changed:
            self.state.changed(
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
                    user=self.state.user,
                    reason=HISTORY_REASON,
                )
            else:
                marker = expected_marker(action)
                self.state.touch("fiche", action, marker)
                if self.state.held_back("fiche", action, (sheet, number, subject)):
                    return "unchanged"
                services.action_sheet_update(
                    action=action,
                    marker=marker,
                    domains=domains if domains_changed else None,
                    target_communes=None,
                    user=self.state.user,
                    comment=HISTORY_REASON,
                    reason=HISTORY_REASON,
                )
        except ValidationError as exc:
            self.state.validation_errors(sheet, number, exc, ACTION_FIELD_COLUMNS, "Réf")
            raise _Invalid("") from None
        if created:
            self.state.actions[reference] = action
            self.state.report.changes.append(Change(sheet, number, f"création de la fiche « {reference} »"))
            return "created"
        return "updated"
