"""Convention JSON format version 2 (issue 14): level names, échéance precision, « contribue aussi à »; version 1
files are still read."""

import datetime
import json

import pytest

from actions.models import ActionSheet
from conventions.dossier.exchange import VERSION, ConventionFileError, convention_export, convention_import
from tests.actions.factories import ActionSheetFactory, AxisFactory, ObjectiveFactory, OrientationFactory
from tests.conventions.factories import ConventionFactory


@pytest.fixture
def exported(db):
    convention = ConventionFactory(
        reference="CTG-V2",
        orientation_label="Axe",
        axis_label="Objectif stratégique",
        objective_label="Objectif opérationnel",
    )
    first = ObjectiveFactory(axis=AxisFactory(orientation=OrientationFactory(convention=convention)))
    second = ObjectiveFactory(axis=AxisFactory(orientation=OrientationFactory(convention=convention)))
    action = ActionSheetFactory(
        convention=convention, place=first, due_date=datetime.date(2025, 6, 30), due_precision="semestre"
    )
    action.also_objectives.add(second)
    data = json.loads(json.dumps(convention_export(convention=convention)))
    convention.delete()
    return data


def test_version_2_round_trips_level_names_echeance_and_also_objectives(exported):
    assert exported["version"] == VERSION == 2
    assert exported["convention"]["plan_levels"]["axis_label"] == "Objectif stratégique"
    again, _ = convention_import(data=exported)
    assert (again.orientation_label, again.axis_label, again.objective_label) == (
        "Axe",
        "Objectif stratégique",
        "Objectif opérationnel",
    )
    action = ActionSheet.objects.get(convention=again)
    assert action.due_label == "1er semestre 2025"
    assert [o.title for o in action.also_objectives.all()] == [
        exported["plan"]["orientations"][1]["axes"][0]["objectives"][0]["title"]
    ]
    assert convention_export(convention=again) == exported


def test_a_version_1_file_is_still_read_with_default_names_and_full_dates(exported):
    old = json.loads(json.dumps(exported))
    old["version"] = 1
    del old["convention"]["plan_levels"]
    action = old["plan"]["orientations"][0]["axes"][0]["objectives"][0]["actions"][0]
    del action["due_precision"], action["also_objectives"]
    for orientation in old["plan"]["orientations"]:
        for axis in orientation["axes"]:
            for objective in axis["objectives"]:
                del objective["key"]
    again, _ = convention_import(data=old)
    assert (again.orientation_label, again.axis_label, again.objective_label) == ("Orientation", "Axe", "Objectif")
    fiche = ActionSheet.objects.get(convention=again)
    assert (fiche.due_precision, fiche.due_label) == ("jour", "30/06/2025")
    assert not fiche.also_objectives.exists()


def test_an_unknown_version_and_an_unknown_objective_key_are_refused(exported):
    with pytest.raises(ConventionFileError) as excinfo:
        convention_import(data={**exported, "version": 3})
    assert excinfo.value.messages == ["Ce fichier n'est pas au format ctg-convention, version 2."]
    exported["plan"]["orientations"][0]["axes"][0]["objectives"][0]["actions"][0]["also_objectives"] = ["objectif-99"]
    with pytest.raises(ConventionFileError) as excinfo:
        convention_import(data=exported)
    assert any("objectif(s) absent(s) du fichier : objectif-99." in m for m in excinfo.value.messages)
