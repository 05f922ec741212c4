"""Plan levels named per convention, the pasted outline and the échéance's precision (issue 14, items 4 and 5)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from actions import services
from actions.due import format_due, parse_due
from actions.levels import DEFAULT_LEVELS, plan_levels, plural
from actions.models import Axis, Objective, Orientation
from actions.outline import parse_outline
from tests.actions.factories import ActionSheetFactory, AxisFactory, ObjectiveFactory, OrientationFactory
from tests.conventions.factories import ConventionFactory

CUSTOM = ["Axe", "Objectif stratégique", "Objectif opérationnel"]


# -- level names ----------------------------------------------------------------------------------------


def test_default_levels_and_a_conventions_own_names_speak_french():
    assert DEFAULT_LEVELS.names == "Orientation / Axe / Objectif"
    assert (DEFAULT_LEVELS.orientation.the, DEFAULT_LEVELS.orientation.this) == (
        "l'orientation",
        "cette orientation : elle",
    )
    assert DEFAULT_LEVELS.axis.deleted == "Axe supprimé"
    levels = plan_levels(
        ConventionFactory.build(
            orientation_label="Priorité", axis_label="Volet", objective_label="Objectif stratégique"
        )
    )
    assert (levels.orientation.a, levels.orientation.the, levels.orientation.deleted) == (
        "une priorité",
        "la priorité",
        "Priorité supprimée",
    )
    assert (levels.axis.the, levels.axis.this) == ("le volet", "ce volet : il")
    assert (levels.objective.the, levels.objective.plural) == ("l'objectif stratégique", "objectifs stratégiques")
    assert plural("Objectif de moyens") == "Objectifs de moyens"


@pytest.mark.django_db
def test_levels_rename_saves_the_names_and_refuses_an_empty_or_repeated_name():
    convention = ConventionFactory()
    services.plan_levels_rename(
        convention=convention, names=["  Axe ", "Objectif  stratégique", "Objectif opérationnel"]
    )
    convention.refresh_from_db()
    assert plan_levels(convention).names == "Axe / Objectif stratégique / Objectif opérationnel"
    with pytest.raises(ValidationError) as excinfo:
        services.plan_levels_rename(convention=convention, names=["Axe", "", "axe"])
    assert excinfo.value.message_dict == {
        "axis_label": ["Indiquez le nom de ce niveau."],
        "objective_label": ["Deux niveaux ne peuvent pas porter le même nom."],
    }
    convention.refresh_from_db()
    assert convention.axis_label == "Objectif stratégique"


@pytest.mark.django_db
def test_node_delete_refusal_names_the_conventions_level():
    convention = ConventionFactory(axis_label="Objectif stratégique")
    axis = AxisFactory(orientation=OrientationFactory(convention=convention))
    ActionSheetFactory(convention=convention, place=axis)
    with pytest.raises(ValidationError) as excinfo:
        services.plan_node_delete(node=axis)
    assert "Impossible de supprimer cet objectif stratégique : il contient encore 1 fiche-action." in str(excinfo.value)


# -- the pasted outline ---------------------------------------------------------------------------------

NUMBERED = """
Axe 1 : Soutenir les familles
1.1 Accompagner la parentalité
1.1.1 Créer un LAEP
1.1.2. Développer les REAAP
1.2 - Petite enfance
2. Jeunesse
2.1) Accueils de loisirs
"""

INDENTED = """Soutenir les familles
    Accompagner la parentalité
        Créer un LAEP
\tPetite enfance
Jeunesse
  - Accueils de loisirs
