"""The task queue's health check for /sante/ (django-health-check)."""

import dataclasses
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable


@dataclasses.dataclass
class TaskQueue(HealthCheck):
    """With workers: the queue is reachable and at least one worker sent a heartbeat lately.

    In process (SQLite demo, tests) the web process itself runs the jobs: nothing more to check.
    """

    def run(self) -> None:
        if settings.JOBS_EXECUTION != "worker":
            return
        from procrastinate.contrib.django.models import ProcrastinateWorker

        since = timezone.now() - timedelta(seconds=settings.JOBS_WORKER_STALLED_SECONDS)
        try:
            alive = ProcrastinateWorker.objects.filter(last_heartbeat__gte=since).exists()
        except DatabaseError as error:
            raise ServiceUnavailable("file des travaux inaccessible") from error
        finally:
            connections["default"].close()  # this check runs in a thread of its own
        if not alive:
            raise ServiceUnavailable("aucun worker actif")
