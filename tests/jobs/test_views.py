"""The job pages: state fragment (htmx and plain page), request, download; scoped like the object they concern."""

import pytest
from django.core.files.storage import default_storage
from django.template import Context, Template
from django.urls import reverse

from jobs.enums import JobState
from jobs.models import Job, params_digest
from jobs.services import job_request


def urls(convention) -> dict:
    kwargs = {"kind": "demo", "key": str(convention.pk)}
    return {name: reverse(f"jobs:{name}", kwargs=kwargs) for name in ("status", "request", "download")}


def queued(convention, state=JobState.QUEUED) -> Job:
    return Job.objects.create(kind="demo", key=str(convention.pk), params_digest=params_digest({}), state=state)


def test_anonymous_is_sent_to_login(client, convention):
    for name, url in urls(convention).items():
        response = client.post(url) if name == "request" else client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert not Job.objects.exists()


def test_a_stranger_gets_404_and_requests_nothing(client, convention, other_adviser):
    client.force_login(other_adviser)
    job_request(kind="demo", key=str(convention.pk), user=None)
    for name, url in urls(convention).items():
        response = client.post(url) if name == "request" else client.get(url)
        assert response.status_code == 404, name
    assert Job.objects.count() == 1


def test_an_unknown_kind_is_404(client, adviser, convention):
    client.force_login(adviser)
    assert client.get(reverse("jobs:status", kwargs={"kind": "inconnu", "key": convention.pk})).status_code == 404


def test_the_plain_page_shows_a_waiting_job_with_a_refresh_link(client, adviser, convention):
    queued(convention)
    client.force_login(adviser)
    response = client.get(urls(convention)["status"])
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" in body and "Note de démonstration" in body
    assert "en file d&#x27;attente" in body or "en file d'attente" in body
    assert "Rafraîchir" in body and f'href="{urls(convention)["status"]}"' in body
    assert 'hx-trigger="every 2s"' in body
    assert "Télécharger" not in body


def test_htmx_gets_the_fragment_alone_and_polling_stops_when_ready(client, adviser, convention):
    client.force_login(adviser)
    job = queued(convention, state=JobState.RUNNING)
    fragment = client.get(urls(convention)["status"], headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and "en cours" in fragment and "every 2s" in fragment
    job.delete()
    job_request(kind="demo", key=str(convention.pk), user=adviser)
    fragment = client.get(urls(convention)["status"], headers={"HX-Request": "true"}).content.decode()
    assert "prêt" in fragment and "every 2s" not in fragment and "Rafraîchir" not in fragment
    assert f'href="{urls(convention)["download"]}"' in fragment
    assert f"Télécharger « note-{convention.pk}.txt »" in fragment


def test_a_failure_is_shown_in_french_next_to_the_last_ready_file(client, adviser, convention):
    job_request(kind="demo", key=str(convention.pk), user=adviser)
    job_request(kind="demo", key=str(convention.pk), user=adviser, params={"fail": "refused"})
    client.force_login(adviser)
    body = client.get(urls(convention)["status"]).content.decode()
    assert "échec" in body and "La convention n&#x27;a pas de signataire" in body
    assert "Télécharger" in body and "version du" in body


def test_posting_a_request_queues_the_job_and_redirects_to_its_page(client, adviser, convention):
    client.force_login(adviser)
    response = client.post(urls(convention)["request"])
    assert response.status_code == 302 and response["Location"] == urls(convention)["status"]
    job = Job.objects.get()
    assert (job.requested_by, job.state) == (adviser, JobState.READY)  # tests run jobs at once


def test_posting_by_htmx_answers_the_fragment(client, adviser, convention):
    client.force_login(adviser)
    response = client.post(urls(convention)["request"], headers={"HX-Request": "true"})
    assert response.status_code == 200 and "<html" not in response.content.decode()
    assert "prêt" in response.content.decode()


def test_requesting_twice_while_waiting_adds_no_job(client, adviser, convention):
    waiting = queued(convention)
    client.force_login(adviser)
    client.post(urls(convention)["request"])
    assert list(Job.objects.all()) == [waiting]


def test_get_on_request_is_refused(client, adviser, convention):
    client.force_login(adviser)
    assert client.get(urls(convention)["request"]).status_code == 405
    assert not Job.objects.exists()


def test_download_gives_the_last_ready_file_while_a_newer_job_runs(client, adviser, convention):
    job_request(kind="demo", key=str(convention.pk), user=adviser)
    queued(convention, state=JobState.RUNNING)
    client.force_login(adviser)
    response = client.get(urls(convention)["download"])
    assert response.status_code == 200
    assert f'filename="note-{convention.pk}.txt"' in response["Content-Disposition"]
    assert convention.reference in b"".join(response.streaming_content).decode()


def test_download_without_a_ready_file_is_404(client, adviser, convention):
    queued(convention)
    client.force_login(adviser)
    assert client.get(urls(convention)["download"]).status_code == 404


def test_a_file_missing_from_storage_is_a_404_not_a_500(client, adviser, convention):
    job = job_request(kind="demo", key=str(convention.pk), user=adviser)
    default_storage.delete(job.file.name)  # e.g. a database restored without its files
    client.force_login(adviser)
    response = client.get(urls(convention)["download"])
    assert response.status_code == 404


@pytest.mark.parametrize("jobs", [1, 8])
def test_the_template_tag_shows_the_state_in_one_query(adviser, convention, jobs, django_assert_num_queries):
    for version in range(jobs):
        job_request(kind="demo", key=str(convention.pk), user=adviser, params={"fail": "refused", "v": version})
    template = Template('{% load jobs_tags %}{% job_status "demo" key %}')
    with django_assert_num_queries(1):
        html = template.render(Context({"key": convention.pk, "csrf_token": "jeton"}))
    assert "échec" in html and 'name="csrfmiddlewaretoken" value="jeton"' in html
    assert "Produire à nouveau" in html


def test_the_template_tag_offers_the_first_request(db, convention):
    html = Template('{% load jobs_tags %}{% job_status "demo" key %}').render(Context({"key": convention.pk}))
    assert "pas encore demandé" in html and "Produire la note" in html
