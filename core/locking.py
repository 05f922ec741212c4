"""Stale edits: a form posted over a newer version of what it shows is refused, naming who changed it and when.

One scheme for every row and every set of rows:

- the **marker** of a row is its `lock_version` where the model has one (conventions, fiches, values), else
  the id of its latest django-simple-history record ("" while it has none, e.g. a row made by bulk_create);
- the marker of a **set of rows** (the budget lines of a fiche) is made of its rows' markers (`rows_marker`):
  adding, changing or removing any row changes it. The tableau de suivi import keeps the same markers row by
  row, as a dict `"kind:pk" → marker` of the rows it updates (evaluation/tracking/report.py).

A form carries the marker it was displayed with (`core.forms.MarkerField`, named « marker »); the service, and
only the service, checks it: `save_if_unchanged` for one row, `check_rows_unchanged` for a set. The refusal is
a `StaleEditError` whose message, written once in `stale_message`, says « Modifié par … le … à … ».
"""

import hashlib

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

DELETED_MESSAGE = "Cet élément a été supprimé entre-temps."


class StaleEditError(ValidationError):
    pass


def has_version(model: type[models.Model]) -> bool:
    return any(f.name == "lock_version" for f in model._meta.concrete_fields)


def changed_on(record) -> str:
    """When a history record was written, as the refusals say it: « 02/12/2026 à 14:05 »."""
    return timezone.localtime(record.history_date).strftime("%d/%m/%Y à %H:%M")


def stale_message(record=None, *, subject: str = "") -> str:
    """The refusal, naming the latest change (`record`, a history record, or None when unknown)."""
    who = str(record.history_user) if record and record.history_user else "une autre personne"
    when = changed_on(record) if record else "entre-temps"
    changed = f"{subject} modifié" if subject else "Modifié"
    return (
        f"{changed} par {who} le {when}, pendant que vous travailliez sur cette page. "
        "Vos changements n'ont pas été enregistrés, pour ne pas écraser les siens : "
        "rechargez la page pour repartir de la dernière version."
    )


def latest_change(model: type[models.Model], **filters):
    """The latest history record of the rows matching `filters` (None for a model without history)."""
    if not hasattr(model, "history"):
        return None
    records = model.history.filter(**filters).select_related("history_user")
    return records.order_by("-history_date", "-history_id").first()


def markers(model: type[models.Model], pks) -> dict[int, str]:
    """The marker of each row of `pks` that still exists, in one query."""
    pks = list(pks)
    if not pks:
        return {}
    if has_version(model):
        rows = model.objects.filter(pk__in=pks).order_by().values_list("pk", "lock_version")
        return {pk: str(version) for pk, version in rows}
    found = dict.fromkeys(model.objects.filter(pk__in=pks).order_by().values_list("pk", flat=True), "")
    found.update(_history_markers(model, list(found)))
    return found


def _history_markers(model: type[models.Model], pks: list) -> dict[int, str]:
    """The id of the latest history record of each row (rows without history are absent)."""
    if not pks or not hasattr(model, "history"):
        return {}
    latest = model.history.filter(id__in=pks).values("id").annotate(last=Max("history_id")).order_by()
    return {pk: str(last) for pk, last in latest.values_list("id", "last")}


def expected_marker(instance: models.Model) -> str:
    """The marker a form displaying `instance` carries ("" for a row not saved yet)."""
    if instance.pk is None:
        return ""
    if has_version(type(instance)):
        return str(instance.lock_version)
    return _history_markers(type(instance), [instance.pk]).get(instance.pk, "")


def rows_marker(queryset: QuerySet) -> str:
    """The marker of a set of rows: a short digest of its rows' markers (two queries)."""
    found = markers(queryset.model, queryset.values_list("pk", flat=True))
    return hashlib.sha256(repr(sorted(found.items())).encode()).hexdigest()[:20]


def advance_version(instance: models.Model) -> None:
    """Count one more version of a row whose marker the caller has just checked, rows locked (the import)."""
    if has_version(type(instance)):
        instance.lock_version += 1


def save_if_unchanged(
    *, instance: models.Model, marker: str | int | None, user=None, update_fields: list[str] | None = None
) -> None:
    """Save `instance` unless somebody saved it since `marker` was read (StaleEditError, nothing written).

    The row is locked while comparing (SELECT … FOR UPDATE on PostgreSQL; SQLite serialises writers). A new row
    is simply saved. The caller validates (full_clean) first; `user` goes into the history.
    """
    model = type(instance)
    with transaction.atomic():
        if instance.pk is not None:
            # No default ordering: it may join nullable relations, which PostgreSQL cannot lock.
            locked = model.objects.select_for_update(of=("self",)).filter(pk=instance.pk).order_by()
            if has_version(model):
                version = locked.values_list("lock_version", flat=True).first()
                current = None if version is None else str(version)
            else:
                current = _history_markers(model, [instance.pk]).get(instance.pk, "") if locked.exists() else None
            if current is None:
                raise StaleEditError(DELETED_MESSAGE)
            if current != ("" if marker is None else str(marker)):
                raise StaleEditError(stale_message(latest_change(model, id=instance.pk)))
            if has_version(model):
                instance.lock_version = int(current) + 1
                if update_fields is not None:
                    update_fields = [*update_fields, "lock_version"]
        if user is not None:
            instance._history_user = user
        instance.save(update_fields=update_fields)


def check_rows_unchanged(*, queryset: QuerySet, marker: str, subject: str = "", **history_filters) -> None:
    """Refuse (StaleEditError) when the set of rows is no longer the one its `marker` was read from.

    The caller locks what the set hangs on first (e.g. the fiche of the budget lines). `history_filters` find
    the set's latest change, deleted rows included, to name who made it.
    """
    if rows_marker(queryset) != (marker or ""):
        raise StaleEditError(stale_message(latest_change(queryset.model, **history_filters), subject=subject))
