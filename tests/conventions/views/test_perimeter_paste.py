"""Perimeter in one paste (issue 14, item 2): names as printed, a preview, ambiguous names chosen, unknown refused."""

import pytest
from django.urls import reverse

from territories.enums import TerritoryKind
from tests.accounts.factories import UserFactory
from tests.conventions.factories import ConventionFactory
from tests.pages import text
from tests.territories.factories import CafFactory, CommuneFactory, DepartementFactory, EpciFactory, TerritoryFactory


@pytest.fixture
def places(db):
    names = [("42", "Loire"), ("69", "Rhône"), ("30", "Gard")]
    loire, rhone, gard = (DepartementFactory(code=code, name=name) for code, name in names)
    epci = EpciFactory(name="Communauté de communes des Monts du Pilat", siren="244200770")
    communes = {
        "etienne": CommuneFactory(name="Saint-Étienne", insee_code="42218", departement=loire, epci=epci),
        "villars42": CommuneFactory(name="Villars", insee_code="42330", departement=loire, epci=epci),
        "villars30": CommuneFactory(name="Villars", insee_code="30350", departement=gard),
        "ecully": CommuneFactory(name="Écully", insee_code="69081", departement=rhone),
        "breuil": CommuneFactory(name="Le Breuil", insee_code="69026", departement=rhone),
        "breuil2": CommuneFactory(name="Breuil", insee_code="69027", departement=rhone),
        "chambon": CommuneFactory(name="Le Chambon-Feugerolles", insee_code="42044", departement=loire, epci=epci),
    }
    communes["amb1"] = CommuneFactory(name="Saint-Paul", insee_code="69900", departement=rhone)
    communes["amb2"] = CommuneFactory(name="Saint-Paul", insee_code="69901", departement=rhone)
    caf = CafFactory(name="Caf de la Loire", departement=loire)
    return caf, epci, communes


@pytest.fixture
def draft(places):
    caf, _epci, communes = places
    return ConventionFactory(caf=caf, territory=TerritoryFactory(communes=[communes["etienne"]], kind="commune"))


def perimeter_post(client, convention, **data):
    body = {"communes": "", "epci": "", "territory_name": "", "sub_perimeters": "", **data}
    return client.post(reverse("conventions:perimeter_edit", args=[convention.pk]), body)


def test_names_as_printed_are_matched_in_the_cafs_departement_first(
    client,
    draft,
    places,
    django_assert_max_num_queries,
):
    _caf, _epci, communes = places
    client.force_login(UserFactory(adviser=True, caf=draft.caf))
    pasted = "St Etienne, VILLARS\nChambon-Feugerolles (Le) et Ecully"
    with django_assert_max_num_queries(40):
        response = perimeter_post(client, draft, communes=pasted, apercu="1")
    assert response.status_code == 200  # the preview: nothing written
    assert list(draft.territory.communes.all()) == [communes["etienne"]]
    page = text(response)
    assert "Liste lue : 4 entrées" in page
    assert "Villars (42330, Loire)" in page
    assert "Écully (69081, Rhône)" in page and "Hors des départements de la Caf." in page

    response = perimeter_post(client, draft, communes=pasted)
    assert response.status_code == 302
    draft.territory.refresh_from_db()
    assert set(draft.territory.communes.values_list("insee_code", flat=True)) == {"42218", "42330", "42044", "69081"}
    assert draft.territory.kind == TerritoryKind.GROUPING  # it follows the perimeter (was « commune »)


def test_ambiguous_entries_are_chosen_and_unknown_ones_reported_next_to_their_row(client, draft, places):
    client.force_login(UserFactory(adviser=True, caf=draft.caf))
    response = perimeter_post(client, draft, communes="Saint-Étienne, Saint Paul, Villefantôme")
    assert response.status_code == 200
    page = text(response)
    assert "2 entrée(s) à préciser sur 3" in page
    assert "« Saint Paul » désigne plusieurs communes" in page
    assert "Commune inconnue : « Villefantôme »." in page
    assert 'name="choix-2"' in response.content.decode()
    assert draft.territory.communes.count() == 1

    response = perimeter_post(client, draft, communes="Saint-Étienne, Saint Paul", **{"choix-2": "42218"})
    assert "Choisissez une des communes proposées." in text(response)  # not a candidate of that entry
    response = perimeter_post(client, draft, communes="Saint-Étienne, Saint Paul", **{"choix-2": "69901"})
    assert response.status_code == 302
    assert set(draft.territory.communes.values_list("insee_code", flat=True)) == {"42218", "69901"}


def test_the_epci_is_found_by_its_usual_name_and_gives_its_communes(client, draft, places):
    _caf, epci, _communes = places
    client.force_login(UserFactory(adviser=True, caf=draft.caf))
    response = perimeter_post(client, draft, epci="Monts du Pilat")
    assert response.status_code == 302
    draft.territory.refresh_from_db()
    assert draft.territory.epci == epci
    assert draft.territory.kind == TerritoryKind.EPCI
    assert draft.territory.communes.count() == 3
    response = perimeter_post(client, draft, epci="Monts du Pila")
    assert "EPCI inconnu : « Monts du Pila ». Vouliez-vous dire : Communauté de communes des Monts du Pilat" in text(
        response
    )
