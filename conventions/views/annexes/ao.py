"""Autorité organisatrice petite enfance: the competences of each commune (or EPCI) of the perimeter."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from ...ao import ao_obligations
from ...forms.annexes import AoCompetenceForm
from ...models import AoCompetence, Convention
from ...perms import get_text_editable_convention
from ...services import row_delete
from .pages import EDIT_METHODS, _back, _checked_save, _confirm_page, _data, _form_page

ANCHOR = "petite-enfance"
INTRO = (
    "Depuis 2025, les communes sont autorités organisatrices de l'accueil du jeune enfant (article L.214-1-3 du "
    "code de l'action sociale et des familles) : toutes recensent les besoins et l'offre et informent les "
    "familles ; au-delà de 3 500 habitants, elles planifient aussi l'offre et soutiennent sa qualité ; au-delà de "
    "10 000 habitants, elles adoptent un schéma pluriannuel et font fonctionner un relais petite enfance."
)


def _competence(convention: Convention, ao_competence_pk: int) -> AoCompetence:
    return get_object_or_404(
        AoCompetence.objects.select_related("commune", "epci"), pk=ao_competence_pk, convention=convention
    )


def _name(competence: AoCompetence) -> str:
    return competence.commune.name if competence.commune_id else competence.epci.name


@login_required
@EDIT_METHODS
def ao_competence_create(request: HttpRequest, convention_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    initial = {"commune": request.GET.get("commune")} if request.method == "GET" else None
    form = AoCompetenceForm(
        _data(request), instance=AoCompetence(convention=convention), convention=convention, initial=initial
    )
    if request.method == "POST" and form.is_valid() and _checked_save(request, form):
        messages.success(request, f"Les compétences de {_name(form.instance)} sont enregistrées.")
        return _back(convention, ANCHOR)
    return _form_page(
        request,
        convention=convention,
        form=form,
        title="Autorité organisatrice petite enfance – ajouter une commune",
        anchor=ANCHOR,
        intro=INTRO,
        submit_label="Ajouter",
    )


@login_required
@EDIT_METHODS
def ao_competence_edit(request: HttpRequest, convention_pk: int, ao_competence_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    competence = _competence(convention, ao_competence_pk)
    name = _name(competence)
    form = AoCompetenceForm(_data(request), instance=competence, convention=convention)
    if request.method == "POST" and form.is_valid() and _checked_save(request, form):
        messages.success(request, f"Les compétences de {_name(form.instance)} sont enregistrées.")
        return _back(convention, ANCHOR)
    return _form_page(
        request,
        convention=convention,
        form=form,
        title=f"Autorité organisatrice petite enfance – {name}",
        anchor=ANCHOR,
        intro=f"Obligations selon la population légale : {ao_obligations(competence.population).lower()}.",
    )


@login_required
@EDIT_METHODS
def ao_competence_delete(request: HttpRequest, convention_pk: int, ao_competence_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    competence = _competence(convention, ao_competence_pk)
    name = _name(competence)
    if request.method == "POST":
        row_delete(instance=competence, user=request.user)
        messages.success(request, f"Les compétences de {name} sont retirées de la convention.")
        return _back(convention, ANCHOR)
    return _confirm_page(
        request,
        convention=convention,
        title=f"Retirer les compétences de {name}",
        question=f"Les compétences d'autorité organisatrice de {name} ne figureront plus dans la convention.",
        anchor=ANCHOR,
        confirm_label="Retirer",
    )
