"""Writes on the text and annexes 1, 2 and 4 that touch several rows or check a rule first.

A change to an existing row is checked against the marker its form was displayed with (core.locking): the
row is saved only if nobody saved it since.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction

from core.locking import save_if_unchanged
from core.ordering import Direction, next_order, swap_with_neighbour
from territories.models import Equipment

from .models import Clause, Committee, CommitteeMember, Convention, Party, SupportedEquipment
from .placeholders import fill_placeholders
from .services import placeholder_values


def row_save(*, instance: models.Model, marker: str, user=None) -> models.Model:
    """Validate and save a row of the text or annexes, unless it changed since `marker` was read."""
    instance.full_clean()
    save_if_unchanged(instance=instance, marker=marker, user=user)
    return instance


def row_append(*, instance: models.Model, siblings: models.QuerySet) -> models.Model:
    """Save a new row after its siblings (`order` = last + 1).

    Not locked (PostgreSQL refuses FOR UPDATE with an aggregate): two rows added at the same instant share
    an order, and the models' ordering falls back on the primary key.
    """
    with transaction.atomic():
        instance.order = next_order(siblings, start=1)
        instance.full_clean()
        instance.save()
    return instance


def clause_create(*, convention: Convention, number: str, title: str, body: str) -> Clause:
    """A new article, after the last one."""
    clause = Clause(convention=convention, number=number, title=title, body=body)
    return row_append(instance=clause, siblings=Clause.objects.filter(convention=convention))


def clause_move(*, clause: Clause, direction: Direction) -> bool:
    """Move an article up or down. Plain numbers stay with the positions: article 15 moved above 14 becomes 14."""
    with transaction.atomic():
        rows = list(
            Clause.objects.select_for_update().filter(convention_id=clause.convention_id).order_by("order", "pk")
        )
        pair = swap_with_neighbour(rows, clause, direction, start=1)
        if pair is None:
            return False
        first, second = pair
        fields = ["order"]
        if first.number.isdigit() and second.number.isdigit():
            first.number, second.number = second.number, first.number
            fields.append("number")
        for row in pair:
            row.full_clean()
            row.save(update_fields=fields)
    return True


def clause_reset(*, clause: Clause) -> Clause:
    """Put back the model text of an article, its placeholders filled with today's values of the convention."""
    if clause.template_id is None:
        raise ValidationError("Cet article n'a pas de modèle : il n'y a pas de texte à rétablir.")
    body = fill_placeholders(clause.template.body, placeholder_values(convention=clause.convention))
    with transaction.atomic():
        clause = Clause.objects.select_for_update().get(pk=clause.pk)
        clause.body = body
        clause.full_clean()
        clause.save(update_fields=["body"])
    return clause


def supported_equipment_add(
    *,
    convention: Convention,
    equipment: Equipment,
    supported_by: Party | None,
    financing_note: str = "",
) -> SupportedEquipment:
    """Put an equipment of the perimeter in annex 2; `equipment` may be new (saved here, in the same transaction)."""
    is_new = equipment.pk is None
    errors = {}
    if not convention.territory.communes.filter(pk=equipment.commune_id).exists():
        errors["commune" if is_new else "equipment"] = "Cette commune ne fait pas partie du périmètre de la convention."
    if supported_by is not None and supported_by.convention_id != convention.pk:
        errors["supported_by"] = "Choisissez un signataire de cette convention."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if is_new:
            equipment.full_clean()
            equipment.save()
        support = SupportedEquipment(
            convention=convention, equipment=equipment, supported_by=supported_by, financing_note=financing_note
        )
        return row_append(instance=support, siblings=SupportedEquipment.objects.filter(convention=convention))


def committee_delete(*, committee: Committee) -> None:
    """Delete a committee and its members; refused while it has meetings (their minutes are kept)."""
    with transaction.atomic():
        committee = Committee.objects.select_for_update().get(pk=committee.pk)
        count = committee.meetings.count()
        if count:
            plural = "s" if count > 1 else ""
            raise ValidationError(
                f"« {committee.name} » a {count} réunion{plural} enregistrée{plural} : "
                "une instance qui s'est réunie ne peut pas être supprimée."
            )
        committee.delete()


def committee_member_move(*, member: CommitteeMember, direction: Direction) -> bool:
    """Move a member up or down the list of their committee."""
    with transaction.atomic():
        rows = list(
            CommitteeMember.objects.select_for_update().filter(committee_id=member.committee_id).order_by("order", "pk")
        )
        pair = swap_with_neighbour(rows, member, direction, start=1)
        if pair is None:
            return False
        for row in pair:
            row.full_clean()
            row.save(update_fields=["order"])
    return True
