"""Writes of the agenda app: a person's calendar address and digest preference."""

from django.db import transaction
from django.utils import timezone

from .models import AgendaSettings, new_feed_token


@transaction.atomic
def feed_token_regenerate(*, user) -> AgendaSettings:
    """A new secret address for the person's .ics feed; the old one answers 404 from now on."""
    agenda = AgendaSettings.objects.select_for_update().for_user(user)
    agenda.feed_token = new_feed_token()
    agenda.feed_regenerated_at = timezone.now()
    agenda.save(update_fields=["feed_token", "feed_regenerated_at"])
    return agenda


def digest_preference_set(*, user, enabled: bool) -> AgendaSettings:
    agenda = AgendaSettings.objects.for_user(user)
    agenda.digest_enabled = enabled
    agenda.save(update_fields=["digest_enabled"])
    return agenda
