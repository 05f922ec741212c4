import datetime
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.enums import STATUSES_NEEDING_REASON
from actions.models import ActionSheet, Axis, Objective, Orientation, Priority
from conventions.models import Amendment, Convention, Domain
from tests.accounts.factories import UserFactory
from tests.actions.factories import (
    ActionSheetFactory,
    AxisFactory,
    ObjectiveFactory,
    OrientationFactory,
    StatusUpdateFactory,
)
from tests.conventions.factories import ConventionFactory
from tests.evaluation.factories import IndicatorFactory, MeasurementFactory
from tests.territories.factories import CommuneFactory

HTMX = {"HTTP_HX_REQUEST": "true"}

DUPLICATE_REFERENCE = "Une fiche-action porte déjà cette référence dans la convention."
END_BEFORE_START = "L'année de fin doit être égale ou postérieure à l'année de début."


def error_next_to(body: str, field_id: str, message: str) -> bool:
    """The message sits in the error block that the field points to (aria-describedby)."""
    return f'id="{field_id}-erreurs" role="alert">{message}' in html.unescape(body)


@pytest.fixture
def objective(convention):
    orientation = OrientationFactory(convention=convention, number="1", title="Être un acteur éducatif")
    axis = AxisFactory(orientation=orientation, number="1", title="Solutions de garde adaptées")
    return ObjectiveFactory(axis=axis, number="1.1", title="Faire connaître le guichet unique du RPE")


@pytest.fixture
def action(convention, objective):
    action = ActionSheetFactory(
        convention=convention,
        reference="1.1",
        title="Développer la mission de guichet unique du RPE",
        context="Les familles ne savent pas quel service solliciter.",
        target_public="Les familles et les assistantes maternelles",
        objectives="Faire connaître le RPE",
        implementation="Plan de communication",
        schedule="Période de la convention",
        lead="Animatrice du RPE",
        pilots="Service communication communal",
        expected_results="Une meilleure orientation des familles",
        partners="Réseau départemental des RPE",
        start_year=2022,
        end_year=2025,
        due_date=datetime.date(2025, 6, 30),
        status="en_cours",
        progress=40,
    )
    action.place_under(objective)
    action.save()
    return action


def fiche_data(**overrides) -> dict:
    data = {
        "reference": "2.1",
        "title": "Créer un lieu d'accueil enfants-parents",
        "kind": "nouvelle",
        "level": "communal",
        "target_public": "Parents d'enfants de moins de 6 ans",
        "target_territory": "",
        "lead": "Centre social",
        "pilots": "",
        "partners": "Caf, PMI",
        "context": "Pas de LAEP sur la commune.",
        "objectives": "Ouvrir un LAEP",
        "implementation": "Étude de faisabilité",
        "expected_results": "",
        "vigilance": "",
        "schedule": "2023-2024",
        "start_year": "2023",
        "end_year": "2024",
        "due_date": "2024-12-31",
        "budget_amount": "12500",
        "budget_text": "",
        "caf_means": "Prestation de service LAEP",
        "status": "a_lancer",
        "status_reason": "",
        "progress": "0",
    }
    data.update(overrides)
    return data


def edit_data(action: ActionSheet, **overrides) -> dict:
    data = fiche_data(reference=action.reference, title=action.title, marker=str(action.lock_version))
    data.update(overrides)
    return data


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


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
    url = reverse("conventions:detail", args=[action.convention_id])
    client.force_login(copil)
    body = client.get(url).content.decode()
    assert reverse("actions:detail", args=[action.convention_id, action.pk]) in body
    assert reverse("actions:edit", args=[action.convention_id, action.pk]) not in body
    assert f'href="{reverse("actions:plan_edit", args=[action.convention_id])}"' not in body
    client.force_login(adviser)
    body = client.get(url).content.decode()
    assert reverse("actions:edit", args=[action.convention_id, action.pk]) in body
    assert f'href="{reverse("actions:plan_edit", args=[action.convention_id])}"' in body


# -- the plan page and its tree -----------------------------------------------------------------------


def test_plan_page_shows_the_tree_with_its_controls(client, action, adviser):
    client.force_login(adviser)
    response = client.get(reverse("actions:plan_edit", args=[action.convention_id]))
    assert response.status_code == 200
    body = html.unescape(response.content.decode())
    for text in ("Modifier le plan d'actions", "Être un acteur éducatif", "Solutions de garde adaptées", "1.1"):
        assert text in body
    assert reverse("actions:move", args=[action.convention_id, action.pk]) in body
    assert reverse("actions:node_delete", args=[action.convention_id, "axe", action.axis_id]) in body


