"""actions/views/fiches.py: the fiche page; creating, editing and moving a fiche."""

import datetime
import html
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.enums import STATUSES_NEEDING_REASON
from actions.models import ActionSheet, Priority
from conventions.models import Amendment, Convention, Domain
from tests.accounts.factories import UserFactory
from tests.actions.factories import (
    ActionSheetFactory,
    OrientationFactory,
    StatusUpdateFactory,
)
from tests.actions.views.helpers import (
    DUPLICATE_REFERENCE,
    END_BEFORE_START,
    count_queries,
    edit_data,
    error_next_to,
    fiche_data,
)
from tests.conventions.factories import ConventionFactory
from tests.evaluation.factories import IndicatorFactory, MeasurementFactory
from tests.pages import whole_convention_page
from tests.territories.factories import CommuneFactory

# -- the fiche page -----------------------------------------------------------------------------------


def test_fiche_page_requires_login(client, action):
    response = client.get(reverse("actions:detail", args=[action.convention_id, action.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_fiche_page_is_404_outside_the_users_scope(client, action, other_adviser):
    client.force_login(other_adviser)
    assert client.get(reverse("actions:detail", args=[action.convention_id, action.pk])).status_code == 404


def test_fiche_page_is_404_through_another_convention(client, action, adviser):
    elsewhere = ConventionFactory(caf=action.convention.caf)
    client.force_login(adviser)
    assert client.get(reverse("actions:detail", args=[elsewhere.pk, action.pk])).status_code == 404


def test_fiche_page_shows_the_fiche_its_place_indicators_and_timeline(client, action, copil):
    indicator = IndicatorFactory(convention=action.convention, action=action, label="Nombre de contacts du RPE")
    MeasurementFactory(indicator=indicator, year=2023, value=140)
    author = UserFactory(first_name="Nadia", last_name="Benali")
    StatusUpdateFactory(action=action, date=datetime.date(2023, 3, 2), comment="Lancement", author=author)
    StatusUpdateFactory(action=action, date=datetime.date(2024, 9, 15), comment="Plan de communication validé")
    client.force_login(copil)
    response = client.get(reverse("actions:detail", args=[action.convention_id, action.pk]))
    assert response.status_code == 200
    body = html.unescape(response.content.decode())
    for text in (
        "Développer la mission de guichet unique du RPE",
        "Être un acteur éducatif",
        "Solutions de garde adaptées",
        "Faire connaître le guichet unique du RPE",
        "Diagnostic initial – constats",
        "Les familles ne savent pas quel service solliciter.",
        "Public visé",
        "Responsable de l'action et services mobilisés",
        "Animatrice du RPE",
        "Partenaires sollicités",
        "Réseau départemental des RPE",
        "Nombre de contacts du RPE",
        "2023 : 140",
        "De 2022 à 2025",
        "30/06/2025",
        "badge-status status-en_cours",
        "Par Nadia Benali",
    ):
        assert text in body, text
    assert body.index("15/09/2024") < body.index("02/03/2023"), "le point le plus récent d'abord"
    assert "Modifier la fiche" not in body


def test_fiche_page_offers_editing_to_advisers_only_while_the_text_is_open(client, action, adviser):
    url = reverse("actions:detail", args=[action.convention_id, action.pk])
    client.force_login(adviser)
    assert "Modifier la fiche" in client.get(url).content.decode()
    Convention.objects.filter(pk=action.convention_id).update(status="signee")
    assert "Modifier la fiche" not in client.get(url).content.decode()


def test_fiche_page_query_count_is_the_same_with_1_and_20_indicators(client, convention, adviser):
    small, large = ActionSheetFactory(convention=convention), ActionSheetFactory(convention=convention)
    for action, count in ((small, 1), (large, 20)):
        for _ in range(count):
            indicator = IndicatorFactory(convention=convention, action=action)
            MeasurementFactory(indicator=indicator, year=2023)
            MeasurementFactory(indicator=indicator, year=2024)
            StatusUpdateFactory(action=action, author=adviser)
    client.force_login(adviser)
    small_count = count_queries(client, reverse("actions:detail", args=[convention.pk, small.pk]))
    large_count = count_queries(client, reverse("actions:detail", args=[convention.pk, large.pk]))
    assert small_count == large_count <= 12


def test_convention_page_links_every_fiche_to_its_page(client, action, adviser, copil):
    client.force_login(copil)
    body = whole_convention_page(client, action.convention_id)
    assert reverse("actions:detail", args=[action.convention_id, action.pk]) in body
    assert reverse("actions:edit", args=[action.convention_id, action.pk]) not in body
    assert f'href="{reverse("actions:plan_edit", args=[action.convention_id])}"' not in body
    client.force_login(adviser)
    body = whole_convention_page(client, action.convention_id)
    assert reverse("actions:edit", args=[action.convention_id, action.pk]) in body
    assert f'href="{reverse("actions:plan_edit", args=[action.convention_id])}"' in body


# -- moving a fiche -----------------------------------------------------------------------------------


@pytest.mark.parametrize("place", ["fiche-1", "objectif-abc", "objectif-"])
def test_move_a_fiche_to_a_malformed_place_is_404(client, action, adviser, place):
    client.force_login(adviser)
    response = client.post(reverse("actions:move", args=[action.convention_id, action.pk]), {"place": place})
    assert response.status_code == 404
    action.refresh_from_db()
    assert action.objective_id is not None


# -- creating a fiche ---------------------------------------------------------------------------------


def test_create_form_shows_every_group_and_the_chosen_place(client, objective, adviser):
    convention = objective.orientation.convention
    client.force_login(adviser)
    response = client.get(reverse("actions:create", args=[convention.pk]) + f"?place=objectif-{objective.pk}")
    body = response.content.decode()
    for legend in ("Identification", "Public et territoire", "Contenu de la fiche", "Échéances", "Moyens", "Suivi"):
        assert f'<legend class="h5">{legend}</legend>' in body
    assert f'value="objectif-{objective.pk}" selected' in body
    assert 'name="due"' in body  # the échéance is typed: a year, a semester, a month or a date


def test_create_a_fiche(client, objective, adviser):
    convention = objective.orientation.convention
    commune = convention.territory.communes.first()
    domain = Domain.objects.create(code="parentalite-test", label="Parentalité (test)")
    priority = Priority.objects.create(label="Intérêt fort (test)")
    client.force_login(adviser)
    data = fiche_data(
        place=f"objectif-{objective.pk}",
        domains=[domain.pk],
        target_communes=[commune.pk],
        priority=priority.pk,
    )
    response = client.post(reverse("actions:create", args=[convention.pk]), data)
    action = ActionSheet.objects.get(convention=convention, reference="2.1")
    assert response.status_code == 302
    assert response["Location"] == reverse("actions:detail", args=[convention.pk, action.pk])
    assert (action.objective, action.axis, action.orientation) == (objective, objective.axis, objective.orientation)
    assert (action.start_year, action.end_year, action.due_date) == (2023, 2024, datetime.date(2024, 12, 31))
    assert action.priority == priority
    assert list(action.domains.all()) == [domain]
    assert list(action.target_communes.all()) == [commune]


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"reference": "1.1"}, "reference", DUPLICATE_REFERENCE),
        ({"start_year": "2025", "end_year": "2023"}, "end_year", END_BEFORE_START),
        ({"progress": "101"}, "progress", "L'avancement ne peut pas dépasser 100 %."),
        ({"title": ""}, "title", "Ce champ est obligatoire."),
    ],
)
def test_create_with_bad_input_shows_the_error_next_to_the_field(client, action, adviser, overrides, field, message):
    client.force_login(adviser)
    response = client.post(reverse("actions:create", args=[action.convention_id]), fiche_data(**overrides))
    assert response.status_code == 200
    assert error_next_to(response.content.decode(), field, message)
    assert ActionSheet.objects.count() == 1


