"""Annexe 1: the diagnostic's synthesis, its key figures and enjeux (edited in place)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse

from core.htmx import is_htmx

from ...forms.annexes import (
    DiagnosticForm,
    IssueForm,
    KeyFigureForm,
)
from ...models import Convention, Diagnostic, Issue, KeyFigure
from ...perms import get_text_editable_convention
from ...services import (
    diagnostic_row_append,
    row_delete,
)
from .pages import EDIT_METHODS, _back, _checked_save, _confirm_page, _data, _form_page, _fragment, _row_form_page


def _diagnostic_or_new(convention: Convention) -> Diagnostic:
    return Diagnostic.objects.filter(convention=convention).first() or Diagnostic(convention=convention)


@login_required
@EDIT_METHODS
def diagnostic_edit(request: HttpRequest, convention_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    form = DiagnosticForm(_data(request), instance=_diagnostic_or_new(convention))
    if request.method == "POST" and form.is_valid() and _checked_save(request, form):
        messages.success(request, "La synthèse du diagnostic est enregistrée.")
        return _back(convention, "diagnostic")
    return _form_page(
        request, convention=convention, form=form, title="Annexe 1 – synthèse du diagnostic", anchor="diagnostic"
    )


def _append_to_diagnostic(convention: Convention, row: KeyFigure | Issue) -> KeyFigure | Issue:
    return diagnostic_row_append(convention=convention, row=row)


KEY_FIGURE_ROW = "conventions/annexes/_key_figure_row.html"


def _key_figure(convention: Convention, key_figure_pk: int) -> KeyFigure:
    return get_object_or_404(KeyFigure, pk=key_figure_pk, diagnostic__convention=convention)


@login_required
@EDIT_METHODS
def key_figure_create(request: HttpRequest, convention_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    form = KeyFigureForm(_data(request), instance=KeyFigure(), prefix="chiffre-nouveau")
    if request.method == "POST" and form.is_valid():
        row = diagnostic_row_append(convention=convention, row=form.instance)
        if is_htmx(request):
            return _fragment(request, "conventions/annexes/_key_figure_created.html", convention, k=row)
        messages.success(request, f"Le chiffre clé « {row.label} » est ajouté.")
        return _back(convention, "diagnostic")
    return _row_form_page(
        request,
        convention,
        form,
        row_id="chiffre-nouveau",
        action=reverse("conventions:key_figure_create", args=[convention.pk]),
        legend="Nouveau chiffre clé",
        colspan=6,
        anchor="diagnostic",
        title="Ajouter un chiffre clé",
        submit_label="Ajouter",
    )


@login_required
@EDIT_METHODS
def key_figure_edit(request: HttpRequest, convention_pk: int, key_figure_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    row = _key_figure(convention, key_figure_pk)
    named = f"Modifier « {row.label} »"  # as read, before the form copies the posted values into the row
    form = KeyFigureForm(_data(request), instance=row, prefix=f"chiffre-{row.pk}")
    if request.method == "POST" and form.is_valid() and _checked_save(request, form):
        if is_htmx(request):
            return _fragment(request, KEY_FIGURE_ROW, convention, k=form.instance)
        messages.success(request, f"Le chiffre clé « {form.instance.label} » est enregistré.")
        return _back(convention, "diagnostic")
    return _row_form_page(
        request,
        convention,
        form,
        row_id=f"chiffre-{row.pk}",
        action=reverse("conventions:key_figure_edit", args=[convention.pk, row.pk]),
        legend=named,
        colspan=6,
        anchor="diagnostic",
        title=named,
    )


@login_required
@EDIT_METHODS
def key_figure_delete(request: HttpRequest, convention_pk: int, key_figure_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    row = _key_figure(convention, key_figure_pk)
    if request.method == "POST":
        row_delete(instance=row, user=request.user)
        if is_htmx(request):
            return HttpResponse("")  # htmx removes the row
        messages.success(request, f"Le chiffre clé « {row.label} » est supprimé.")
        return _back(convention, "diagnostic")
    return _confirm_page(
        request,
        convention=convention,
        title=f"Supprimer le chiffre clé « {row.label} »",
        question="Le chiffre clé sera retiré de l'annexe 1.",
        anchor="diagnostic",
        confirm_label="Supprimer le chiffre clé",
    )


ISSUE_ROW = "conventions/annexes/_issue_row.html"


def _issue(convention: Convention, issue_pk: int) -> Issue:
    return get_object_or_404(Issue.objects.select_related("domain"), pk=issue_pk, diagnostic__convention=convention)


@login_required
@EDIT_METHODS
def issue_create(request: HttpRequest, convention_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    form = IssueForm(_data(request), instance=Issue(), prefix="enjeu-nouveau")
    if request.method == "POST" and form.is_valid():
        row = diagnostic_row_append(convention=convention, row=form.instance)
        if is_htmx(request):
            return _fragment(request, "conventions/annexes/_issue_created.html", convention, issue=row)
        messages.success(request, "L'enjeu est ajouté.")
        return _back(convention, "diagnostic")
    return _row_form_page(
        request,
        convention,
        form,
        row_id="enjeu-nouveau",
        action=reverse("conventions:issue_create", args=[convention.pk]),
        legend="Nouvel enjeu",
        colspan=3,
        anchor="diagnostic",
        title="Ajouter un enjeu",
        submit_label="Ajouter",
    )


@login_required
@EDIT_METHODS
def issue_edit(request: HttpRequest, convention_pk: int, issue_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    row = _issue(convention, issue_pk)
    form = IssueForm(_data(request), instance=row, prefix=f"enjeu-{row.pk}")
    if request.method == "POST" and form.is_valid() and _checked_save(request, form):
        if is_htmx(request):
            return _fragment(request, ISSUE_ROW, convention, issue=form.instance)
        messages.success(request, "L'enjeu est enregistré.")
        return _back(convention, "diagnostic")
    return _row_form_page(
        request,
        convention,
        form,
        row_id=f"enjeu-{row.pk}",
        action=reverse("conventions:issue_edit", args=[convention.pk, row.pk]),
        legend="Modifier l'enjeu",
        colspan=3,
        anchor="diagnostic",
        title="Modifier un enjeu",
    )


@login_required
@EDIT_METHODS
def issue_delete(request: HttpRequest, convention_pk: int, issue_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    row = _issue(convention, issue_pk)
    if request.method == "POST":
        row_delete(instance=row, user=request.user)
        if is_htmx(request):
            return HttpResponse("")  # htmx removes the row
        messages.success(request, "L'enjeu est supprimé.")
        return _back(convention, "diagnostic")
    return _confirm_page(
        request,
        convention=convention,
        title="Supprimer un enjeu",
        question="Cet enjeu sera retiré de l'annexe 1 :",
        details=row.text,
        anchor="diagnostic",
        confirm_label="Supprimer l'enjeu",
    )
