"""Deleting a row with what goes with it, every change written in the history.

Django deletes the rows that depend on a deleted row (CASCADE) and empties the references of others
(SET_NULL) with a bulk UPDATE that django-simple-history never sees: 13 equipment rows of annex 2 lost their
signatory without a trace. `deletion_consequences` lists both for the confirmation page; `delete_recorded`
empties each reference by saving its row, and deletes each dependent row one by one, so that the history
holds a record, with its author, for every row the deletion changed.
"""

import dataclasses

from django.db import models, router, transaction
from django.db.models.deletion import Collector


@dataclasses.dataclass(frozen=True)
class Consequence:
    effect: str  # "supprimé" (goes with the row) or "détaché" (stays, without its link to the row)
    label: str  # the rows' name, singular or plural as their number, e.g. « représentant·es »
    rows: list[str]


def _name(model, count: int) -> str:
    return str(model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural)


def _collector(instance: models.Model) -> Collector:
    collector = Collector(using=router.db_for_write(type(instance), instance=instance))
    collector.collect([instance])
    return collector


def _unlinked(collector: Collector):
    for (field, value), batches in collector.field_updates.items():
        for batch in batches:
            for row in batch:
                yield field, value, row


def deletion_consequences(instance: models.Model, *, shown_apart: tuple = ()) -> list[Consequence]:
    """What deleting `instance` deletes with it and what it unlinks (the row itself, and the rows of the models
    `shown_apart` that the page shows with a choice, left out)."""
    collector = _collector(instance)
    consequences = []
    for model, rows in collector.data.items():
        if model in shown_apart:
            continue
        others = sorted((str(row) for row in rows if row != instance), key=str.casefold)
        if others:
            consequences.append(Consequence("supprimé", _name(model, len(others)), others))
    for batch in collector.fast_deletes:
        others = sorted((str(row) for row in batch), key=str.casefold)
        if others:
            consequences.append(Consequence("supprimé", _name(batch.model, len(others)), others))
    unlinked: dict[type, list[str]] = {}
    for field, _value, row in _unlinked(collector):
        if field.model not in shown_apart:
            unlinked.setdefault(field.model, []).append(str(row))
    consequences += [
        Consequence("détaché", _name(model, len(rows)), sorted(rows, key=str.casefold))
        for model, rows in unlinked.items()
    ]
    return consequences


def delete_recorded(instance: models.Model, *, user=None) -> None:
    """Delete `instance`: its references emptied row by row, its dependents deleted row by row, with `user`."""
    with transaction.atomic():
        collector = _collector(instance)
        for field, value, row in _unlinked(collector):
            setattr(row, field.attname, value)
            _author(row, user)
            row.save(update_fields=[field.name])
        for batch in collector.fast_deletes:  # rows no history follows (no signal): deleted as they are
            batch.delete()
        collector.sort()  # dependents before what they depend on
        for _model, rows in collector.data.items():
            for row in rows:
                if row != instance:
                    _author(row, user)
                    models.Model.delete(row)
        _author(instance, user)
        instance.delete()


def _author(row: models.Model, user) -> None:
    """The history's author of the change; without one, django-simple-history takes the request's user."""
    if user is not None:
        row._history_user = user