@pytest.mark.parametrize("status", STATUSES_NEEDING_REASON)
def test_create_with_a_status_needing_a_reason_but_none_is_refused(client, convention, adviser, status):
    client.force_login(adviser)
    response = client.post(reverse("actions:create", args=[convention.pk]), fiche_data(status=status))
    assert response.status_code == 200
    assert 'id="status_reason-erreurs"' in response.content.decode()
    assert "Indiquez le motif" in response.content.decode()
    assert not ActionSheet.objects.exists()


def test_create_refuses_a_commune_outside_the_perimeter(client, convention, adviser):
    elsewhere = CommuneFactory()
    client.force_login(adviser)
    response = client.post(reverse("actions:create", args=[convention.pk]), fiche_data(target_communes=[elsewhere.pk]))
    assert response.status_code == 200
    assert 'id="target_communes-erreurs"' in response.content.decode()
    assert elsewhere.name not in response.content.decode()
    assert not ActionSheet.objects.exists()


def test_create_refuses_a_place_of_another_convention(client, convention, adviser):
    foreign = OrientationFactory(convention=ConventionFactory())
    client.force_login(adviser)
    response = client.post(
        reverse("actions:create", args=[convention.pk]), fiche_data(place=f"orientation-{foreign.pk}")
    )
    assert response.status_code == 200
    assert 'id="place-erreurs"' in response.content.decode()
    assert not ActionSheet.objects.exists()


# -- editing a fiche ----------------------------------------------------------------------------------


