"""The admin's changelists cost what they show (issue 13): the same queries with N and 3N rows, no second full
COUNT(*) under a filter, orderings on the model's own columns."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.actions.factories import ActionSheetFactory, OrientationFactory, StatusUpdateFactory
from tests.conventions.factories import (
    CommitteeFactory,
    ConventionFactory,
    MembershipFactory,
    PartyFactory,
)
from tests.evaluation.factories import IndicatorFactory, MeasurementFactory
from tests.pages import count_queries

PROJECT_APPS = {"accounts", "territories", "conventions", "actions", "evaluation", "agenda", "jobs", "dashboard"}
CHANGELISTS = [
    "conventions_convention",
    "conventions_party",
    "conventions_committee",
    "conventions_membership",
    "conventions_diagnostic",
    "actions_orientation",
    "actions_actionsheet",
    "actions_statusupdate",
    "evaluation_indicator",
    "evaluation_measurement",
    "accounts_user",
]


def build(count: int) -> None:
    """`count` conventions (with their diagnostic), each with a row of every changelist above (authors set: the
    nullable FKs)."""
    for _ in range(count):
        author = UserFactory()
        convention = ConventionFactory()
        PartyFactory(convention=convention)
        CommitteeFactory(convention=convention)
        MembershipFactory(convention=convention, user=author)
        action = ActionSheetFactory(convention=convention, orientation=OrientationFactory(convention=convention))
        StatusUpdateFactory(action=action, author=author)
        indicator = IndicatorFactory(convention=convention, action=action)
        MeasurementFactory(indicator=indicator, author=author)


@pytest.mark.parametrize("search", ["", "?q=a"])
def test_changelists_run_the_same_queries_with_n_and_3n_rows(client, db, search):
    client.force_login(UserFactory(administrator=True))
    urls = [reverse(f"admin:{name}_changelist") + search for name in CHANGELISTS]
    build(2)
    small = {url: count_queries(client, url) for url in urls}
    build(4)
    large = {url: count_queries(client, url) for url in urls}
    assert large == small


def test_every_changelist_skips_the_full_count_and_orders_by_its_own_columns():
    wrong = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in PROJECT_APPS:  # Django's groups, django-axes' attempts: small tables
            continue
        if model_admin.show_full_result_count is not False:
            wrong.append((model.__name__, "show_full_result_count"))
        for field in model_admin.get_ordering(None) or model._meta.ordering:
            name = str(field).lstrip("-")
            # a foreign key by name (or a related column) pulls a join and a sort of the whole table
            if "__" in name or (
                name not in ("pk", "id") and model._meta.get_field(name).is_relation and not name.endswith("_id")
            ):
                wrong.append((model.__name__, field))
    assert wrong == []
