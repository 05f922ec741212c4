"""Signatories in one step: the perimeter's communes and EPCI added at once, then one grid for all parties."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from ..dossier.signatories import grid_rows, parties_from_perimeter, perimeter_parties_missing, signatories_grid_save
from ..forms.signatories import SignatoriesGridForm
from ..models import Convention
from ..perms import convention_view, get_text_editable_convention


@login_required
@require_http_methods(["GET", "POST"])
def parties_from_perimeter_view(request: HttpRequest, convention_pk: int) -> HttpResponse:
    """GET: what would be added (a page that works without JavaScript); POST: add them, then the grid."""
    convention = get_text_editable_convention(request.user, convention_pk)
    communes, epci = perimeter_parties_missing(convention)
    if request.method == "POST":
        created = parties_from_perimeter(convention=convention, user=request.user)
        messages.success(request, f"{len(created)} signataire(s) ajouté(s) : complétez leurs représentant·es.")
        return redirect("conventions:signatories_grid", convention_pk=convention.pk)
    title = "Ajouter les communes et l'EPCI du périmètre comme signataires"
    context = {"convention": convention, "communes": communes, "epci": epci, "page_title": title}
    return render(request, "conventions/editing/parties_from_perimeter.html", context)


@convention_view(get_text_editable_convention, "GET", "POST")
def signatories_grid(request: HttpRequest, convention: Convention) -> HttpResponse:
    form = SignatoriesGridForm(request.POST if request.method == "POST" else None, rows=grid_rows(convention))
    if request.method == "POST" and form.is_valid():
        changed = signatories_grid_save(rows=form.cleaned_rows(), user=request.user)
        messages.success(request, f"Signataires enregistrés ({changed} ligne(s) modifiée(s)).")
        return redirect(reverse("conventions:detail", args=[convention.pk]) + "#signataires")
    context = {"convention": convention, "form": form, "page_title": "Représentant·es et délibérations"}
    return render(request, "conventions/editing/signatories_grid.html", context)
