"""The fiche-action page, and its create, edit and move forms (while the text is open)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from conventions.dossier.fiche_indicators import FicheIndicatorFormSet, fiche_indicators_create
from conventions.models import Convention
from conventions.perms import (
    convention_rights,
    convention_view,
    get_text_editable_convention,
    get_visible_convention,
)
from core.forms import add_service_errors
from core.htmx import is_htmx
from core.redirects import safe_next
from territories.models import Commune

from .. import services
from ..forms import (
    ActionSheetCreateForm,
    ActionSheetForm,
    ActionSheetMoveForm,
    StatusUpdateForm,
    action_place_key,
)
from ..levels import OUTSIDE_ORIENTATIONS
from ..models import ActionSheet
from ..plan import plan_tree
from .budget import budget_summary
from .common import _get_action, _lookup_place, _short
from .plan import _after_plan_change, _plan_refused


@convention_view(get_visible_convention, "GET")
def action_detail(request: HttpRequest, convention: Convention, pk: int) -> HttpResponse:
    action = get_object_or_404(
        ActionSheet.objects.filter(convention=convention)
        .select_related("orientation", "axis", "objective", "priority", "methodology")
        .prefetch_related("domains", Prefetch("target_communes", queryset=Commune.objects.order_by("name"))),
        pk=pk,
    )
    # Through the reverse relation: the plan knows its fiches' indicators only as annexe 5 rows.
    indicators = list(action.indicators.prefetch_related("measurements").order_by("order", "pk"))
    updates = list(action.updates.select_related("author").order_by("-date", "-created_at"))
    rights = convention_rights(request.user, convention)
    context = {
        "convention": convention,
        "action": action,
        "indicators": indicators,
        "updates": updates,
        "rights": rights,
        "status_form": StatusUpdateForm(action=action) if rights.follow_up else None,
        "also_objectives": list(action.also_objectives.order_by("orientation__order", "order", "pk")),
        "meetings": list(action.meetings.select_related("committee").order_by("-date", "-pk")),
        "budget": budget_summary(list(action.budget_lines.order_by("year", "funder", "pk"))),
    }
    return render(request, "actions/detail.html", context)


# -- fiche forms ----------------------------------------------------------------------------------------


@convention_view(get_text_editable_convention, "GET", "POST")
def action_create(request: HttpRequest, convention: Convention) -> HttpResponse:
    tree = plan_tree(convention=convention)
    instance = ActionSheet(convention=convention)
    if request.method == "POST":
        form = ActionSheetCreateForm(request.POST, instance=instance, convention=convention, tree=tree)
        indicators = FicheIndicatorFormSet(request.POST, convention=convention)
        if form.is_valid() & indicators.is_valid():
            try:
                with transaction.atomic():
                    action = services.action_sheet_create(
                        action=form.save(commit=False),
                        place=form.cleaned_data["place"],
                        domains=form.cleaned_data["domains"],
                        target_communes=form.cleaned_data["target_communes"],
                        also_objectives=form.cleaned_data["also_objectives"],
                    )
                    fiche_indicators_create(action=action, rows=indicators.new_rows, user=request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Fiche-action {action.reference} créée.")
                return redirect(safe_next(request) or reverse("actions:detail", args=[convention.pk, action.pk]))
    else:
        form = ActionSheetCreateForm(instance=instance, convention=convention, tree=tree)
        indicators = FicheIndicatorFormSet(convention=convention)
        wanted = request.GET.get("place", "")
        if wanted in form.places:
            form.initial["place"] = wanted
    context = {
        "convention": convention,
        "form": form,
        "action": None,
        "indicators": indicators,
        "existing_indicators": [],
        "next_url": safe_next(request),
    }
    return render(request, "actions/form.html", context)


@convention_view(get_text_editable_convention, "GET", "POST")
def action_edit(request: HttpRequest, convention: Convention, pk: int) -> HttpResponse:
    action = _get_action(convention, pk)
    if request.method == "POST":
        form = ActionSheetForm(request.POST, instance=action, convention=convention)
        indicators = FicheIndicatorFormSet(request.POST, convention=convention)
        if form.is_valid() & indicators.is_valid():
            try:
                with transaction.atomic():
                    services.action_sheet_update(
                        action=form.save(commit=False),
                        marker=form.posted_marker,
                        domains=form.cleaned_data["domains"],
                        target_communes=form.cleaned_data["target_communes"],
                        also_objectives=form.cleaned_data["also_objectives"],
                        user=request.user,
                    )
                    fiche_indicators_create(action=action, rows=indicators.new_rows, user=request.user)
            except ValidationError as exc:  # StaleEditError included: saved by someone else in between
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Fiche-action {action.reference} enregistrée.")
                return redirect(safe_next(request) or reverse("actions:detail", args=[convention.pk, action.pk]))
    else:
        form = ActionSheetForm(instance=action, convention=convention)
        indicators = FicheIndicatorFormSet(convention=convention)
    context = {
        "convention": convention,
        "form": form,
        "action": action,
        "indicators": indicators,
        "existing_indicators": list(action.indicators.order_by("order", "pk")),
        "next_url": safe_next(request),
    }
    return render(request, "actions/form.html", context)


@convention_view(get_text_editable_convention, "GET", "POST")
def action_move(request: HttpRequest, convention: Convention, pk: int) -> HttpResponse:
    action = _get_action(convention, pk)
    if request.method == "POST":
        place = _lookup_place(convention, request.POST.get("place", ""))
        try:
            services.action_sheet_move(action=action, place=place)
        except ValidationError as exc:
            return _plan_refused(request, convention, " ".join(exc.messages), anchor=f"fiche-{action.pk}")
        where = f"sous « {_short(place)} »" if place else OUTSIDE_ORIENTATIONS.lower()
        return _after_plan_change(
            request, convention, f"Fiche-action {action.reference} déplacée {where}.", anchor=f"fiche-{action.pk}"
        )
    form = ActionSheetMoveForm(
        initial={"place": action_place_key(action)},
        tree=plan_tree(convention=convention),
        auto_id=f"deplacer-{action.pk}-%s",
    )
    context = {"convention": convention, "action": action, "form": form, "inline": is_htmx(request)}
    if is_htmx(request):
        # The plan page swaps its « Déplacer » link for this form: one select at a time, not one per fiche.
        form.fields["place"].widget.attrs["autofocus"] = True
        return render(request, "actions/_move_form.html", context)
    return render(request, "actions/move.html", context)
