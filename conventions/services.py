"""Writes that touch several rows of a convention: creation from a model text, reference editions, signatories.

The lifecycle (statuses, signature, avenants) is in conventions/lifecycle.py."""

import json
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models, transaction

from accounts.passwords import account_invite, is_pending_invitation
from core.deletion import delete_recorded
from core.locking import save_if_unchanged
from core.ordering import Direction, next_order, swap_among
from core.text import french_long_date
from jobs.account_mail import invitation_send
from territories.grammar import Article, Name, name_of
from territories.models import Caf, Equipment, Territory

from .enums import EquipmentFate, PartyKind
from .models import (
    Clause,
    ClauseTemplate,
    Committee,
    CommitteeMember,
    Convention,
    Diagnostic,
    Domain,
    Edition,
    Membership,
    Party,
    SupportedEquipment,
)
from .placeholders import fill_placeholders


def editions_load(*, path: Path) -> int:
    """Load the model texts (fixtures/reference/editions.json); running it twice changes nothing."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    with transaction.atomic():
        for item in data:
            edition, _ = Edition.objects.update_or_create(
                code=item["code"],
                defaults={"name": item["name"], "year": item["year"], "visas": item.get("visas", "")},
            )
            edition.clauses.all().delete()
            ClauseTemplate.objects.bulk_create(
                ClauseTemplate(edition=edition, number=c["number"], title=c["title"], body=c["body"], order=i)
                for i, c in enumerate(item["clauses"], start=1)
            )
    return len(data)


def default_designation(parties: list[Party]) -> str:
    """« la Commune », « les Communes », « la Communauté urbaine » for signatories entered without one."""
    kinds = {p.kind for p in parties}
    if kinds == {PartyKind.COMMUNE}:
        return "la Commune" if len(parties) == 1 else "les Communes"
    if kinds == {PartyKind.CAF}:
        return "la Caf"
    if len(parties) == 1 and parties[0].kind == PartyKind.EPCI and parties[0].epci_id:
        return Name.of(parties[0].epci.get_kind_display()).nominal
    return ""


def placeholder_values(*, convention: Convention) -> dict[str, "str | Name"]:
    """The values of the model texts' placeholders; names carry their grammar (territories.grammar)."""
    caf_name = convention.caf.name
    partners = [p for p in convention.parties.all() if p.kind != PartyKind.CAF]
    territory = name_of(convention.territory)
    designation = next((p.designation for p in partners if p.designation), "")
    if designation:
        collectivite = Name.of(designation)  # « le regroupement des communes … » is one
    elif len(partners) == 1:
        collectivite = name_of(partners[0])
    elif default_designation(partners):
        collectivite = Name.of(default_designation(partners))
    elif partners:
        collectivite = Name.of(" – ".join(p.name for p in partners), Article.NONE, many=True)
    else:
        collectivite = Name.of("collectivités " + territory.de, Article.LES)
    start = convention.start_date
    return {
        "caf": Name.of(caf_name),
        "caf_nom": caf_name,
        "collectivite": collectivite,
        "territoire": territory,
        "date_debut": french_long_date(start) if start else "jour de la signature",
        "date_fin": french_long_date(convention.end_date),
        "periode": f"{start.year if start else ''}-{convention.end_date.year}".lstrip("-"),
    }


def clauses_from_edition(*, convention: Convention) -> list[Clause]:
    """(Re)create the articles of a convention from its edition, placeholders filled in."""
    values = placeholder_values(convention=convention)
    templates = list(convention.edition.clauses.all()) if convention.edition_id else []
    convention.clauses.all().delete()
    clauses = []
    for template in templates:
        body = fill_placeholders(template.body, values)
        if not template.number and template.title.lower().startswith("préambule"):
            # The préambule lives on the convention itself, before article 1.
            convention.preamble = body
            continue
        clauses.append(
            Clause(
                convention=convention,
                template=template,
                number=template.number,
                title=template.title,
                body=body,
                order=template.order,
            )
        )
    Clause.objects.bulk_create(clauses)
    if templates:
        convention.visas = convention.edition.visas
        convention.save(update_fields=["preamble", "visas"])
    return clauses


def convention_create(
    *,
    reference: str,
    title: str,
    caf: Caf,
    territory: Territory,
    end_date: date,
    start_date: date | None = None,
    starts_on_signature: bool = False,
    edition: Edition | None = None,
    domains: list[Domain] | None = None,
) -> Convention:
    """A new draft convention, its articles taken from the edition's model text."""
    with transaction.atomic():
        convention = Convention(
            reference=reference,
            title=title,
            caf=caf,
            territory=territory,
            edition=edition,
            start_date=start_date,
            starts_on_signature=starts_on_signature,
            end_date=end_date,
        )
        convention.full_clean()
        convention.save()
        if domains:
            convention.domains.set(domains)
        Diagnostic.objects.create(convention=convention)
        clauses_from_edition(convention=convention)
    return convention


# ----------------------------------------------------------------------------------------- parties


