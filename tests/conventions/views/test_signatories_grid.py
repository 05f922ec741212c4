"""Signatories in one step (issue 14, item 3): the perimeter's communes and EPCI, then one grid, all or nothing."""

import datetime

import pytest
from django.urls import reverse

from conventions.enums import PartyKind
from conventions.models import Party, Representative
from tests.accounts.factories import UserFactory
from tests.conventions.factories import ConventionFactory, PartyFactory, RepresentativeFactory
from tests.pages import text
from tests.territories.factories import CommuneFactory, EpciFactory, TerritoryFactory


@pytest.fixture
def convention(db):
    epci = EpciFactory(name="Communauté de communes des Monts du Pilat")
    communes = [
        CommuneFactory(name="Le Breuil", epci=epci),
        CommuneFactory(name="Firminy", epci=epci),
        CommuneFactory(name="Unieux", epci=epci),
    ]
    convention = ConventionFactory(territory=TerritoryFactory(communes=communes, epci=epci))
    PartyFactory(convention=convention, kind=PartyKind.CAF, name="Caf de la Loire", order=1)
    return convention


@pytest.fixture
def adviser_client(client, convention):
    client.force_login(UserFactory(adviser=True, caf=convention.caf))
    return client


def test_the_perimeters_communes_and_epci_become_signatories_named_the_french_way(adviser_client, convention):
    url = reverse("conventions:parties_from_perimeter", args=[convention.pk])
    page = text(adviser_client.get(url))
    assert "Commune du Breuil" in page and "Commune d'Unieux" in page
    assert Party.objects.filter(convention=convention).count() == 1  # the page only lists them
    response = adviser_client.post(url)
    assert response["Location"] == reverse("conventions:signatories_grid", args=[convention.pk])
    names = list(convention.parties.order_by("order").values_list("name", flat=True))
    assert names == [
        "Caf de la Loire",
        "Commune de Firminy",
        "Commune du Breuil",  # « Le Breuil », sorted under L
        "Commune d'Unieux",
        "Communauté de communes des Monts du Pilat",
    ]
    assert convention.parties.get(name="Commune du Breuil").deliberation_body == "conseil municipal"
    adviser_client.post(url)  # twice: nothing more
    assert convention.parties.count() == 5


def grid_url(convention):
    return reverse("conventions:signatories_grid", args=[convention.pk])


def grid_paste(client, convention, lines: list[str]) -> dict:
    """The post of a paste, with the hidden key of each line as the page gives them."""
    body = client.get(grid_url(convention)).content.decode()
    data = {"paste": "\n".join(lines)}
    for index in range(convention.parties.count()):
        data[f"l{index}-key"] = body.split(f'name="l{index}-key" value="')[1].split('"')[0]
    return data


def test_a_spreadsheet_paste_fills_every_row_in_one_submission(
    adviser_client, convention, django_assert_max_num_queries
):
    adviser_client.post(reverse("conventions:parties_from_perimeter", args=[convention.pk]))
    caf = convention.parties.get(kind=PartyKind.CAF)
    RepresentativeFactory(party=caf, civility="Madame", name="Ancien Nom", title="Présidente")
    data = grid_paste(
        adviser_client,
        convention,
        [
            "Organisme\tCivilité\tNom\tQualité\tInstance\tDate\tRéférence",
            "Commune de Firminy\tMonsieur\tJulien Luya\tMaire\tconseil municipal\t12/03/2024\tD2024-12",
            "Caf de la Loire\tMadame\tAnne Martin\tPrésidente\tconseil d'administration\t2024-02-01\t",
            "Commune d'Unieux\tMadame\tChristiane Jodar\tMaire\tconseil municipal\t5/4/2024\t",
            "commune du breuil\tMonsieur\tPaul Dupont\tMaire\t\t\t",
            "Communauté de communes des Monts du Pilat\tMonsieur\tLuc Roux\tPrésident"
            "\tconseil communautaire\t01.02.2024\t",
        ],
    )
    with django_assert_max_num_queries(60):
        response = adviser_client.post(grid_url(convention), data)
    assert response.status_code == 302, text(response)
    assert caf.representatives.get().name == "Anne Martin"  # replaced, not added
    firminy = convention.parties.get(name="Commune de Firminy")
    assert firminy.deliberation_date == datetime.date(2024, 3, 12)
    assert firminy.deliberation_reference == "D2024-12"
    assert firminy.representatives.get().title == "Maire"
    assert convention.parties.get(kind=PartyKind.EPCI).deliberation_date == datetime.date(2024, 2, 1)
    assert Representative.objects.filter(party__convention=convention).count() == 5


def test_bad_cells_are_reported_next_to_their_row_and_nothing_is_written(adviser_client, convention):
    adviser_client.post(reverse("conventions:parties_from_perimeter", args=[convention.pk]))
    data = grid_paste(
        adviser_client,
        convention,
        [
            "Madame\tAnne Martin\tPrésidente\t\t\t",
            "Monsieur\t\tMaire\tconseil municipal\t31/02/2024\t",  # no name, a date that does not exist
            "Madame\tChristiane Jodar\t\t\t\t",  # no title
            "Monsieur\tPaul Dupont\tMaire\t\t\t",
            "Monsieur\tLuc Roux\tPrésident\t\t\t",
            "Monsieur\tDe Trop\tMaire\t\t\t",
        ],
    )
    response = adviser_client.post(grid_url(convention), data)
    assert response.status_code == 200
    page = text(response)
    assert "Rien n'a été enregistré" in page
    assert "Indiquez le nom de la personne qui signe." in page
    assert "Date invalide : écrivez JJ/MM/AAAA" in page
    assert "Indiquez sa qualité" in page
    assert "Ligne 6 du collage : plus de lignes que de signataires" in page
    html = response.content.decode()
    assert 'name="l1-deliberation_date" value="31/02/2024"' in html  # the cell keeps what was pasted
    assert 'id="l1-name-erreurs"' in html
    assert not Representative.objects.filter(party__convention=convention).exists()
    assert not convention.parties.exclude(kind=PartyKind.CAF).exclude(deliberation_date=None).exists()


def test_an_emptied_line_removes_the_representative(adviser_client, convention):
    caf = convention.parties.get()
    representative = RepresentativeFactory(party=caf, name="Anne Martin", title="Présidente")
    data = {"l0-key": f"{caf.pk}:{representative.pk}", "l0-name": "", "l0-title": "", "l0-civility": ""}
    assert adviser_client.post(grid_url(convention), data).status_code == 302
    assert not caf.representatives.exists()
