"""actions/views/plan.py: the plan page, its tree and its nodes."""

import html

import pytest
from django.urls import reverse

from actions.models import Axis, Objective, Orientation
from tests.actions.factories import (
    ActionSheetFactory,
    AxisFactory,
    ObjectiveFactory,
    OrientationFactory,
)
from tests.actions.views.helpers import (
    HTMX,
    count_queries,
    error_next_to,
)
from tests.conventions.factories import ConventionFactory

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
            ActionSheetFactory(convention=convention, place=objective)

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
