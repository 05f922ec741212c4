"""The PDF links answer without rendering: the stored file of the current data, else the page of its job.

Here the jobs are left waiting (``JOBS_EXECUTION="thread"`` inside a test transaction that never commits, so the
thread never starts): what the request itself does is what is measured.
"""

import pytest
from django.core.files.storage import default_storage
from django.test import override_settings
from django.urls import reverse

from conventions.dossier import pdf as conventions_pdf
from core import pdf as core_pdf
from jobs.enums import JobState
from jobs.models import Job
from jobs.services import job_run
from tests.actions.factories import ActionSheetFactory
from tests.evaluation.factories import IndicatorFactory, MeasurementFactory

pytestmark = pytest.mark.django_db

left_waiting = override_settings(JOBS_EXECUTION="thread")


@pytest.fixture
def no_render(monkeypatch):
    def refuse(**kwargs):
        raise AssertionError("un PDF a été rendu pendant la requête")

    monkeypatch.setattr(conventions_pdf, "html_to_pdf", refuse)
    monkeypatch.setattr(core_pdf, "html_to_pdf", refuse)


def pdf_url(convention) -> str:
    return reverse("conventions:pdf", args=[convention.pk])


def add_fiches(convention, count: int) -> None:
    for _ in range(count):
        action = ActionSheetFactory(convention=convention)
        MeasurementFactory(indicator=IndicatorFactory(convention=convention, action=action))


@left_waiting
def test_a_cold_pdf_link_queues_the_job_and_shows_its_state_without_rendering(client, adviser, convention, no_render):
    client.force_login(adviser)
    response = client.get(pdf_url(convention))
    body = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "PDF de la convention" in body and "en file d'attente" in body
    status_url = reverse("jobs:status", kwargs={"kind": "convention_pdf", "key": convention.pk})
    assert f'hx-get="{status_url}"' in body and 'hx-trigger="every 2s"' in body
    job = Job.objects.get()
    assert (job.kind, job.key, job.state, job.requested_by) == ("convention_pdf", str(convention.pk), "queued", adviser)
    assert job.params["empreinte"]


@left_waiting
def test_the_cold_link_costs_the_same_queries_with_40_fiches_as_with_2(
    client, adviser, convention, no_render, django_assert_num_queries
):
    client.force_login(adviser)
    add_fiches(convention, 2)
    client.get(pdf_url(convention))  # the session and the user, warmed up
    Job.objects.all().delete()
    # 14: the session, the user, the convention, its latest frozen version (none: a draft), the job…
    with django_assert_num_queries(14) as small:
        client.get(pdf_url(convention))
    Job.objects.all().delete()
    add_fiches(convention, 38)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(pdf_url(convention))
    assert response.status_code == 200


@left_waiting
def test_asking_again_while_it_waits_joins_the_same_job(client, adviser, copil, convention, no_render):
    client.force_login(adviser)
    client.get(pdf_url(convention))
    client.force_login(copil)
    client.get(pdf_url(convention))
    assert Job.objects.count() == 1


def test_the_ready_file_is_served_as_stored_then_the_last_one_stays_while_a_newer_one_waits(
    client, adviser, convention, monkeypatch
):
    monkeypatch.setattr(conventions_pdf, "html_to_pdf", lambda *, html: b"%PDF-1.7 version 1")
    client.force_login(adviser)
    first = client.get(pdf_url(convention))  # tests run jobs at once: rendered by the job, then served
    assert b"".join(first.streaming_content) == b"%PDF-1.7 version 1"
    ready = Job.objects.get()
    assert ready.state == JobState.READY and ready.file.name.startswith("travaux/convention_pdf/")

    convention.title = "Titre changé"
    convention.save()
    with left_waiting:
        response = client.get(pdf_url(convention))
    body = response.content.decode()
    assert "en file d'attente" in body
    download = reverse("jobs:download", kwargs={"kind": "convention_pdf", "key": convention.pk})
    assert f'href="{download}"' in body and "version du" in body
    assert b"".join(client.get(download).streaming_content) == b"%PDF-1.7 version 1"

    newer = Job.objects.pending().get()
    monkeypatch.setattr(conventions_pdf, "html_to_pdf", lambda *, html: b"%PDF-1.7 version 2")
    job_run(job_id=newer.pk)  # what a worker does
    assert b"".join(client.get(pdf_url(convention)).streaming_content) == b"%PDF-1.7 version 2"
    assert list(Job.objects.all()) == [Job.objects.get(pk=newer.pk)]  # the older result is gone


def test_a_ready_file_missing_from_storage_is_produced_again(client, adviser, convention, monkeypatch):
    monkeypatch.setattr(conventions_pdf, "html_to_pdf", lambda *, html: b"%PDF-1.7 rendu")
    client.force_login(adviser)
    b"".join(client.get(pdf_url(convention)).streaming_content)
    lost = Job.objects.get()
    default_storage.delete(lost.file.name)  # a database restored without its files
    response = client.get(pdf_url(convention))
    assert b"".join(response.streaming_content) == b"%PDF-1.7 rendu"
    assert Job.objects.get().pk != lost.pk


def test_a_failed_render_is_shown_in_french(client, adviser, convention, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("WeasyPrint en panne")

    monkeypatch.setattr(conventions_pdf, "html_to_pdf", broken)
    client.force_login(adviser)
    body = client.get(pdf_url(convention)).content.decode()
    assert "échec" in body and "Le document n&#x27;a pas pu être produit" in body
    assert "Produire à nouveau" in body


@left_waiting
def test_the_fiche_pdf_link_is_a_job_too(client, copil, convention, no_render):
    action = ActionSheetFactory(convention=convention, reference="2.1")
    client.force_login(copil)
    body = client.get(reverse("conventions:action_pdf", args=[convention.pk, action.pk])).content.decode()
    assert "PDF de la fiche-action" in body and "Fiche-action 2.1 en PDF" in body
    assert Job.objects.get().key == str(action.pk)


def test_a_stranger_queues_nothing(client, other_adviser, convention):
    client.force_login(other_adviser)
    assert client.get(pdf_url(convention)).status_code == 404
    action = ActionSheetFactory(convention=convention)
    assert client.get(reverse("conventions:action_pdf", args=[convention.pk, action.pk])).status_code == 404
    status = reverse("jobs:status", kwargs={"kind": "action_pdf", "key": action.pk})
    assert client.get(status).status_code == 404
    assert not Job.objects.exists()
