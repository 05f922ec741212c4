"""The weekly digest: once per person and week, the right items, never to who opted out (Django's outbox)."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core import mail
from django.core.management import call_command

from agenda.digests import digests_send
from agenda.models import AgendaSettings, DigestSent
from evaluation.models import Review
from tests.accounts.factories import UserFactory
from tests.actions.factories import ActionSheetFactory
from tests.conventions.factories import ConventionFactory, MembershipFactory
from tests.evaluation.factories import IndicatorFactory, MeasurementFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 30)  # ISO week 2026-W49


@pytest.fixture
def caf_world():
    """A Caf with a convention ending in five months (no successor), one ending later but renewed, a chargée
    following the first one and an adviser of the Caf."""
    ending = ConventionFactory(
        signed=True,
        reference="CTG-42-FIRMINY",
        title="CTG de Firminy",
        start_date=datetime.date(2023, 1, 1),
        end_date=MONDAY + relativedelta(months=5),
    )
    renewed = ConventionFactory(
        signed=True,
        caf=ending.caf,
        reference="CTG-42-GIER",
        title="CTG du Gier",
        start_date=datetime.date(2023, 1, 1),
        end_date=MONDAY + relativedelta(months=2),
    )
    ConventionFactory(caf=ending.caf, previous=renewed, reference="CTG-42-GIER-2", title="CTG du Gier 2027")
    Review.objects.create(convention=ending, year=2023, status="valide")
    for year in (2023, 2024, 2025):
        Review.objects.create(convention=renewed, year=year, status="valide")
    measured = IndicatorFactory(convention=ending, label="Places en crèche")
    MeasurementFactory(indicator=measured, year=2025)
    IndicatorFactory(convention=ending, label="Familles reçues")
    IndicatorFactory(convention=ending, label="Jeunes accueillis")
    ActionSheetFactory(
        convention=ending, reference="1.1", title="Relais petite enfance", due_date=MONDAY - datetime.timedelta(days=3)
    )
    ActionSheetFactory(
        convention=ending, reference="1.2", title="Guide des familles", due_date=MONDAY + datetime.timedelta(days=12)
    )
    ActionSheetFactory(
        convention=ending, reference="1.3", title="Lointaine", due_date=MONDAY + datetime.timedelta(days=90)
    )
    ActionSheetFactory(convention=ending, reference="1.5", title="Faite", due_date=MONDAY, status="realisee")
    cooperation = UserFactory(cooperation=True, first_name="Camille", email="camille@firminy.fr")
    MembershipFactory(convention=ending, user=cooperation)
    adviser = UserFactory(adviser=True, caf=ending.caf, first_name="Alix", email="alix@caf42.fr")
    other_convention = ConventionFactory(signed=True, title="CTG d'ailleurs")
    ActionSheetFactory(convention=other_convention, reference="9.9", title="Pas la sienne", due_date=MONDAY)
    return {"ending": ending, "renewed": renewed, "cooperation": cooperation, "adviser": adviser}


def message_to(address: str):
    found = [message for message in mail.outbox if message.to == [address]]
    assert len(found) == 1, f"{len(found)} courriels à {address}"
    return found[0]


def test_the_chargee_gets_her_late_and_soon_due_fiches(caf_world):
    digests_send(today=MONDAY)
    body = message_to("camille@firminy.fr").body
    late, soon = body.split("Fiches-action à échéance dans les 30 jours")
    assert "Fiches-action en retard" in late and "1.1 « Relais petite enfance »" in late
    assert "échéance dépassée du 27/11/2026" in late
    assert "1.2 « Guide des familles »" in soon and "le 12/12/2026" in soon
    assert "Lointaine" not in body and "Faite" not in body and "Pas la sienne" not in body
    fiche = caf_world["ending"].actions.get(reference="1.1")
    assert f"{settings.SITE_URL}/conventions/{caf_world['ending'].pk}/plan/fiches/{fiche.pk}/" in body
    html = message_to("camille@firminy.fr").alternatives[0][0]
    assert f'href="{settings.SITE_URL}/conventions/{caf_world["ending"].pk}/plan/fiches/{fiche.pk}/"' in html


def test_the_adviser_gets_bilans_endings_and_missing_values(caf_world):
    digests_send(today=MONDAY)
    body = message_to("alix@caf42.fr").body
    ending = caf_world["ending"]
    assert "Bilan annuel 2024 à présenter au COPIL (CTG-42-FIRMINY), attendu depuis le 31/03/2025" in body
    assert "Bilan annuel 2025 à présenter au COPIL (CTG-42-FIRMINY), attendu depuis le 31/03/2026" in body
    assert "Bilan annuel 2023" not in body, "validated"
    assert f"CTG-42-FIRMINY – CTG de Firminy prend fin le {ending.end_date:%d/%m/%Y} (moins de 6 mois)" in body
    assert "CTG du Gier prend fin" not in body, "a successor is being prepared"
    assert "CTG-42-FIRMINY – CTG de Firminy : 2 indicateurs sans valeur pour 2025" in body
    assert f"{settings.SITE_URL}/conventions/{ending.pk}/indicateurs/valeurs/" in body
    assert "Relais petite enfance" not in body, "fiches are the chargée's"


def test_sent_once_per_person_and_week(caf_world):
    assert digests_send(today=MONDAY) == 2
    assert digests_send(today=MONDAY + datetime.timedelta(days=3)) == 0  # same ISO week
    call_command("send_digests", "--date", MONDAY.isoformat())
    assert len(mail.outbox) == 2
    assert set(DigestSent.objects.values_list("user__email", "period")) == {
        ("camille@firminy.fr", "2026-W49"),
        ("alix@caf42.fr", "2026-W49"),
    }
    assert digests_send(today=MONDAY + datetime.timedelta(days=7)) == 2
    assert len(mail.outbox) == 4


def test_a_second_row_for_the_same_week_is_refused_by_the_database(caf_world):
    from django.db import IntegrityError, transaction

    DigestSent.objects.create(user=caf_world["adviser"], period="2026-W49")
    with pytest.raises(IntegrityError), transaction.atomic():
        DigestSent.objects.create(user=caf_world["adviser"], period="2026-W49")


def test_not_sent_to_who_opted_out(caf_world):
    AgendaSettings.objects.for_user(caf_world["adviser"])
    AgendaSettings.objects.filter(user=caf_world["adviser"]).update(digest_enabled=False)
    digests_send(today=MONDAY)
    assert [message.to for message in mail.outbox] == [["camille@firminy.fr"]]
    assert not DigestSent.objects.filter(user=caf_world["adviser"]).exists()


def test_nothing_to_say_sends_nothing(db):
    UserFactory(adviser=True)
    member = UserFactory(cooperation=True)
    MembershipFactory(user=member)
    UserFactory(copil=True)
    assert digests_send(today=MONDAY) == 0
    assert mail.outbox == []
    assert not DigestSent.objects.exists()


def test_inactive_people_get_nothing(caf_world):
    caf_world["cooperation"].is_active = False
    caf_world["cooperation"].save()
    digests_send(today=MONDAY)
    assert [message.to for message in mail.outbox] == [["alix@caf42.fr"]]


@pytest.mark.skipif(not settings.IS_POSTGRESQL, reason="Procrastinate (and its periodic tasks) needs PostgreSQL")
def test_the_periodic_task_sends_the_digests(caf_world, monkeypatch):
    from procrastinate.contrib.django import app

    from agenda import tasks

    assert "send_digests" in {task.periodic_id for task in app.periodic_registry.periodic_tasks.values()}
    monkeypatch.setattr(tasks.timezone, "localdate", lambda: MONDAY)
    tasks.send_digests(timestamp=0)
    assert len(mail.outbox) == 2
