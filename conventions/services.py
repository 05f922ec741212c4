"""Writes that touch several rows of a convention: creation from a model text, reference editions, signatories.

The lifecycle (statuses, signature, avenants) is in conventions/lifecycle.py."""

import json
from datetime import date
from pathlib import Path

from django.db import transaction

from core.text import french_long_date
from territories.models import Caf, Territory

from .enums import PartyKind
from .models import Clause, ClauseTemplate, Convention, Diagnostic, Domain, Edition, Party
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
