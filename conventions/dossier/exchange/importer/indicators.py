"""Indicators (of the convention or of a fiche) and their values."""

from evaluation.models import Indicator, Measurement

from .context import ImportContext


def import_indicator(ctx: ImportContext, convention, action, item: dict, order: int, where: str) -> None:
    indicator = ctx.save(
        Indicator(
            convention=convention,
            action=action,
            label=item.get("label", ""),
            kind=item.get("kind", "quantitatif"),
            unit=item.get("unit", ""),
            baseline_value=ctx.dec(item.get("baseline_value"), where),
            baseline_year=item.get("baseline_year"),
            target_value=ctx.dec(item.get("target_value"), where),
            target_year=item.get("target_year"),
            direction=item.get("direction", ""),
            order=order,
        ),
        where,
    )
    if indicator.pk is None:
        return
    seen = set()
    for value in item.get("measurements", []):
        period = (value.get("year"), value.get("quarter"))
        value_where = f"{where}, valeur {value.get('year')}" + (f" T{value['quarter']}" if value.get("quarter") else "")
        if period in seen:
            ctx.error(value_where, "deux valeurs pour la même période.")
            continue
        seen.add(period)
        ctx.save(
            Measurement(
                indicator=indicator,
                year=value.get("year"),
                quarter=value.get("quarter"),
                value=ctx.dec(value.get("value"), value_where),
                text=value.get("text", ""),
                source=value.get("source", ""),
                comment=value.get("comment", ""),
                author=ctx.user(value.get("author")),
            ),
            value_where,
        )
