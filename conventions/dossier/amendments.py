"""Signing an avenant keeps the state of the whole convention as it is signed (its Convention JSON)."""

from datetime import date

from django.db import transaction

from ..lifecycle import TransitionRefused
from ..models import Amendment
from .exchange import convention_export


def amendment_sign(*, amendment: Amendment, signed_on: date, changes: str) -> Amendment:
    """Sign the avenant: the text closes again and the state of the convention is kept with it."""
    if amendment.signed_on:
        raise TransitionRefused([f"L'avenant n° {amendment.number} est déjà signé."])
    if not changes.strip():
        raise TransitionRefused(["Décrivez les modifications apportées par l'avenant."])
    with transaction.atomic():
        amendment.signed_on = signed_on
        amendment.changes = changes.strip()
        amendment.snapshot = convention_export(convention=amendment.convention)
        amendment.full_clean()
        amendment.save()
    return amendment
