"""The tableau de suivi names the plan's levels as the convention does and carries the échéance's precision
(issue 14, items 4 and 5)."""

import datetime

from actions.models import ActionSheet, Axis
from evaluation.tracking import tracking_export, tracking_import
from tests.actions.factories import ActionSheetFactory, AxisFactory, OrientationFactory
from tests.conventions.factories import ConventionFactory
from tests.evaluation.test_tracking import put, row_of, to_bytes, workbook


def test_custom_level_names_head_the_columns_and_the_file_imports_back(db):
    convention = ConventionFactory(axis_label="Objectif stratégique")
    axis = AxisFactory(orientation=OrientationFactory(convention=convention, title="Familles"), title="Parentalité")
    ActionSheetFactory(
        convention=convention, reference="1.1", place=axis, due_date=datetime.date(2025, 12, 31), due_precision="annee"
    )
    ActionSheetFactory(convention=convention, reference="1.2", place=axis, due_date=datetime.date(2026, 3, 4))
    book = workbook(tracking_export(convention=convention))
    fiches = book["Fiches"]
    assert [c.value for c in fiches[1]][:3] == ["Orientation", "Objectif stratégique", "Objectif opérationnel"]
    assert fiches.cell(row_of(fiches, **{"Réf": "1.1"}), 20).value == "2025"
    assert fiches.cell(row_of(fiches, **{"Réf": "1.2"}), 20).value == datetime.datetime(2026, 3, 4)

    put(fiches, row_of(fiches, **{"Réf": "1.1"}), "Échéance", "mars 2026")
    put(fiches, row_of(fiches, **{"Réf": "1.2"}), "Échéance", 2027)  # a year typed in a number cell
    new = fiches.max_row + 1
    put(fiches, new, "Orientation", "Familles")
    put(fiches, new, "Objectif stratégique", "Nouvel objectif stratégique")
    put(fiches, new, "Réf", "1.3")
    put(fiches, new, "Intitulé", "Une fiche de plus")
    put(fiches, new, "Échéance", "2e semestre 2026")
    put(fiches, new, "Statut", "à lancer")
    report = tracking_import(convention=convention, data=to_bytes(book), user=None, scope="full", dry_run=False)
    assert report.errors == []
    assert any("création de l'objectif stratégique « Nouvel objectif stratégique »" in str(c) for c in report.changes)
    labels = dict(ActionSheet.objects.filter(convention=convention).values_list("reference", "due_precision"))
    assert labels == {"1.1": "mois", "1.2": "annee", "1.3": "semestre"}
    assert ActionSheet.objects.get(reference="1.3").due_label == "2e semestre 2026"
    assert Axis.objects.filter(orientation__convention=convention).count() == 2
