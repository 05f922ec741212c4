"""Annexe 1: the diagnostic's synthesis, its key figures and enjeux (edited in place)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from ...forms.annexes import DiagnosticForm, IssueForm, KeyFigureForm
from ...models import Convention, Diagnostic, Issue, KeyFigure
from ...services import diagnostic_row_append
from .pages import _data, _delete_or_confirm_page, _fragment, _inline, _removed, _save_or_form_page, text_edit_view


def _diagnostic_or_new(convention: Convention) -> Diagnostic:
    return Diagnostic.objects.filter(convention=convention).first() or Diagnostic(convention=convention)


@text_edit_view
def diagnostic_edit(request: HttpRequest, convention: Convention) -> HttpResponse:
    form = DiagnosticForm(_data(request), instance=_diagnostic_or_new(convention))
    saved = lambda _: "La synthèse du diagnostic est enregistrée."  # noqa: E731
    title = "Annexe 1 – synthèse du diagnostic"
    return _save_or_form_page(request, convention, form, saved=saved, anchor="diagnostic", title=title)


def _appending(convention: Convention):
    """The save of a new key figure or issue: appended to the diagnostic (created on the first row)."""
    return lambda _, form: bool(diagnostic_row_append(convention=convention, row=form.instance))


KEY_FIGURE_ROW = "conventions/annexes/_key_figure_row.html"


def _key_figure(convention: Convention, key_figure_pk: int) -> KeyFigure:
    return get_object_or_404(KeyFigure, pk=key_figure_pk, diagnostic__convention=convention)


@text_edit_view
def key_figure_create(request: HttpRequest, convention: Convention) -> HttpResponse:
    form = KeyFigureForm(_data(request), instance=KeyFigure(), prefix="chiffre-nouveau")
    created = "conventions/annexes/_key_figure_created.html"
    return _save_or_form_page(
        request,
        convention,
        form,
        save=_appending(convention),
        fragment=lambda row: _fragment(request, created, convention, k=row),
        saved="Le chiffre clé « {0.label} » est ajouté.".format,
        inline=_inline("conventions:key_figure_create", [convention.pk], "chiffre-nouveau", "Nouveau chiffre clé", 6),
        anchor="diagnostic",
        title="Ajouter un chiffre clé",
        submit_label="Ajouter",
    )


@text_edit_view
def key_figure_edit(request: HttpRequest, convention: Convention, key_figure_pk: int) -> HttpResponse:
    row = _key_figure(convention, key_figure_pk)
    named = f"Modifier « {row.label} »"  # as read, before the form copies the posted values into the row
    form = KeyFigureForm(_data(request), instance=row, prefix=f"chiffre-{row.pk}")
    args = [convention.pk, row.pk]
    return _save_or_form_page(
        request,
        convention,
        form,
        fragment=lambda saved: _fragment(request, KEY_FIGURE_ROW, convention, k=saved),
        saved="Le chiffre clé « {0.label} » est enregistré.".format,
        inline=_inline("conventions:key_figure_edit", args, f"chiffre-{row.pk}", named, 6),
        anchor="diagnostic",
        title=named,
    )


@text_edit_view
def key_figure_delete(request: HttpRequest, convention: Convention, key_figure_pk: int) -> HttpResponse:
    row = _key_figure(convention, key_figure_pk)
    return _delete_or_confirm_page(
        request,
        convention,
        row,
        fragment=_removed,
        done=f"Le chiffre clé « {row.label} » est supprimé.",
        anchor="diagnostic",
        title=f"Supprimer le chiffre clé « {row.label} »",
        question="Le chiffre clé sera retiré de l'annexe 1.",
        confirm_label="Supprimer le chiffre clé",
    )


ISSUE_ROW = "conventions/annexes/_issue_row.html"


def _issue(convention: Convention, issue_pk: int) -> Issue:
    return get_object_or_404(Issue.objects.select_related("domain"), pk=issue_pk, diagnostic__convention=convention)


@text_edit_view
def issue_create(request: HttpRequest, convention: Convention) -> HttpResponse:
    form = IssueForm(_data(request), instance=Issue(), prefix="enjeu-nouveau")
    created = "conventions/annexes/_issue_created.html"
    return _save_or_form_page(
        request,
        convention,
        form,
        save=_appending(convention),
        fragment=lambda row: _fragment(request, created, convention, issue=row),
        saved=lambda _: "L'enjeu est ajouté.",
        inline=_inline("conventions:issue_create", [convention.pk], "enjeu-nouveau", "Nouvel enjeu", 3),
        anchor="diagnostic",
        title="Ajouter un enjeu",
        submit_label="Ajouter",
    )


@text_edit_view
def issue_edit(request: HttpRequest, convention: Convention, issue_pk: int) -> HttpResponse:
    row = _issue(convention, issue_pk)
    form = IssueForm(_data(request), instance=row, prefix=f"enjeu-{row.pk}")
    inline = _inline("conventions:issue_edit", [convention.pk, row.pk], f"enjeu-{row.pk}", "Modifier l'enjeu", 3)
    return _save_or_form_page(
        request,
        convention,
        form,
        fragment=lambda saved: _fragment(request, ISSUE_ROW, convention, issue=saved),
        saved=lambda _: "L'enjeu est enregistré.",
        inline=inline,
        anchor="diagnostic",
        title="Modifier un enjeu",
    )


@text_edit_view
def issue_delete(request: HttpRequest, convention: Convention, issue_pk: int) -> HttpResponse:
    row = _issue(convention, issue_pk)
    return _delete_or_confirm_page(
        request,
        convention,
        row,
        fragment=_removed,
        done="L'enjeu est supprimé.",
        anchor="diagnostic",
        title="Supprimer un enjeu",
        question="Cet enjeu sera retiré de l'annexe 1 :",
        details=row.text,
        confirm_label="Supprimer l'enjeu",
    )
