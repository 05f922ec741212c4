"""The job kinds of the jobs app itself: sending an e-mail (see jobs/mail.py)."""

import smtplib

from django.core.mail import EmailMultiAlternatives

from .kinds import JobError, job_kind
from .models import Job


def _nobody(user, key: str) -> bool:
    return False  # e-mails have no page: nobody follows or downloads them


@job_kind("email", label="Courriel", can_access=_nobody, request_label="Envoyer")
def send_email(job: Job) -> None:
    params = job.params
    if not params.get("to"):
        raise JobError("Ce courriel n'a pas de destinataire.")
    message = EmailMultiAlternatives(subject=params["subject"], body=params["text"], to=params["to"])
    if params.get("html"):
        message.attach_alternative(params["html"], "text/html")
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        raise JobError(f"Le serveur de courriel n'a pas accepté le message ({error.__class__.__name__}).") from None
