"""Requesting and running jobs in process (every database): states, deduplication, failures, results kept."""

import logging
import time

import pytest
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.test import override_settings

from jobs.enums import JobState
from jobs.models import Job, params_digest
from jobs.services import GENERIC_FAILURE, job_request, job_run, job_threads_wait


def demo(convention, user, **params) -> Job:
    return job_request(kind="demo", key=str(convention.pk), user=user, params=params)


def queued(convention, **params) -> Job:
    """A job left waiting, as a request leaves it before a worker takes it."""
    return Job.objects.create(kind="demo", key=str(convention.pk), params=params, params_digest=params_digest(params))


def test_a_requested_job_runs_and_keeps_its_file_in_storage(convention, adviser):
    job = demo(convention, adviser)
    assert job.state == JobState.READY
    assert job.requested_by == adviser and job.attempts == 1
    assert job.started_at <= job.finished_at
    assert job.filename == f"note-{convention.pk}.txt"
    assert default_storage.exists(job.file.name)
    with job.file.open("rb") as handle:
        assert convention.reference in handle.read().decode()


def test_a_request_identical_to_a_waiting_one_joins_it(convention, adviser, other_adviser):
    waiting = queued(convention, year=2024)
    assert demo(convention, other_adviser, year=2024) == waiting
    assert Job.objects.count() == 1
    waiting.refresh_from_db()
    assert waiting.state == JobState.QUEUED  # nothing ran it twice


def test_a_request_with_other_parameters_is_another_job(convention, adviser):
    queued(convention, year=2024)
    other = demo(convention, adviser, year=2025)
    assert other.state == JobState.READY
    assert Job.objects.count() == 2


def test_the_database_refuses_two_pending_identical_jobs(convention):
    queued(convention)
    with pytest.raises(IntegrityError), transaction.atomic():
        queued(convention)


def test_reuse_ready_returns_the_ready_result_of_the_same_data(convention, adviser):
    first = job_request(kind="demo", key=str(convention.pk), user=adviser, params={"empreinte": "v1"})
    again = job_request(kind="demo", key=str(convention.pk), user=adviser, params={"empreinte": "v1"}, reuse_ready=True)
    assert again == first
    changed = job_request(
        kind="demo", key=str(convention.pk), user=adviser, params={"empreinte": "v2"}, reuse_ready=True
    )
    assert changed != first and changed.state == JobState.READY


def test_a_refused_job_is_recorded_with_its_french_message(convention, adviser):
    job = demo(convention, adviser, fail="refused")
    assert job.state == JobState.FAILED
    assert job.error == "La convention n'a pas de signataire : la note ne peut pas être produite."
    assert not job.file


def test_a_programming_error_shows_a_generic_message_and_logs_the_traceback(convention, adviser, caplog):
    with caplog.at_level(logging.ERROR, logger="jobs"):
        job = demo(convention, adviser, fail="bug")
    assert job.state == JobState.FAILED
    assert job.error == "Le document n'a pas pu être produit. L'équipe technique est prévenue."
    assert job.error == GENERIC_FAILURE
    record = next(r for r in caplog.records if r.name == "jobs" and r.levelno == logging.ERROR)
    assert record.exc_info and record.exc_info[0] is ZeroDivisionError
    assert "ZeroDivisionError" in caplog.text


def test_a_failing_job_inside_a_request_does_not_break_the_request_transaction(convention, adviser):
    with transaction.atomic():
        demo(convention, adviser, fail="bug")
        convention.title = "Écrit après l'échec"
        convention.save(update_fields=["title"])  # would raise if the transaction were broken
    convention.refresh_from_db()
    assert convention.title == "Écrit après l'échec"


def test_the_last_ready_result_stays_while_a_newer_one_waits_then_is_replaced(convention, adviser):
    first = demo(convention, adviser)
    newer = queued(convention, version=2)
    assert Job.objects.ready().get() == first  # still there while the newer one waits
    job_run(job_id=newer.pk)
    newer.refresh_from_db()
    assert newer.state == JobState.READY
    assert not Job.objects.filter(pk=first.pk).exists()


def test_a_replaced_result_file_is_deleted_from_storage(convention, adviser, django_capture_on_commit_callbacks):
    first = demo(convention, adviser)
    name = first.file.name
    with django_capture_on_commit_callbacks(execute=True):
        demo(convention, adviser, version=2)
    assert not default_storage.exists(name)


def test_a_failure_keeps_the_last_ready_result(convention, adviser):
    ready = demo(convention, adviser)
    demo(convention, adviser, fail="refused", version=2)
    failed_again = demo(convention, adviser, fail="refused", version=3)
    assert list(Job.objects.for_target("demo", str(convention.pk)).order_by("pk")) == [ready, failed_again]


def test_running_a_finished_job_again_does_nothing(convention, adviser):
    job = demo(convention, adviser)
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.attempts == 1


def test_a_job_whose_row_is_gone_is_ignored(db):
    job_run(job_id=123456)  # a queue entry left over by a deleted row: logged, nothing raised


def test_a_retried_job_counts_its_executions(convention):
    job = queued(convention)
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, attempts=1)  # its worker died mid-run
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.state, job.attempts) == (JobState.READY, 2)


@pytest.mark.django_db(transaction=True)
@override_settings(JOBS_EXECUTION="thread")
def test_in_process_mode_runs_the_job_in_a_thread_after_the_request(convention, adviser):
    """The SQLite demo (`make run`): the request returns at once, a thread of the web process does the work."""
    started = time.monotonic()
    job = demo(convention, adviser, sleep=0.5)
    assert time.monotonic() - started < 0.5  # the request did not wait for the work
    assert job.state == JobState.QUEUED
    # The in-memory test database has no busy timeout: wait for the thread rather than poll the row.
    assert job_threads_wait(timeout=20)
    job.refresh_from_db()
    assert job.state == JobState.READY and job.file


@pytest.mark.django_db(transaction=True)
@override_settings(JOBS_EXECUTION="thread")
def test_in_process_mode_resumes_a_job_left_by_a_stopped_process(convention, adviser):
    orphan = queued(convention)  # queued by a dev server that was restarted before running it
    assert demo(convention, adviser) == orphan
    assert job_threads_wait(timeout=20)
    orphan.refresh_from_db()
    assert orphan.state == JobState.READY
