"""The budget of a fiche per year and financeur."""

from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from conventions.perms import (
    get_follow_up_convention,
)

from .. import services
from ..enums import Funder
from ..forms import (
    BudgetFormSet,
)
from ..models import BudgetLine
from .common import _get_action


def _add_amount(totals: dict, line: BudgetLine) -> None:
    for name in ("planned", "actual"):
        value = getattr(line, name)
        if value is not None:
            totals[name] = totals.get(name, Decimal(0)) + value


def budget_summary(lines: list[BudgetLine]) -> dict:
    """Planned and actual totals per year and per financeur; « moyens Caf » apart (they are not financing)."""
    by_year: dict = defaultdict(dict)
    by_funder: dict = defaultdict(dict)
    caf_means_by_year: dict = defaultdict(dict)
    total: dict = {}
    caf_means_total: dict = {}
    for line in lines:
        if line.is_caf_means:
            _add_amount(caf_means_by_year[line.year], line)
            _add_amount(caf_means_total, line)
        else:
            _add_amount(by_year[line.year], line)
            _add_amount(by_funder[line.funder], line)
            _add_amount(total, line)
    funders = dict(Funder.choices)
    return {
        "lines": lines,
        "by_year": sorted(by_year.items()),
        "by_funder": [(funders[key], by_funder[key]) for key in funders if key in by_funder],
        "total": total,
        "caf_means_by_year": sorted(caf_means_by_year.items()),
        "caf_means_total": caf_means_total,
    }


@require_http_methods(["GET", "POST"])
@login_required
def budget(request: HttpRequest, convention_pk: int, pk: int) -> HttpResponse:
    convention = get_follow_up_convention(request.user, convention_pk)
    action = _get_action(convention, pk)
    stale = ""
    if request.method == "POST":
        formset = BudgetFormSet(request.POST, instance=action, prefix="lignes")
        marker = request.POST.get("marker", "")
        if formset.is_valid():
            lines = formset.save(commit=False)
            try:
                services.budget_save(
                    action=action,
                    lines=lines,
                    deleted=formset.deleted_objects,
                    marker=marker,
                    user=request.user,
                )
            except ValidationError as exc:  # StaleEditError included
                stale = " ".join(exc.messages)
            else:
                messages.success(request, f"Budget de la fiche {action.reference} enregistré.")
                return redirect("actions:budget", convention_pk=convention.pk, pk=action.pk)
    else:
        formset = BudgetFormSet(instance=action, prefix="lignes")
        marker = services.budget_marker(action=action)
    context = {
        "convention": convention,
        "action": action,
        "formset": formset,
        "marker": marker,
        "stale": stale,
        "budget": budget_summary(list(action.budget_lines.order_by("year", "funder", "pk"))),
    }
    return render(request, "actions/budget.html", context)
