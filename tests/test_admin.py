"""The admin refuses what the models refuse, with the same French messages, and writes nothing."""

import re

import pytest
from django.urls import reverse

from actions.models import ActionSheet
from conventions.models import Convention
from tests.accounts.factories import UserFactory
from tests.actions.factories import ActionSheetFactory


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(administrator=True))
    return client


def post_admin_form(client, url: str, fields: dict):
    """Post an admin form with its inline management forms empty, as a browser would for no inline rows."""
    page = client.get(url).content.decode()
    data = dict(fields)
    for prefix in re.findall(r'name="([^"]+)-TOTAL_FORMS"', page):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return client.post(url, data)


def test_admin_refuses_a_reversed_period(admin_client, convention):
    response = post_admin_form(
        admin_client,
        reverse("admin:conventions_convention_change", args=[convention.pk]),
        {
            "reference": convention.reference,
            "title": "Titre modifié",
            "caf": convention.caf_id,
            "territory": convention.territory_id,
            "status": "brouillon",
            "start_date": "01/01/2026",
            "end_date": "31/12/2022",
        },
    )
    assert response.status_code == 200
    assert "La date de fin doit être postérieure à la date de début." in response.content.decode()
    convention.refresh_from_db()
    assert convention.title != "Titre modifié"


def action_fields(action, **changes):
    fields = {
        "convention": action.convention_id,
        "reference": action.reference,
        "title": action.title,
        "status": "a_lancer",
        "progress": "0",
        "order": "0",
    }
    fields.update(changes)
    return fields


def test_admin_refuses_a_duplicate_fiche_reference(admin_client, convention):
    ActionSheetFactory(convention=convention, reference="1.1")
    other = ActionSheetFactory(convention=convention, reference="1.2")
    response = post_admin_form(
        admin_client,
        reverse("admin:actions_actionsheet_change", args=[other.pk]),
        action_fields(other, reference="1.1"),
    )
    assert response.status_code == 200
    assert "Une fiche-action porte déjà cette référence dans la convention." in response.content.decode()
    assert ActionSheet.objects.filter(convention=convention, reference="1.1").count() == 1


def test_admin_refuses_a_progress_of_120(admin_client, convention):
    action = ActionSheetFactory(convention=convention, title="Titre d'origine")
    response = post_admin_form(
        admin_client,
        reverse("admin:actions_actionsheet_change", args=[action.pk]),
        action_fields(action, progress="120", title="Titre modifié"),
    )
    assert response.status_code == 200
    assert "Assurez-vous que cette valeur est inférieure ou égale à 100." in response.content.decode()
    action.refresh_from_db()
    assert (action.progress, action.title) == (0, "Titre d'origine")


def test_admin_saves_a_valid_change_and_bumps_the_version(admin_client, convention):
    action = ActionSheetFactory(convention=convention)
    response = post_admin_form(
        admin_client,
        reverse("admin:actions_actionsheet_change", args=[action.pk]),
        action_fields(action, progress="40", status="en_cours"),
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.progress, action.status, action.lock_version) == (40, "en_cours", 1)
    assert action.history.first().history_user.is_administrator


@pytest.mark.parametrize(
    "name",
    ["conventions_convention", "actions_actionsheet", "territories_commune", "evaluation_indicator", "accounts_user"],
)
def test_admin_lists_open(admin_client, convention, name):
    ActionSheetFactory(convention=convention)
    assert admin_client.get(reverse(f"admin:{name}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:{name}_changelist"), {"q": "test"}).status_code == 200


def test_convention_add_page_opens(admin_client):
    assert admin_client.get(reverse("admin:conventions_convention_add")).status_code == 200
    assert Convention.objects.count() == 0
