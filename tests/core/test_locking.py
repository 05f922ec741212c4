"""core.locking: one stale-edit scheme for rows with a lock version, rows with a history, and sets of rows."""

import pytest

from actions.models import BudgetLine
from conventions.models import Clause
from core.locking import (
    StaleEditError,
    check_rows_unchanged,
    expected_marker,
    rows_marker,
    save_if_unchanged,
)
from tests.accounts.factories import UserFactory
from tests.actions.factories import ActionSheetFactory
from tests.conventions.factories import ClauseFactory, ConventionFactory


@pytest.fixture
def colleague(db):
    return UserFactory(adviser=True, first_name="Inès", last_name="Martin")


def test_a_versioned_row_is_saved_once_per_version(db, colleague):
    convention = ConventionFactory()
    marker = expected_marker(convention)
    assert marker == str(convention.lock_version)
    convention.title = "Première"
    save_if_unchanged(instance=convention, marker=marker, user=colleague)
    assert convention.lock_version == int(marker) + 1

    stale = type(convention).objects.get(pk=convention.pk)
    stale.title = "Écrase la première"
    with pytest.raises(StaleEditError) as refused:
        save_if_unchanged(instance=stale, marker=marker)
    assert "Modifié par Inès Martin le " in refused.value.messages[0]
    convention.refresh_from_db()
    assert convention.title == "Première"


def test_a_row_without_a_version_is_checked_against_its_latest_history(db, colleague):
    clause = ClauseFactory()
    marker = expected_marker(clause)
    clause.title = "Objet"
    save_if_unchanged(instance=clause, marker=marker, user=colleague)
    assert expected_marker(clause) != marker
    old = Clause.objects.get(pk=clause.pk)
    old.title = "Autre objet"
    with pytest.raises(StaleEditError, match="Modifié par Inès Martin"):
        save_if_unchanged(instance=old, marker=marker)
    assert Clause.objects.get(pk=clause.pk).title == "Objet"


def test_a_deleted_row_is_refused(db):
    clause = ClauseFactory()
    marker = expected_marker(clause)
    Clause.objects.filter(pk=clause.pk).delete()
    with pytest.raises(StaleEditError, match="supprimé entre-temps"):
        save_if_unchanged(instance=clause, marker=marker)


def test_a_set_of_rows_changes_its_marker_when_a_row_is_added_changed_or_removed(db, colleague):
    action = ActionSheetFactory()
    lines = BudgetLine.objects.filter(action=action)
    empty = rows_marker(lines)
    line = BudgetLine(action=action, year=2024, funder="caf", planned=100)
    line._history_user = colleague
    line.save()
    added = rows_marker(lines)
    assert added != empty
    line.planned = 200
    line.save()
    changed = rows_marker(lines)
    assert changed not in (empty, added)
    check_rows_unchanged(queryset=lines, marker=changed, subject="Budget", action_id=action.pk)
    with pytest.raises(StaleEditError, match="Budget modifié par"):
        check_rows_unchanged(queryset=lines, marker=added, subject="Budget", action_id=action.pk)
    line.delete()
    assert rows_marker(lines) != changed
