"""Optimistic locking: a form posted over a newer version is refused, naming who changed it and when."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone


class StaleEditError(ValidationError):
    pass


def stale_message(instance: models.Model) -> str:
    last = instance.history.order_by("-history_date").first() if hasattr(instance, "history") else None
    who = str(last.history_user) if last and last.history_user else "une autre personne"
    when = timezone.localtime(last.history_date).strftime("%d/%m/%Y à %H:%M") if last else "entre-temps"
    return (
        f"Modifié par {who} le {when}, pendant que vous travailliez sur cette page. "
        "Vos changements n'ont pas été enregistrés, pour ne pas écraser les siens : "
        "rechargez la page pour repartir de la dernière version."
    )


def versioned_save(*, instance: models.Model, expected_version: int, update_fields: list[str] | None = None) -> None:
    """Save `instance` if nobody saved it since `expected_version` was read; bump its version.

    The row is locked while comparing (SELECT … FOR UPDATE on PostgreSQL; SQLite serialises writers).
    """
    model = type(instance)
    with transaction.atomic():
        current = (
            model.objects.select_for_update(of=("self",))
            .filter(pk=instance.pk)
            .order_by()  # a default ordering may join nullable relations, which PostgreSQL cannot lock
            .values_list("lock_version", flat=True)
            .first()
        )
        if current is None or current != expected_version:
            raise StaleEditError(
                stale_message(model.objects.get(pk=instance.pk))
                if current is not None
                else "Cet élément a été supprimé entre-temps."
            )
        instance.lock_version = current + 1
        if update_fields is not None:
            update_fields = [*update_fields, "lock_version"]
        instance.save(update_fields=update_fields)
