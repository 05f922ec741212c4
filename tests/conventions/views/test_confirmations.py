"""Confirmations (issue 14, item 7): every lifecycle step asks on a page first; « Valider en COPIL » records the
COPIL date and its meeting; removing a member asks first. The pages work without JavaScript (plain forms)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from conventions.enums import ConventionStatus
from conventions.models import Meeting, Membership
from tests.accounts.factories import UserFactory
from tests.conventions.factories import CommitteeFactory, MembershipFactory
from tests.pages import text


def transition_url(convention, target):
    return reverse("conventions:transition", args=[convention.pk, target])


def test_the_convention_page_offers_steps_as_links_to_a_confirmation_page(client, adviser, convention):
    client.force_login(adviser)
    page = client.get(reverse("conventions:detail", args=[convention.pk])).content.decode()
    assert f'href="{transition_url(convention, "validee_copil")}"' in page
    assert f'action="{transition_url(convention, "validee_copil")}"' not in page  # no one-click post
    convention.status = ConventionStatus.COPIL_VALIDATED
    convention.save()
    response = client.get(transition_url(convention, "brouillon"))
    assert "Confirmez-vous l'étape « Revenir au brouillon »" in text(response)
    convention.refresh_from_db()
    assert convention.status == ConventionStatus.COPIL_VALIDATED  # a GET changes nothing
    client.post(transition_url(convention, "brouillon"))
    convention.refresh_from_db()
    assert convention.status == ConventionStatus.DRAFT


def test_copil_validation_records_its_date_and_the_meeting_of_that_day(client, adviser, convention):
    committee = CommitteeFactory(convention=convention)
    meeting = Meeting.objects.create(committee=committee, date=datetime.date(2026, 11, 23))
    client.force_login(adviser)
    page = text(client.get(transition_url(convention, "validee_copil")))
    assert "Date du COPIL" in page
    response = client.post(transition_url(convention, "validee_copil"), {"copil_date": ""})
    assert response.status_code == 200
    convention.refresh_from_db()
    assert convention.status == ConventionStatus.DRAFT
    future = timezone.localdate() + datetime.timedelta(days=3)
    response = client.post(transition_url(convention, "validee_copil"), {"copil_date": future.isoformat()})
    assert "La date du COPIL ne peut pas être dans le futur." in text(response)
    client.post(transition_url(convention, "validee_copil"), {"copil_date": "2026-11-23"})
    convention.refresh_from_db()
    assert convention.status == ConventionStatus.COPIL_VALIDATED
    assert convention.copil_validated_on == datetime.date(2026, 11, 23)
    assert convention.copil_meeting == meeting
    page = text(client.get(reverse("conventions:detail", args=[convention.pk])))
    assert "Validation en COPIL" in page and "le 23/11/2026 (Comité de pilotage)" in page


def test_a_step_not_possible_from_the_status_is_not_offered_on_its_page(client, adviser, convention):
    client.force_login(adviser)
    response = client.get(transition_url(convention, "en_signature"))
    assert response.status_code == 302
    convention.refresh_from_db()
    assert convention.status == ConventionStatus.DRAFT


def test_removing_a_member_asks_first(client, adviser, convention):
    membership = MembershipFactory(convention=convention, user=UserFactory(email="jeanne@example.fr"))
    client.force_login(adviser)
    url = reverse("conventions:member_remove", args=[convention.pk, membership.pk])
    assert f'href="{url}"' in client.get(reverse("conventions:members", args=[convention.pk])).content.decode()
    page = text(client.get(url))
    assert "ne verra plus cette convention" in page
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert client.post(url).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
