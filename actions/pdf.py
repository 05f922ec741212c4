"""One fiche-action as a PDF of one or two pages, to send to an élu."""

from django.db.models import Prefetch

from conventions.pdf import Fiche
from core.pdf import render_template_pdf
from evaluation.models import Indicator, Measurement

from .models import ActionSheet, BudgetLine, StatusUpdate

LATEST_UPDATES = 3


def action_print_context(*, action: ActionSheet) -> dict:
    """The fiche, its place in the plan, its indicators with their values and its latest progress reports."""
    action = (
        ActionSheet.objects.select_related(
            "convention__caf", "orientation", "axis", "objective", "priority", "methodology"
        )
        .prefetch_related(
            "domains",
            "target_communes",
            Prefetch("budget_lines", queryset=BudgetLine.objects.order_by("year", "funder")),
            Prefetch(
                "indicators",
                queryset=Indicator.objects.order_by("order", "pk").prefetch_related(
                    Prefetch("measurements", queryset=Measurement.objects.order_by("year", "quarter"))
                ),
            ),
        )
        .get(pk=action.pk)
    )
    convention = action.convention
    return {
        "document_title": f"Fiche-action {action.reference} – {convention.title}",
        "convention": convention,
        "fiche": Fiche(
            action=action,
            orientation=action.orientation,
            axis=action.axis,
            objective=action.objective,
            indicators=list(action.indicators.all()),
        ),
        "updates": list(StatusUpdate.objects.filter(action=action).order_by("-date", "-created_at")[:LATEST_UPDATES]),
    }


def render_action_pdf(*, action: ActionSheet) -> bytes:
    return render_template_pdf(template="pdf/action.html", context=action_print_context(action=action))
