"""Autorité organisatrice petite enfance: the competences of each commune (or EPCI) of the perimeter."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from ...ao import ao_obligations
from ...forms.annexes import AoCompetenceForm
from ...models import AoCompetence, Convention
from .pages import _data, _delete_or_confirm_page, _save_or_form_page, text_edit_view

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


def _saved(competence: AoCompetence) -> str:
    return f"Les compétences de {_name(competence)} sont enregistrées."


@text_edit_view
def ao_competence_create(request: HttpRequest, convention: Convention) -> HttpResponse:
    initial = {"commune": request.GET.get("commune")} if request.method == "GET" else None
    new = AoCompetence(convention=convention)
    form = AoCompetenceForm(_data(request), instance=new, convention=convention, initial=initial)
    title = "Autorité organisatrice petite enfance – ajouter une commune"
    return _save_or_form_page(
        request, convention, form, saved=_saved, anchor=ANCHOR, title=title, intro=INTRO, submit_label="Ajouter"
    )


@text_edit_view
def ao_competence_edit(request: HttpRequest, convention: Convention, ao_competence_pk: int) -> HttpResponse:
    competence = _competence(convention, ao_competence_pk)
    title = f"Autorité organisatrice petite enfance – {_name(competence)}"
    intro = f"Obligations selon la population légale : {ao_obligations(competence.population).lower()}."
    form = AoCompetenceForm(_data(request), instance=competence, convention=convention)
    return _save_or_form_page(request, convention, form, saved=_saved, anchor=ANCHOR, title=title, intro=intro)


@text_edit_view
def ao_competence_delete(request: HttpRequest, convention: Convention, ao_competence_pk: int) -> HttpResponse:
    competence = _competence(convention, ao_competence_pk)
    name = _name(competence)
    return _delete_or_confirm_page(
        request,
        convention,
        competence,
        done=f"Les compétences de {name} sont retirées de la convention.",
        anchor=ANCHOR,
        title=f"Retirer les compétences de {name}",
        question=f"Les compétences d'autorité organisatrice de {name} ne figureront plus dans la convention.",
        confirm_label="Retirer",
    )
