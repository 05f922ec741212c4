"""Removing a signatory: a server-side confirmation page saying what goes with it and what is unlinked; the
equipment of annex 2 it supports need a choice; every changed row is in the history, with its author."""

import pytest
from django.urls import reverse

from conventions.models import Party, Representative, SupportedEquipment
from tests.conventions.factories import ClauseFactory, ConventionFactory, PartyFactory, RepresentativeFactory
from tests.territories.factories import EquipmentFactory

SUPPORTED = 13  # the security test's signatory supported 13 equipment rows


@pytest.fixture
def commune_party(convention):
    party = PartyFactory(convention=convention, name="Commune de Villeneuve")
    RepresentativeFactory(party=party, name="Jeanne MARTIN", title="Maire")
    commune = convention.territory.communes.first()
    for index in range(SUPPORTED):
        equipment = EquipmentFactory(commune=commune, name=f"Crèche n° {index + 1}")
        SupportedEquipment.objects.create(convention=convention, equipment=equipment, supported_by=party)
    ClauseFactory(convention=convention, number="4", title="Engagements", body="La Commune de Villeneuve s'engage…")
    return party


def url(party: Party) -> str:
    return reverse("conventions:party_delete", args=[party.convention_id, party.pk])


def test_the_confirmation_page_lists_what_goes_and_what_is_unlinked(client, adviser, commune_party):
    client.force_login(adviser)
    response = client.get(url(commune_party))
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 représentant·e supprimé·e avec le signataire" in page and "Jeanne MARTIN, Maire" in page
    assert f"Les {SUPPORTED} équipements de l'annexe 2" in page and "Crèche n° 13" in page
    assert "Article 4" in page  # the text still names the signatory
    assert Party.objects.filter(pk=commune_party.pk).exists()  # a GET changes nothing


def test_a_signatory_supporting_equipment_is_not_removed_without_a_choice(client, adviser, commune_party):
    client.force_login(adviser)
    response = client.post(url(commune_party), {})
    assert response.status_code == 200
    assert response.context["form"].errors["equipment"]
    assert Party.objects.filter(pk=commune_party.pk).exists()
    assert SupportedEquipment.objects.filter(supported_by=commune_party).count() == SUPPORTED


def test_unlinking_writes_every_equipment_row_in_the_history(client, adviser, commune_party):
    client.force_login(adviser)
    response = client.post(url(commune_party), {"equipment": "detacher"})
    assert response.status_code == 302
    assert not Party.objects.filter(pk=commune_party.pk).exists()
    rows = SupportedEquipment.objects.filter(convention=commune_party.convention)
    assert rows.count() == SUPPORTED and not rows.exclude(supported_by=None).exists()
    unlinks = SupportedEquipment.history.filter(history_type="~", supported_by_id=None)
    assert unlinks.count() == SUPPORTED
    assert {h.history_user for h in unlinks} == {adviser}
    removed = Representative.history.filter(history_type="-", name="Jeanne MARTIN")
    assert [h.history_user for h in removed] == [adviser]
    assert [h.history_user for h in Party.history.filter(history_type="-")] == [adviser]


def test_transferring_the_equipment_to_another_signatory(client, adviser, commune_party, convention):
    other = PartyFactory(convention=convention, name="Communauté de communes")
    client.force_login(adviser)
    response = client.post(url(commune_party), {"equipment": "transferer", "transfer_to": other.pk})
    assert response.status_code == 302
    assert SupportedEquipment.objects.filter(supported_by=other).count() == SUPPORTED
    assert SupportedEquipment.history.filter(history_type="~", supported_by_id=other.pk).count() == SUPPORTED


def test_removing_the_equipment_from_the_annex(client, adviser, commune_party):
    client.force_login(adviser)
    response = client.post(url(commune_party), {"equipment": "retirer"})
    assert response.status_code == 302
    assert not SupportedEquipment.objects.exists()
    assert SupportedEquipment.history.filter(history_type="-").count() == SUPPORTED


@pytest.mark.parametrize("target", ["none", "itself", "another convention"])
def test_a_transfer_needs_another_signatory_of_the_convention(client, adviser, commune_party, target):
    foreign = PartyFactory(convention=ConventionFactory(caf=commune_party.convention.caf))
    data = {"equipment": "transferer"}
    if target != "none":
        data["transfer_to"] = commune_party.pk if target == "itself" else foreign.pk
    client.force_login(adviser)
    response = client.post(url(commune_party), data)
    assert response.status_code == 200
    assert response.context["form"].errors["transfer_to"]
    assert SupportedEquipment.objects.filter(supported_by=commune_party).count() == SUPPORTED
    assert not SupportedEquipment.history.filter(history_type="~").exists()


def test_a_signatory_without_equipment_is_removed_on_confirmation(client, adviser, convention):
    party = PartyFactory(convention=convention)
    client.force_login(adviser)
    assert "Retirer le signataire" in client.get(url(party)).content.decode()
    assert client.post(url(party)).status_code == 302
    assert not Party.objects.filter(pk=party.pk).exists()
