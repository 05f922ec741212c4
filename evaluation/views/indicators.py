"""Annexe 5 in the browser: indicators (per fiche or per convention) and the grid of their values.

Everything here writes follow-up data: the convention's advisers and chargés de coopération
(`get_follow_up_convention`); its COPIL members get 403, anybody else 404. The grid is a plain form saved
whole; htmx saves one row without reloading the page.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from actions.models import ActionSheet
from conventions.models import Convention
from conventions.perms import convention_rights, convention_view, get_follow_up_convention, get_text_editable_convention
from core.forms import add_service_errors
from core.htmx import is_htmx

from ..forms import IndicatorForm, ValuesGrid
from ..models import Indicator
from ..services import indicators as services
from ..services.indicators import Period

CONVENTION_ONLY = "convention"  # the « fiche » filter of the grid: indicators of the convention itself


def _after_indicator(convention: Convention, indicator: Indicator) -> str:
    if indicator.action_id:
        return reverse("actions:detail", args=[convention.pk, indicator.action_id]) + "#h-indicateurs"
    return reverse("evaluation:values", args=[convention.pk])


# -- indicators -----------------------------------------------------------------------------------------


def _indicator_form(request: HttpRequest, convention: Convention, indicator: Indicator) -> HttpResponse:
    origin = None
    if request.method == "POST":
        form = IndicatorForm(request.POST, instance=indicator, convention=convention)
        if form.is_valid():
            try:
                saved = services.indicator_save(
                    indicator=form.save(commit=False), marker=form.posted_marker, user=request.user
                )
            except ValidationError as exc:  # StaleEditError included
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Indicateur « {saved.label} » enregistré.")
                return redirect(_after_indicator(convention, saved))
    else:
        origin = ActionSheet.objects.origin(convention, request.GET.get("fiche"))
        initial = {"action": origin} if origin and indicator.pk is None else None
        form = IndicatorForm(instance=indicator, convention=convention, initial=initial)
    context = {"convention": convention, "indicator": indicator, "form": form, "origin": origin}
    return render(request, "evaluation/indicators_form.html", context)


@convention_view(get_text_editable_convention, "GET", "POST")
def indicator_create(request: HttpRequest, convention: Convention) -> HttpResponse:
    return _indicator_form(request, convention, Indicator(convention=convention))


@convention_view(get_text_editable_convention, "GET", "POST")
def indicator_edit(request: HttpRequest, convention: Convention, pk: int) -> HttpResponse:
    indicator = get_object_or_404(Indicator.objects.filter(convention=convention), pk=pk)
    return _indicator_form(request, convention, indicator)


@convention_view(get_text_editable_convention, "GET", "POST")
def indicator_delete(request: HttpRequest, convention: Convention, pk: int) -> HttpResponse:
    indicator = get_object_or_404(Indicator.objects.filter(convention=convention).select_related("action"), pk=pk)
    if request.method == "POST":
        back = _after_indicator(convention, indicator)
        count = services.indicator_delete(indicator=indicator, user=request.user)
        values = f" et ses {count} valeurs" if count > 1 else (" et sa valeur" if count else "")
        messages.success(request, f"Indicateur « {indicator.label} »{values} supprimé{'s' if count else ''}.")
        return redirect(back)
    context = {"convention": convention, "indicator": indicator, "value_count": indicator.measurements.count()}
    return render(request, "evaluation/indicators_delete.html", context)


# -- the values grid ------------------------------------------------------------------------------------


def convention_years(convention: Convention, indicators: list[Indicator]) -> list[int]:
    """The years of the convention, widened to every year that already holds a value."""
    stored = {m.year for indicator in indicators for m in indicator.measurements.all()}
    end = convention.end_date.year
    start = convention.effective_start.year if convention.effective_start else min({timezone.localdate().year, end})
    return list(range(min({start, *stored}), max({end, *stored}) + 1))


def grid_periods(years: list[int], quarterly: bool) -> list[Period]:
    if not quarterly:
        return [Period(year) for year in years]
    return [Period(year, quarter) for year in years for quarter in (1, 2, 3, 4, None)]


def _counts_message(counts: dict[str, int]) -> str:
    parts = []
    for key, one, many in (
        ("created", "ajoutée", "ajoutées"),
        ("updated", "modifiée", "modifiées"),
        ("deleted", "supprimée", "supprimées"),
    ):
        if counts[key]:
            parts.append(f"{counts[key]} {one if counts[key] == 1 else many}")
    return "Valeurs enregistrées : " + ", ".join(parts) + "." if parts else "Aucune valeur modifiée."


def _convention_indicators(convention: Convention) -> list[Indicator]:
    return list(
        Indicator.objects.filter(convention=convention)
        .select_related("action")
        .prefetch_related("measurements")
        .order_by(F("action__order").asc(nulls_first=True), "action_id", "order", "pk")
    )


def _render_row(request: HttpRequest, convention: Convention, grid: ValuesGrid, *, message: str, ok: bool):
    quarterly = any(period.quarter for period in grid.periods)
    context = {
        "convention": convention,
        "row": grid.rows()[0],
        "row_message": message,
        "row_ok": ok,
        "quarterly": quarterly,
        "rights": convention_rights(request.user, convention),
    }
    return HttpResponse(render_to_string("evaluation/_values_row.html", context, request=request))


@convention_view(get_follow_up_convention, "GET", "POST")
def values(request: HttpRequest, convention: Convention) -> HttpResponse:
    indicators = _convention_indicators(convention)
    selection = request.GET.get("fiche", "")
    if selection == CONVENTION_ONLY:
        shown = [indicator for indicator in indicators if indicator.action_id is None]
    elif selection.isdigit():
        shown = [indicator for indicator in indicators if indicator.action_id == int(selection)]
    else:
        selection, shown = "", indicators
    quarterly = request.GET.get("trimestres") == "1"
    periods = grid_periods(convention_years(convention, indicators), quarterly)

    if request.method == "POST" and is_htmx(request) and request.POST.get("ligne"):
        # One row saved on its own: every other posted cell is left for the whole grid's save.
        only = next((i for i in indicators if str(i.pk) == request.POST["ligne"]), None)
        if only is None:
            return HttpResponseBadRequest("Indicateur inconnu dans cette convention.")
        grid = ValuesGrid(indicators=indicators, shown=[only], periods=periods, data=request.POST, only=only)
        if grid.is_valid():
            try:
                counts = services.measurements_save(changes=grid.changes, user=request.user)
            except ValidationError as exc:
                grid.refused = " ".join(exc.messages)
            else:
                fresh = [i for i in _convention_indicators(convention) if i.pk == only.pk]
                saved = ValuesGrid(indicators=fresh, shown=fresh, periods=periods)
                return _render_row(request, convention, saved, message=_counts_message(counts), ok=True)
        errors = [*grid.errors.values(), *([grid.refused] if grid.refused else [])]
        return _render_row(request, convention, grid, message="Ligne non enregistrée : " + " ".join(errors), ok=False)

    if request.method == "POST":
        grid = ValuesGrid(indicators=indicators, shown=shown, periods=periods, data=request.POST)
        if grid.is_valid():
            try:
                counts = services.measurements_save(changes=grid.changes, user=request.user)
            except ValidationError as exc:  # StaleEditError included
                grid.refused = " ".join(exc.messages)
            else:
                messages.success(request, _counts_message(counts))
                return redirect(request.get_full_path())
    else:
        grid = ValuesGrid(indicators=indicators, shown=shown, periods=periods)

    fiches = {indicator.action_id: indicator.action for indicator in indicators if indicator.action_id}
    context = {
        "convention": convention,
        "rows": grid.rows(),
        "periods": periods,
        "years": sorted({period.year for period in periods}),
        "quarterly": quarterly,
        "selection": selection,
        "fiches": list(fiches.values()),
        "has_convention_indicators": any(indicator.action_id is None for indicator in indicators),
        "errors": list(grid.errors.values()),
        "refused": grid.refused,
        "indicator_count": len(indicators),
        "rights": convention_rights(request.user, convention),
    }
    return render(request, "evaluation/values_grid.html", context)
