"""Annex: the signatories and their representatives."""

from ....models import Convention, Party, Representative
from .context import ImportContext, fields


def import_parties(ctx: ImportContext, convention: Convention, items: list[dict]) -> dict[str, Party]:
    parties = {}
    for order, item in enumerate(items, start=1):
        where = f"signataire « {item.get('name', order)} »"
        party = ctx.save(
            Party(
                convention=convention,
                **fields(item, kind="", name="", designation="", deliberation_body="", deliberation_reference=""),
                commune=ctx.commune(item.get("commune"), where),
                epci=ctx.epci(item.get("epci"), where),
                deliberation_date=ctx.d(item.get("deliberation_date"), where),
                order=order,
            ),
            where,
        )
        parties[party.name] = party
        if party.pk is None:
            continue
        for rank, rep in enumerate(item.get("representatives", []), start=1):
            ctx.save(
                Representative(
                    party=party,
                    **fields(rep, civility="", name="", title=""),
                    signed_on=ctx.d(rep.get("signed_on"), where),
                    order=rank,
                ),
                f"{where}, représentant·e {rank}",
            )
    return parties
