"""The plan's level names, the pasted outline, the blank template, the fiche's échéance, « contribue aussi à » and
the way back after saving a fiche (issue 14, items 4 and 5)."""

import html
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from actions.models import ActionSheet, Axis, Objective, Orientation
from tests.actions.factories import ActionSheetFactory, AxisFactory, ObjectiveFactory, OrientationFactory
from tests.actions.views.helpers import count_queries, edit_data, error_next_to, fiche_data
from tests.pages import whole_convention_page

OUTLINE = "Axe 1 : Soutenir les familles\n1.1 Accompagner la parentalité\n1.1.1 Créer un LAEP\n2 Jeunesse\n"


def _body(response) -> str:
    return html.unescape(response.content.decode())


# -- level names ----------------------------------------------------------------------------------------


def test_adviser_names_the_levels_and_every_page_uses_them(client, action, adviser):
    convention = action.convention
    client.force_login(adviser)
    response = client.post(
        reverse("actions:plan_levels", args=[convention.pk]),
        {"orientation_label": "Axe", "axis_label": "Objectif stratégique", "objective_label": "Objectif opérationnel"},
    )
    assert response.status_code == 302
    convention.refresh_from_db()
    assert convention.axis_label == "Objectif stratégique"
    plan = _body(client.get(reverse("actions:plan_edit", args=[convention.pk])))
    assert "Axe 1 : Être un acteur éducatif" in plan
    assert "Objectif stratégique 1 : Solutions de garde adaptées" in plan
    assert "Objectif opérationnel 1.1 Faire connaître" in plan
    assert "Ajouter l'objectif stratégique" in plan
    page = whole_convention_page(client, convention.pk)
    assert "Objectif stratégique 1 : Solutions de garde adaptées" in page
    detail = _body(client.get(reverse("actions:detail", args=[convention.pk, action.pk])))
    assert '<dt class="col-sm-4">Objectif stratégique</dt>' in detail


def test_level_names_refused_next_to_the_field_nothing_written(client, convention, adviser):
    client.force_login(adviser)
    response = client.post(
        reverse("actions:plan_levels", args=[convention.pk]),
        {"orientation_label": "Axe", "axis_label": "", "objective_label": "axe"},
    )
    assert response.status_code == 200
    assert error_next_to(response.content.decode(), "axis_label", "Indiquez le nom de ce niveau.")
    convention.refresh_from_db()
    assert (convention.orientation_label, convention.axis_label) == ("Orientation", "Axe")


def test_level_names_and_outline_are_refused_to_strangers_and_the_copil(client, convention, other_adviser, copil):
    for user, status in ((other_adviser, 404), (copil, 403)):
        client.force_login(user)
        for name in ("plan_levels", "plan_outline"):
            url = reverse(f"actions:{name}", args=[convention.pk])
            assert client.post(url, {"outline": "1 A", "confirm": "1"}).status_code == status
    assert not Orientation.objects.filter(convention=convention).exists()
    assert client.get(reverse("evaluation:tracking_template", args=[convention.pk])).status_code == 403


# -- pasted outline -------------------------------------------------------------------------------------


def test_outline_preview_shows_each_line_with_its_level_and_writes_nothing(client, convention, adviser):
    client.force_login(adviser)
    url = reverse("actions:plan_outline", args=[convention.pk])
    assert "Coller un plan" in _body(client.get(url))
    response = client.post(url, {"outline": OUTLINE, "preview": "1"})
    body = _body(response)
    assert "Aperçu : 2 orientation(s), 1 axe(s), 1 objectif(s)" in body
    assert "Soutenir les familles" in body and "Créer ces éléments du plan" in body
    assert not Orientation.objects.filter(convention=convention).exists()


def test_outline_confirm_creates_the_whole_tree_in_one_submission(client, convention, adviser):
    client.force_login(adviser)
    response = client.post(reverse("actions:plan_outline", args=[convention.pk]), {"outline": OUTLINE, "confirm": "1"})
    assert response.status_code == 302 and response.url == reverse("actions:plan_edit", args=[convention.pk])
    assert list(Orientation.objects.filter(convention=convention).values_list("number", "title")) == [
        ("1", "Soutenir les familles"),
        ("2", "Jeunesse"),
    ]
    assert Axis.objects.get(orientation__convention=convention).title == "Accompagner la parentalité"
    assert Objective.objects.get(orientation__convention=convention).number == "1.1.1"
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Plan créé : 2 orientations, 1 axe, 1 objectif."]