def test_plan_page_query_count_is_the_same_with_2_and_20_fiches(client, convention, adviser):
    def add_fiches(count: int):
        for _ in range(count):
            objective = ObjectiveFactory(axis=AxisFactory(orientation=OrientationFactory(convention=convention)))
            action = ActionSheetFactory(convention=convention)
            action.place_under(objective)
            action.save()

    client.force_login(adviser)
    url = reverse("actions:plan_edit", args=[convention.pk])
    add_fiches(2)
    small_count = count_queries(client, url)
    add_fiches(18)
    assert count_queries(client, url) == small_count <= 10


def test_plan_page_is_refused_to_the_conventions_cooperation_and_copil(client, convention, cooperation, copil):
    for user in (cooperation, copil):
        client.force_login(user)
        assert client.get(reverse("actions:plan_edit", args=[convention.pk])).status_code == 403


def test_add_orientation_axis_and_objectives(client, convention, adviser):
    client.force_login(adviser)
    plan_url = reverse("actions:plan_edit", args=[convention.pk])
    response = client.post(
        reverse("actions:orientation_create", args=[convention.pk]), {"number": "1", "title": "Soutenir les familles"}
    )
    orientation = Orientation.objects.get(convention=convention)
    assert response.status_code == 302
    assert response["Location"] == f"{plan_url}#orientation-{orientation.pk}"
    client.post(reverse("actions:axis_create", args=[convention.pk, orientation.pk]), {"number": "1", "title": "Axe"})
    axis = Axis.objects.get(orientation=orientation)
    client.post(reverse("actions:objective_create", args=[convention.pk, "axe", axis.pk]), {"title": "Sous l'axe"})
    client.post(
        reverse("actions:objective_create", args=[convention.pk, "orientation", orientation.pk]), {"title": "Direct"}
    )
    assert Objective.objects.get(title="Sous l'axe").axis == axis
    direct = Objective.objects.get(title="Direct")
    assert (direct.orientation, direct.axis) == (orientation, None)


def test_add_node_without_title_shows_the_error_and_creates_nothing(client, convention, adviser):
    client.force_login(adviser)
    url = reverse("actions:orientation_create", args=[convention.pk])
    response = client.post(url, {"number": "1", "title": ""})
    assert response.status_code == 200
    assert error_next_to(response.content.decode(), "ajouter-orientation-intitule", "Indiquez l'intitulé.")
    assert not Orientation.objects.exists()
    response = client.post(url, {"number": "1", "title": ""}, **HTMX)
    assert response["HX-Retarget"] == "#ajouter-orientation"
    assert error_next_to(response.content.decode(), "ajouter-orientation-intitule", "Indiquez l'intitulé.")
    assert not Orientation.objects.exists()


