import pytest
from django.core.exceptions import ValidationError

from actions import services
from actions.enums import STATUSES_NEEDING_REASON, ActionStatus
from actions.models import ActionSheet, Axis, Objective, Orientation
from conventions.models import Domain
from core.locking import StaleEditError
from tests.actions.factories import ActionSheetFactory, AxisFactory, ObjectiveFactory, OrientationFactory
from tests.conventions.factories import ConventionFactory


def titles(queryset) -> list[str]:
    return list(queryset.order_by("order", "pk").values_list("title", flat=True))


def test_orientation_create_puts_it_last(convention):
    OrientationFactory(convention=convention, title="Première", order=4)
    created = services.orientation_create(convention=convention, number="2", title="Deuxième")
    assert created.order == 5
    assert titles(convention.orientations) == ["Première", "Deuxième"]


def test_objective_create_under_an_axis_or_directly_under_an_orientation(convention):
    orientation = OrientationFactory(convention=convention)
    axis = AxisFactory(orientation=orientation)
    under_axis = services.objective_create(parent=axis, number="1.1", title="Sous l'axe")
    under_orientation = services.objective_create(parent=orientation, number="1.2", title="Sans axe")
    assert (under_axis.orientation, under_axis.axis) == (orientation, axis)
    assert (under_orientation.orientation, under_orientation.axis) == (orientation, None)


def test_node_create_refuses_an_empty_title(convention):
    with pytest.raises(ValidationError) as exc:
        services.orientation_create(convention=convention, number="1", title="")
    assert "title" in exc.value.message_dict
    assert not convention.orientations.exists()


@pytest.mark.parametrize("direction, expected", [("up", ["B", "A", "C"]), ("down", ["A", "C", "B"])])
def test_plan_node_move_swaps_with_the_neighbour_and_renumbers(convention, direction, expected):
    # Imports leave ties (every order at 0): the order must still come out consistent.
    a, b, c = (OrientationFactory(convention=convention, title=t, order=0) for t in "ABC")
    assert services.plan_node_move(node=b, direction=direction)
    assert titles(convention.orientations) == expected
    assert sorted(convention.orientations.values_list("order", flat=True)) == [0, 1, 2]


def test_plan_node_move_at_the_edges_changes_nothing(convention):
    first, last = (OrientationFactory(convention=convention, title=t, order=i) for i, t in enumerate("AB"))
    assert not services.plan_node_move(node=first, direction="up")
    assert not services.plan_node_move(node=last, direction="down")
    assert titles(convention.orientations) == ["A", "B"]


def test_plan_node_move_stays_among_the_siblings(convention):
    orientation = OrientationFactory(convention=convention)
    axis = AxisFactory(orientation=orientation)
    direct = [ObjectiveFactory(axis=None, orientation=orientation, title=t) for t in ("D1", "D2")]
    in_axis = [ObjectiveFactory(axis=axis, title=t) for t in ("X1", "X2")]
    services.plan_node_move(node=direct[1], direction="up")
    assert titles(Objective.objects.filter(axis=None)) == ["D2", "D1"]
    assert titles(Objective.objects.filter(axis=axis)) == ["X1", "X2"]
    services.plan_node_move(node=in_axis[0], direction="down")
    assert titles(Objective.objects.filter(axis=axis)) == ["X2", "X1"]
    assert titles(Objective.objects.filter(axis=None)) == ["D2", "D1"]


def test_plan_node_move_repeated_keeps_a_permutation(convention):
    orientation = OrientationFactory(convention=convention)
    axes = [AxisFactory(orientation=orientation, title=f"Axe {i}") for i in range(5)]
    for axis, direction in [(axes[4], "up"), (axes[4], "up"), (axes[0], "down"), (axes[2], "up"), (axes[4], "up")]:
        axis.refresh_from_db()
        services.plan_node_move(node=axis, direction=direction)
    assert titles(Axis.objects.filter(orientation=orientation)) == ["Axe 1", "Axe 0", "Axe 4", "Axe 2", "Axe 3"]
    orders = list(Axis.objects.filter(orientation=orientation).values_list("order", flat=True))
    assert sorted(orders) == [0, 1, 2, 3, 4]