def test_edit_a_fiche(client, action, adviser):
    client.force_login(adviser)
    url = reverse("actions:edit", args=[action.convention_id, action.pk])
    body = client.get(url).content.decode()
    assert "Développer la mission de guichet unique du RPE" in body
    assert 'value="30/06/2025"' in body
    data = edit_data(action, title="Guichet unique petite enfance", status="bloquee", status_reason="Poste vacant")
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("actions:detail", args=[action.convention_id, action.pk])
    action.refresh_from_db()
    assert (action.title, action.status, action.status_reason) == (
        "Guichet unique petite enfance",
        "bloquee",
        "Poste vacant",
    )
    assert action.lock_version == 1
    assert action.objective_id is not None, "editing the fiche keeps its place in the plan"


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"end_year": "2020", "start_year": "2022"}, "end_year", END_BEFORE_START),
        ({"progress": "150"}, "progress", "L'avancement ne peut pas dépasser 100 %."),
        ({"status": "abandonnee", "status_reason": ""}, "status_reason", "Indiquez le motif"),
    ],
)
def test_edit_with_bad_input_changes_nothing(client, action, adviser, overrides, field, message):
    client.force_login(adviser)
    response = client.post(
        reverse("actions:edit", args=[action.convention_id, action.pk]), edit_data(action, **overrides)
    )
    assert response.status_code == 200
    assert error_next_to(response.content.decode(), field, message)
    action.refresh_from_db()
    assert (action.end_year, action.progress, action.status, action.lock_version) == (2025, 40, "en_cours", 0)


def test_edit_refuses_a_reference_already_used_in_the_convention(client, action, adviser):
    ActionSheetFactory(convention=action.convention, reference="1.2")
    ActionSheetFactory(reference="1.3")  # another convention: free to reuse
    client.force_login(adviser)
    url = reverse("actions:edit", args=[action.convention_id, action.pk])
    response = client.post(url, edit_data(action, reference="1.2"))
    assert error_next_to(response.content.decode(), "reference", DUPLICATE_REFERENCE)
    action.refresh_from_db()
    assert action.reference == "1.1"
    assert client.post(url, edit_data(action, reference="1.3")).status_code == 302


def test_edit_over_a_newer_version_is_refused_and_keeps_the_newer_data(client, action, adviser):
    colleague = UserFactory(adviser=True, caf=action.convention.caf, first_name="Claire", last_name="Durand")
    url = reverse("actions:edit", args=[action.convention_id, action.pk])
    stale = edit_data(action, title="Ma version")  # read at version 0
    client.force_login(colleague)
    assert client.post(url, edit_data(action, title="Version de Claire")).status_code == 302
    client.force_login(adviser)
    response = client.post(url, stale)
    assert response.status_code == 200
    body = html.unescape(response.content.decode())
    assert f"Modifié par Claire Durand le {timezone.localdate():%d/%m/%Y}" in body
    action.refresh_from_db()
    assert (action.title, action.lock_version) == ("Version de Claire", 1)


# -- signed conventions -------------------------------------------------------------------------------


def test_a_signed_convention_refuses_edits_until_an_avenant_is_open(client, adviser, action):
    convention = action.convention
    convention.status = "signee"
    convention.save()
    client.force_login(adviser)
    edit_url = reverse("actions:edit", args=[convention.pk, action.pk])
    assert client.get(reverse("actions:plan_edit", args=[convention.pk])).status_code == 403
    assert client.post(edit_url, edit_data(action, title="Refusé")).status_code == 403
    response = client.post(reverse("actions:orientation_create", args=[convention.pk]), {"title": "Refusée"})
    assert response.status_code == 403
    assert "avenant" in response.content.decode()
    action.refresh_from_db()
    assert action.title != "Refusé"
    assert convention.orientations.count() == 1
    assert client.get(reverse("actions:detail", args=[convention.pk, action.pk])).status_code == 200

    Amendment.objects.create(convention=convention, number=1, object="Ajout d'une fiche-action", signed_on=None)
    assert client.get(reverse("actions:plan_edit", args=[convention.pk])).status_code == 200
    assert client.post(edit_url, edit_data(action, title="Par avenant")).status_code == 302
    action.refresh_from_db()
    assert action.title == "Par avenant"


def test_create_reads_the_budget_typed_the_french_way(client, objective, adviser):
    convention = objective.orientation.convention
    client.force_login(adviser)
    data = fiche_data(place=f"objectif-{objective.pk}", budget_amount="12 500,50")
    response = client.post(reverse("actions:create", args=[convention.pk]), data)
    assert response.status_code == 302
    assert ActionSheet.objects.get(convention=convention, reference="2.1").budget_amount == Decimal("12500.50")


def test_create_with_an_error_titles_the_page_and_sums_the_errors_up_with_links(client, action, adviser):
    client.force_login(adviser)
    response = client.post(
        reverse("actions:create", args=[action.convention_id]), fiche_data(title="", budget_amount="douze")
    )
    body = html.unescape(response.content.decode())
    assert "<title>Erreur : Nouvelle fiche-action" in body
    start = body.index('id="resume-erreurs"')
    summary = body[start : body.index("</ul>", start)]
    assert """<a class="alert-link" href="#id_title">Intitulé : Ce champ est obligatoire.</a>""" in summary
    assert 'href="#id_budget_amount">Budget (€) : Saisissez un nombre' in summary
    assert ActionSheet.objects.count() == 1
