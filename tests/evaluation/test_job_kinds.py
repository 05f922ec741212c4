"""The bilan PDF as a job: a draft's is produced off the request; a validated one's is rendered once, then frozen."""

import pytest
from django.test import override_settings
from django.urls import reverse

from core import pdf as core_pdf
from evaluation.models import Review
from evaluation.services import reviews as services
from jobs.models import Job

pytestmark = pytest.mark.django_db

YEAR = 2024


@pytest.fixture
def renders(monkeypatch):
    """Counts the renders (WeasyPrint is seconds, and its layout is not what is tested here)."""
    calls = []

    def fake_html_to_pdf(*, html):
        calls.append(html)
        return f"%PDF-1.7 rendu n° {len(calls)}".encode()

    monkeypatch.setattr(core_pdf, "html_to_pdf", fake_html_to_pdf)
    return calls


def draft(convention, user) -> Review:
    return services.review_create(convention=convention, kind="annuel", year=YEAR, user=user)


def pdf_url(review) -> str:
    return reverse("evaluation:review_pdf", kwargs={"convention_pk": review.convention_id, "review_pk": review.pk})


@override_settings(JOBS_EXECUTION="thread")  # queued, never run (no commit in the test)
def test_a_draft_pdf_link_queues_the_job_and_renders_nothing(client, convention, adviser, renders):
    review = draft(convention, adviser)
    client.force_login(adviser)
    response = client.get(pdf_url(review))
    body = response.content.decode()
    assert response.status_code == 200 and "PDF du bilan" in body and "en file d'attente" in body
    assert renders == []
    job = Job.objects.get(kind="review_pdf")
    assert job.key == str(review.pk) and job.params["au"] and job.params["empreinte"]


def test_a_draft_pdf_is_produced_again_when_its_text_changes(client, convention, adviser, renders):
    review = draft(convention, adviser)
    client.force_login(adviser)
    first = b"".join(client.get(pdf_url(review)).streaming_content)
    assert b"".join(client.get(pdf_url(review)).streaming_content) == first and len(renders) == 1
    services.review_update(review=review, summary="Une synthèse", decisions="", meeting=None)
    assert b"".join(client.get(pdf_url(review)).streaming_content) != first and len(renders) == 2


def test_validating_renders_the_frozen_pdf_once_and_it_is_served_as_stored(client, convention, adviser, renders):
    review = draft(convention, adviser)
    services.review_validate(review=review, user=adviser)  # queues the job (run at once in the tests)
    review.refresh_from_db()
    assert review.pdf and len(renders) == 1
    stored = review.pdf.read()
    review.pdf.close()
    Job.objects.all().delete()
    client.force_login(adviser)
    with override_settings(JOBS_EXECUTION="thread"):
        response = client.get(pdf_url(review))
    assert b"".join(response.streaming_content) == stored
    assert len(renders) == 1 and not Job.objects.exists()  # no job, no render: the stored file itself
    assert services.review_freeze_pdf(review=review) == stored and len(renders) == 1  # never rendered again
