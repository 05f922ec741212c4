"""Governance (issue 14, item 6): a composition text, and member rows named by a function or an organisation."""

from django.urls import reverse

from conventions.models import CommitteeMember
from tests.conventions.factories import CommitteeFactory
from tests.pages import text, whole_convention_page


def test_a_member_row_needs_a_person_or_a_function_or_an_organisation(client, adviser, convention):
    committee = CommitteeFactory(convention=convention)
    client.force_login(adviser)
    url = reverse("conventions:committee_member_create", args=[convention.pk, committee.pk])
    prefix = f"membre-nouveau-{committee.pk}-"

    def row(**values):
        return {prefix + name: values.get(name, "") for name in ("person", "role", "organisation", "user")}

    response = client.post(url, row())
    assert response.status_code == 200
    assert "Indiquez la personne, ou au moins sa fonction ou son organisme." in text(response)
    assert not CommitteeMember.objects.exists()
    response = client.post(url, row(role="Maire", organisation="chaque commune"))
    assert response.status_code == 302
    member = CommitteeMember.objects.get()
    assert str(member) == "Maire, chaque commune"


def test_the_composition_is_written_with_the_committee_and_shown(client, adviser, convention):
    client.force_login(adviser)
    response = client.post(
        reverse("conventions:committee_create", args=[convention.pk]),
        {
            "kind": "copil",
            "name": "Comité de pilotage",
            "missions": "",
            "frequency": "",
            "composition": "Un représentant de chaque commune signataire",
        },
    )
    assert response.status_code == 302
    assert "Un représentant de chaque commune signataire" in whole_convention_page(client, convention.pk)
