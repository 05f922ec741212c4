"""Requesting a background job and running it.

``job_request`` writes the Job row and queues the work in the same transaction: on PostgreSQL the Procrastinate
job is a row of the same database, so a request rolled back queues nothing, and a worker never sees a job whose
row is not committed. A request identical to one waiting or running returns that one (a partial unique
constraint settles two identical requests arriving at the same moment).

``job_run`` is what a worker executes: it moves the row to « en cours », runs the kind's function, stores the
produced file through Django's storage API and marks it « prêt », or records the failure in French. The last
ready result of an object stays downloadable while a newer one runs; older results are deleted once a newer
one is ready.
"""

import contextlib
import logging
import threading
from concurrent import futures

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from .enums import JobState
from .kinds import JobError, JobKind, JobOutput, get_job_kind
from .models import Job, params_digest

logger = logging.getLogger("jobs")

GENERIC_FAILURE = "Le document n'a pas pu être produit. L'équipe technique est prévenue."


def job_request(*, kind: str, key: str, user, params: dict | None = None, reuse_ready: bool = False) -> Job:
    """The job doing this work: the one already waiting or running, else a new one, queued.

    With ``reuse_ready``, a ready result of the same parameters is returned as it is (the parameters then carry
    a fingerprint of the data, so that a result is reused only while the data it comes from is unchanged).
    """
    job_kind = get_job_kind(kind)
    params = params or {}
    digest = params_digest(params)
    same = Job.objects.for_target(kind, str(key)).filter(params_digest=digest)
    with transaction.atomic():
        pending = same.pending().first()
        if pending is not None:
            job_resume_if_orphaned(job=pending)
            return pending
        if reuse_ready and (ready := same.ready().order_by("-finished_at").first()) is not None:
            return ready
        try:
            with transaction.atomic():
                job = Job.objects.create(
                    kind=kind,
                    key=str(key),
                    params=params,
                    params_digest=digest,
                    requested_by=user if user is not None and user.is_authenticated else None,
                )
        except IntegrityError:
            return same.pending().get()  # an identical request was committed first: join it
        _dispatch(job=job, job_kind=job_kind)
    if settings.JOBS_EXECUTION == "sync":
        job.refresh_from_db()  # it ran already
    return job


def job_run(*, job_id: int) -> None:
    """Runs one job to its end: « en cours », then « prêt » with its file or « échec » with a French message."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            logger.warning("Travail %s introuvable : rien à faire.", job_id)
            return
        if not job.is_pending:
            logger.info("Travail %s déjà terminé (%s) : rien à faire.", job_id, job.state)
            return
        job.state = JobState.RUNNING
        job.started_at = timezone.now()
        job.attempts += 1
        job.save(update_fields=["state", "started_at", "attempts"])
    if job.attempts > 1:
        logger.warning("Travail %s (%s %s) repris, exécution n° %s.", job.pk, job.kind, job.key, job.attempts)
    try:
        job_kind = get_job_kind(job.kind)
        # Inside a request (synchronous mode), a savepoint keeps a failing job from breaking the request's
        # transaction; a worker runs outside any transaction, so that a long render holds no database snapshot.
        with transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext():
            output = job_kind.run(job)
        _finish_ready(job=job, output=output)
    except JobError as error:
        logger.info("Travail %s (%s %s) en échec : %s", job.pk, job.kind, job.key, error.message)
        _finish_failed(job=job, message=error.message)
    except Exception:
        logger.exception("Travail %s (%s %s) en échec sur une erreur de programmation.", job.pk, job.kind, job.key)
        _finish_failed(job=job, message=GENERIC_FAILURE)


def _finish_ready(*, job: Job, output: JobOutput | None) -> None:
    if output is not None:
        job.file.save(output.filename, ContentFile(output.content), save=False)
        job.filename = output.filename
        job.content_type = output.content_type
    job.state = JobState.READY
    job.error = ""
    job.finished_at = timezone.now()
    with transaction.atomic():
        job.save(update_fields=["file", "filename", "content_type", "state", "error", "finished_at"])
        # This result replaces every earlier result and failure of the same object.
        _delete_jobs(
            Job.objects.for_target(job.kind, job.key).exclude(pk=job.pk).filter(finished_at__lte=job.finished_at)
        )
    logger.info("Travail %s (%s %s) prêt.", job.pk, job.kind, job.key)


def _finish_failed(*, job: Job, message: str) -> None:
    job.state = JobState.FAILED
    job.error = message
    job.finished_at = timezone.now()
    with transaction.atomic():
        job.save(update_fields=["state", "error", "finished_at"])
        # Earlier failures say nothing more; the last ready result stays downloadable.
        _delete_jobs(Job.objects.for_target(job.kind, job.key).exclude(pk=job.pk).filter(state=JobState.FAILED))


def _delete_jobs(jobs) -> None:
    names = [name for name in jobs.values_list("file", flat=True) if name]
    jobs.delete()
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names])


# --- Where the work runs -------------------------------------------------------------------------------------

_thread_lock = threading.Lock()
_thread_pool: futures.ThreadPoolExecutor | None = None
_in_this_process: set[int] = set()
_thread_futures: set[futures.Future] = set()
_left_pending = threading.local()


@contextlib.contextmanager
def jobs_left_pending():
    """In-process mode: jobs requested inside stay waiting instead of starting in this process's thread (a command
    such as load_demo, whose process ends at once); the web process runs each one when it is next asked for."""
    _left_pending.on = True
    try:
        yield
    finally:
        _left_pending.on = False


def _dispatch(*, job: Job, job_kind: JobKind) -> None:
    mode = settings.JOBS_EXECUTION
    if mode == "worker":
        from .tasks import run_job  # Procrastinate is installed only on PostgreSQL

        run_job.configure(queue=job_kind.queue).defer(job_id=job.pk)
    elif mode == "thread":
        if not getattr(_left_pending, "on", False):
            transaction.on_commit(lambda: _submit_to_thread(job.pk))
    else:
        job_run(job_id=job.pk)


def _submit_to_thread(job_id: int) -> None:
    global _thread_pool
    with _thread_lock:
        if _thread_pool is None:
            _thread_pool = futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="ctg-jobs")
        _in_this_process.add(job_id)
        future = _thread_pool.submit(_run_in_thread, job_id)
        _thread_futures.add(future)
    future.add_done_callback(_thread_futures.discard)


def job_threads_wait(*, timeout: float) -> bool:
    """In-process mode: waits until the jobs submitted to this process's thread are done; False on timeout."""
    with _thread_lock:
        pending = set(_thread_futures)
    _done, not_done = futures.wait(pending, timeout=timeout)
    return not not_done


def _run_in_thread(job_id: int) -> None:
    try:
        job_run(job_id=job_id)
    except Exception:  # a thread pool keeps exceptions to itself: say it
        logger.exception("Travail %s : exécution dans le processus web interrompue.", job_id)
    finally:
        with _thread_lock:
            _in_this_process.discard(job_id)
        connections.close_all()  # this thread's own connection


def job_resume_if_orphaned(*, job: Job) -> None:
    """In-process mode: a job left waiting by a web process that stopped (the dev server restarting) runs here.

    Workers need no such thing: Procrastinate keeps the queue in the database, and retries the jobs of a worker
    that stopped sending heartbeats.
    """
    if settings.JOBS_EXECUTION != "thread" or not job.is_pending:
        return
    with _thread_lock:
        orphaned = job.pk not in _in_this_process
        _in_this_process.add(job.pk)  # submitted once, however many requests find it at the same moment
    if orphaned:
        transaction.on_commit(lambda: _submit_to_thread(job.pk))
