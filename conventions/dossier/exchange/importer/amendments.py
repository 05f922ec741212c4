"""The signed amendments (avenants) and the AO competences annex."""

from ....models import Amendment, AoCompetence
from .context import ImportContext


def import_amendments(ctx: ImportContext, convention, items) -> None:
    for item in items:
        where = f"avenant {item.get('number')}"
        ctx.save(
            Amendment(
                convention=convention,
                number=item.get("number"),
                signed_on=ctx.d(item.get("signed_on"), where),
                object=item.get("object", ""),
                changes=item.get("changes", ""),
                snapshot=item.get("snapshot"),
            ),
            where,
        )


def import_ao_competences(ctx: ImportContext, convention, items) -> None:
    for order, item in enumerate(items, start=1):
        where = f"compétence AO {order}"
        ctx.save(
            AoCompetence(
                convention=convention,
                commune=ctx.commune(item.get("commune"), where),
                epci=ctx.epci(item.get("epci"), where),
                population=item.get("population"),
                census=item.get("census", "inconnu"),
                inform=item.get("inform", "inconnu"),
                plan=item.get("plan", "inconnu"),
                quality=item.get("quality", "inconnu"),
                transfer_detail=item.get("transfer_detail", ""),
                has_schema=bool(item.get("has_schema")),
                has_rpe=bool(item.get("has_rpe")),
            ),
            where,
        )
