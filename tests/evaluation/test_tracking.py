"""Tableau de suivi (.xlsx) round trip, Convention JSON round trip, their commands and screens."""

import datetime
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.template.loader import render_to_string
from django.urls import reverse

from actions.models import ActionSheet, Methodology, Orientation, Priority, StatusUpdate
from conventions.dossier.exchange import convention_export, convention_import
from conventions.models import Amendment, Convention, ConventionVersion, Domain
from conventions.perms import ConventionRights
from evaluation.models import Measurement
from evaluation.perms import tracking_scope
from evaluation.tracking import (
    ACTION_COLUMNS,
    INDICATOR_COLUMNS,
    VALUE_COLUMNS,
    tracking_export,
    tracking_import,
)
from tests.accounts.factories import UserFactory
from tests.actions.factories import ActionSheetFactory, AxisFactory, ObjectiveFactory, OrientationFactory
from tests.evaluation.factories import IndicatorFactory, MeasurementFactory
from tests.pages import snapshot

DEMO_REFERENCES = ["CTG-42-FIRMINY-2022", "CTG-45-SAINT-JEAN-DE-LA-RUELLE-2022", "CTG-42-PAYS-DU-GIER-P3-2023"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def plan(convention):
    """A small plan: a fiche at each level of the tree, one outside every orientation, indicators, values."""
    petite_enfance, _ = Domain.objects.get_or_create(
        code="petite-enfance", defaults={"label": "petite enfance", "order": 1}
    )
    parentalite, _ = Domain.objects.get_or_create(code="parentalite", defaults={"label": "parentalité", "order": 4})
    orientation = OrientationFactory(convention=convention, title="Accompagner les parents")
    axis = AxisFactory(orientation=orientation, title="Faciliter le lien parents/école")
    objective = ObjectiveFactory(axis=axis, title="Favoriser la co-éducation")
    under_objective = ActionSheetFactory(
        convention=convention,
        reference="1.1",
        title="Développer le guichet unique du RPE",
        kind="a_conforter",
        level="intercommunal",
        context="Constat 1\nConstat 2",
        lead="Commune de Firminy",
        start_year=2023,
        end_year=2025,
        due_date=datetime.date(2025, 6, 30),
        budget_amount=Decimal("1500.50"),
        status="en_cours",
        progress=20,
        order=1,
        place=objective,
    )
    under_objective.domains.set([petite_enfance, parentalite])
    under_axis = ActionSheetFactory(
        convention=convention, reference="1.2", title="Café des parents", order=2, place=axis
    )
    under_orientation = ActionSheetFactory(
        convention=convention,
        reference="1.3",
        title="Ateliers parents-enfants",
        level="communal",
        order=3,
        place=orientation,
    )
    governance = ActionSheetFactory(
        convention=convention, reference="G1", title="Animer la CTG", status="en_cours", progress=50, order=4
    )
    rpe_contacts = IndicatorFactory(
        convention=convention,
        action=under_objective,
        label="Nombre de contacts du RPE",
        unit="contacts",
        baseline_value=Decimal("300"),
        baseline_year=2022,
        target_value=Decimal("450"),
        target_year=2025,
        direction="hausse",
    )
    feedback = IndicatorFactory(
        convention=convention, action=under_objective, label="Retours des familles", kind="qualitatif"
    )
    families = IndicatorFactory(convention=convention, action=None, label="Familles allocataires")
    MeasurementFactory(indicator=rpe_contacts, year=2023, value=Decimal("320"))
    MeasurementFactory(indicator=rpe_contacts, year=2024, value=Decimal("412"), source="RPE")
    MeasurementFactory(indicator=rpe_contacts, year=2024, quarter=1, value=Decimal("98"))
    MeasurementFactory(indicator=feedback, year=2024, value=None, text="Très positifs\nDemande de créneaux le samedi")
    MeasurementFactory(indicator=families, year=2023, value=Decimal("5120"))
    return {
        "convention": convention,
        "1.1": under_objective,
        "1.2": under_axis,
        "1.3": under_orientation,
        "G1": governance,
        "rpe_contacts": rpe_contacts,
        "families": families,
    }


def workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def to_bytes(book: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def column(sheet, name: str) -> int:
    return [cell.value for cell in sheet[1]].index(name) + 1


def row_of(sheet, **wanted) -> int:
    """The number of the first row whose cells hold the wanted values (by column name)."""
    positions = {name: column(sheet, name) for name in wanted}
    for number in range(2, sheet.max_row + 1):
        if all(sheet.cell(number, positions[name]).value == value for name, value in wanted.items()):
            return number
    raise AssertionError(f"aucune ligne {wanted}")


def put(sheet, number: int, name: str, value) -> None:
    sheet.cell(number, column(sheet, name)).value = value


def counts(report) -> dict:
    return {sheet: (c.created, c.updated, c.unchanged) for sheet, c in report.counts.items()}


# --------------------------------------------------------------------------------------------- export


def test_export_has_the_contract_columns_and_formats(plan):
    book = workbook(tracking_export(convention=plan["convention"]))
    assert book.sheetnames == ["Fiches", "Indicateurs", "Valeurs"]
    fiches, indicators, values = book["Fiches"], book["Indicateurs"], book["Valeurs"]
    assert tuple(c.value for c in fiches[1]) == ACTION_COLUMNS
    assert tuple(c.value for c in indicators[1]) == INDICATOR_COLUMNS
    assert tuple(c.value for c in values[1]) == VALUE_COLUMNS
    for sheet in (fiches, indicators, values):
        assert all(cell.font.bold for cell in sheet[1])
        assert sheet.freeze_panes == "A2"

    assert [fiches.cell(n, column(fiches, "Réf")).value for n in range(2, fiches.max_row + 1)] == [
        "1.3",
        "1.2",
        "1.1",
        "G1",
    ]
    n = row_of(fiches, **{"Réf": "1.1"})
    row = {name: fiches.cell(n, column(fiches, name)) for name in ACTION_COLUMNS}
    assert row["Orientation"].value == "Accompagner les parents"
    assert row["Axe"].value == "Faciliter le lien parents/école"
    assert row["Objectif opérationnel"].value == "Favoriser la co-éducation"
    assert row["Type"].value == "à conforter"
    assert row["Échelon"].value == "intercommunal"
    assert row["Statut"].value == "en cours"
    assert row["Champs d'intervention"].value == "petite enfance; parentalité"
    assert row["Contexte"].value == "Constat 1\nConstat 2"
    assert row["Contexte"].alignment.wrap_text
    assert row["Année de début"].value == 2023 and row["Avancement (%)"].value == 20
    assert row["Budget (€)"].value == 1500.5
    assert row["Échéance"].value == datetime.datetime(2025, 6, 30)
    assert row["Échéance"].number_format == "DD/MM/YYYY"

    governance = row_of(fiches, **{"Réf": "G1"})
    for name in ("Orientation", "Axe", "Objectif opérationnel"):
        assert fiches.cell(governance, column(fiches, name)).value is None
    axis_only = row_of(fiches, **{"Réf": "1.2"})
    assert fiches.cell(axis_only, column(fiches, "Objectif opérationnel")).value is None

    n = row_of(indicators, **{"Indicateur": "Nombre de contacts du RPE"})
    assert [indicators.cell(n, i).value for i in range(1, 10)] == [
        "1.1",
        "Nombre de contacts du RPE",
        "quantitatif",
        "contacts",
        300,
        2022,
        450,
        2025,
        "hausse",
    ]
    assert indicators.cell(row_of(indicators, **{"Indicateur": "Familles allocataires"}), 1).value is None
    quarter = row_of(values, **{"Indicateur": "Nombre de contacts du RPE", "Trimestre": 1})
    assert values.cell(quarter, column(values, "Valeur")).value == 98
    text = row_of(values, **{"Indicateur": "Retours des familles"})
    assert values.cell(text, column(values, "Texte")).value == "Très positifs\nDemande de créneaux le samedi"


def test_export_runs_a_fixed_number_of_queries(convention, django_assert_max_num_queries):
    def grow(count: int) -> None:
        orientation = OrientationFactory(convention=convention)
        for _ in range(count):
            action = ActionSheetFactory(convention=convention, place=orientation)
            indicator = IndicatorFactory(convention=convention, action=action)
            MeasurementFactory(indicator=indicator)

    grow(2)
    with django_assert_max_num_queries(9):
        tracking_export(convention=convention)
    grow(30)
    with django_assert_max_num_queries(9):
        tracking_export(convention=convention)


# --------------------------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("reference", DEMO_REFERENCES)
def test_unchanged_workbook_reimports_to_nothing_on_each_demo_convention(demo_conventions, reference):
    convention = Convention.objects.get(reference=reference)
    user = UserFactory(cooperation=True)
    before = snapshot(convention)
    data = tracking_export(convention=convention)

    report = tracking_import(convention=convention, data=data, user=user, scope="follow_up", dry_run=False)

    assert report.errors == []
    assert report.changes == []
    assert all(c.created == 0 and c.updated == 0 for c in report.counts.values())
    assert report.counts["Fiches"].unchanged == convention.actions.count()
    assert report.counts["Indicateurs"].unchanged == convention.indicators.count()
    assert report.counts["Valeurs"].unchanged == Measurement.objects.filter(indicator__convention=convention).count()
    assert snapshot(convention) == before


@pytest.mark.parametrize("reference", DEMO_REFERENCES)
def test_convention_json_of_each_demo_convention_imports_identically(demo_conventions, reference):
    exported = convention_export(convention=Convention.objects.get(reference=reference))
    # A signed convention keeps its frozen versions (PROTECT): the test removes them first, as no user can.
    ConventionVersion.objects.filter(convention__reference=reference).delete()
    Convention.objects.get(reference=reference).delete()
    assert not ActionSheet.objects.filter(convention__reference=reference).exists()

    convention, _warnings = convention_import(data=json.loads(json.dumps(exported)))

    assert convention_export(convention=convention) == exported


def test_fiche_without_orientation_round_trips(plan):
    convention = plan["convention"]
    book = workbook(tracking_export(convention=convention))
    fiches = book["Fiches"]
    new = fiches.max_row + 1
    put(fiches, new, "Réf", "G2")
    put(fiches, new, "Intitulé", "Évaluer la CTG")
    put(fiches, new, "Statut", "à lancer")

    report = tracking_import(convention=convention, data=to_bytes(book), user=None, scope="full", dry_run=False)

    assert report.errors == []
    assert counts(report)["Fiches"] == (1, 0, 4)
    for reference in ("G1", "G2"):
        action = ActionSheet.objects.get(convention=convention, reference=reference)
        assert (action.orientation_id, action.axis_id, action.objective_id) == (None, None, None)


def test_multiline_cells_keep_their_line_breaks(plan):
    convention = plan["convention"]
    book = workbook(tracking_export(convention=convention))
    fiches = book["Fiches"]
    put(fiches, row_of(fiches, **{"Réf": "1.2"}), "Modalités de mise en œuvre", "Étape 1\nÉtape 2\n\nÉtape 3")

    report = tracking_import(convention=convention, data=to_bytes(book), user=None, scope="full", dry_run=False)

    assert report.errors == []
    plan["1.2"].refresh_from_db()
    assert plan["1.2"].implementation == "Étape 1\nÉtape 2\n\nÉtape 3"
    plan["1.1"].refresh_from_db()
    assert plan["1.1"].context == "Constat 1\nConstat 2"
    again = workbook(tracking_export(convention=convention))["Fiches"]
    cell = again.cell(row_of(again, **{"Réf": "1.2"}), column(again, "Modalités de mise en œuvre"))
    assert cell.value == "Étape 1\nÉtape 2\n\nÉtape 3" and cell.alignment.wrap_text


def test_text_with_windows_line_endings_in_the_database_is_not_a_change(plan):
    plan["1.3"].context = "Premier constat\r\nSecond constat"
    plan["1.3"].save()
    data = tracking_export(convention=plan["convention"])

    report = tracking_import(convention=plan["convention"], data=data, user=None, scope="full", dry_run=False)

    assert report.changes == [] and counts(report)["Fiches"] == (0, 0, 4)


# --------------------------------------------------------------------------------------------- changes


def test_three_statuses_and_two_values_give_exactly_five_changes_with_the_user(plan, cooperation):
    convention = plan["convention"]
    book = workbook(tracking_export(convention=convention))
    fiches, values = book["Fiches"], book["Valeurs"]
    put(fiches, row_of(fiches, **{"Réf": "1.1"}), "Statut", "Réalisée")  # case and accents do not matter
    put(fiches, row_of(fiches, **{"Réf": "1.2"}), "Statut", "en cours")
    put(fiches, row_of(fiches, **{"Réf": "G1"}), "Statut", "a lancer")
    put(values, row_of(values, **{"Indicateur": "Nombre de contacts du RPE", "Année": 2023}), "Valeur", 333)
    put(values, row_of(values, **{"Indicateur": "Familles allocataires", "Année": 2023}), "Valeur", "5 250,5")
    updates_before = StatusUpdate.objects.count()
    untouched_history = plan["1.3"].history.count()

    report = tracking_import(
        convention=convention, data=to_bytes(book), user=cooperation, scope="follow_up", dry_run=False
    )

    assert report.errors == []
    assert counts(report) == {"Fiches": (0, 3, 1), "Indicateurs": (0, 0, 3), "Valeurs": (0, 2, 3)}
    assert sorted((c.sheet, c.column, c.before, c.after) for c in report.changes) == sorted(
        [
            ("Fiches", "Statut", "en cours", "réalisée"),
            ("Fiches", "Statut", "à lancer", "en cours"),
            ("Fiches", "Statut", "en cours", "à lancer"),
            ("Valeurs", "Valeur", "320", "333"),
            ("Valeurs", "Valeur", "5120", "5250,5"),
        ]
    )
    assert StatusUpdate.objects.count() == updates_before + 3
    for reference, status in (("1.1", "realisee"), ("1.2", "en_cours"), ("G1", "a_lancer")):
        action = ActionSheet.objects.get(convention=convention, reference=reference)
        assert action.status == status
        last = action.history.first()
        assert last.history_user == cooperation and last.history_change_reason == "Import du tableau de suivi"
        update = action.updates.first()
        assert (update.status, update.author, update.comment) == (status, cooperation, "Import du tableau de suivi")
        assert update.date == datetime.date.today()
    for indicator, value in ((plan["rpe_contacts"], Decimal("333")), (plan["families"], Decimal("5250.5"))):
        measurement = indicator.measurements.get(year=2023, quarter=None)
        assert measurement.value == value
        assert measurement.history.first().history_user == cooperation
        assert measurement.author == cooperation
    # Untouched rows keep their history.
    assert plan["1.3"].history.count() == untouched_history


def test_new_fiche_in_a_new_orientation_indicator_and_value_are_created(plan):
    convention = plan["convention"]
    book = workbook(tracking_export(convention=convention))
    fiches, indicators, values = book["Fiches"], book["Indicateurs"], book["Valeurs"]
    n = fiches.max_row + 1
    for name, value in {
        "Orientation": "Soutenir les jeunesses",
        "Axe": "Accueil des adolescents",
        "Réf": "2.1",
        "Intitulé": "Ouvrir un accueil jeunes",
        "Type": "nouvelle",
        "Statut": "à lancer",
        "Année de début": 2025,
        "Échéance": datetime.date(2026, 9, 1),
    }.items():
        put(fiches, n, name, value)
    n = indicators.max_row + 1
    for name, value in {"Réf fiche": "2.1", "Indicateur": "Jeunes accueillis", "Type": "quantitatif"}.items():
        put(indicators, n, name, value)
    n = values.max_row + 1
    for name, value in {"Réf fiche": "2.1", "Indicateur": "Jeunes accueillis", "Année": 2025, "Valeur": 12}.items():
        put(values, n, name, value)

    report = tracking_import(convention=convention, data=to_bytes(book), user=None, scope="full", dry_run=False)

    assert report.errors == []
    assert counts(report) == {"Fiches": (1, 0, 4), "Indicateurs": (1, 0, 3), "Valeurs": (1, 0, 5)}
    action = ActionSheet.objects.get(convention=convention, reference="2.1")
    assert action.orientation.title == "Soutenir les jeunesses" and action.axis.title == "Accueil des adolescents"
    assert action.objective is None and action.kind == "nouvelle" and action.due_date == datetime.date(2026, 9, 1)
    assert action.indicators.get().measurements.get().value == 12
    assert any("création de l'orientation « Soutenir les jeunesses »" in str(c) for c in report.changes)
    # Re-importing the same file creates nothing more.
    again = tracking_import(convention=convention, data=to_bytes(book), user=None, scope="full", dry_run=False)
    assert again.changes == [] and Orientation.objects.filter(convention=convention).count() == 2


def test_open_list_values_match_without_case_or_accents_and_new_ones_are_announced(plan):
    Priority.objects.get_or_create(label="intérêt fort")
    Methodology.objects.get_or_create(label="collective")
    convention = plan["convention"]
    book = workbook(tracking_export(convention=convention))
    fiches = book["Fiches"]
    n = row_of(fiches, **{"Réf": "1.3"})
    put(fiches, n, "Champs d'intervention", "PARENTALITE ; Culture et loisirs")
    put(fiches, n, "Priorité", "Interet FORT")
    put(fiches, n, "Méthodologie", "Participative")
    data = to_bytes(book)
    domains = Domain.objects.count()

    preview = tracking_import(convention=convention, data=data, user=None, scope="full", dry_run=True)

    assert preview.errors == []
    assert preview.warnings == [
        "Feuille Fiches, ligne 2, colonne Champs d'intervention : nouvelle valeur « Culture et loisirs », "
        "ajoutée à la liste des champs d'intervention.",
        "Feuille Fiches, ligne 2, colonne Méthodologie : nouvelle valeur « Participative », "
        "ajoutée à la liste des méthodologies.",
    ]
    assert Domain.objects.count() == domains and not Methodology.objects.filter(label="Participative").exists()

    report = tracking_import(convention=convention, data=data, user=None, scope="full", dry_run=False)

    assert report.warnings == preview.warnings
    action = ActionSheet.objects.get(pk=plan["1.3"].pk)
    assert sorted(d.label for d in action.domains.all()) == ["Culture et loisirs", "parentalité"]
    assert action.priority.label == "intérêt fort" and action.methodology.label == "Participative"


def test_a_fiche_absent_from_the_file_is_left_untouched_and_listed(plan):
    convention = plan["convention"]
    book = workbook(tracking_export(convention=convention))
    fiches = book["Fiches"]
    fiches.delete_rows(row_of(fiches, **{"Réf": "1.3"}))
    indicators = book["Indicateurs"]
    indicators.delete_rows(2, indicators.max_row)
    before = snapshot(convention)

    report = tracking_import(convention=convention, data=to_bytes(book), user=None, scope="full", dry_run=False)

    assert report.errors == []
    assert report.warnings == ["1 fiche de la convention n'est pas dans le fichier et reste inchangée : 1.3."]
    assert counts(report)["Fiches"] == (0, 0, 3)
    assert snapshot(convention) == before


def test_a_status_that_needs_a_reason_is_refused_without_one(plan):
    convention = plan["convention"]
    plan["G1"].status, plan["G1"].status_reason = "reportee", "Attente du recrutement"
    plan["G1"].save()
    book = workbook(tracking_export(convention=convention))
    fiches = book["Fiches"]
    put(fiches, row_of(fiches, **{"Réf": "G1"}), "Statut", "bloquée")  # its reason stays
    n = row_of(fiches, **{"Réf": "1.2"})
    put(fiches, n, "Statut", "abandonnée")

    report = tracking_import(convention=convention, data=to_bytes(book), user=None, scope="full", dry_run=False)

    assert len(report.errors) == 1
    assert report.errors[0].startswith(
        f"Feuille Fiches, ligne {n}, colonne Statut : une fiche « abandonnée » doit dire"
    )
    assert ActionSheet.objects.get(pk=plan["G1"].pk).status == "reportee"


# --------------------------------------------------------------------------------------------- refusals


def test_a_workbook_with_bad_rows_is_refused_whole(plan):
    convention = plan["convention"]
    book = workbook(tracking_export(convention=convention))
    fiches, values = book["Fiches"], book["Valeurs"]
    put(fiches, row_of(fiches, **{"Réf": "1.2"}), "Statut", "réalisée")  # a valid change, not written either
    status_row = row_of(fiches, **{"Réf": "1.1"})
    put(fiches, status_row, "Statut", "en pause")
    text_row = row_of(values, **{"Indicateur": "Familles allocataires"})
    put(values, text_row, "Valeur", "douze")
    unknown_row = values.max_row + 1
    for name, value in {"Réf fiche": "9.9", "Indicateur": "Nombre de contacts du RPE", "Année": 2024}.items():
        put(values, unknown_row, name, value)
    twice_row = values.max_row + 1
    for name, value in {"Réf fiche": "1.1", "Indicateur": "Nombre de contacts du RPE", "Année": 2023}.items():
        put(values, twice_row, name, value)
    first_row = row_of(values, **{"Indicateur": "Nombre de contacts du RPE", "Année": 2023})
    before, updates = snapshot(convention), StatusUpdate.objects.count()

    report = tracking_import(convention=convention, data=to_bytes(book), user=None, scope="full", dry_run=False)

    assert report.errors == [
        f"Feuille Fiches, ligne {status_row}, colonne Statut : valeur inconnue « en pause » (valeurs possibles : "
        "à lancer, en cours, réalisée, reportée, bloquée, abandonnée).",
        f"Feuille Valeurs, ligne {text_row}, colonne Valeur : nombre attendu, « douze » trouvé.",
        f"Feuille Valeurs, ligne {unknown_row}, colonne Réf fiche : fiche inconnue « 9.9 » : elle n'est ni dans "
        "la feuille Fiches ni dans la convention.",
        f"Feuille Valeurs, ligne {twice_row}, colonne Année : la période 2023 de l'indicateur « Nombre de contacts "
        f"du RPE » figure déjà ligne {first_row} : une seule valeur par période.",
    ]
    assert report.refused and not report.written
    assert snapshot(convention) == before
    assert StatusUpdate.objects.count() == updates


def test_more_refusals_name_their_place(plan):
    convention = plan["convention"]
    book = workbook(tracking_export(convention=convention))
    fiches, indicators, values = book["Fiches"], book["Indicateurs"], book["Valeurs"]
    n = row_of(fiches, **{"Réf": "1.2"})
    put(fiches, n, "Avancement (%)", 140)
    put(fiches, n, "Échéance", "bientôt")
    put(fiches, n, "Année de fin", "2O25")
    put(fiches, row_of(fiches, **{"Réf": "G1"}), "Axe", "Un axe sans orientation")
    duplicate = fiches.max_row + 1
    put(fiches, duplicate, "Réf", "1.3")
    put(fiches, duplicate, "Intitulé", "Doublon")
    i = row_of(indicators, **{"Indicateur": "Familles allocataires"})
    put(indicators, i, "Sens", "vers le haut")
    v = values.max_row + 1
    for name, value in {"Réf fiche": "1.1", "Indicateur": "Inconnu", "Année": 2024, "Trimestre": 5}.items():
        put(values, v, name, value)

    report = tracking_import(convention=convention, data=to_bytes(book), user=None, scope="full", dry_run=True)

    assert report.errors == [
        f"Feuille Fiches, ligne {n}, colonne Année de fin : année (quatre chiffres) attendu, « 2O25 » trouvé.",
        f"Feuille Fiches, ligne {n}, colonne Échéance : échéance attendue (« 2025 », « 1er semestre 2025 », "
        "« mars 2025 » ou « 23/11/2026 »), « bientôt » trouvé.",
        f"Feuille Fiches, ligne {n}, colonne Avancement (%) : nombre entier de 0 à 100 attendu, « 140 » trouvé.",
        f"Feuille Fiches, ligne {row_of(fiches, **{'Réf': 'G1'})}, colonne Orientation : indiquez l'orientation "
        "de l'axe ou de l'objectif (ou videz aussi l'axe et l'objectif pour une fiche hors orientation).",
        f"Feuille Fiches, ligne {duplicate}, colonne Réf : la fiche « 1.3 » figure déjà ligne 2.",
        f"Feuille Indicateurs, ligne {i}, colonne Sens : valeur inconnue « vers le haut » (valeurs possibles : "
        "hausse, baisse, maintien).",
        f"Feuille Valeurs, ligne {v}, colonne Trimestre : trimestre de 1 à 4 (ou vide pour une valeur annuelle) "
        "attendu, « 5 » trouvé.",
        f"Feuille Valeurs, ligne {v}, colonne Indicateur : indicateur inconnu « Inconnu » pour la fiche « 1.1 » : "
        "ajoutez-le dans la feuille Indicateurs.",
    ]


def test_a_workbook_of_another_shape_is_refused(plan):
    convention = plan["convention"]
    book = workbook(tracking_export(convention=convention))
    book["Fiches"].cell(1, 4).value = "Référence"
    del book["Valeurs"]

    report = tracking_import(convention=convention, data=to_bytes(book), user=None, scope="full", dry_run=True)

    assert report.errors[0].startswith("Feuille Fiches, ligne 1, colonne D : en-tête « Référence » au lieu de « Réf »")
    assert report.errors[1].startswith("Le classeur n'a pas de feuille « Valeurs »")
    assert tracking_import(convention=convention, data=b"%PDF-1.7", user=None, scope="full", dry_run=True).errors == [
        "Ce fichier n'est pas un classeur Excel (.xlsx). Enregistrez-le au format « Classeur Excel (.xlsx) »."
    ]


def test_import_of_an_unchanged_workbook_runs_a_fixed_number_of_queries(convention, django_assert_max_num_queries):
    def grow(count: int) -> bytes:
        orientation = OrientationFactory(convention=convention)
        nodes = [orientation, AxisFactory(orientation=orientation)]
        nodes.append(ObjectiveFactory(axis=nodes[1]))
        for n in range(count):
            action = ActionSheetFactory(convention=convention, place=nodes[n % 3])
            indicator = IndicatorFactory(convention=convention, action=action)
            MeasurementFactory(indicator=indicator)
        return tracking_export(convention=convention)

    small = grow(2)
    with django_assert_max_num_queries(16):
        assert tracking_import(convention=convention, data=small, user=None, scope="full", dry_run=False).errors == []
    large = grow(40)
    with django_assert_max_num_queries(16):
        assert tracking_import(convention=convention, data=large, user=None, scope="full", dry_run=False).errors == []


# --------------------------------------------------------------------------------------------- scope

CAF_ONLY = (
    "modification réservée à la Caf ; un·e chargé·e de coopération n'importe que les statuts, l'avancement des "
    "fiches et les valeurs des indicateurs."
)
AVENANT_ONLY = (
    "modification réservée à un avenant ; la convention est signée et, sans avenant en préparation, l'import ne "
    "met à jour que les statuts, l'avancement des fiches et les valeurs des indicateurs."
)


def sign(convention) -> None:
    Convention.objects.filter(pk=convention.pk).update(status="signee", signature_date=datetime.date(2022, 12, 13))


def preview(client, convention, data: bytes):
    url = reverse("evaluation:tracking_import", args=[convention.pk])
    return client.post(url, {"file": SimpleUploadedFile("suivi.xlsx", data, content_type=XLSX)})


def test_scope_follows_the_right_to_edit_the_text(plan, adviser, cooperation):
    convention = plan["convention"]
    assert tracking_scope(user=adviser, convention=convention) == "full"
    assert tracking_scope(user=None, convention=convention) == "full"
    assert tracking_scope(user=cooperation, convention=convention) == "follow_up"
    sign(convention)
    convention = Convention.objects.get(pk=convention.pk)
    assert tracking_scope(user=adviser, convention=convention) == "follow_up"
    assert tracking_scope(user=None, convention=convention) == "follow_up"
    Amendment.objects.create(convention=convention, number=1, object="Nouvelle fiche")
    convention = Convention.objects.get(pk=convention.pk)
    assert tracking_scope(user=adviser, convention=convention) == "full"
    assert tracking_scope(user=cooperation, convention=convention) == "follow_up"


def test_a_chargee_reimports_an_unchanged_export_to_nothing(client, plan, cooperation):
    client.force_login(cooperation)
    response = preview(client, plan["convention"], tracking_export(convention=plan["convention"]))
    report = response.context["report"]
    assert report.errors == [] and report.changes == [] and not report.has_changes
    assert counts(report) == {"Fiches": (0, 0, 4), "Indicateurs": (0, 0, 3), "Valeurs": (0, 0, 5)}


def test_a_chargee_updates_a_status_and_a_value(client, plan, cooperation):
    convention = plan["convention"]
    client.force_login(cooperation)
    book = workbook(tracking_export(convention=convention))
    fiches, values = book["Fiches"], book["Valeurs"]
    put(fiches, row_of(fiches, **{"Réf": "1.3"}), "Statut", "en cours")
    put(values, row_of(values, **{"Indicateur": "Familles allocataires", "Année": 2023}), "Valeur", 5200)
    edited(
        book,
        "Valeurs",
        None,
        {"Réf fiche": "1.1", "Indicateur": "Nombre de contacts du RPE", "Année": 2025, "Valeur": 430},
    )

    response = preview(client, convention, to_bytes(book))
    assert "En tant que chargé·e de coopération, vous importez les statuts" in response.content.decode()
    assert response.context["report"].errors == []
    response = client.post(
        reverse("evaluation:tracking_import", args=[convention.pk]), {"token": response.context["token"]}
    )

    assert response.status_code == 302
    assert ActionSheet.objects.get(pk=plan["1.3"].pk).status == "en_cours"
    assert plan["families"].measurements.get(year=2023).value == 5200
    assert plan["rpe_contacts"].measurements.get(year=2025).value == 430


def edited(book, sheet: str, match: dict | None, cells: dict) -> int:
    """Write `cells` in the row of `sheet` that `match` finds (a new row when None); the row's number."""
    rows = book[sheet]
    n = row_of(rows, **match) if match else rows.max_row + 1
    for name, value in cells.items():
        put(rows, n, name, value)
    return n


RETITLE = ("Fiches", {"Réf": "1.2"}, {"Intitulé": "Café des parents et des grands-parents"})
# Changes a chargé·e may not import: (sheet, row found by, cells written, column reported, what is refused).
OUTSIDE_FOLLOW_UP = {
    "retitle": (*RETITLE, "Intitulé", "modification"),
    "new_fiche": (
        "Fiches",
        None,
        {"Orientation": "Accompagner les parents", "Réf": "1.4", "Intitulé": "Nouvelle fiche", "Statut": "à lancer"},
        "Réf",
        "création",
    ),
    "new_orientation": (
        "Fiches",
        {"Réf": "G1"},
        {"Orientation": "Une orientation nouvelle"},
        "Orientation",
        "création",
    ),
    "move": ("Fiches", {"Réf": "1.1"}, {"Objectif opérationnel": None}, "Objectif opérationnel", "modification"),
    "new_domain": (
        "Fiches",
        {"Réf": "1.2"},
        {"Champs d'intervention": "Culture et loisirs"},
        "Champs d'intervention",
        "création",
    ),
    "retarget": ("Indicateurs", {"Indicateur": "Nombre de contacts du RPE"}, {"Cible": 500}, "Cible", "modification"),
    "new_indicator": (
        "Indicateurs",
        None,
        {"Réf fiche": "1.2", "Indicateur": "Parents venus"},
        "Indicateur",
        "création",
    ),
}


@pytest.mark.parametrize("edit", list(OUTSIDE_FOLLOW_UP.values()), ids=list(OUTSIDE_FOLLOW_UP))
def test_a_chargee_cannot_change_the_plan_nor_the_indicators(client, plan, cooperation, edit):
    convention = plan["convention"]
    client.force_login(cooperation)
    book = workbook(tracking_export(convention=convention))
    put(book["Fiches"], row_of(book["Fiches"], **{"Réf": "1.3"}), "Statut", "en cours")  # allowed, not written either
    sheet, match, cells, column, what = edit
    number = edited(book, sheet, match, cells)
    before = snapshot(convention)
    domains = Domain.objects.count()

    response = preview(client, convention, to_bytes(book))

    report = response.context["report"]
    reason = CAF_ONLY.replace("modification", what, 1)
    assert report.errors == [f"Feuille {sheet}, ligne {number}, colonne {column} : {reason}"]
    assert response.context["token"] is None and "Confirmer" not in response.content.decode()
    assert snapshot(convention) == before and Domain.objects.count() == domains


def test_a_signed_convention_takes_plan_changes_only_through_an_open_avenant(client, plan, adviser):
    convention = plan["convention"]
    sign(convention)
    client.force_login(adviser)
    book = workbook(tracking_export(convention=convention))
    number = edited(book, *RETITLE)
    data = to_bytes(book)
    before = snapshot(convention)

    response = preview(client, convention, data)

    assert response.context["report"].errors == [f"Feuille Fiches, ligne {number}, colonne Intitulé : {AVENANT_ONLY}"]
    assert "La convention est signée" in response.content.decode()
    assert snapshot(convention) == before

    Amendment.objects.create(convention=convention, number=1, object="Compléter le plan", signed_on=None)
    response = preview(client, convention, data)
    assert response.context["report"].errors == []
    client.post(reverse("evaluation:tracking_import", args=[convention.pk]), {"token": response.context["token"]})
    assert ActionSheet.objects.get(pk=plan["1.2"].pk).title == "Café des parents et des grands-parents"


def colleague_retitles(plan, colleague):
    action = ActionSheet.objects.get(pk=plan["1.2"].pk)  # a fiche the file does not change
    action.title = "Titre corrigé après l'aperçu"
    action.lock_version += 1
    action._history_user = colleague
    action.save()
    return "fiche « 1.2 » modifiée"


def colleague_updates_progress(plan, colleague):
    action = ActionSheet.objects.get(pk=plan["1.1"].pk)  # the fiche the file changes
    action.progress = 35
    action.lock_version += 1
    action._history_user = colleague
    action.save()
    return "fiche « 1.1 » modifiée"


def colleague_corrects_a_value(plan, colleague):
    measurement = plan["families"].measurements.get(year=2023)
    measurement.value = Decimal("5121")
    measurement.lock_version += 1
    measurement._history_user = colleague
    measurement.save()
    return "valeur 2023 modifiée"


def colleague_retargets(plan, colleague):
    indicator = plan["rpe_contacts"]
    indicator.refresh_from_db()
    indicator.target_value = Decimal("470")
    indicator._history_user = colleague
    indicator.save()
    return "indicateur « Nombre de contacts du RPE » modifié"


@pytest.mark.parametrize(
    "meanwhile",
    [colleague_retitles, colleague_updates_progress, colleague_corrects_a_value, colleague_retargets],
    ids=lambda f: f.__name__,
)
def test_a_change_between_preview_and_confirmation_refuses_the_import(client, plan, adviser, meanwhile):
    convention = plan["convention"]
    client.force_login(adviser)
    book = workbook(tracking_export(convention=convention))
    fiches, values, indicators = book["Fiches"], book["Valeurs"], book["Indicateurs"]
    put(fiches, row_of(fiches, **{"Réf": "1.1"}), "Avancement (%)", 40)
    put(values, row_of(values, **{"Indicateur": "Nombre de contacts du RPE", "Année": 2023}), "Valeur", 333)
    put(indicators, row_of(indicators, **{"Indicateur": "Nombre de contacts du RPE"}), "Unité", "appels")
    response = preview(client, convention, to_bytes(book))
    token = response.context["token"]
    assert token
    colleague = UserFactory(adviser=True, caf=convention.caf, first_name="Inès", last_name="Martin")
    subject = meanwhile(plan, colleague)
    before = snapshot(convention)
    updates = StatusUpdate.objects.count()

    response = client.post(reverse("evaluation:tracking_import", args=[convention.pk]), {"token": token}, follow=True)

    page = response.content.decode()
    assert f"Des données ont changé depuis l&#x27;aperçu ({subject} par Inès Martin le " in page
    assert "relancez l&#x27;import pour voir l&#x27;aperçu à jour." in page
    assert snapshot(convention) == before and StatusUpdate.objects.count() == updates


# --------------------------------------------------------------------------------------------- commands


def test_tracking_commands_export_dry_run_and_import(plan, cooperation, tmp_path, capsys):
    convention = plan["convention"]
    path = tmp_path / "suivi.xlsx"
    call_command("export_suivi", convention.reference, "-o", str(path))
    book = workbook(path.read_bytes())
    fiches = book["Fiches"]
    put(fiches, row_of(fiches, **{"Réf": "1.3"}), "Statut", "en cours")
    book.save(path)
    before = snapshot(convention)

    call_command("import_suivi", convention.reference, str(path), "--dry-run")
    out = capsys.readouterr().out
    assert ["Fiches", "0", "1", "3"] in [line.split() for line in out.splitlines()]
    assert "Statut : « à lancer » → « en cours »" in out and "rien n'a été enregistré" in out
    assert snapshot(convention) == before

    call_command("import_suivi", convention.reference, str(path), "--user", cooperation.email)
    assert "Import enregistré." in capsys.readouterr().out
    action = ActionSheet.objects.get(pk=plan["1.3"].pk)
    assert action.status == "en_cours" and action.history.first().history_user == cooperation

    put(fiches, row_of(fiches, **{"Réf": "1.3"}), "Statut", "en pause")
    book.save(path)
    with pytest.raises(CommandError, match="Import refusé : 1 erreur"):
        call_command("import_suivi", convention.reference, str(path))
    assert "valeur inconnue « en pause »" in capsys.readouterr().err
    with pytest.raises(CommandError, match="Aucune convention"):
        call_command("export_suivi", "CTG-INCONNUE")


def test_convention_json_commands(plan, tmp_path, capsys):
    convention = plan["convention"]
    reference = convention.reference
    call_command("export_convention", reference)
    printed = json.loads(capsys.readouterr().out)
    path = tmp_path / "convention.json"
    call_command("export_convention", reference, "-o", str(path))
    assert json.loads(path.read_text(encoding="utf-8")) == printed

    with pytest.raises(CommandError, match="Import refusé"):
        call_command("import_convention", str(path))  # the reference exists already
    assert "existe déjà" in capsys.readouterr().err

    convention.delete()
    call_command("import_convention", str(path))
    assert f"Convention {reference} importée" in capsys.readouterr().out
    assert convention_export(convention=Convention.objects.get(reference=reference)) == printed


# --------------------------------------------------------------------------------------------- screens


def test_everyone_who_reads_the_convention_downloads_the_workbook_the_json_is_the_cafs(client, plan, copil, adviser):
    convention = plan["convention"]
    client.force_login(copil)
    response = client.get(reverse("evaluation:tracking_export", args=[convention.pk]))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert f'filename="suivi-{convention.reference.lower()}.xlsx"' in response["Content-Disposition"]
    assert workbook(response.content).sheetnames == ["Fiches", "Indicateurs", "Valeurs"]
    assert client.get(reverse("evaluation:convention_json", args=[convention.pk])).status_code == 403
    client.force_login(adviser)
    response = client.get(reverse("evaluation:convention_json", args=[convention.pk]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert json.loads(response.content)["convention"]["reference"] == convention.reference


def test_web_import_preview_then_confirm(client, plan, cooperation):
    convention = plan["convention"]
    url = reverse("evaluation:tracking_import", args=[convention.pk])
    client.force_login(cooperation)
    assert "Vérifier le fichier" in client.get(url).content.decode()
    book = workbook(tracking_export(convention=convention))
    fiches = book["Fiches"]
    put(fiches, row_of(fiches, **{"Réf": "1.2"}), "Statut", "en cours")
    put(fiches, row_of(fiches, **{"Réf": "1.2"}), "Avancement (%)", 10)
    before = snapshot(convention)

    response = client.post(url, {"file": SimpleUploadedFile("suivi.xlsx", to_bytes(book), content_type=XLSX)})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Confirmer l'import" in page and "Statut : « à lancer » → « en cours »" in page
    assert response.context["report"].counts["Fiches"].updated == 1
    assert snapshot(convention) == before
    token = response.context["token"]

    response = client.post(url, {"token": token})

    assert response.status_code == 302
    assert response["Location"] == reverse("conventions:detail", args=[convention.pk]) + "#plan"
    action = ActionSheet.objects.get(pk=plan["1.2"].pk)
    assert (action.status, action.progress) == ("en_cours", 10)
    assert action.updates.get().author == cooperation
    # The same confirmation cannot be replayed.
    response = client.post(url, {"token": token}, follow=True)
    assert "plus disponible" in response.content.decode()
    assert action.updates.count() == 1


def test_web_import_refuses_a_bad_file_next_to_the_field(client, plan, cooperation):
    convention = plan["convention"]
    url = reverse("evaluation:tracking_import", args=[convention.pk])
    client.force_login(cooperation)

    response = client.post(url, {"file": SimpleUploadedFile("suivi.xlsx", b"Ref;Statut\n1.1;en cours\n")})
    assert response.status_code == 200
    assert "Ce fichier n&#x27;est pas un classeur Excel (.xlsx)" in response.content.decode()
    assert 'id="file-erreurs"' in response.content.decode()

    too_big = b"PK\x03\x04" + b"\0" * (5 * 1024 * 1024)
    response = client.post(url, {"file": SimpleUploadedFile("suivi.xlsx", too_big)})
    assert "Le fichier dépasse 5 Mo" in response.content.decode()

    book = workbook(tracking_export(convention=convention))
    put(book["Fiches"], 2, "Statut", "en pause")
    response = client.post(url, {"file": SimpleUploadedFile("suivi.xlsx", to_bytes(book))})
    page = response.content.decode()
    assert "Fichier refusé : rien n'a été enregistré" in page and "valeur inconnue « en pause »" in page
    assert response.context["token"] is None and "Confirmer" not in page


def test_web_import_of_an_unchanged_file_has_nothing_to_confirm(client, plan, cooperation):
    convention = plan["convention"]
    client.force_login(cooperation)
    data = tracking_export(convention=convention)
    response = client.post(
        reverse("evaluation:tracking_import", args=[convention.pk]),
        {"file": SimpleUploadedFile("suivi.xlsx", data)},
    )
    page = response.content.decode()
    assert "Le fichier ne change rien à la convention." in page and "Confirmer" not in page
    assert response.context["token"] is None


@pytest.mark.parametrize("edit, follow_up", [(True, True), (False, True), (False, False)])
def test_tracking_links(plan, edit, follow_up):
    html = render_to_string(
        "evaluation/_tracking_links.html",
        {
            "convention": plan["convention"],
            "rights": ConventionRights(edit=edit, edit_text=False, follow_up=follow_up),
        },
    )
    pk = plan["convention"].pk
    assert reverse("evaluation:tracking_export", args=[pk]) in html
    assert (reverse("evaluation:convention_json", args=[pk]) in html) is edit  # the exchange file: advisers
    assert (reverse("evaluation:tracking_import", args=[pk]) in html) is follow_up


def test_import_is_closed_to_copil_members_and_strangers(client, plan, copil, other_adviser):
    convention = plan["convention"]
    url = reverse("evaluation:tracking_import", args=[convention.pk])
    data = to_bytes(workbook(tracking_export(convention=convention)))
    client.force_login(copil)
    assert client.get(url).status_code == 403
    assert client.post(url, {"file": SimpleUploadedFile("suivi.xlsx", data)}).status_code == 403
    client.force_login(other_adviser)
    assert client.get(url).status_code == 404
    assert client.post(url, {"file": SimpleUploadedFile("suivi.xlsx", data)}).status_code == 404
    assert client.get(reverse("evaluation:tracking_export", args=[convention.pk])).status_code == 404
    assert client.get(reverse("evaluation:convention_json", args=[convention.pk])).status_code == 404


def test_import_command_limits_a_chargee_to_the_follow_up(plan, cooperation, copil, tmp_path, capsys):
    convention = plan["convention"]
    path = tmp_path / "suivi.xlsx"
    book = workbook(tracking_export(convention=convention))
    number = edited(book, *RETITLE)
    book.save(path)
    before = snapshot(convention)

    with pytest.raises(CommandError, match="Import refusé : 1 erreur"):
        call_command("import_suivi", convention.reference, str(path), "--user", cooperation.email)

    assert f"Feuille Fiches, ligne {number}, colonne Intitulé : {CAF_ONLY}" in capsys.readouterr().err
    assert snapshot(convention) == before
    with pytest.raises(CommandError, match="n'assure pas le suivi"):
        call_command("import_suivi", convention.reference, str(path), "--user", copil.email)
    sign(convention)
    with pytest.raises(CommandError, match="Import refusé : 1 erreur"):
        call_command("import_suivi", convention.reference, str(path))
    assert AVENANT_ONLY in capsys.readouterr().err
    assert snapshot(convention) == before