"""


def _shape(outline):
    return [(line.depth, line.number, line.title) for line in outline.lines]


def test_a_numbered_outline_reads_each_lines_level_number_and_title():
    outline = parse_outline(NUMBERED, plan_levels(ConventionFactory.build(orientation_label="Axe")))
    assert outline.is_valid
    assert _shape(outline) == [
        (1, "1", "Soutenir les familles"),
        (2, "1.1", "Accompagner la parentalité"),
        (3, "1.1.1", "Créer un LAEP"),
        (3, "1.1.2", "Développer les REAAP"),
        (2, "1.2", "Petite enfance"),
        (1, "2", "Jeunesse"),
        (2, "2.1", "Accueils de loisirs"),
    ]


def test_an_indented_outline_reads_levels_from_the_indentation():
    outline = parse_outline(INDENTED, DEFAULT_LEVELS)
    assert outline.is_valid
    assert [(line.depth, line.title) for line in outline.lines] == [
        (1, "Soutenir les familles"),
        (2, "Accompagner la parentalité"),
        (3, "Créer un LAEP"),
        (2, "Petite enfance"),
        (1, "Jeunesse"),
        (2, "Accueils de loisirs"),
    ]


def test_a_malformed_outline_reports_each_bad_line():
    outline = parse_outline(
        "1 Familles\n1.1.1.1 Trop profond\n2.1 Sans parent\n1.2\n3 Jeunesse\n4.1 Mauvais\n", DEFAULT_LEVELS
    )
    assert not outline.is_valid
    assert {line.line: line.error for line in outline.errors} == {
        2: "Le plan a trois niveaux : cette ligne en ouvre un quatrième.",
        3: "Le numéro 2.1 ne suit pas « 1 », la ligne du niveau au-dessus.",
        4: "Intitulé manquant après le numéro.",
        6: "Le numéro 4.1 ne suit pas « 3 », la ligne du niveau au-dessus.",
    }
    assert parse_outline("  \n", DEFAULT_LEVELS).error == "Collez au moins une ligne du plan."
    assert (
        "ajoutez d'abord la ligne de son niveau parent" in parse_outline("1.1 Orphelin", DEFAULT_LEVELS).errors[0].error
    )


@pytest.mark.django_db
def test_outline_create_writes_the_tree_after_the_existing_plan_and_refuses_a_bad_one_whole():
    convention = ConventionFactory()
    OrientationFactory(convention=convention, title="Déjà là", order=0)
    created = services.plan_outline_create(convention=convention, outline=parse_outline(NUMBERED, DEFAULT_LEVELS))
    assert created == {1: 2, 2: 3, 3: 2}
    assert list(
        Orientation.objects.filter(convention=convention).order_by("order").values_list("title", flat=True)
    ) == [
        "Déjà là",
        "Soutenir les familles",
        "Jeunesse",
    ]
    parentality = Axis.objects.get(title="Accompagner la parentalité")
    assert list(parentality.objectives.order_by("order").values_list("number", "title")) == [
        ("1.1.1", "Créer un LAEP"),
        ("1.1.2", "Développer les REAAP"),
    ]
    before = Objective.objects.count()
    with pytest.raises(ValidationError):
        services.plan_outline_create(
            convention=convention, outline=parse_outline("1 Bon\n1.1.1.1 Mauvais", DEFAULT_LEVELS)
        )
    assert Objective.objects.count() == before and Orientation.objects.filter(title="Bon").count() == 0


# -- échéance -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "due", "shown"),
    [
        ("2025", datetime.date(2025, 12, 31), "2025"),
        ("1er semestre 2025", datetime.date(2025, 6, 30), "1er semestre 2025"),
        ("S2 2026", datetime.date(2026, 12, 31), "2e semestre 2026"),
        ("2ème semestre 2026", datetime.date(2026, 12, 31), "2e semestre 2026"),
        ("mars 2025", datetime.date(2025, 3, 31), "mars 2025"),
        ("Février 2024", datetime.date(2024, 2, 29), "février 2024"),
        ("03/2025", datetime.date(2025, 3, 31), "mars 2025"),
        ("23/11/2026", datetime.date(2026, 11, 23), "23/11/2026"),
        ("2026-11-23", datetime.date(2026, 11, 23), "23/11/2026"),
    ],
)
def test_an_echeance_is_read_as_the_last_day_of_its_period_and_shown_the_french_way(typed, due, shown):
    date, precision = parse_due(typed)
    assert date == due
    assert format_due(date, precision) == shown


@pytest.mark.parametrize("typed", ["bientôt", "31/02/2025", "1800", "13/2025", "3e semestre 2025"])
def test_an_unreadable_echeance_is_refused_in_french(typed):
    with pytest.raises(ValidationError) as excinfo:
        parse_due(typed)
    assert excinfo.value.messages[0].startswith(("Indiquez l'échéance", "« 31/02/2025 »", "L'année"))


def test_an_old_full_date_without_precision_reads_as_a_day():
    assert parse_due("") == (None, "jour")
    fiche = ActionSheetFactory.build(due_date=datetime.date(2025, 6, 30))
    assert fiche.due_label == "30/06/2025"


# -- contribue aussi à ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_also_objectives_are_of_the_same_convention_and_the_plan_lists_them_under_each():
    from actions.plan import plan_tree

    convention = ConventionFactory()
    home = ObjectiveFactory(axis=AxisFactory(orientation=OrientationFactory(convention=convention)))
    other = ObjectiveFactory(axis=AxisFactory(orientation=OrientationFactory(convention=convention)))
    foreign = ObjectiveFactory()
    action = ActionSheetFactory(convention=convention, place=home)
    services.action_also_objectives_set(action=action, objectives=[other, home])
    assert list(action.also_objectives.all()) == [other]  # its own objective is not « aussi »
    with pytest.raises(ValidationError) as excinfo:
        services.action_also_objectives_set(action=action, objectives=[foreign])
    assert excinfo.value.message_dict == {"also_objectives": ["Un objectif choisi appartient à une autre convention."]}
    tree = plan_tree(convention=convention)
    nodes = {node.objective.pk: node for o in tree.orientations for a in o.axes for node in a.objectives}
    assert nodes[other.pk].also_actions == [action] and nodes[home.pk].also_actions == []
    assert nodes[home.pk].actions[0].also_list == [other]