def party_move(*, party: Party, offset: int) -> None:
    """Move a signatory up (-1) or down (+1); orders are rewritten 1..n in one transaction."""
    with transaction.atomic():
        parties = list(
            Party.objects.select_for_update().filter(convention_id=party.convention_id).order_by("order", "pk")
        )
        index = next(i for i, p in enumerate(parties) if p.pk == party.pk)
        target = max(0, min(len(parties) - 1, index + offset))
        parties.insert(target, parties.pop(index))
        for order, item in enumerate(parties, start=1):
            if item.order != order:
                item.order = order
                item.save(update_fields=["order"])


# ----------------------------------------------------------------------------------------- text and annexes
# A change to an existing row is checked against the marker its form was displayed with (core.locking): the
# row is saved only if nobody saved it since.


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


def clause_append(*, clause: Clause) -> Clause:
    """A new article, after the last one."""
    return row_append(instance=clause, siblings=Clause.objects.filter(convention_id=clause.convention_id))


def clause_move(*, clause: Clause, direction: Direction) -> bool:
    """Move an article up or down. Plain numbers stay with the positions: article 15 moved above 14 becomes 14."""
    with transaction.atomic():
        pair = swap_among(Clause.objects.filter(convention_id=clause.convention_id), clause, direction, start=1)
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
        delete_recorded(committee)  # its members with it, each in the history


def committee_member_move(*, member: CommitteeMember, direction: Direction) -> bool:
    """Move a member up or down the list of their committee."""
    with transaction.atomic():
        pair = swap_among(CommitteeMember.objects.filter(committee_id=member.committee_id), member, direction, start=1)
        if pair is None:
            return False
        for row in pair:
            row.full_clean()
            row.save(update_fields=["order"])
    return True


def row_delete(*, instance: models.Model, user=None) -> None:
    """Delete a row of the text or annexes (an article, a key figure, an enjeu, a member, an annex 2 line).

    An equipment removed from annex 2 stays in the reference data of its commune."""
    delete_recorded(instance, user=user)  # what goes with it or is unlinked, row by row in the history


def diagnostic_row_append(*, convention: Convention, row: models.Model) -> models.Model:
    """A key figure or an enjeu after the others; the diagnostic is created with its first row."""
    with transaction.atomic():
        diagnostic, _ = Diagnostic.objects.get_or_create(convention=convention)
        row.diagnostic = diagnostic
        return row_append(instance=row, siblings=type(row).objects.filter(diagnostic=diagnostic))


def party_delete(*, party: Party, user=None, equipment: str = "", transfer_to: Party | None = None) -> None:
    """Remove a signatory: its representatives go with it, the annex 2 equipment it supports become what the
    user chose (refused without a choice), every changed row is in the history; its deliberation file is
    deleted once nothing needs it."""
    name = party.deliberation_document.name
    with transaction.atomic():
        supported = list(party.supported_equipment.select_for_update().order_by("pk"))
        if supported and equipment not in EquipmentFate.values:
            raise ValidationError(
                {"equipment": f"Choisissez ce que deviennent les {len(supported)} équipement(s) qu'il soutient."}
            )
        if (
            supported
            and equipment == EquipmentFate.TRANSFER
            and (transfer_to is None or transfer_to.convention_id != party.convention_id or transfer_to.pk == party.pk)
        ):
            raise ValidationError({"transfer_to": "Choisissez un autre signataire de cette convention."})
        for row in supported:
            row._history_user = user
            if equipment == EquipmentFate.TRANSFER:
                row.supported_by = transfer_to
                row.save(update_fields=["supported_by"])
            elif equipment == EquipmentFate.REMOVE:
                row.delete()
        delete_recorded(party, user=user)  # the rest (unlinked equipment, representatives) row by row
    transaction.on_commit(lambda: deliberation_release(name))


def deliberation_release(name: str) -> bool:
    """Delete a deliberation file that no signatory refers to any longer; True when deleted.

    The history keeps the file's name as a record of what was there; no page serves an old version."""
    if not name or Party.objects.filter(deliberation_document=name).exists():
        return False
    storage = Party._meta.get_field("deliberation_document").storage
    if not storage.exists(name):
        return False
    storage.delete(name)
    return True


def membership_add(*, convention: Convention, user) -> Membership:
    """Make `user` a member; two advisers adding the same person at once give one membership, not an error."""
    membership, _ = Membership.objects.get_or_create(convention=convention, user=user)
    return membership


def member_invite(
    *, convention: Convention, email: str, role: str, first_name: str = "", last_name: str = "", invited_by=None
) -> tuple[Membership, bool]:
    """Make the person of `email` a member, creating their account (inactive) if there is none; an account not
    yet active gets the invitation to set its password, by e-mail after the commit. (membership, invited)."""
    with transaction.atomic():
        user, _created = account_invite(email=email, role=role, first_name=first_name, last_name=last_name)
        membership = membership_add(convention=convention, user=user)
        invited = is_pending_invitation(user)
        if invited:
            reason = f"membre de la convention « {convention.title} »"
            transaction.on_commit(lambda: invitation_send(user=user, invited_by=invited_by, reason=reason))
    return membership, invited


def membership_remove(*, membership: Membership) -> None:
    membership.delete()
