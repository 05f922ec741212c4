"""The calendar pages, the .ics feed at its secret address and « Mon compte »."""

import datetime

import icalendar
import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from agenda.models import AgendaSettings
from conventions.models import Meeting
from evaluation.models import Review
from tests.accounts.factories import UserFactory
from tests.actions.factories import ActionSheetFactory
from tests.conventions.factories import CommitteeFactory, ConventionFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def running(today):
    """A signed convention of three years, ending in eight months, with a late fiche and a planned COPIL."""
    convention = ConventionFactory(
        signed=True,
        reference="CTG-42-FIRMINY",
        title="CTG de Firminy",
        start_date=datetime.date(today.year - 2, 1, 1),
        end_date=today + relativedelta(months=8),
    )
    ActionSheetFactory(
        convention=convention, reference="1.4", title="Ouvrir un LAEP", due_date=today - datetime.timedelta(days=10)
    )
    ActionSheetFactory(convention=convention, reference="2.1", title="Déjà faite", due_date=today, status="realisee")
    committee = CommitteeFactory(convention=convention, name="Comité de pilotage")
    Meeting.objects.create(committee=committee, date=today + datetime.timedelta(days=20), place="Mairie")
    return convention


def feed_events(client, user) -> dict[str, icalendar.Event]:
    token = AgendaSettings.objects.for_user(user).feed_token
    client.logout()  # a calendar application has no session
    response = client.get(reverse("agenda:feed", kwargs={"token": token}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def test_feed_parses_and_holds_every_due_date_of_the_member(client, running, today):
    member = UserFactory(cooperation=True)
    MembershipFactory(convention=running, user=member)
    other = ConventionFactory(signed=True, title="Convention d'ailleurs")
    ActionSheetFactory(convention=other, due_date=today)

    events = feed_events(client, member)
    summaries = {str(event["summary"]) for event in events.values()}
    fiche = running.actions.get(reference="1.4")
    assert events[f"fiche-{fiche.pk}@127.0.0.1"]["dtstart"].dt == fiche.due_date
    assert "Échéance de la fiche 1.4 « Ouvrir un LAEP » (CTG-42-FIRMINY)" in summaries
    assert not any("Déjà faite" in summary for summary in summaries), "a fiche réalisée is no longer due"
    assert "Réunion : Comité de pilotage à Mairie (CTG-42-FIRMINY)" in summaries
    # One bilan annuel per year but the last, by 31 March of the next year, and the final bilan.
    for year in range(today.year - 2, running.end_date.year):
        assert events[f"bilan-{running.pk}-{year}@127.0.0.1"]["dtstart"].dt == datetime.date(year + 1, 3, 31)
    assert events[f"bilan-final-{running.pk}@127.0.0.1"]["dtstart"].dt == running.end_date
    assert events[f"fin-{running.pk}@127.0.0.1"]["dtstart"].dt == running.end_date
    for months in (12, 6, 3):
        milestone = events[f"renouvellement-{running.pk}-{months}@127.0.0.1"]
        assert milestone["dtstart"].dt == running.end_date - relativedelta(months=months)
        assert (
            str(milestone["summary"]) == f"Renouvellement : la convention CTG-42-FIRMINY prend fin dans {months} mois"
        )
    assert "Convention d'ailleurs" not in str(events), "another convention's dates are not the member's"
    assert str(events[f"fin-{running.pk}@127.0.0.1"]["url"]).startswith("http://127.0.0.1:8000/conventions/")


def test_uids_are_stable_between_two_fetches(client, running):
    adviser = UserFactory(adviser=True, caf=running.caf)
    assert sorted(feed_events(client, adviser)) == sorted(feed_events(client, adviser))


def test_a_successor_stops_the_renewal_milestones(client, running):
    ConventionFactory(caf=running.caf, previous=running, title="CTG de Firminy 2027-2031")
    adviser = UserFactory(adviser=True, caf=running.caf)
    uids = feed_events(client, adviser)
    assert not [uid for uid in uids if uid.startswith(f"renouvellement-{running.pk}-")]
    assert f"fin-{running.pk}@127.0.0.1" in uids


def test_a_validated_bilan_is_marked_done(client, running, today):
    year = today.year - 2
    Review.objects.create(convention=running, year=year, status="valide")
    adviser = UserFactory(adviser=True, caf=running.caf)
    events = feed_events(client, adviser)
    assert "(fait)" in str(events[f"bilan-{running.pk}-{year}@127.0.0.1"]["description"])
    assert "(en retard)" in str(events[f"bilan-{running.pk}-{year + 1}@127.0.0.1"]["description"])


def test_a_wrong_token_is_a_404(client, running):
    adviser = UserFactory(adviser=True, caf=running.caf)
    AgendaSettings.objects.for_user(adviser)
    assert client.get(reverse("agenda:feed", kwargs={"token": "x" * 43})).status_code == 404
    client.force_login(adviser)
    assert client.get(reverse("agenda:feed", kwargs={"token": "x" * 43})).status_code == 404


def test_a_deactivated_account_feed_is_a_404(client, running):
    adviser = UserFactory(adviser=True, caf=running.caf, is_active=False)
    token = AgendaSettings.objects.for_user(adviser).feed_token
    assert client.get(reverse("agenda:feed", kwargs={"token": token})).status_code == 404


def test_regenerating_invalidates_the_old_address(client, running):
    adviser = UserFactory(adviser=True, caf=running.caf)
    client.force_login(adviser)
    page = client.get(reverse("agenda:account"))
    old = AgendaSettings.objects.get(user=adviser).feed_token
    assert f"/calendrier/{old}.ics" in page.content.decode()
    assert "Régénérer" in page.content.decode()

    response = client.post(reverse("agenda:feed_regenerate"))
    assert response.status_code == 302
    new = AgendaSettings.objects.get(user=adviser).feed_token
    assert new != old and len(new) >= 43
    assert client.get(reverse("agenda:feed", kwargs={"token": old})).status_code == 404
    assert client.get(reverse("agenda:feed", kwargs={"token": new})).status_code == 200
    assert f"/calendrier/{new}.ics" in client.get(reverse("agenda:account")).content.decode()


def test_regenerating_needs_a_post(client, running):
    adviser = UserFactory(adviser=True, caf=running.caf)
    client.force_login(adviser)
    old = AgendaSettings.objects.for_user(adviser).feed_token
    assert client.get(reverse("agenda:feed_regenerate")).status_code == 405
    assert AgendaSettings.objects.get(user=adviser).feed_token == old


def test_account_turns_the_digest_off_and_on(client, running):
    adviser = UserFactory(adviser=True, caf=running.caf)
    client.force_login(adviser)
    assert client.post(reverse("agenda:account"), {}).status_code == 302
    assert AgendaSettings.objects.get(user=adviser).digest_enabled is False
    client.post(reverse("agenda:account"), {"digest_enabled": "on"})
    assert AgendaSettings.objects.get(user=adviser).digest_enabled is True


def test_my_calendar_shows_late_and_upcoming(client, running, today, django_assert_max_num_queries):
    adviser = UserFactory(adviser=True, caf=running.caf)
    client.force_login(adviser)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("agenda:calendar"))
    body = response.content.decode()
    late, upcoming = body.split("À venir", 1)
    assert "Échéance de la fiche 1.4" in late
    assert "Réunion : Comité de pilotage" in upcoming
    assert "prend fin dans 6 mois" in upcoming
    assert (today + datetime.timedelta(days=20)).strftime("%d/%m/%Y") in upcoming


def test_my_calendar_query_count_does_not_grow_with_conventions(client, today, django_assert_num_queries):
    adviser = UserFactory(adviser=True)

    def add_convention():
        convention = ConventionFactory(caf=adviser.caf, signed=True, end_date=today + relativedelta(months=7))
        ActionSheetFactory(convention=convention, due_date=today)
        Meeting.objects.create(committee=CommitteeFactory(convention=convention), date=today)
        Review.objects.create(convention=convention, year=today.year - 1, status="valide")

    add_convention()
    client.force_login(adviser)
    client.get(reverse("agenda:calendar"))  # the settings row is created on the first visit
    with django_assert_num_queries(7) as one:
        client.get(reverse("agenda:calendar"))
    for _ in range(4):
        add_convention()
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("agenda:calendar"))
    assert response.content.decode().count("Réunion :") == 5


def test_convention_calendar_lists_its_years(client, running, today):
    adviser = UserFactory(adviser=True, caf=running.caf)
    client.force_login(adviser)
    response = client.get(reverse("agenda:convention_calendar", kwargs={"convention_pk": running.pk}))
    body = response.content.decode()
    assert "Calendrier de la convention" in body
    assert f"Bilan annuel {today.year - 2} à présenter" in body
    assert "1 échéance en retard" in body or "échéances en retard" in body
