"""The change history of a convention, gathered from django-simple-history's tables of its rows."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import models
from django.utils import timezone

from actions.models import ActionSheet, Axis, BudgetLine, Objective, Orientation
from core.text import french_number
from evaluation.models import Indicator, Measurement, Review

from ..models import (
    Amendment,
    AoCompetence,
    Clause,
    Committee,
    Convention,
    Diagnostic,
    Issue,
    KeyFigure,
    Meeting,
    Party,
    Representative,
    SupportedEquipment,
)

ACTIONS = {"+": "Création", "~": "Modification", "-": "Suppression"}
SKIPPED_FIELDS = {"id", "lock_version", "updated_at", "created_at", "order"}


@dataclass
class HistoryEntry:
    date: datetime
    user: object
    action: str
    model_label: str
    object_label: str
    changes: list[tuple[str, object, object]] = field(default_factory=list)


def _label(record) -> str:
    reference = getattr(record, "reference", "")
    for attr in ("title", "name", "label", "person", "object", "text"):
        value = getattr(record, attr, None)
        if value:
            text = str(value)
            text = text if len(text) <= 90 else text[:87] + "…"
            return f"{reference} – {text}" if reference and attr == "title" else text
    if getattr(record, "year", None):
        return str(record.year)
    if getattr(record, "date", None):
        return record.date.strftime("%d/%m/%Y")
    return reference or ""


def _filters(convention: Convention) -> list[tuple[type, dict]]:
    pk = convention.pk
    return [
        (Convention, {"id": pk}),
        (Party, {"convention_id": pk}),
        (Representative, {"party__convention_id": pk}),
        (Clause, {"convention_id": pk}),
        (Diagnostic, {"convention_id": pk}),
        (KeyFigure, {"diagnostic__convention_id": pk}),
        (Issue, {"diagnostic__convention_id": pk}),
        (SupportedEquipment, {"convention_id": pk}),
        (Committee, {"convention_id": pk}),
        (Meeting, {"committee__convention_id": pk}),
        (Amendment, {"convention_id": pk}),
        (AoCompetence, {"convention_id": pk}),
        (Orientation, {"convention_id": pk}),
        (Axis, {"orientation__convention_id": pk}),
        (Objective, {"orientation__convention_id": pk}),
        (ActionSheet, {"convention_id": pk}),
        (BudgetLine, {"action__convention_id": pk}),
        (Indicator, {"convention_id": pk}),
        (Measurement, {"indicator__convention_id": pk}),
        (Review, {"convention_id": pk}),
    ]


def _shown(field, value) -> str:
    """A value as the user reads it: choice labels, French dates, oui/non; related rows by their id."""
    if value is None or value == "":
        return "–"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if field.is_relation:
        return f"{field.related_model._meta.verbose_name} n° {value}"
    if _is_quantity(field):
        return french_number(value)  # « 128 », « 12 500,5 », never « 128.00 »
    return str(value)


def _is_quantity(field) -> bool:
    """Amounts, values and counts; not years, ranks or numbers that are names (« 2026 », not « 2 026 »)."""
    if isinstance(field, models.DecimalField | models.FloatField):
        return True
    named = any(part in field.name for part in ("year", "order", "number", "version"))
    return isinstance(field, models.IntegerField) and not named


def convention_history(*, convention: Convention, limit: int = 100) -> list[HistoryEntry]:
    """The latest changes to a convention and everything in it, newest first (a fixed number of queries).

    Historical foreign keys are real joins without database constraints, so rows of children are found
    through their parent's convention.
    """
    entries: list[HistoryEntry] = []
    for model, filters in _filters(convention):
        records = list(
            model.history.filter(**filters)
            .select_related("history_user")
            .order_by("-history_date", "-history_id")[: limit * 2]
        )
        fields = [f for f in model._meta.concrete_fields if f.attname not in SKIPPED_FIELDS]
        by_object: dict[int, list] = {}
        for record in records:
            by_object.setdefault(record.id, []).append(record)
        for record in records[:limit]:
            changes = []
            versions = by_object[record.id]
            position = versions.index(record)
            previous = versions[position + 1] if position + 1 < len(versions) else None
            if record.history_type == "~" and previous is not None:
                for f in fields:
                    old, new = getattr(previous, f.attname), getattr(record, f.attname)
                    if old != new:
                        changes.append((f.verbose_name, _shown(f, old), _shown(f, new)))
                if not changes:
                    continue
            entries.append(
                HistoryEntry(
                    date=record.history_date,
                    user=record.history_user,
                    action=ACTIONS.get(record.history_type, record.history_type),
                    model_label=model._meta.verbose_name,
                    object_label=_label(record),
                    changes=changes,
                )
            )
    entries.sort(key=lambda e: e.date, reverse=True)
    return entries[:limit]
