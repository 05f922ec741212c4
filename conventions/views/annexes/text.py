"""The text: visas, préambule, articles (add, edit, reset to the model, delete, move)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from core.locking import StaleEditError, save_if_unchanged

from ...forms.annexes import ClauseForm, ConventionTextForm
from ...models import Clause, Convention
from ...placeholders import fill_placeholders
from ...services import clause_append, clause_move, clause_reset, placeholder_values
from .pages import (
    _back,
    _confirm_page,
    _data,
    _delete_or_confirm_page,
    _direction,
    _placeholder_help,
    _save_or_form_page,
    text_edit_view,
)


def _save_text(request: HttpRequest, form) -> bool:
    fields = ["visas", "preamble"]
    try:
        save_if_unchanged(instance=form.instance, marker=form.posted_marker, user=request.user, update_fields=fields)
    except StaleEditError as error:
        form.add_error(None, error)
        return False
    return True


@text_edit_view
def convention_text_edit(request: HttpRequest, convention: Convention) -> HttpResponse:
    values = placeholder_values(convention=convention)
    form = ConventionTextForm(_data(request), instance=convention, placeholders=values)
    return _save_or_form_page(
        request,
        convention,
        form,
        save=_save_text,
        saved=lambda _: "Les visas et le préambule sont enregistrés.",
        anchor="texte",
        title="Visas et préambule",
        placeholders=_placeholder_help(values),
    )


@text_edit_view
def clause_create_view(request: HttpRequest, convention: Convention) -> HttpResponse:
    values = placeholder_values(convention=convention)
    form = ClauseForm(_data(request), instance=Clause(convention=convention), placeholders=values)
    return _save_or_form_page(
        request,
        convention,
        form,
        save=lambda _, form: bool(clause_append(clause=form.instance)),
        saved=lambda clause: f"L'article « {clause.heading} » est ajouté à la fin du texte.",
        anchor="texte",
        title="Ajouter un article",
        submit_label="Ajouter l'article",
        placeholders=_placeholder_help(values),
    )


@text_edit_view
def clause_edit(request: HttpRequest, convention: Convention, clause_pk: int) -> HttpResponse:
    clause = get_object_or_404(Clause, pk=clause_pk, convention=convention)
    title = f"Modifier « {clause.heading} »"  # as read, before the form copies the posted values into the row
    values = placeholder_values(convention=convention)
    form = ClauseForm(_data(request), instance=clause, placeholders=values)
    saved = "L'article « {0.heading} » est enregistré.".format
    return _save_or_form_page(
        request, convention, form, saved=saved, anchor="texte", title=title, placeholders=_placeholder_help(values)
    )


@text_edit_view
def clause_reset_view(request: HttpRequest, convention: Convention, clause_pk: int) -> HttpResponse:
    clause = get_object_or_404(Clause.objects.select_related("template"), pk=clause_pk, convention=convention)
    if clause.template is None:
        messages.error(request, f"« {clause.heading} » n'a pas de modèle : il n'y a pas de texte à rétablir.")
        return _back(convention, "texte")
    if request.method == "POST":
        clause_reset(clause=clause)
        messages.success(request, f"Le texte du modèle est rétabli pour « {clause.heading} ».")
        return _back(convention, "texte")
    return _confirm_page(
        request,
        convention=convention,
        title=f"Rétablir le texte du modèle – {clause.heading}",
        question=(
            "Le texte actuel de l'article sera remplacé par celui du modèle ci-dessous, "
            "complété avec les informations de la convention. Les changements faits sur cet article seront perdus."
        ),
        details=fill_placeholders(clause.template.body, placeholder_values(convention=convention)),
        anchor="texte",
        confirm_label="Rétablir le texte du modèle",
    )


@text_edit_view
def clause_delete(request: HttpRequest, convention: Convention, clause_pk: int) -> HttpResponse:
    clause = get_object_or_404(Clause, pk=clause_pk, convention=convention)
    return _delete_or_confirm_page(
        request,
        convention,
        clause,
        done=f"L'article « {clause.heading} » est supprimé.",
        anchor="texte",
        title=f"Supprimer « {clause.heading} »",
        question="L'article sera retiré du texte de la convention. Les autres articles ne sont pas renumérotés.",
        confirm_label="Supprimer l'article",
    )


@text_edit_view(methods=["POST"])
def clause_move_view(request: HttpRequest, convention: Convention, clause_pk: int) -> HttpResponse:
    clause = get_object_or_404(Clause, pk=clause_pk, convention=convention)
    direction = _direction(request)
    if direction and clause_move(clause=clause, direction=direction):
        messages.success(request, f"« {clause.title} » est {'remonté' if direction == 'up' else 'descendu'} d'un rang.")
    return _back(convention, "texte")
