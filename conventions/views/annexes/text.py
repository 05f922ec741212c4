"""The text: visas, préambule, articles (add, edit, reset to the model, delete, move)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from core.locking import StaleEditError, save_if_unchanged

from ...forms.annexes import (
    ClauseForm,
    ConventionTextForm,
)
from ...models import Clause
from ...perms import get_text_editable_convention
from ...placeholders import fill_placeholders
from ...services import (
    clause_create,
    clause_move,
    clause_reset,
    placeholder_values,
    row_delete,
)
from .pages import EDIT_METHODS, _back, _checked_save, _confirm_page, _data, _direction, _form_page, _placeholder_help


@login_required
@EDIT_METHODS
def convention_text_edit(request: HttpRequest, convention_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    values = placeholder_values(convention=convention)
    form = ConventionTextForm(_data(request), instance=convention, placeholders=values)
    if request.method == "POST" and form.is_valid():
        try:
            save_if_unchanged(
                instance=form.instance,
                marker=form.posted_marker,
                user=request.user,
                update_fields=["visas", "preamble"],
            )
        except StaleEditError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Les visas et le préambule sont enregistrés.")
            return _back(convention, "texte")
    return _form_page(
        request,
        convention=convention,
        form=form,
        title="Visas et préambule",
        anchor="texte",
        placeholders=_placeholder_help(values),
    )


@login_required
@EDIT_METHODS
def clause_create_view(request: HttpRequest, convention_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    values = placeholder_values(convention=convention)
    form = ClauseForm(_data(request), instance=Clause(convention=convention), placeholders=values)
    if request.method == "POST" and form.is_valid():
        clause = clause_create(
            convention=convention,
            number=form.cleaned_data["number"],
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
        )
        messages.success(request, f"L'article « {clause.heading} » est ajouté à la fin du texte.")
        return _back(convention, "texte")
    return _form_page(
        request,
        convention=convention,
        form=form,
        title="Ajouter un article",
        anchor="texte",
        submit_label="Ajouter l'article",
        placeholders=_placeholder_help(values),
    )


@login_required
@EDIT_METHODS
def clause_edit(request: HttpRequest, convention_pk: int, clause_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    clause = get_object_or_404(Clause, pk=clause_pk, convention=convention)
    heading = clause.heading
    values = placeholder_values(convention=convention)
    form = ClauseForm(_data(request), instance=clause, placeholders=values)
    if request.method == "POST" and form.is_valid() and _checked_save(request, form):
        messages.success(request, f"L'article « {form.instance.heading} » est enregistré.")
        return _back(convention, "texte")
    return _form_page(
        request,
        convention=convention,
        form=form,
        title=f"Modifier « {heading} »",
        anchor="texte",
        placeholders=_placeholder_help(values),
    )


@login_required
@EDIT_METHODS
def clause_reset_view(request: HttpRequest, convention_pk: int, clause_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
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


@login_required
@EDIT_METHODS
def clause_delete(request: HttpRequest, convention_pk: int, clause_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    clause = get_object_or_404(Clause, pk=clause_pk, convention=convention)
    if request.method == "POST":
        row_delete(instance=clause, user=request.user)
        messages.success(request, f"L'article « {clause.heading} » est supprimé.")
        return _back(convention, "texte")
    return _confirm_page(
        request,
        convention=convention,
        title=f"Supprimer « {clause.heading} »",
        question="L'article sera retiré du texte de la convention. Les autres articles ne sont pas renumérotés.",
        anchor="texte",
        confirm_label="Supprimer l'article",
    )


@login_required
@require_POST
def clause_move_view(request: HttpRequest, convention_pk: int, clause_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    clause = get_object_or_404(Clause, pk=clause_pk, convention=convention)
    direction = _direction(request)
    if direction and clause_move(clause=clause, direction=direction):
        messages.success(request, f"« {clause.title} » est {'remonté' if direction == 'up' else 'descendu'} d'un rang.")
    return _back(convention, "texte")
