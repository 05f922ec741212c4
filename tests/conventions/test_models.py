import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from actions.models import ActionSheet
from conventions.enums import ConventionPhase
from conventions.models import Convention
from tests.accounts.factories import UserFactory
from tests.actions.factories import ActionSheetFactory, AxisFactory, ObjectiveFactory, OrientationFactory
from tests.conventions.factories import ConventionFactory, MembershipFactory
from tests.evaluation.factories import MeasurementFactory


def test_reversed_period_is_refused_with_a_french_message(convention):
    convention.start_date = datetime.date(2026, 1, 1)
    convention.end_date = datetime.date(2022, 12, 31)
    with pytest.raises(ValidationError) as excinfo:
        convention.full_clean()
    assert "La date de fin doit être postérieure à la date de début." in str(excinfo.value)


def test_database_refuses_a_reversed_period_even_without_validation(convention):
    with pytest.raises(IntegrityError), transaction.atomic():
        Convention.objects.filter(pk=convention.pk).update(end_date=datetime.date(2021, 1, 1))
    convention.refresh_from_db()
    assert convention.end_date == datetime.date(2026, 12, 31)


def test_a_convention_without_start_date_must_start_on_signature(convention):
    convention.start_date = None
    with pytest.raises(ValidationError) as excinfo:
        convention.full_clean()
    assert "à compter de la date de signature" in str(excinfo.value)
    convention.starts_on_signature = True
    convention.full_clean()


def test_duplicate_fiche_reference_is_refused(convention):
    ActionSheetFactory(convention=convention, reference="1.1")
    duplicate = ActionSheet(convention=convention, reference="1.1", title="Doublon")
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert "Une fiche-action porte déjà cette référence dans la convention." in str(excinfo.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    assert ActionSheet.objects.filter(convention=convention, reference="1.1").count() == 1


def test_same_fiche_reference_is_fine_in_another_convention(convention):
    ActionSheetFactory(convention=convention, reference="1.1")
    other = ActionSheet(convention=ConventionFactory(), reference="1.1", title="Autre convention")
    other.full_clean()


def test_progress_over_100_is_refused(convention):
    action = ActionSheetFactory(convention=convention)
    action.progress = 120
    with pytest.raises(ValidationError) as excinfo:
        action.full_clean()
    messages = excinfo.value.message_dict
    assert "Assurez-vous que cette valeur est inférieure ou égale à 100." in messages["progress"]
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionSheet.objects.filter(pk=action.pk).update(progress=120)
    action.refresh_from_db()
    assert action.progress == 0


def test_one_value_per_indicator_and_period(db):
    measurement = MeasurementFactory(year=2024, quarter=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeasurementFactory(indicator=measurement.indicator, year=2024, quarter=None)
    # Quarterly values of the same year are distinct periods.
    MeasurementFactory(indicator=measurement.indicator, year=2024, quarter=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeasurementFactory(indicator=measurement.indicator, year=2024, quarter=1)


def test_fiche_may_sit_under_an_orientation_an_axis_an_objective_or_nowhere(convention):
    objective = ObjectiveFactory(axis=AxisFactory(orientation=OrientationFactory(convention=convention)))
    action = ActionSheetFactory(convention=convention)
    for node in (objective, objective.axis, objective.orientation, None):
        action.place_under(node)
        action.full_clean()
        action.save()
    assert action.orientation is None and action.axis is None and action.objective is None


def test_fiche_objective_must_match_its_axis(convention):
    orientation = OrientationFactory(convention=convention)
    objective = ObjectiveFactory(axis=AxisFactory(orientation=orientation))
    other_axis = AxisFactory(orientation=orientation)
    action = ActionSheetFactory(convention=convention)
    action.place_under(objective)
    action.axis = other_axis
    with pytest.raises(ValidationError) as excinfo:
        action.full_clean()
    assert "Cet objectif n'appartient pas à l'axe choisi." in str(excinfo.value)


@pytest.mark.parametrize(
    ("today", "phase"),
    [
        (datetime.date(2021, 6, 1), ConventionPhase.SIGNED),
        (datetime.date(2024, 6, 1), ConventionPhase.IN_FORCE),
        (datetime.date(2027, 1, 1), ConventionPhase.EXPIRED),
    ],
)
def test_a_signed_convention_is_in_force_between_its_dates(db, today, phase):
    convention = ConventionFactory(signed=True)
    assert convention.phase(today) == phase


def test_visible_to_scopes_by_caf_and_membership(convention, adviser, other_adviser, cooperation, outsider_member):
    admin = UserFactory(administrator=True)
    assert list(Convention.objects.visible_to(adviser)) == [convention]
    assert list(Convention.objects.visible_to(cooperation)) == [convention]
    assert convention not in Convention.objects.visible_to(other_adviser)
    assert convention not in Convention.objects.visible_to(outsider_member)
    assert convention in Convention.objects.visible_to(admin)
    # Two memberships must not duplicate rows.
    MembershipFactory(convention=convention, user=outsider_member)
    assert list(Convention.objects.visible_to(outsider_member)).count(convention) == 1


def test_editable_by_is_for_advisers_of_the_caf_only(convention, adviser, cooperation, copil, other_adviser):
    assert list(Convention.objects.editable_by(adviser)) == [convention]
    for user in (cooperation, copil, other_adviser):
        assert convention not in Convention.objects.editable_by(user)


def test_history_records_changes(convention):
    convention.title = "Nouvel intitulé"
    convention.save()
    assert convention.history.count() == 2
    assert convention.history.first().title == "Nouvel intitulé"
