"""Writes that touch several rows of a convention: creation from a model text, reference editions."""

import json
from datetime import date
from pathlib import Path

from django.db import transaction
from django.db.models import Max

from core.text import french_long_date
from territories.models import Caf, Territory

from .enums import ConventionStatus, PartyKind
from .models import Amendment, Clause, ClauseTemplate, Convention, Diagnostic, Domain, Edition, Party
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


def placeholder_values(*, convention: Convention) -> dict[str, str]:
    caf_name = convention.caf.name
    partners = [p for p in convention.parties.all() if p.kind != PartyKind.CAF]
    designation = next((p.designation for p in partners if p.designation), "")
    if not designation:
        designation = " – ".join(p.name for p in partners) or f"les collectivités de {convention.territory.name}"
    start = convention.start_date
    return {
        "caf": "la " + caf_name if caf_name.lower().startswith("caf") else caf_name,
        "caf_nom": caf_name,
        "collectivite": designation,
        "territoire": convention.territory.name,
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


# ----------------------------------------------------------------------------------------- lifecycle


class TransitionRefused(Exception):
    """A lifecycle move that the guards refuse; `reasons` are French sentences for the user."""

    def __init__(self, reasons: list[str]):
        super().__init__(" ".join(reasons))
        self.reasons = reasons


# target status -> statuses it may be reached from
ALLOWED_MOVES: dict[str, tuple[str, ...]] = {
    ConventionStatus.DRAFT: (ConventionStatus.COPIL_VALIDATED, ConventionStatus.IN_SIGNATURE),
    ConventionStatus.COPIL_VALIDATED: (ConventionStatus.DRAFT,),
    ConventionStatus.IN_SIGNATURE: (ConventionStatus.COPIL_VALIDATED,),
    ConventionStatus.SIGNED: (ConventionStatus.IN_SIGNATURE,),
    ConventionStatus.TERMINATED: (ConventionStatus.SIGNED,),
}


def signature_blockers(*, convention: Convention) -> list[str]:
    """What is missing before the parties can sign: representatives and deliberation dates."""
    reasons = []
    parties = list(convention.parties.prefetch_related("representatives"))
    if not any(p.kind == PartyKind.CAF for p in parties):
        reasons.append("La Caf ne figure pas parmi les signataires.")
    if not any(p.kind != PartyKind.CAF for p in parties):
        reasons.append("Aucune collectivité ne figure parmi les signataires.")
    for party in parties:
        representatives = list(party.representatives.all())
        if not representatives or any(not r.name.strip() or r.name.startswith("(") for r in representatives):
            reasons.append(f"{party.name} : indiquez le nom de son ou sa représentant·e.")
        if party.kind != PartyKind.CAF and not party.deliberation_date:
            reasons.append(f"{party.name} : la date de la délibération n'est pas renseignée.")
    return reasons


def convention_transition(
    *,
    convention: Convention,
    target: str,
    signature_date: date | None = None,
    signature_place: str = "",
    terminated_on: date | None = None,
    termination_reason: str = "",
) -> Convention:
    """Move a convention along its lifecycle, or refuse with every reason why (nothing is written then)."""
    allowed_from = ALLOWED_MOVES.get(target)
    if allowed_from is None or convention.status not in allowed_from:
        current = ConventionStatus(convention.status).label.lower()
        wanted = ConventionStatus(target).label.lower() if target in ConventionStatus.values else target
        raise TransitionRefused([f"Une convention « {current} » ne peut pas passer « {wanted} »."])
    reasons = []
    if target in (ConventionStatus.IN_SIGNATURE, ConventionStatus.SIGNED):
        reasons += signature_blockers(convention=convention)
    if target == ConventionStatus.SIGNED:
        if not signature_date:
            reasons.append("Indiquez la date de signature.")
        elif signature_date >= convention.end_date:
            reasons.append("La date de signature doit précéder la date de fin de la convention.")
        if not (signature_place or convention.signature_place).strip():
            reasons.append("Indiquez le lieu de signature (« Fait à … »).")
    if target == ConventionStatus.TERMINATED:
        if convention.open_amendment:
            reasons.append(
                f"L'avenant n° {convention.open_amendment.number} est en préparation : signez-le ou abandonnez-le "
                "avant de résilier."
            )
        if not terminated_on:
            reasons.append("Indiquez la date de la résiliation.")
        if not termination_reason.strip():
            reasons.append("Indiquez le motif de la résiliation.")
    if reasons:
        raise TransitionRefused(reasons)

    with transaction.atomic():
        convention = Convention.objects.select_for_update().get(pk=convention.pk)
        convention.status = target
        if target == ConventionStatus.SIGNED:
            convention.signature_date = signature_date
            convention.signature_place = signature_place or convention.signature_place
            if convention.starts_on_signature and not convention.start_date:
                # "À compter de la date de signature": the start becomes known now.
                convention.start_date = signature_date
            if convention.previous_id:
                Convention.objects.filter(pk=convention.previous_id, status=ConventionStatus.SIGNED).update(
                    status=ConventionStatus.RENEWED
                )
        if target == ConventionStatus.TERMINATED:
            convention.terminated_on = terminated_on
            convention.termination_reason = termination_reason
        convention.lock_version += 1
        convention.full_clean()
        convention.save()
    return convention


# ----------------------------------------------------------------------------------------- amendments


def amendment_open(*, convention: Convention, object: str) -> Amendment:
    """Start an avenant: until it is signed, the text and annexes of the signed convention reopen."""
    if not convention.is_signed or convention.status != ConventionStatus.SIGNED:
        raise TransitionRefused(["Un avenant ne s'ouvre que sur une convention signée et en cours."])
    if convention.open_amendment:
        raise TransitionRefused([f"L'avenant n° {convention.open_amendment.number} est déjà en préparation."])
    with transaction.atomic():
        number = (convention.amendments.aggregate(m=Max("number"))["m"] or 0) + 1
        amendment = Amendment(convention=convention, number=number, object=object.strip())
        amendment.full_clean()
        amendment.save()
    return amendment


def amendment_sign(*, amendment: Amendment, signed_on: date, changes: str) -> Amendment:
    """Sign the avenant: the text closes again and the state of the convention is kept with it."""
    from .exchange import convention_export

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
