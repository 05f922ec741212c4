"""The top of « Mon suivi »: counts by status with a chart, and the next due fiches."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.actions.factories import ActionSheetFactory
from tests.conventions.factories import ConventionFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_my_follow_up_counts_my_fiches_by_status_and_shows_what_comes_next(client, django_assert_max_num_queries):
    today = timezone.localdate()
    mine = ConventionFactory(reference="CTG-MIENNE")
    member = UserFactory(cooperation=True)
    MembershipFactory(convention=mine, user=member)
    ActionSheetFactory(convention=mine, status="en_cours", reference="1.1", title="Guide", due_date=today)
    ActionSheetFactory(convention=mine, status="en_cours", reference="1.2", due_date=today - datetime.timedelta(days=2))
    ActionSheetFactory(convention=mine, status="realisee", reference="1.3", due_date=today + datetime.timedelta(days=1))
    ActionSheetFactory(
        convention=mine, status="a_lancer", reference="1.4", title="Relais", due_date=today.replace(year=today.year + 1)
    )
    ActionSheetFactory(convention=ConventionFactory(), status="bloquee", status_reason="x", title="Pas la mienne")
    client.force_login(member)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("actions:my_follow_up"))
    summary = response.context["summary"]
    counts = dict(summary["counts"])
    assert counts["En cours"] == 2 and counts["Réalisée"] == 1 and counts["À lancer"] == 1 and counts["Bloquée"] == 0
    assert summary["total"] == 4 and summary["late"] == 1
    assert [fiche.reference for fiche in summary["next_due"]] == ["1.1", "1.4"], "réalisée is no longer due"
    body = response.content.decode()
    assert "<svg" in body and "Mes fiches-action par statut" in body
    assert "CTG-MIENNE : 1 à lancer, 2 en cours, 1 réalisée" in body.replace("\u00a0", " ")
    assert "Ce qui arrive" in body and "1 en retard" in body
    assert "Pas la mienne" not in body
