"""The Procrastinate tasks (PostgreSQL only; Procrastinate's Django app imports this module in its ready()).

Every job kind goes through the one task ``run_job``: the kinds are ours (jobs/kinds.py), Procrastinate only
carries job ids. A worker writes heartbeats; ``retry_stalled_jobs`` (every few seconds, deferred once per
tick whatever the number of workers) queues again the jobs of workers that stopped sending them — killed,
out of memory, machine lost — so that another worker does them.
"""

from django.conf import settings
from procrastinate.contrib.django import app

from . import services


@app.task(name="jobs.run_job", queue="jobs")
def run_job(job_id: int) -> None:
    services.job_run(job_id=job_id)


@app.periodic(cron=settings.JOBS_STALLED_CHECK_CRON, periodic_id="retry_stalled_jobs")
@app.task(name="jobs.retry_stalled_jobs", queue="jobs", queueing_lock="jobs.retry_stalled_jobs", pass_context=True)
async def retry_stalled_jobs(context, timestamp: int) -> None:
    stalled = await context.app.job_manager.get_stalled_jobs(
        seconds_since_heartbeat=settings.JOBS_WORKER_STALLED_SECONDS
    )
    for job in stalled:
        await context.app.job_manager.retry_job(job)
        services.logger.warning("Travail Procrastinate %s d'un worker arrêté : remis en file d'attente.", job.id)
