"""Importing a tableau de suivi: all or nothing, each problem named by sheet, row and column."""

import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from actions import services
from actions.enums import STATUSES_NEEDING_REASON, ActionKind, ActionLevel, ActionStatus
from actions.levels import AXIS, OBJECTIVE, ORIENTATION, OUTSIDE_ORIENTATIONS, PlanLevel
from actions.models import ActionSheet, Axis, Methodology, Objective, Priority
from conventions.models import Convention, Domain
from core.locking import advance_version, expected_marker, markers
from core.text import fold

from ..enums import Direction, IndicatorKind
from ..models import Indicator, Measurement
from ..perms import FOLLOW_UP, SCOPES, tracking_limited_by_role
from .cells import (
    _choice,
    _date,
    _decimal,
    _integer,
    _Invalid,
    _key,
    _norm,
    _quarter,
    _shown,
    _text,
    _year,
    workbook_problem,
)
from .columns import (
    ACTION_CHOICES,
    ACTION_COLUMNS,
    ACTION_FIELD_COLUMNS,
    ACTION_TEXT_FIELDS,
    ACTIONS_SHEET,
    COLUMNS,
    FOLLOW_UP_COLUMNS,
    FOLLOW_UP_ONLY,
    HISTORY_REASON,
    INDICATOR_CHOICES,
    INDICATOR_FIELD_COLUMNS,
    INDICATORS_SHEET,
    PLACE_COLUMNS,
    SHEETS,
    VALUE_FIELD_COLUMNS,
    VALUES_SHEET,
    choice_label,
)
from .report import Change, TrackingReport


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