def test_a_malformed_outline_is_reported_next_to_its_line_nothing_written(client, convention, adviser):
    client.force_login(adviser)
    response = client.post(
        reverse("actions:plan_outline", args=[convention.pk]),
        {"outline": "1 Familles\n1.1.1.1 Trop profond\n3.1 Perdu\n", "confirm": "1"},
    )
    assert response.status_code == 200
    body = _body(response)
    assert "2 lignes à corriger (voir l'aperçu) : rien n'a été créé." in body
    assert "Ligne 2 : Le plan a trois niveaux : cette ligne en ouvre un quatrième." in body
    assert 'id="ligne-3"' in body and "Ligne 3 : Le numéro 3.1 ne suit pas « 1 »" in body
    assert not Orientation.objects.filter(convention=convention).exists()


def test_plan_page_offers_the_outline_the_spreadsheet_import_and_a_blank_template(client, convention, adviser):
    convention.axis_label = "Objectif stratégique"
    convention.save()
    client.force_login(adviser)
    body = _body(client.get(reverse("actions:plan_edit", args=[convention.pk])))
    assert "Coller un plan (sommaire numéroté ou indenté)" in body
    assert "Importer le plan depuis un tableur" in body
    template_url = reverse("evaluation:tracking_template", args=[convention.pk])
    assert template_url in body
    response = client.get(template_url)
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    header = [cell.value for cell in next(workbook["Fiches"].iter_rows(max_row=1))]
    assert header[:4] == ["Orientation", "Objectif stratégique", "Objectif opérationnel", "Réf"]
    assert workbook["Fiches"].max_row == 1


def test_plan_page_query_count_stays_the_same_with_also_objectives(client, convention, adviser):
    def add(count):
        for _ in range(count):
            home = ObjectiveFactory(axis=AxisFactory(orientation=OrientationFactory(convention=convention)))
            other = ObjectiveFactory(axis=AxisFactory(orientation=OrientationFactory(convention=convention)))
            ActionSheetFactory(convention=convention, place=home).also_objectives.add(other)

    client.force_login(adviser)
    add(2)
    url = reverse("actions:plan_edit", args=[convention.pk])
    small = count_queries(client, url)
    add(15)
    assert count_queries(client, url) == small
    page = reverse("conventions:detail", args=[convention.pk])
    small_page = count_queries(client, page)
    add(5)
    assert count_queries(client, page) == small_page


# -- fiche form: échéance, contribue aussi à, next ------------------------------------------------------


def test_fiche_echeance_typed_as_a_semester_is_stored_and_shown(client, action, adviser):
    client.force_login(adviser)
    url = reverse("actions:edit", args=[action.convention_id, action.pk])
    assert 'value="30/06/2025"' in client.get(url).content.decode()  # an old full date reads as a day
    response = client.post(url, edit_data(action, due="1er semestre 2026"))
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.due_date.isoformat(), action.due_precision) == ("2026-06-30", "semestre")
    assert "1er semestre 2026" in _body(client.get(reverse("actions:detail", args=[action.convention_id, action.pk])))


def test_fiche_bad_echeance_is_refused_next_to_the_field(client, action, adviser):
    client.force_login(adviser)
    response = client.post(
        reverse("actions:edit", args=[action.convention_id, action.pk]), edit_data(action, due="bientôt")
    )
    assert response.status_code == 200
    assert error_next_to(response.content.decode(), "due", "Indiquez l'échéance comme une année")
    action.refresh_from_db()
    assert action.due_precision == "jour" and action.due_date.isoformat() == "2025-06-30"


def test_fiche_contributes_to_another_objective_shown_under_it(client, action, adviser):
    other = ObjectiveFactory(
        axis=AxisFactory(orientation=OrientationFactory(convention=action.convention)), number="2.1", title="Jeunes"
    )
    client.force_login(adviser)
    url = reverse("actions:edit", args=[action.convention_id, action.pk])
    assert "Contribue aussi à (objectifs)" in _body(client.get(url))
    assert client.post(url, edit_data(action, also_objectives=[other.pk])).status_code == 302
    assert list(action.also_objectives.all()) == [other]
    plan = _body(client.get(reverse("actions:plan_edit", args=[action.convention_id])))
    assert "Y contribuent aussi :" in plan and "fiche 1.1</a> Développer la mission" in plan


