"""Signatories in one step: the perimeter's communes and EPCI as parties, then one grid for every party's
representative and deliberation, saved all or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from core.ordering import next_order

from ..enums import PartyKind
from ..models import Convention, Party, Representative

COMMUNE_BODY = "conseil municipal"
EPCI_BODY = "conseil communautaire"


def perimeter_parties_missing(convention: Convention) -> tuple[list, object | None]:
    """The perimeter's communes (French order) and EPCI that are not signatories yet."""
    territory = convention.territory
    signing = set(convention.parties.exclude(commune=None).values_list("commune_id", flat=True))
    communes = [c for c in territory.communes.order_by("name") if c.pk not in signing]
    epci = territory.epci
    if epci is not None and convention.parties.filter(epci=epci).exists():
        epci = None
    return communes, epci


def parties_from_perimeter(*, convention: Convention, user=None) -> list[Party]:
    """Add the missing communes (« Commune du Breuil ») and EPCI of the perimeter as signatories, after the
    existing ones, in one transaction; returns the parties created."""
    communes, epci = perimeter_parties_missing(convention)
    with transaction.atomic():
        order = next_order(Party.objects.filter(convention=convention), start=1)
        created = []
        rows = [
            Party(
                convention=convention,
                kind=PartyKind.COMMUNE,
                name=f"Commune {commune.name_with_preposition}",
                commune=commune,
                deliberation_body=COMMUNE_BODY,
            )
            for commune in communes
        ]
        if epci is not None:
            rows.append(
                Party(
                    convention=convention, kind=PartyKind.EPCI, name=epci.name, epci=epci, deliberation_body=EPCI_BODY
                )
            )
        for offset, party in enumerate(rows):
            party.order = order + offset
            party._history_user = user
            party.full_clean()
            party.save()
            created.append(party)
    return created


@dataclass
class GridRow:
    """One line of the grid: a representative of a party (the party's first line also carries its deliberation)."""

    party: Party
    representative: Representative | None
    first_of_party: bool
    civility: str = ""
    name: str = ""
    title: str = ""
    deliberation_body: str = ""
    deliberation_date: date | None = None
    deliberation_reference: str = ""


def grid_rows(convention: Convention) -> list[GridRow]:
    """Every party's representatives (an empty line for a party without any), in the signatories' order."""
    rows = []
    for party in convention.parties.prefetch_related("representatives").order_by("order", "pk"):
        representatives = list(party.representatives.all()) or [None]
        for index, representative in enumerate(representatives):
            rows.append(
                GridRow(
                    party=party,
                    representative=representative,
                    first_of_party=index == 0,
                    civility=representative.civility if representative else "",
                    name=representative.name if representative else "",
                    title=representative.title if representative else "",
                    deliberation_body=party.deliberation_body,
                    deliberation_date=party.deliberation_date,
                    deliberation_reference=party.deliberation_reference,
                )
            )
    return rows


def signatories_grid_save(*, rows: list[GridRow], user=None) -> int:
    """Write the grid (already validated) in one transaction; returns how many rows changed."""
    changed = 0
    with transaction.atomic():
        for row in rows:
            party = row.party
            if row.first_of_party:
                values = (row.deliberation_body, row.deliberation_date, row.deliberation_reference)
                if values != (party.deliberation_body, party.deliberation_date, party.deliberation_reference):
                    party.deliberation_body, party.deliberation_date, party.deliberation_reference = values
                    party._history_user = user
                    party.full_clean()
                    party.save(update_fields=["deliberation_body", "deliberation_date", "deliberation_reference"])
                    changed += 1
            representative = row.representative
            if representative is None:
                if not row.name:
                    continue
                representative = Representative(party=party, order=next_order(party.representatives, start=1))
            elif not row.name:
                representative._history_user = user
                representative.delete()  # the line emptied: the person no longer signs
                changed += 1
                continue
            values = (row.civility, row.name, row.title)
            if representative.pk and values == (representative.civility, representative.name, representative.title):
                continue
            representative.civility, representative.name, representative.title = values
            representative._history_user = user
            representative.full_clean()
            representative.save()
            changed += 1
    return changed
