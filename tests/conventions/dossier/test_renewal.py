"""« Préparer le renouvellement »: the successor draft with the fiches the adviser chose and the last values
as baselines; the two conventions linked; refused when it makes no sense, with nothing written."""

import datetime

import pytest
from django.urls import reverse

from actions.models import ActionSheet
from conventions.dossier.renewal import CARRY, CLOSE, REWRITE, RenewalRefused, convention_renew
from conventions.models import CommitteeMember, Convention, Edition
from evaluation.models import Indicator
from tests.accounts.factories import UserFactory
from tests.actions.factories import ActionSheetFactory, ObjectiveFactory, StatusUpdateFactory
from tests.conventions.factories import (
    CommitteeFactory,
    ConventionFactory,
    MembershipFactory,
    PartyFactory,
    RepresentativeFactory,
)
from tests.evaluation.factories import IndicatorFactory, MeasurementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ending():
    Edition.objects.create(code="2022", name="Modèle 2022", year=2022)
    latest = Edition.objects.create(code="2025", name="Modèle 2025", year=2025)
    convention = ConventionFactory(
        signed=True,
        reference="CTG-42-2022-2026",
        title="Convention territoriale globale de Firminy 2022-2026",
        start_date=datetime.date(2022, 1, 1),
        end_date=datetime.date(2026, 12, 31),
    )
    party = PartyFactory(convention=convention, name="Commune de Firminy", deliberation_date=datetime.date(2022, 6, 1))
    RepresentativeFactory(party=party, name="Julien LUYA", title="Maire", signed_on=datetime.date(2022, 12, 13))
    committee = CommitteeFactory(convention=convention, name="Comité de pilotage")
    CommitteeMember.objects.create(committee=committee, person="Julien LUYA", organisation="Commune de Firminy")
    objective = ObjectiveFactory(axis__orientation__convention=convention, title="Mieux informer les familles")
    carried = ActionSheetFactory(
        convention=convention,
        reference="1.1",
        title="Guichet unique petite enfance",
        status="en_cours",
        progress=60,
        implementation="Ouvrir le guichet en mairie",
        expected_results="Un guichet ouvert",
        lead="Commune de Firminy",
        due_date=datetime.date(2026, 6, 30),
    )
    carried.place_under(objective)
    carried.save()
    StatusUpdateFactory(action=carried, date=datetime.date(2026, 10, 1), comment="Ouvert deux jours par semaine")
    done = ActionSheetFactory(convention=convention, reference="1.2", title="Guide des familles", status="realisee")
    rewritten = ActionSheetFactory(
        convention=convention,
        reference="2.1",
        title="Accueil jeunes itinérant",
        status="bloquee",
        status_reason="Pas de local",
        implementation="Un camion aménagé",
    )
    indicator = IndicatorFactory(convention=convention, action=carried, label="Familles reçues", unit="familles")
    MeasurementFactory(indicator=indicator, year=2024, value=10)
    MeasurementFactory(indicator=indicator, year=2025, value=14)
    MeasurementFactory(indicator=indicator, year=2025, quarter=2, value=3)
    IndicatorFactory(convention=convention, action=done, label="Guides distribués")
    general = IndicatorFactory(convention=convention, label="Taux de couverture", baseline_value=40, baseline_year=2021)
    member = UserFactory(cooperation=True)
    MembershipFactory(convention=convention, user=member)
    return {
        "convention": convention,
        "carried": carried,
        "done": done,
        "rewritten": rewritten,
        "latest": latest,
        "general": general,
        "member": member,
    }


