"""Real workers on PostgreSQL: `manage.py jobs_worker` processes started by the tests, as in production.

They share the test database: each job is done once whatever the number of workers, a worker killed with
SIGKILL mid-job has its job done again by another one, a job that fails is recorded with its French message.
Skipped on SQLite, where jobs run in the web process (Procrastinate needs PostgreSQL); `.ci/run` runs them in
its PostgreSQL pass.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings

from jobs.enums import JobState
from jobs.models import Job
from jobs.services import GENERIC_FAILURE, job_request
from tests.conventions.factories import ConventionFactory

pytestmark = [
    pytest.mark.skipif(not settings.IS_POSTGRESQL, reason="Les workers Procrastinate demandent PostgreSQL."),
    pytest.mark.django_db(transaction=True),  # workers see only what is committed
]

ROOT = Path(__file__).resolve().parents[2]


class Worker:
    def __init__(self, log_dir: Path, number: int):
        database = connection.settings_dict
        self.output = log_dir / f"worker-{number}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "ctg.test_settings",
            "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
            "CTG_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            # Quick heartbeats, so that a dead worker is noticed in seconds rather than the production 30 s.
            "CTG_WORKER_HEARTBEAT_SECONDS": "0.5",
            "CTG_WORKER_STALLED_SECONDS": "2",
            "CTG_JOBS_STALLED_CHECK_CRON": "* * * * * */1",
        }
        with open(self.output, "w") as output:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "jobs_worker"], cwd=ROOT, env=env, stdout=output, stderr=output
            )

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        return self.output.read_text()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def start_worker(tmp_path):
    with connection.cursor() as cursor:  # Procrastinate's tables are not flushed between tests
        cursor.execute(
            "TRUNCATE procrastinate_jobs, procrastinate_workers, procrastinate_periodic_defers, "
            "procrastinate_events RESTART IDENTITY CASCADE"
        )
    workers = []

    def start() -> Worker:
        worker = Worker(tmp_path, len(workers) + 1)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


def wait_until(condition, *, timeout: float, what: str, workers=()):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    logs = "\n".join(worker.log() for worker in workers)
    raise AssertionError(f"{what} : pas au bout de {timeout} s.\n{logs}")


def live_workers() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM procrastinate_workers WHERE last_heartbeat > now() - interval '2 seconds'")
        return cursor.fetchone()[0]


def state(job: Job) -> str:
    job.refresh_from_db()
    return job.state


def request_demo(convention, **params) -> Job:
    with override_settings(JOBS_EXECUTION="worker"):
        return job_request(kind="demo", key=str(convention.pk), user=None, params=params)


def executions(log: Path) -> list[tuple[int, int, int]]:
    """(job id, process id, attempt) of every execution, as the demo job writes them."""
    if not log.exists():
        return []
    return [tuple(int(part) for part in line.split()) for line in log.read_text().splitlines()]


def test_a_worker_does_a_queued_job(start_worker, tmp_path):
    convention = ConventionFactory()
    job = request_demo(convention, log=str(tmp_path / "runs"))
    assert job.state == JobState.QUEUED  # the request only queued it
    worker = start_worker()
    wait_until(lambda: state(job) == JobState.READY, timeout=60, what="Travail fait", workers=[worker])
    assert executions(tmp_path / "runs") == [(job.pk, worker.pid, 1)]
    with job.file.open("rb") as handle:
        assert f"Produite par le processus {worker.pid}" in handle.read().decode()


def test_two_workers_do_each_job_exactly_once(start_worker, tmp_path):
    workers = [start_worker(), start_worker()]
    wait_until(lambda: live_workers() == 2, timeout=60, what="Deux workers actifs", workers=workers)
    jobs = [request_demo(ConventionFactory(), log=str(tmp_path / "runs"), sleep=0.3) for _ in range(12)]
    wait_until(
        lambda: all(state(job) == JobState.READY for job in jobs), timeout=60, what="Douze travaux", workers=workers
    )
    runs = executions(tmp_path / "runs")
    assert sorted(job_id for job_id, _pid, _attempt in runs) == sorted(job.pk for job in jobs)  # once each
    assert {pid for _job, pid, _attempt in runs} == {worker.pid for worker in workers}  # both took a share
    assert {job.attempts for job in jobs} == {1}


def test_the_job_of_a_killed_worker_is_done_by_another(start_worker, tmp_path):
    first = start_worker()
    wait_until(lambda: live_workers() == 1, timeout=60, what="Premier worker actif", workers=[first])
    job = request_demo(ConventionFactory(), log=str(tmp_path / "runs"), sleep_first_attempt=120)
    wait_until(lambda: state(job) == JobState.RUNNING, timeout=30, what="Travail commencé", workers=[first])
    second = start_worker()
    wait_until(lambda: live_workers() == 2, timeout=60, what="Second worker actif", workers=[first, second])
    first.process.send_signal(signal.SIGKILL)  # no goodbye: its heartbeat simply stops
    first.process.wait()
    wait_until(lambda: state(job) == JobState.READY, timeout=60, what="Travail repris", workers=[first, second])
    assert executions(tmp_path / "runs") == [(job.pk, first.pid, 1), (job.pk, second.pid, 2)]
    assert job.attempts == 2 and job.error == ""


def test_a_job_that_fails_is_recorded_with_its_french_message(start_worker, tmp_path):
    refused = request_demo(ConventionFactory(), fail="refused")
    bug = request_demo(ConventionFactory(), fail="bug")
    worker = start_worker()
    done = (JobState.READY, JobState.FAILED)
    wait_until(lambda: state(refused) in done and state(bug) in done, timeout=60, what="Deux échecs", workers=[worker])
    assert (refused.state, refused.error) == (
        JobState.FAILED,
        "La convention n'a pas de signataire : la note ne peut pas être produite.",
    )
    assert (bug.state, bug.error) == (JobState.FAILED, GENERIC_FAILURE)
    assert "ZeroDivisionError" in worker.log()  # the traceback is in the worker's log
