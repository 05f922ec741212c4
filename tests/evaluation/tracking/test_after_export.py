# ruff: noqa: F811 (the plan fixture, imported from the tracking tests, is each test's argument)
"""Re-importing an older tableau de suivi (issue 16 item 6): a row changed in the application after the export
is flagged « modifié dans l'application par … le …, après l'export » and kept, unless ticked in the preview."""

import html
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.models import ActionSheet
from evaluation.models import Measurement
from evaluation.tracking import tracking_export, tracking_import
from evaluation.tracking.reader import exported_at
from tests.evaluation.test_tracking import XLSX, plan, put, row_of, to_bytes, workbook  # noqa: F401 (fixture)


def changed_in_the_app(instance, user, **values):
    for name, value in values.items():
        setattr(instance, name, value)
    instance._history_user = user
    instance.save()


def older_workbook(plan, adviser) -> bytes:
    """Exported, then 1.1's progress changed in the application; the file then sets 1.1 and G1."""
    book = workbook(tracking_export(convention=plan["convention"]))
    changed_in_the_app(ActionSheet.objects.get(pk=plan["1.1"].pk), adviser, progress=40)
    fiches = book["Fiches"]
    put(fiches, row_of(fiches, **{"Réf": "1.1"}), "Avancement (%)", 60)
    put(fiches, row_of(fiches, **{"Réf": "G1"}), "Avancement (%)", 70)
    return to_bytes(book)


def progress(plan, reference) -> int:
    return ActionSheet.objects.get(pk=plan[reference].pk).progress


def test_the_export_carries_its_time_and_a_spreadsheet_keeps_it(plan):
    import io

    import openpyxl

    data = to_bytes(workbook(tracking_export(convention=plan["convention"])))  # opened and saved again
    assert exported_at(openpyxl.load_workbook(io.BytesIO(data), read_only=True)) is not None


def test_a_row_changed_after_the_export_is_flagged_and_kept_unless_ticked(client, plan, cooperation, adviser):
    convention = plan["convention"]
    url = reverse("evaluation:tracking_import", args=[convention.pk])
    client.force_login(cooperation)
    data = older_workbook(plan, adviser)

    preview = client.post(url, {"file": SimpleUploadedFile("suivi.xlsx", data, content_type=XLSX)})
    page = html.unescape(preview.content.decode())
    assert f"modifié dans l'application par {adviser} le " in page and "après l'export" in page
    report = preview.context["report"]
    assert [c.key for c in report.conflicts] == [f"fiche:{plan['1.1'].pk}"]
    assert 'name="ecraser"' in page and "Écraser quand même" in page

    done = client.post(url, {"token": preview.context["token"]})
    assert done.status_code == 302
    assert progress(plan, "1.1") == 40  # the newer value in the application is kept
    assert progress(plan, "G1") == 70  # the rest of the file is written


def test_a_ticked_row_is_overwritten(client, plan, cooperation, adviser):
    convention = plan["convention"]
    url = reverse("evaluation:tracking_import", args=[convention.pk])
    client.force_login(cooperation)
    preview = client.post(url, {"file": SimpleUploadedFile("suivi.xlsx", older_workbook(plan, adviser))})
    key = preview.context["report"].conflicts[0].key

    done = client.post(url, {"token": preview.context["token"], "ecraser": [key, "fiche:999999"]})

    assert done.status_code == 302
    assert (progress(plan, "1.1"), progress(plan, "G1")) == (60, 70)


def test_a_value_changed_after_the_export_is_kept(plan, cooperation, adviser):
    convention = plan["convention"]
    book = workbook(tracking_export(convention=convention))
    measurement = Measurement.objects.get(indicator=plan["families"], year=2023)
    changed_in_the_app(measurement, adviser, value=Decimal("5200"))
    values = book["Valeurs"]
    put(values, row_of(values, **{"Indicateur": "Familles allocataires", "Année": 2023}), "Valeur", 5300)
    kwargs = {"convention": convention, "data": to_bytes(book), "user": cooperation, "scope": "follow_up"}

    kept = tracking_import(**kwargs, dry_run=False)
    assert not kept.errors and len(kept.conflicts) == 1 and "valeur 2023" in str(kept.conflicts[0])
    measurement.refresh_from_db()
    assert measurement.value == Decimal("5200")

    written = tracking_import(**kwargs, dry_run=False, overwrite=frozenset({f"valeur:{measurement.pk}"}))
    assert not written.errors
    measurement.refresh_from_db()
    assert measurement.value == Decimal("5300")


def test_a_fresh_export_flags_nothing(plan, cooperation):
    book = workbook(tracking_export(convention=plan["convention"]))
    fiches = book["Fiches"]
    put(fiches, row_of(fiches, **{"Réf": "1.1"}), "Avancement (%)", 60)
    report = tracking_import(
        convention=plan["convention"], data=to_bytes(book), user=cooperation, scope="follow_up", dry_run=False
    )
    assert not report.errors and not report.conflicts
    assert progress(plan, "1.1") == 60
