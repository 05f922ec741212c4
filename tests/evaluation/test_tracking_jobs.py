"""A large tableau de suivi is checked and written by jobs: the page shows the job's state, then the report."""

import io

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from actions.models import ActionSheet
from evaluation.tracking import tracking_export
from jobs.models import Job
from tests.actions.factories import ActionSheetFactory

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

pytestmark = pytest.mark.django_db


@pytest.fixture
def fiche(convention):
    return ActionSheetFactory(convention=convention, reference="1.3", title="Ouvrir un LAEP", status="a_lancer")


def started_workbook(convention) -> bytes:
    """The convention's own export with the fiche 1.3 « en cours »."""
    book = openpyxl.load_workbook(io.BytesIO(tracking_export(convention=convention)))
    sheet = book["Fiches"]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("Réf")].value == "1.3":
            row[header.index("Statut")].value = "en cours"
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def upload(client, convention, data: bytes):
    url = reverse("evaluation:tracking_import", args=[convention.pk])
    return client.post(url, {"file": SimpleUploadedFile("suivi.xlsx", data, content_type=XLSX)})


def job_url(convention) -> str:
    return reverse("evaluation:tracking_import_job", args=[convention.pk])


@override_settings(IMPORT_INLINE_MAX_BYTES=0, JOBS_EXECUTION="thread")  # queued, never run (no commit in the test)
def test_a_large_file_is_checked_by_a_job_and_the_page_shows_its_state(client, convention, fiche, cooperation):
    client.force_login(cooperation)
    response = upload(client, convention, started_workbook(convention))
    assert response.status_code == 302 and response["Location"] == job_url(convention)
    job = Job.objects.get(kind="tracking_import")
    assert job.params["dry_run"] is True and job.requested_by == cooperation
    body = client.get(job_url(convention)).content.decode()
    assert "Import du tableau de suivi" in body and "en file d'attente" in body
    assert ActionSheet.objects.get(pk=fiche.pk).status == "a_lancer"  # nothing written


@override_settings(IMPORT_INLINE_MAX_BYTES=0)  # the tests run jobs at once
def test_a_large_file_previewed_then_confirmed_through_jobs(client, convention, fiche, cooperation):
    client.force_login(cooperation)
    upload(client, convention, started_workbook(convention))
    response = client.get(job_url(convention))
    assert response.status_code == 200
    report = response.context["report"]
    assert report.errors == [] and report.has_changes
    assert any("1.3" in change and "Statut" in change for change in report.changes)
    assert "Confirmer l'import" in response.content.decode()
    assert ActionSheet.objects.get(pk=fiche.pk).status == "a_lancer"
    path = Job.objects.get(kind="tracking_import").params["path"]

    confirm = reverse("evaluation:tracking_import", args=[convention.pk])
    response = client.post(confirm, {"token": response.context["token"]})
    assert response["Location"] == job_url(convention)
    response = client.get(job_url(convention))
    assert response.status_code == 302 and response["Location"].endswith("#plan")
    assert ActionSheet.objects.get(pk=fiche.pk).status == "en_cours"
    assert not default_storage.exists(path)  # the waiting file is gone once imported
    assert client.post(confirm, {"token": "déjà-utilisé"}).status_code == 302  # the token was spent


@override_settings(IMPORT_INLINE_MAX_BYTES=0)
def test_the_htmx_fragment_opens_the_report_once_ready(client, convention, fiche, cooperation):
    client.force_login(cooperation)
    upload(client, convention, started_workbook(convention))
    key = f"{convention.pk}-{cooperation.pk}"
    status = reverse("jobs:status", kwargs={"kind": "tracking_import", "key": key})
    response = client.get(status, headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == job_url(convention)
    request = reverse("jobs:request", kwargs={"kind": "tracking_import", "key": key})
    assert client.post(request).status_code == 404  # asked only by depositing a file


def test_nobody_else_follows_an_import(client, convention, cooperation, copil, adviser):
    client.force_login(copil)
    assert client.get(job_url(convention)).status_code == 403
    key = f"{convention.pk}-{cooperation.pk}"
    client.force_login(adviser)  # may follow the convention up, but this is someone else's import
    assert client.get(reverse("jobs:status", kwargs={"kind": "tracking_import", "key": key})).status_code == 404
