"""A bilan of year N reads the plan as it stood on 31/12/N (issue 12, item 5), and says whether each
objective is reached, on track or late from its reference value, target and direction."""

import datetime
from decimal import Decimal

import pytest

from actions.models import ActionSheet
from actions.services import action_status_update
from core.locking import markers
from evaluation.services.reviews import indicator_assessment, review_figures
from tests.actions.factories import ActionSheetFactory
from tests.conventions.factories import ConventionFactory


@pytest.mark.django_db
def test_a_status_changed_in_n_plus_1_counts_as_it_was_on_31_december_n():
    convention = ConventionFactory()
    action = ActionSheetFactory(convention=convention, reference="1.1")
    untouched = ActionSheetFactory(convention=convention, reference="1.2", status="en_cours", progress=40)

    def move(status, progress, day):
        fresh = ActionSheet.objects.get(pk=action.pk)
        action_status_update(
            action=fresh, status=status, progress=progress, comment="", date=day, user=None,
            marker=markers(ActionSheet, [action.pk])[action.pk],
        )  # fmt: skip

    move("en_cours", 50, datetime.date(2023, 6, 1))
    move("realisee", 100, datetime.date(2024, 3, 15))
    figures = review_figures(convention=convention, year=2023)
    listed = {a["reference"]: a for a in figures["actions"]}
    assert (listed["1.1"]["status"], listed["1.1"]["progress"]) == ("en_cours", 50)
    assert (listed["1.2"]["status"], listed["1.2"]["progress"]) == ("en_cours", 40)  # no timeline: as it is
    statuses = [s["value"] for s in figures["statuses"]]
    assert figures["status_totals"][statuses.index("realisee")] == 0
    assert figures["status_totals"][statuses.index("en_cours")] == 2
    # In 2022 the fiche had not started; in 2024 it is done.
    assert {a["reference"]: a["status"] for a in review_figures(convention=convention, year=2022)["actions"]}[
        "1.1"
    ] == "a_lancer"
    assert {a["reference"]: a["status"] for a in review_figures(convention=convention, year=2024)["actions"]}[
        "1.1"
    ] == "realisee"
    assert untouched.status == "en_cours"


@pytest.mark.parametrize(
    ("value", "year", "direction", "expected"),
    [
        ("120", 2024, "hausse", "atteint"),  # target 120 reached
        ("110", 2024, "hausse", "en_bonne_voie"),  # half the way, half the time (2022 → 2026)
        ("104", 2024, "hausse", "en_retard"),  # 17 % of the way at half time: late, not « respecté »
        ("80", 2024, "baisse", "atteint"),  # downwards: at or below the target
    ],
)
def test_objective_reached_on_track_or_late(value, year, direction, expected):
    baseline, target = (Decimal(100), Decimal(120)) if direction == "hausse" else (Decimal(100), Decimal(80))
    assessment = indicator_assessment(
        year=year, value=Decimal(value), baseline=baseline, baseline_year=2022,
        target=target, target_year=2026, direction=direction,
    )  # fmt: skip
    assert assessment == expected