@pytest.mark.parametrize("level", ["orientation", "axis", "objective"])
def test_plan_node_delete_refuses_a_node_that_still_has_fiches(convention, level):
    objective = ObjectiveFactory(axis=AxisFactory(orientation=OrientationFactory(convention=convention)))
    action = ActionSheetFactory(convention=convention, place=objective)
    node = {"orientation": objective.orientation, "axis": objective.axis, "objective": objective}[level]
    with pytest.raises(ValidationError) as exc:
        services.plan_node_delete(node=node)
    assert "contient encore 1 fiche-action" in exc.value.messages[0]
    assert type(node).objects.filter(pk=node.pk).exists()
    action.refresh_from_db()
    assert action.objective == objective


def test_plan_node_delete_removes_an_empty_orientation_and_its_levels(convention):
    objective = ObjectiveFactory(axis=AxisFactory(orientation=OrientationFactory(convention=convention)))
    services.plan_node_delete(node=objective.orientation)
    assert not Orientation.objects.filter(convention=convention).exists()
    assert not Axis.objects.filter(pk=objective.axis_id).exists()
    assert not Objective.objects.filter(pk=objective.pk).exists()


def test_action_sheet_create_places_the_fiche_and_sets_its_lists(convention):
    objective = ObjectiveFactory(axis=AxisFactory(orientation=OrientationFactory(convention=convention)))
    ActionSheetFactory(convention=convention, order=7)
    domain = Domain.objects.create(code="culture-test", label="Culture et loisirs (test)")
    commune = convention.territory.communes.first()
    action = services.action_sheet_create(
        action=ActionSheet(convention=convention, reference="1.1", title="Guichet unique"),
        place=objective,
        domains=[domain],
        target_communes=[commune],
    )
    action.refresh_from_db()
    assert (action.orientation, action.axis, action.objective) == (objective.orientation, objective.axis, objective)
    assert action.order == 8
    assert list(action.domains.all()) == [domain]
    assert list(action.target_communes.all()) == [commune]


def test_action_sheet_create_refuses_a_duplicate_reference(convention):
    ActionSheetFactory(convention=convention, reference="1.1")
    with pytest.raises(ValidationError):
        services.action_sheet_create(action=ActionSheet(convention=convention, reference="1.1", title="X"), place=None)
    assert convention.actions.count() == 1


@pytest.mark.parametrize("status", STATUSES_NEEDING_REASON)
def test_a_fiche_reported_blocked_or_abandoned_needs_a_reason(convention, status):
    action = ActionSheetFactory(convention=convention)
    action.status = status
    with pytest.raises(ValidationError) as exc:
        action.full_clean()
    assert "Indiquez le motif" in exc.value.message_dict["status_reason"][0]
    action.status_reason = "Recrutement en cours."
    action.full_clean()


def test_other_statuses_need_no_reason(convention):
    action = ActionSheetFactory(convention=convention, status=ActionStatus.IN_PROGRESS)
    action.full_clean()


def test_action_sheet_update_refuses_a_stale_version(convention):
    action = ActionSheetFactory(convention=convention, title="Version 1")
    fresh = ActionSheet.objects.get(pk=action.pk)
    fresh.title = "Version 2"
    services.action_sheet_update(action=fresh, marker="0", domains=[], target_communes=[])
    action.title = "Version périmée"
    with pytest.raises(StaleEditError):
        services.action_sheet_update(action=action, marker="0", domains=[], target_communes=[])
    action.refresh_from_db()
    assert (action.title, action.lock_version) == ("Version 2", 1)


def test_action_sheet_move_to_another_level_and_out_of_every_orientation(convention):
    orientation = OrientationFactory(convention=convention)
    axis = AxisFactory(orientation=orientation)
    action = ActionSheetFactory(convention=convention)
    services.action_sheet_move(action=action, place=axis)
    action.refresh_from_db()
    assert (action.orientation, action.axis, action.objective) == (orientation, axis, None)
    services.action_sheet_move(action=action, place=None)
    action.refresh_from_db()
    assert (action.orientation, action.axis, action.objective) == (None, None, None)


def test_action_sheet_move_refuses_another_conventions_node(convention):
    foreign = ObjectiveFactory(axis=AxisFactory(orientation=OrientationFactory(convention=ConventionFactory())))
    action = ActionSheetFactory(convention=convention)
    with pytest.raises(ValidationError):
        services.action_sheet_move(action=action, place=foreign)
    action.refresh_from_db()
    assert action.objective_id is None and action.orientation_id is None
