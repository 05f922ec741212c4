"""The fiche and its place in the plan that the view tests of actions share."""

import datetime

import pytest

from tests.actions.factories import (
    ActionSheetFactory,
    AxisFactory,
    ObjectiveFactory,
    OrientationFactory,
)


@pytest.fixture
def objective(convention):
    orientation = OrientationFactory(convention=convention, number="1", title="Être un acteur éducatif")
    axis = AxisFactory(orientation=orientation, number="1", title="Solutions de garde adaptées")
    return ObjectiveFactory(axis=axis, number="1.1", title="Faire connaître le guichet unique du RPE")


@pytest.fixture
def action(convention, objective):
    action = ActionSheetFactory(
        convention=convention,
        reference="1.1",
        title="Développer la mission de guichet unique du RPE",
        context="Les familles ne savent pas quel service solliciter.",
        target_public="Les familles et les assistantes maternelles",
        objectives="Faire connaître le RPE",
        implementation="Plan de communication",
        schedule="Période de la convention",
        lead="Animatrice du RPE",
        pilots="Service communication communal",
        expected_results="Une meilleure orientation des familles",
        partners="Réseau départemental des RPE",
        start_year=2022,
        end_year=2025,
        due_date=datetime.date(2025, 6, 30),
        status="en_cours",
        progress=40,
        place=objective,
    )
    return action
