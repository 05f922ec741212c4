"""What a person chose for their calendar and reminders, and which weekly digests went out."""

import secrets

from django.conf import settings
from django.db import models


def new_feed_token() -> str:
    """43 URL-safe characters (256 bits): the .ics URL is its own credential, it must not be guessed."""
    return secrets.token_urlsafe(32)


class AgendaSettingsQuerySet(models.QuerySet):
    def for_user(self, user) -> "AgendaSettings":
        """The user's settings, created with a fresh feed token on first use."""
        agenda, _ = self.get_or_create(user=user, defaults={"feed_token": new_feed_token()})
        return agenda


class AgendaSettings(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agenda", verbose_name="utilisateur"
    )
    feed_token = models.CharField("jeton du calendrier", max_length=64, unique=True, default=new_feed_token)
    digest_enabled = models.BooleanField("recevoir le récapitulatif hebdomadaire", default=True)
    feed_regenerated_at = models.DateTimeField("adresse du calendrier créée le", auto_now_add=True)

    objects = AgendaSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = "préférences de calendrier"
        verbose_name_plural = "préférences de calendrier"

    def __str__(self):
        return f"Calendrier de {self.user}"


class DigestSent(models.Model):
    """One weekly digest sent to one person: the unique constraint is what keeps it from going out twice,
    even when two workers run the periodic task at the same time."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests_sent", verbose_name="destinataire"
    )
    period = models.CharField("semaine", max_length=10, help_text="Semaine ISO, par exemple « 2026-W49 ».")
    item_count = models.PositiveSmallIntegerField("éléments signalés", default=0)
    sent_at = models.DateTimeField("envoyé le", auto_now_add=True)

    class Meta:
        verbose_name = "récapitulatif envoyé"
        verbose_name_plural = "récapitulatifs envoyés"
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "period"],
                name="digest_sent_once_per_period",
                violation_error_message="Le récapitulatif de cette semaine a déjà été envoyé à cette personne.",
            )
        ]

    def __str__(self):
        return f"Récapitulatif {self.period} – {self.user}"
