"""The weekly digests as a Procrastinate periodic task (PostgreSQL; Procrastinate's Django app imports every
app's tasks.py). On SQLite, where there is no worker, run `manage.py send_digests` from cron."""

from django.conf import settings
from django.utils import timezone
from procrastinate.contrib.django import app

from .digests import digests_send


# queueing_lock: one deferral per tick whatever the number of workers; DigestSent refuses a second digest anyway.
@app.periodic(cron=settings.AGENDA_DIGEST_CRON, periodic_id="send_digests")
@app.task(name="agenda.send_digests", queue="jobs", queueing_lock="agenda.send_digests")
def send_digests(timestamp: int) -> None:
    digests_send(today=timezone.localdate())
