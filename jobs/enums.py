from django.db import models


class JobState(models.TextChoices):
    QUEUED = "queued", "en file d'attente"
    RUNNING = "running", "en cours"
    READY = "ready", "prêt"
    FAILED = "failed", "échec"


PENDING_STATES = (JobState.QUEUED, JobState.RUNNING)
