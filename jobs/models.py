"""One row per requested job: what the UI shows while the work runs elsewhere, and where its result is."""

import hashlib
import json
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from .enums import PENDING_STATES, JobState


def params_digest(params: dict) -> str:
    """The same parameters, whatever their order, give the same digest: it is how identical requests meet."""
    return hashlib.sha256(json.dumps(params, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def job_file_path(job: "Job", filename: str) -> str:
    # The uuid keeps a new result from ever overwriting the one still being downloaded.
    return f"travaux/{job.kind}/{uuid.uuid4().hex}/{filename}"


class JobQuerySet(models.QuerySet):
    def for_target(self, kind: str, key: str) -> "JobQuerySet":
        return self.filter(kind=kind, key=key)

    def pending(self) -> "JobQuerySet":
        return self.filter(state__in=PENDING_STATES)

    def ready(self) -> "JobQuerySet":
        return self.filter(state=JobState.READY)


class Job(models.Model):
    kind = models.CharField("type", max_length=64)
    key = models.CharField("objet concerné", max_length=200, help_text="Clé de l'objet, par ex. l'id de la convention.")
    params = models.JSONField("paramètres", default=dict, blank=True)
    params_digest = models.CharField(max_length=64, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="demandé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state = models.CharField("état", max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    error = models.TextField("erreur", blank=True)
    attempts = models.PositiveSmallIntegerField(
        "exécutions", default=0, help_text="Plus d'une : un worker arrêté en cours de route, travail repris."
    )
    file = models.FileField("fichier produit", upload_to=job_file_path, blank=True, max_length=300)
    filename = models.CharField("nom du fichier", max_length=200, blank=True)
    content_type = models.CharField("type du fichier", max_length=100, blank=True)
    created_at = models.DateTimeField("demandé le", auto_now_add=True)
    started_at = models.DateTimeField("commencé le", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = "travail"
        verbose_name_plural = "travaux"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kind", "key", "-created_at"], name="jobs_job_target_idx")]
        constraints = [
            # A request identical to one waiting or running joins it instead of queuing the same work twice.
            models.UniqueConstraint(
                fields=["kind", "key", "params_digest"],
                condition=Q(state__in=PENDING_STATES),
                name="jobs_job_one_pending_per_request",
                violation_error_message="Ce travail est déjà en file d'attente ou en cours.",
            ),
            models.CheckConstraint(
                condition=~Q(state=JobState.FAILED, error=""),
                name="jobs_job_failure_has_message",
                violation_error_message="Un travail en échec dit pourquoi.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} ({self.get_state_display()})"

    @property
    def is_pending(self) -> bool:
        return self.state in PENDING_STATES
