"""Annexe 5 in the browser: indicators per fiche and per convention, and the grid of their values."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation.models import Indicator, Measurement
from tests.accounts.factories import UserFactory
from tests.actions.factories import ActionSheetFactory
from tests.evaluation.factories import IndicatorFactory, MeasurementFactory
from tests.pages import HTMX, error_next_to, snapshot, text, tried


@pytest.fixture
def action(convention):
    return ActionSheetFactory(convention=convention, reference="1.1", title="Développer le relais petite enfance")


@pytest.fixture
def indicator(convention, action):
    return IndicatorFactory(
        convention=convention,
        action=action,
        label="Familles accompagnées par le RPE",
        unit="familles",
        target_value=Decimal("500"),
        target_year=2026,
        direction="hausse",
    )


@pytest.fixture
def qualitative(convention):
    return IndicatorFactory(convention=convention, action=None, label="Dynamique partenariale", kind="qualitatif")


def indicator_data(**overrides) -> dict:
    data = {
        "action": "",
        "label": "Taux de couverture en accueil du jeune enfant",
        "kind": "quantitatif",
        "unit": "%",
        "baseline_value": "41,5",
        "baseline_year": "2021",
        "target_value": "1 250,5",
        "target_year": "2026",
        "direction": "hausse",
    }
    data.update(overrides)
    return data


def values_url(convention, **params) -> str:
    url = reverse("evaluation:values", args=[convention.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def grid_as_shown(page) -> dict:
    """The grid's fields as the page shows them: each cell's value, its hidden original and version."""
    data = {}
    for row in page.context["rows"]:
        for cell in row.cells:
            data[cell.name] = cell.shown
            data[f"o-{cell.name}"] = cell.original
            if cell.version:
                data[f"lv-{cell.name}"] = cell.version
    return data


def grid_post(client, convention, cells: dict, url: str | None = None, **extra):
    """Post the grid as the page shows it (hidden originals and versions), with `cells` typed in."""
    data = grid_as_shown(client.get(url or values_url(convention)))
    data.update(cells)
    return client.post(url or values_url(convention), data, **extra)


# -- who may do what ------------------------------------------------------------------------------------


def requests_for(convention, action, indicator) -> dict:
    cell = f"v-{indicator.pk}-2024"
    return {
        "evaluation:indicator_create": (
            reverse("evaluation:indicator_create", args=[convention.pk]),
            indicator_data(action=str(action.pk)),
        ),
        "evaluation:indicator_edit": (
            reverse("evaluation:indicator_edit", args=[convention.pk, indicator.pk]),
            indicator_data(marker=""),
        ),
        "evaluation:indicator_delete": (reverse("evaluation:indicator_delete", args=[convention.pk, indicator.pk]), {}),
        "evaluation:values": (values_url(convention), {cell: "12", f"o-{cell}": ""}),
    }


VIEWS = ["evaluation:indicator_create", "evaluation:indicator_edit", "evaluation:indicator_delete", "evaluation:values"]


@pytest.mark.parametrize("name", VIEWS)
def test_anonymous_is_sent_to_login(client, convention, action, indicator, name):
    url, data = requests_for(convention, action, indicator)[name]
    for response in tried(client, url, data, convention=convention):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", VIEWS)
@pytest.mark.parametrize("who", ["other_adviser", "outsider_member"])
def test_strangers_get_404_and_change_nothing(client, request, convention, action, indicator, name, who):
    url, data = requests_for(convention, action, indicator)[name]
    client.force_login(request.getfixturevalue(who))
    assert [response.status_code for response in tried(client, url, data, convention=convention)] == [404, 404]


@pytest.mark.parametrize("name", VIEWS)
def test_copil_members_get_403_and_change_nothing(client, copil, convention, action, indicator, name):
    url, data = requests_for(convention, action, indicator)[name]
    client.force_login(copil)
    assert [response.status_code for response in tried(client, url, data, convention=convention)] == [403, 403]


# -- indicators -----------------------------------------------------------------------------------------


def test_indicator_form_offers_this_conventions_fiches_and_the_chosen_one(client, adviser, convention, action):
    ActionSheetFactory(title="Fiche de Villeailleurs")
    client.force_login(adviser)
    response = client.get(reverse("evaluation:indicator_create", args=[convention.pk]) + f"?fiche={action.pk}")
    body = text(response)
    assert response.status_code == 200
    assert f'<option value="{action.pk}" selected>1.1 – Développer le relais petite enfance</option>' in body
    assert "Aucune : indicateur de la convention" in body
    assert "Villeailleurs" not in body


def test_create_an_indicator_of_a_fiche(client, adviser, convention, action):
    client.force_login(adviser)
    response = client.post(
        reverse("evaluation:indicator_create", args=[convention.pk]), indicator_data(action=str(action.pk))
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("actions:detail", args=[convention.pk, action.pk]) + "#h-indicateurs"
    indicator = Indicator.objects.get()
    assert (indicator.convention, indicator.action, indicator.kind, indicator.direction) == (
        convention,
        action,
        "quantitatif",
        "hausse",
    )
    assert (indicator.baseline_value, indicator.baseline_year) == (Decimal("41.5"), 2021)
    assert (indicator.target_value, indicator.target_year) == (Decimal("1250.5"), 2026)
    assert indicator.history.first().history_user == adviser
    assert "Taux de couverture en accueil du jeune enfant" in text(client.get(response["Location"]))


def test_create_an_indicator_of_the_convention(client, adviser, convention):
    client.force_login(adviser)
    response = client.post(reverse("evaluation:indicator_create", args=[convention.pk]), indicator_data())
    assert response.status_code == 302
    assert response["Location"] == values_url(convention)
    assert Indicator.objects.get().action is None


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"label": ""}, "label", "Indiquez l'intitulé de l'indicateur."),
        ({"target_value": "beaucoup"}, "target_value", "Saisissez un nombre, par exemple « 37 070 » ou « 25,1 »."),
        ({"target_year": "2019"}, "target_year", "L'année cible ne peut pas précéder l'année de référence."),
        ({"baseline_year": "21"}, "baseline_year", "Saisissez une année à partir de 1990."),
        (
            {"direction": "vers le haut"},
            "direction",
            "Sélectionnez un choix valide. vers le haut n’en fait pas partie.",
        ),
    ],
)
def test_create_an_indicator_with_bad_input_changes_nothing(client, adviser, convention, overrides, field, message):
    client.force_login(adviser)
    response = client.post(reverse("evaluation:indicator_create", args=[convention.pk]), indicator_data(**overrides))
    assert response.status_code == 200
    assert error_next_to(response, field, message)
    assert not Indicator.objects.exists()


def test_an_indicator_cannot_go_to_another_conventions_fiche(client, adviser, convention):
    foreign = ActionSheetFactory()
    client.force_login(adviser)
    response = client.post(
        reverse("evaluation:indicator_create", args=[convention.pk]), indicator_data(action=str(foreign.pk))
    )
    assert error_next_to(response, "action", "Choisissez une fiche-action de cette convention.")
    assert not Indicator.objects.exists()


def test_edit_an_indicator(client, adviser, convention, indicator):
    client.force_login(adviser)
    url = reverse("evaluation:indicator_edit", args=[convention.pk, indicator.pk])
    page = client.get(url)
    assert 'value="500"' in text(page)
    marker = page.context["form"]["marker"].value()
    response = client.post(url, indicator_data(action=str(indicator.action_id), marker=marker, unit="foyers"))
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.unit, indicator.target_value) == ("foyers", Decimal("1250.5"))


def test_edit_an_indicator_over_a_newer_version_is_refused(client, adviser, convention, indicator):
    colleague = UserFactory(adviser=True, caf=convention.caf)
    client.force_login(adviser)
    url = reverse("evaluation:indicator_edit", args=[convention.pk, indicator.pk])
    marker = client.get(url).context["form"]["marker"].value()
    indicator.unit = "ménages"
    indicator._history_user = colleague
    indicator.save()
    response = client.post(url, indicator_data(marker=marker))
    assert response.status_code == 200
    assert f"Modifié par {colleague}" in text(response)
    indicator.refresh_from_db()
    assert indicator.unit == "ménages"


def test_delete_an_indicator_and_its_values(client, adviser, convention, indicator):
    MeasurementFactory(indicator=indicator, year=2023)
    MeasurementFactory(indicator=indicator, year=2024)
    client.force_login(adviser)
    url = reverse("evaluation:indicator_delete", args=[convention.pk, indicator.pk])
    assert "Ses 2 valeurs saisies seront supprimées avec lui." in text(client.get(url))
    response = client.post(url)
    assert response.status_code == 302
    assert not Indicator.objects.exists() and not Measurement.objects.exists()


def test_indicator_definitions_are_written_by_the_caf_only_and_not_once_signed(
    client, cooperation, adviser, convention, action, indicator
):
    requests = requests_for(convention, action, indicator)
    before = snapshot(convention)
    client.force_login(cooperation)
    for name in ("evaluation:indicator_create", "evaluation:indicator_edit", "evaluation:indicator_delete"):
        url, data = requests[name]
        assert client.post(url, data).status_code == 403, name
    assert snapshot(convention) == before
    convention.status = "signee"
    convention.save()
    before = snapshot(convention)
    client.force_login(adviser)
    for name in ("evaluation:indicator_create", "evaluation:indicator_edit", "evaluation:indicator_delete"):
        url, data = requests[name]
        assert client.post(url, data).status_code == 403, name
    assert snapshot(convention) == before


# -- the values grid ------------------------------------------------------------------------------------


def test_grid_shows_one_column_per_year_and_values_against_targets(
    client, cooperation, convention, indicator, qualitative
):
    MeasurementFactory(indicator=indicator, year=2023, value=Decimal("412"))
    MeasurementFactory(indicator=qualitative, year=2024, value=None, text="Réseau actif")
    client.force_login(cooperation)
    response = client.get(values_url(convention))
    body = text(response)
    assert response.status_code == 200
    assert [p.label for p in response.context["periods"]] == ["2022", "2023", "2024", "2025", "2026"]
    assert "2\xa0022" not in body and "2 022" not in body
    assert "Familles accompagnées par le RPE" in body and "Dynamique partenariale" in body
    assert f'name="v-{indicator.pk}-2023" value="412" inputmode="decimal"' in body
    assert "412 / 500 (82 %)" in body
    assert f'name="v-{qualitative.pk}-2024" value="Réseau actif"' in body


def test_grid_can_show_quarters(client, cooperation, convention, indicator):
    MeasurementFactory(indicator=indicator, year=2024, quarter=2, value=Decimal("30"))
    client.force_login(cooperation)
    response = client.get(values_url(convention, trimestres=1))
    body = text(response)
    assert f'name="v-{indicator.pk}-2024-t2" value="30"' in body
    assert f'name="v-{indicator.pk}-2024"' in body
    assert ">T4</th>" in body and ">Année</th>" in body


def test_grid_filters_on_a_fiche(client, cooperation, convention, indicator, qualitative):
    client.force_login(cooperation)
    rows = client.get(values_url(convention, fiche=indicator.action_id)).context["rows"]
    assert [row.indicator for row in rows] == [indicator]
    rows = client.get(values_url(convention, fiche="convention")).context["rows"]
    assert [row.indicator for row in rows] == [qualitative]


def test_grid_saves_only_changed_cells(client, cooperation, convention, indicator, qualitative):
    kept = MeasurementFactory(indicator=indicator, year=2022, value=Decimal("100"))
    changed = MeasurementFactory(indicator=indicator, year=2023, value=Decimal("200"))
    emptied = MeasurementFactory(indicator=indicator, year=2024, value=Decimal("300"))
    client.force_login(cooperation)
    response = grid_post(
        client,
        convention,
        {
            f"v-{indicator.pk}-2023": "1 250,5",
            f"v-{indicator.pk}-2024": "",
            f"v-{indicator.pk}-2025": "412",
            f"v-{qualitative.pk}-2025": "Nouveaux partenaires associatifs",
            f"v-{indicator.pk}-2022": "100,00",  # typed differently, same number: not a change
        },
    )
    assert response.status_code == 302
    assert response["Location"] == values_url(convention)
    kept.refresh_from_db()
    assert kept.history.count() == 1 and kept.lock_version == 0
    changed.refresh_from_db()
    assert (changed.value, changed.author, changed.lock_version) == (Decimal("1250.5"), cooperation, 1)
    assert changed.history.first().history_user == cooperation
    assert not Measurement.objects.filter(pk=emptied.pk).exists()
    created = Measurement.objects.get(indicator=indicator, year=2025)
    assert (created.value, created.quarter, created.author) == (Decimal("412"), None, cooperation)
    assert Measurement.objects.get(indicator=qualitative).text == "Nouveaux partenaires associatifs"
    assert "Valeurs enregistrées : 2 ajoutées, 1 modifiée, 1 supprimée." in text(client.get(response["Location"]))


def test_grid_saves_quarterly_values(client, cooperation, convention, indicator):
    client.force_login(cooperation)
    url = values_url(convention, trimestres=1)
    response = grid_post(client, convention, {f"v-{indicator.pk}-2024-t3": "17"}, url=url)
    assert response.status_code == 302
    assert Measurement.objects.get().quarter == 3


def test_emptying_a_cell_keeps_a_value_that_has_a_comment(client, cooperation, convention, indicator):
    measurement = MeasurementFactory(indicator=indicator, year=2023, value=Decimal("5"), comment="Source : rapport RPE")
    client.force_login(cooperation)
    assert grid_post(client, convention, {f"v-{indicator.pk}-2023": ""}).status_code == 302
    measurement.refresh_from_db()
    assert measurement.value is None and measurement.comment == "Source : rapport RPE"


@pytest.mark.parametrize(
    "cell, typed, message",
    [
        (
            "2024",
            "beaucoup",
            "« Familles accompagnées par le RPE », 2024 : Saisissez un nombre, par exemple « 1 250,5 ».",
        ),
        (
            "2024",
            "12,345",
            "« Familles accompagnées par le RPE », 2024 : "
            "Assurez-vous qu’il n’y a pas plus de 2 chiffres après la virgule.",
        ),
    ],
)
def test_grid_with_a_bad_cell_writes_nothing(client, cooperation, convention, indicator, cell, typed, message):
    MeasurementFactory(indicator=indicator, year=2022, value=Decimal("100"))
    client.force_login(cooperation)
    before = snapshot(convention)
    response = grid_post(client, convention, {f"v-{indicator.pk}-{cell}": typed, f"v-{indicator.pk}-2025": "50"})
    assert response.status_code == 200
    assert error_next_to(response, f"v-{indicator.pk}-{cell}", message)
    assert "Aucune valeur n'a été enregistrée" in text(response)
    assert f'value="{typed}"' in text(response) and f'name="v-{indicator.pk}-2025" value="50"' in text(response)
    assert snapshot(convention) == before


def test_grid_with_a_quarter_out_of_range_writes_nothing(client, cooperation, convention, indicator):
    client.force_login(cooperation)
    before = snapshot(convention)
    response = grid_post(client, convention, {f"v-{indicator.pk}-2024-t5": "3", f"v-{indicator.pk}-2025": "50"})
    assert response.status_code == 200
    assert "« Familles accompagnées par le RPE », T5 2024 : le trimestre doit être compris entre 1 et 4." in text(
        response
    )
    assert snapshot(convention) == before


def test_grid_refuses_another_conventions_indicator(client, cooperation, convention, indicator):
    foreign = IndicatorFactory(label="Indicateur de Villeailleurs")
    client.force_login(cooperation)
    response = grid_post(client, convention, {f"v-{foreign.pk}-2024": "3", f"v-{indicator.pk}-2025": "50"})
    assert response.status_code == 200
    assert "Indicateur inconnu dans cette convention" in text(response)
    assert "Villeailleurs" not in text(response)
    assert not Measurement.objects.exists()


def test_grid_over_a_newer_value_is_refused(client, cooperation, adviser, convention, indicator):
    measurement = MeasurementFactory(indicator=indicator, year=2023, value=Decimal("200"))
    client.force_login(cooperation)
    data = grid_as_shown(client.get(values_url(convention)))
    measurement.value = Decimal("210")
    measurement._history_user = adviser
    measurement.lock_version += 1
    measurement.save()
    data[f"v-{indicator.pk}-2023"] = "250"
    data[f"v-{indicator.pk}-2026"] = "480"
    response = client.post(values_url(convention), data)
    assert response.status_code == 200
    assert f"« Familles accompagnées par le RPE », 2023 : Modifié par {adviser}" in text(response)
    measurement.refresh_from_db()
    assert measurement.value == Decimal("210")
    assert not Measurement.objects.filter(year=2026).exists()


def test_grid_leaves_alone_a_cell_changed_by_someone_else_that_the_user_did_not_touch(
    client, cooperation, adviser, convention, indicator
):
    measurement = MeasurementFactory(indicator=indicator, year=2023, value=Decimal("200"))
    client.force_login(cooperation)
    data = grid_as_shown(client.get(values_url(convention)))
    Measurement.objects.filter(pk=measurement.pk).update(value=Decimal("210"), lock_version=1)
    data[f"v-{indicator.pk}-2026"] = "480"
    assert client.post(values_url(convention), data).status_code == 302
    measurement.refresh_from_db()
    assert measurement.value == Decimal("210")
    assert Measurement.objects.get(year=2026).value == Decimal("480")


def test_htmx_saves_one_row_and_returns_it(client, cooperation, convention, indicator, qualitative):
    client.force_login(cooperation)
    response = grid_post(
        client,
        convention,
        {f"v-{indicator.pk}-2024": "450", f"v-{qualitative.pk}-2024": "Pas encore", "ligne": str(indicator.pk)},
        **HTMX,
    )
    body = text(response)
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<tr id="indicateur-{indicator.pk}">')
    assert "Valeurs enregistrées : 1 ajoutée." in body
    assert "450 / 500 (90 %)" in body
    assert f'name="lv-v-{indicator.pk}-2024" value="0"' in body
    # Only the row was saved: the other row's typing waits for its own save.
    assert list(Measurement.objects.values_list("indicator_id", flat=True)) == [indicator.pk]


def test_htmx_row_with_a_bad_cell_shows_it_in_the_row(client, cooperation, convention, indicator):
    client.force_login(cooperation)
    response = grid_post(client, convention, {f"v-{indicator.pk}-2024": "n/a", "ligne": str(indicator.pk)}, **HTMX)
    assert response.status_code == 200
    assert error_next_to(
        response, f"v-{indicator.pk}-2024", "« Familles accompagnées par le RPE », 2024 : Saisissez un nombre"
    )
    assert "Ligne non enregistrée" in text(response)
    assert not Measurement.objects.exists()


def test_grid_query_count_does_not_grow_with_indicators(client, cooperation, convention, action):
    client.force_login(cooperation)

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(values_url(convention)).status_code == 200
        return len(context)

    IndicatorFactory(convention=convention, action=action)
    small = count()
    for n in range(20):
        indicator = IndicatorFactory(convention=convention, action=ActionSheetFactory(convention=convention))
        MeasurementFactory(indicator=indicator, year=2022 + n % 5)
    assert count() == small


def test_fiche_page_links_to_indicators_for_followers(client, adviser, cooperation, copil, convention, indicator):
    url = reverse("actions:detail", args=[convention.pk, indicator.action_id])
    create = reverse("evaluation:indicator_create", args=[convention.pk])
    values = reverse("evaluation:values", args=[convention.pk])
    client.force_login(adviser)
    body = text(client.get(url))
    assert f"{create}?fiche={indicator.action_id}" in body
    assert reverse("evaluation:indicator_edit", args=[convention.pk, indicator.pk]) in body
    client.force_login(cooperation)
    body = text(client.get(url))
    assert values in body and create not in body
    client.force_login(copil)
    assert create not in text(client.get(url))
