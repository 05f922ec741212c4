"""The top of « Mon suivi »: a person's fiches counted by status (with a chart), and what comes next."""

from datetime import date

from django.db.models import Count, QuerySet

from core.charts import status_chart

from .enums import ActionStatus

CLOSED = (ActionStatus.DONE, ActionStatus.ABANDONED)
MAX_BARS = 12  # beyond that many conventions (a Caf, the country), one bar for all of them
NEXT_DUE = 5


def follow_up_summary(fiches: QuerySet, *, today: date) -> dict:
    """Counts by status per convention, the late count and the next due fiches of `fiches` (3 queries)."""
    statuses = [{"value": value, "label": label} for value, label in ActionStatus.choices]
    per_convention: dict[str, dict[str, int]] = {}
    rows = fiches.order_by().values("convention__reference", "status").annotate(n=Count("pk"))
    for row in rows:
        per_convention.setdefault(row["convention__reference"], {})[row["status"]] = row["n"]
    totals = {status["value"]: sum(c.get(status["value"], 0) for c in per_convention.values()) for status in statuses}
    if len(per_convention) > MAX_BARS:
        bars = {"Toutes les conventions": totals}
    else:
        bars = dict(sorted(per_convention.items()))
    chart_rows = [
        {"label": label, "counts": [counts.get(s["value"], 0) for s in statuses], "total": sum(counts.values())}
        for label, counts in bars.items()
    ]
    upcoming = (
        fiches.filter(due_date__gte=today)
        .exclude(status__in=CLOSED)
        .select_related("convention")
        .order_by("due_date", "convention__reference", "reference")[:NEXT_DUE]
    )
    title = "Mes fiches-action par statut"
    chart = status_chart(name="mon-suivi", title=title, statuses=statuses, rows=chart_rows) if chart_rows else ""
    return {
        "counts": [(status["label"], totals[status["value"]]) for status in statuses],
        "total": sum(totals.values()),
        "late": fiches.late(today).count(),
        "next_due": list(upcoming),
        "chart": chart,
    }