def test_renewal_creates_the_draft_with_the_chosen_fiches_and_baselines(ending):
    old = ending["convention"]
    choices = {ending["carried"].pk: CARRY, ending["done"].pk: CLOSE, ending["rewritten"].pk: REWRITE}
    new = convention_renew(convention=old, choices=choices)

    assert new.previous == old and list(old.successors.all()) == [new]
    assert new.status == "brouillon" and old.status == "signee", "« renouvelée » only at the successor's signature"
    assert (new.start_date, new.end_date) == (datetime.date(2027, 1, 1), datetime.date(2031, 12, 31))
    assert new.reference == "CTG-42-2027-2031"
    assert new.title == "Convention territoriale globale de Firminy 2027-2031"
    assert new.caf == old.caf and new.edition == ending["latest"]
    assert new.territory != old.territory
    assert set(new.territory.communes.all()) == set(old.territory.communes.all())
    party = new.parties.get()
    assert party.name == "Commune de Firminy" and party.deliberation_date is None, "to take again"
    representative = party.representatives.get()
    assert representative.name == "Julien LUYA" and representative.signed_on is None
    assert new.committees.get().members.get().person == "Julien LUYA"
    assert list(new.memberships.values_list("user", flat=True)) == [ending["member"].pk]

    fiches = {fiche.reference: fiche for fiche in ActionSheet.objects.filter(convention=new)}
    assert set(fiches) == {"1.1", "2.1"}, "1.2 is closed"
    carried = fiches["1.1"]
    assert carried.status == "a_lancer" and carried.progress == 0 and carried.due_date is None
    assert carried.implementation == "Ouvrir le guichet en mairie" and carried.lead == "Commune de Firminy"
    assert carried.context.startswith(
        "Bilan dans la convention CTG-42-2022-2026 (2022 – 2026) : statut « En cours », avancement 60 %."
    )
    assert "Dernier point d'avancement (01/10/2026) : Ouvert deux jours par semaine" in carried.context
    assert carried.objective.title == "Mieux informer les familles" and carried.objective.orientation.convention == new
    rewritten = fiches["2.1"]
    assert rewritten.title == "Accueil jeunes itinérant" and rewritten.implementation == ""
    assert "statut « Bloquée », avancement 0 %. Motif : Pas de local" in rewritten.context

    indicators = {i.label: i for i in Indicator.objects.filter(convention=new)}
    assert set(indicators) == {"Familles reçues", "Taux de couverture"}, "the closed fiche's indicator stays behind"
    assert (indicators["Familles reçues"].baseline_value, indicators["Familles reçues"].baseline_year) == (14, 2025)
    assert indicators["Familles reçues"].action == carried
    assert indicators["Taux de couverture"].baseline_value == 40 and indicators["Taux de couverture"].action is None
    assert indicators["Familles reçues"].measurements.count() == 0


def test_a_second_renewal_and_a_draft_are_refused(ending):
    convention_renew(convention=ending["convention"], choices={})
    with pytest.raises(RenewalRefused, match="déjà préparé"):
        convention_renew(convention=ending["convention"], choices={})
    draft = ConventionFactory()
    with pytest.raises(RenewalRefused, match="Seule une convention signée"):
        convention_renew(convention=draft, choices={})
    assert Convention.objects.filter(previous=draft).count() == 0


def test_the_adviser_prepares_the_renewal_from_the_page(client, ending):
    old = ending["convention"]
    adviser = UserFactory(adviser=True, caf=old.caf)
    client.force_login(adviser)
    page = client.get(reverse("conventions:detail", kwargs={"convention_pk": old.pk})).content.decode()
    assert "Préparer le renouvellement" in page
    form = client.get(reverse("conventions:renew", kwargs={"convention_pk": old.pk}))
    body = form.content.decode()
    assert "du <strong>01/01/2027</strong> au <strong>31/12/2031</strong>" in body
    assert f'name="fiche_{ending["done"].pk}" value="clore"' in body and "checked" in body

    response = client.post(
        reverse("conventions:renew", kwargs={"convention_pk": old.pk}),
        {
            f"fiche_{ending['carried'].pk}": "reconduire",
            f"fiche_{ending['done'].pk}": "clore",
            f"fiche_{ending['rewritten'].pk}": "clore",
        },
    )
    new = Convention.objects.get(previous=old)
    assert response.status_code == 302 and response["Location"] == f"/conventions/{new.pk}/"
    assert list(new.actions.values_list("reference", flat=True)) == ["1.1"]
    new_page = client.get(response["Location"]).content.decode()
    assert "Convention précédente" in new_page and old.title in new_page
    old_page = client.get(reverse("conventions:detail", kwargs={"convention_pk": old.pk})).content.decode()
    assert "Convention suivante" in old_page and "Préparer le renouvellement" not in old_page


def test_a_bad_choice_is_refused_with_a_french_message_and_nothing_written(client, ending):
    old = ending["convention"]
    client.force_login(UserFactory(adviser=True, caf=old.caf))
    response = client.post(
        reverse("conventions:renew", kwargs={"convention_pk": old.pk}), {f"fiche_{ending['carried'].pk}": "brûler"}
    )
    assert response.status_code == 400
    assert "Choisissez : reconduire, réécrire ou clore." in response.content.decode()
    assert not Convention.objects.filter(previous=old).exists()


def test_a_member_may_not_renew(client, ending):
    client.force_login(ending["member"])
    url = reverse("conventions:renew", kwargs={"convention_pk": ending["convention"].pk})
    assert client.post(url, {}).status_code == 403
    assert not Convention.objects.filter(previous=ending["convention"]).exists()
