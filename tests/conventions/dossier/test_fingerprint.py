"""The fingerprint of a convention's documents: two queries whatever the plan, moved by every printed change."""

import datetime

import pytest

from actions.models import BudgetLine
from conventions.dossier.fingerprint import convention_fingerprint
from conventions.models import CommitteeMember, Meeting
from tests.actions.factories import ActionSheetFactory, StatusUpdateFactory
from tests.conventions.factories import CommitteeFactory, ConventionFactory, PartyFactory, RepresentativeFactory
from tests.evaluation.factories import IndicatorFactory, MeasurementFactory

pytestmark = pytest.mark.django_db


def fingerprint(convention) -> str:
    return convention_fingerprint(convention_id=convention.pk)


def add_fiches(convention, count: int) -> None:
    for _ in range(count):
        action = ActionSheetFactory(convention=convention)
        BudgetLine.objects.create(action=action, year=2024, funder="caf", planned=1000)
        MeasurementFactory(indicator=IndicatorFactory(convention=convention, action=action))
        StatusUpdateFactory(action=action)


def test_two_queries_whatever_the_number_of_fiches(django_assert_num_queries):
    convention = ConventionFactory()
    add_fiches(convention, 2)
    with django_assert_num_queries(2):
        small = fingerprint(convention)
    add_fiches(convention, 30)
    with django_assert_num_queries(2):
        large = fingerprint(convention)
    assert small != large


def test_nothing_changed_same_fingerprint_and_another_convention_does_not_move_it():
    convention = ConventionFactory()
    add_fiches(convention, 2)
    before = fingerprint(convention)
    assert fingerprint(convention) == before
    add_fiches(ConventionFactory(), 3)
    ActionSheetFactory()  # a fiche of another convention
    assert fingerprint(convention) == before


def test_a_missing_convention_has_no_fingerprint():
    assert convention_fingerprint(convention_id=987654) == ""


def changes(convention):
    """Every kind of printed change, one at a time, as the screens and imports make them."""
    action = ActionSheetFactory(convention=convention, title="Avant")
    party = PartyFactory(convention=convention)
    representative = RepresentativeFactory(party=party)
    committee = CommitteeFactory(convention=convention)
    member = CommitteeMember.objects.create(committee=committee, person="Jeanne Dupont", role="Maire")
    meeting = Meeting.objects.create(committee=committee, date=datetime.date(2024, 3, 1))
    indicator = IndicatorFactory(convention=convention, action=action)
    measurement = MeasurementFactory(indicator=indicator)
    line = BudgetLine.objects.create(action=action, year=2024, funder="caf", planned=1000)
    commune = convention.territory.communes.first()

    def rename_fiche():
        action.title = "Après"
        action.save()

    def change_measurement():
        measurement.value = (measurement.value or 0) + 1
        measurement.save()

    def rename_member():  # committee members have no history: their fields are read
        member.person = "Jeanne Martin"
        member.save()

    def retitle_convention():
        convention.title = "Nouveau titre"
        convention.save()

    def link_meeting():
        meeting.actions.add(action)

    def unlink_meeting():
        meeting.actions.remove(action)

    return {
        "titre de la convention": retitle_convention,
        "intitulé d'une fiche": rename_fiche,
        "valeur d'un indicateur": change_measurement,
        "ligne budgétaire modifiée": lambda: BudgetLine.objects.filter(pk=line.pk).first().save(),
        "représentant supprimé": representative.delete,
        "membre du comité renommé": rename_member,
        "commune ciblée ajoutée": lambda: action.target_communes.add(commune),
        "fiche liée à une réunion": link_meeting,
        "fiche déliée de la réunion": unlink_meeting,
        "point d'avancement": lambda: StatusUpdateFactory(action=action),
        "fiche supprimée": action.delete,
    }


def test_every_printed_change_moves_the_fingerprint():
    convention = ConventionFactory()
    for label, change in changes(convention).items():
        before = fingerprint(convention)
        change()
        assert fingerprint(convention) != before, label
