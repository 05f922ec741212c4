"""E-mails sent off the request: one job kind, ``email``, that every app uses to send a message.

A message is rendered by the caller (it knows its templates and its context) and queued with ``mail_send``;
a worker sends it through Django's e-mail backend (SMTP in production, the console in development, the
outbox in tests). A failure to reach the SMTP server leaves the job « échec » with a French message; the
message is not lost: it stays in the Job row's parameters and can be sent again.
"""

from .models import Job
from .services import job_request


def mail_send(*, to: list[str], subject: str, text: str, html: str = "", key: str, user=None) -> Job:
    """Queue one e-mail. ``key`` names what it is about (« invitation:42 », « rappel:17:2026-W48 »):
    a request identical to one still waiting joins it instead of sending twice."""
    params = {"to": sorted({address.strip().lower() for address in to if address.strip()}), "subject": subject}
    params |= {"text": text, "html": html}
    return job_request(kind="email", key=key, user=user, params=params)
