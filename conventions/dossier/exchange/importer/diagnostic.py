"""The diagnostic: its summary, key figures and issues."""

from ....models import Convention, Diagnostic, Issue, KeyFigure
from .context import ImportContext


def import_diagnostic(ctx: ImportContext, convention: Convention, data: dict) -> None:
    diagnostic = ctx.save(
        Diagnostic(convention=convention, summary=data.get("summary", ""), documents=data.get("documents", "")),
        "diagnostic",
    )
    if diagnostic.pk is None:
        return
    for order, item in enumerate(data.get("key_figures", []), start=1):
        where = f"chiffre clé {order}"
        ctx.save(
            KeyFigure(
                diagnostic=diagnostic,
                theme=item.get("theme", ""),
                label=item.get("label", ""),
                value=ctx.dec(item.get("value"), where),
                value_text=item.get("value_text", ""),
                unit=item.get("unit", ""),
                year=item.get("year"),
                source=item.get("source", ""),
                comparison=item.get("comparison", ""),
                order=order,
            ),
            where,
        )
    for order, item in enumerate(data.get("issues", []), start=1):
        ctx.save(
            Issue(
                diagnostic=diagnostic,
                domain=ctx.domain(item.get("domain")),
                text=item.get("text", ""),
                order=order,
            ),
            f"enjeu {order}",
        )