def test_add_node_with_htmx_returns_the_refreshed_tree(client, convention, adviser):
    client.force_login(adviser)
    response = client.post(
        reverse("actions:orientation_create", args=[convention.pk]), {"title": "Accompagner la parentalité"}, **HTMX
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith('<div id="plan-arbre">')
    assert "Accompagner la parentalité" in body
    assert "Orientation ajoutée." in body
    assert Orientation.objects.filter(convention=convention).count() == 1


def test_objective_cannot_be_added_under_an_objective(client, objective, adviser):
    client.force_login(adviser)
    url = reverse("actions:objective_create", args=[objective.orientation.convention_id, "objectif", objective.pk])
    assert client.post(url, {"title": "Sous-objectif"}).status_code == 404
    assert Objective.objects.count() == 1


def test_rename_a_node(client, objective, adviser):
    client.force_login(adviser)
    url = reverse("actions:node_rename", args=[objective.orientation.convention_id, "axe", objective.axis_id])
    assert 'value="Solutions de garde adaptées"' in client.get(url).content.decode()
    response = client.post(url, {"number": "1.b", "title": "Modes d'accueil"})
    assert response.status_code == 302
    objective.axis.refresh_from_db()
    assert (objective.axis.number, objective.axis.title) == ("1.b", "Modes d'accueil")


def test_rename_with_an_empty_title_changes_nothing(client, objective, adviser):
    client.force_login(adviser)
    url = reverse("actions:node_rename", args=[objective.orientation.convention_id, "objectif", objective.pk])
    response = client.post(url, {"number": "9", "title": "  "})
    assert error_next_to(
        response.content.decode(), f"renommer-objectif-{objective.pk}-intitule", "Indiquez l'intitulé."
    )
    objective.refresh_from_db()
    assert (objective.number, objective.title) == ("1.1", "Faire connaître le guichet unique du RPE")


def test_another_conventions_node_is_404_through_this_convention(client, convention, adviser):
    foreign = OrientationFactory(convention=ConventionFactory(caf=convention.caf), title="Ailleurs")
    client.force_login(adviser)
    for name in ("node_rename", "node_delete"):
        url = reverse(f"actions:{name}", args=[convention.pk, "orientation", foreign.pk])
        assert client.post(url, {"title": "Piraté"}).status_code == 404
    url = reverse("actions:node_move", args=[convention.pk, "orientation", foreign.pk])
    assert client.post(url, {"direction": "up"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.title == "Ailleurs"


def test_move_orientations_up_and_down(client, convention, adviser):
    first, second, third = (OrientationFactory(convention=convention, title=t) for t in ("A", "B", "C"))
    client.force_login(adviser)
    response = client.post(
        reverse("actions:node_move", args=[convention.pk, "orientation", third.pk]), {"direction": "up"}
    )
    assert response.status_code == 302
    titles = list(convention.orientations.order_by("order", "pk").values_list("title", flat=True))
    assert titles == ["A", "C", "B"]
    response = client.post(
        reverse("actions:node_move", args=[convention.pk, "orientation", first.pk]), {"direction": "down"}, **HTMX
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith('<div id="plan-arbre">')
    assert "descend d'un rang." in html.unescape(body)
    titles = list(convention.orientations.order_by("order", "pk").values_list("title", flat=True))
    assert titles == ["C", "A", "B"]
    assert sorted(convention.orientations.values_list("order", flat=True)) == [0, 1, 2]


def test_move_first_up_says_so_and_changes_nothing(client, convention, adviser):
    first = OrientationFactory(convention=convention, title="A")
    OrientationFactory(convention=convention, title="B")
    client.force_login(adviser)
    response = client.post(
        reverse("actions:node_move", args=[convention.pk, "orientation", first.pk]), {"direction": "up"}, follow=True
    )
    assert "est déjà en première position" in response.content.decode()
    assert list(convention.orientations.order_by("order", "pk").values_list("title", flat=True)) == ["A", "B"]


def test_node_move_is_post_only(client, objective, adviser):
    client.force_login(adviser)
    url = reverse("actions:node_move", args=[objective.orientation.convention_id, "objectif", objective.pk])
    assert client.get(url).status_code == 405


def test_delete_a_node_with_fiches_is_refused_with_a_french_message(client, action, adviser):
    client.force_login(adviser)
    url = reverse("actions:node_delete", args=[action.convention_id, "orientation", action.orientation_id])
    assert "1 fiche-action s'y trouve encore" in html.unescape(client.get(url).content.decode())
    response = client.post(url)
    assert response.status_code == 200
    assert "Impossible de supprimer cette orientation : elle contient encore 1 fiche-action." in html.unescape(
        response.content.decode()
    )
    assert Orientation.objects.filter(pk=action.orientation_id).exists()


def test_delete_an_empty_node_after_confirmation(client, objective, adviser):
    convention_pk = objective.orientation.convention_id
    client.force_login(adviser)
    url = reverse("actions:node_delete", args=[convention_pk, "axe", objective.axis_id])
    body = client.get(url).content.decode()
    assert "Seront aussi supprimés 1 objectif opérationnel" in body
    assert Axis.objects.filter(pk=objective.axis_id).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("actions:plan_edit", args=[convention_pk])
    assert not Axis.objects.filter(pk=objective.axis_id).exists()
    assert not Objective.objects.filter(pk=objective.pk).exists()


# -- moving a fiche -----------------------------------------------------------------------------------


def test_move_a_fiche_to_another_node(client, action, adviser):
    orientation = action.orientation
    client.force_login(adviser)
    url = reverse("actions:move", args=[action.convention_id, action.pk])
    body = client.get(url).content.decode()
    assert "Nouvelle place dans le plan" in body
    assert f'value="objectif-{action.objective_id}" selected' in body
    inline = client.get(url, **HTMX).content.decode()
    assert inline.lstrip().startswith("<form") and 'hx-target="#plan-arbre"' in inline
    response = client.post(url, {"place": f"orientation-{orientation.pk}"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.orientation, action.axis, action.objective) == (orientation, None, None)
    client.post(url, {"place": ""}, **HTMX)
    action.refresh_from_db()
    assert (action.orientation, action.axis, action.objective) == (None, None, None)


@pytest.mark.parametrize("kind", ["orientation", "axe", "objectif"])
def test_move_a_fiche_under_another_conventions_node_is_404(client, action, adviser, kind):
    foreign = ObjectiveFactory(axis=AxisFactory(orientation=OrientationFactory(convention=ConventionFactory())))
    node = {"orientation": foreign.orientation, "axe": foreign.axis, "objectif": foreign}[kind]
    client.force_login(adviser)
    response = client.post(
        reverse("actions:move", args=[action.convention_id, action.pk]), {"place": f"{kind}-{node.pk}"}
    )
    assert response.status_code == 404
    before = (action.orientation_id, action.axis_id, action.objective_id, action.order)
    action.refresh_from_db()
    assert (action.orientation_id, action.axis_id, action.objective_id, action.order) == before


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
    assert 'type="date"' in body


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
    assert 'value="2025-06-30"' in body
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