def test_fiche_cannot_contribute_to_another_conventions_objective(client, action, adviser):
    foreign = ObjectiveFactory()
    client.force_login(adviser)
    url = reverse("actions:edit", args=[action.convention_id, action.pk])
    response = client.post(url, edit_data(action, also_objectives=[foreign.pk]))
    assert response.status_code == 200
    assert not action.also_objectives.exists()


def test_after_saving_a_fiche_the_adviser_is_back_where_they_were(client, action, adviser):
    client.force_login(adviser)
    plan = reverse("actions:plan_edit", args=[action.convention_id])
    back = f"{plan}#fiche-{action.pk}"
    body = client.get(plan).content.decode()
    assert f"?next={plan.replace('/', '%2F')}%23fiche-{action.pk}" in body
    url = reverse("actions:edit", args=[action.convention_id, action.pk])
    assert f'name="next" value="{back}"' in client.get(url, {"next": back}).content.decode()
    response = client.post(url, {**edit_data(action), "next": back})
    assert response.status_code == 302 and response.url == back
    created = client.post(
        reverse("actions:create", args=[action.convention_id]), {**fiche_data(reference="9.9"), "next": back}
    )
    assert created.url == back and ActionSheet.objects.filter(reference="9.9").exists()


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "plan/"]
)
def test_an_external_next_is_refused(client, action, adviser, next_url):
    client.force_login(adviser)
    url = reverse("actions:edit", args=[action.convention_id, action.pk])
    assert "evil" not in client.get(url, {"next": next_url}).content.decode().split('name="next"')[-1][:80] or (
        'name="next"' not in client.get(url, {"next": next_url}).content.decode()
    )
    response = client.post(url, {**edit_data(action), "next": next_url})
    assert response.status_code == 302
    assert response.url == reverse("actions:detail", args=[action.convention_id, action.pk])


def _indicator_rows(*rows: dict) -> dict:
    data = {"indicateurs-TOTAL_FORMS": "3", "indicateurs-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        data.update({f"indicateurs-{index}-{name}": value for name, value in row.items()})
    return data


def test_indicators_are_added_inside_the_fiche_form(client, action, adviser):
    client.force_login(adviser)
    url = reverse("actions:edit", args=[action.convention_id, action.pk])
    assert "Nouvel indicateur 1" in _body(client.get(url))
    rows = _indicator_rows(
        {"label": "Familles accueillies", "unit": "familles", "target_value": "1 200", "target_year": "2026"},
        {"label": "Taux de satisfaction", "unit": "%"},
    )
    response = client.post(url, {**edit_data(action), **rows})
    assert response.status_code == 302
    assert list(action.indicators.order_by("order").values_list("label", "unit", "target_value")) == [
        ("Familles accueillies", "familles", 1200),
        ("Taux de satisfaction", "%", None),
    ]
    assert all(i.convention_id == action.convention_id for i in action.indicators.all())


def test_a_bad_indicator_row_refuses_the_fiche_and_its_indicators(client, action, adviser):
    client.force_login(adviser)
    url = reverse("actions:edit", args=[action.convention_id, action.pk])
    rows = _indicator_rows({"label": "Bon"}, {"label": "", "unit": "familles", "target_year": "2026"})
    response = client.post(url, {**edit_data(action, title="Nouveau titre"), **rows})
    assert response.status_code == 200
    assert error_next_to(response.content.decode(), "indicateurs-1-label", "Indiquez l'intitulé de l'indicateur.")
    action.refresh_from_db()
    assert action.title != "Nouveau titre" and not action.indicators.exists()


def test_a_new_fiche_comes_with_its_indicators(client, convention, adviser):
    client.force_login(adviser)
    data = {**fiche_data(reference="7.1"), **_indicator_rows({"label": "Nombre d'ateliers", "target_value": "12"})}
    assert client.post(reverse("actions:create", args=[convention.pk]), data).status_code == 302
    assert ActionSheet.objects.get(reference="7.1").indicators.get().label == "Nombre d'ateliers"
