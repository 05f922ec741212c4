"""E-mails go through the ``email`` job kind: sent by Django's backend, once per identical request."""

import smtplib

import pytest
from django.core import mail

from jobs.enums import JobState
from jobs.mail import mail_send
from jobs.models import Job

pytestmark = pytest.mark.django_db


def test_a_queued_email_is_sent_with_its_text_and_html_parts():
    job = mail_send(
        to=["Maire@Exemple.fr"], subject="Invitation", text="Bonjour", html="<p>Bonjour</p>", key="invitation:1"
    )
    assert job.state == JobState.READY
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["maire@exemple.fr"] and sent.subject == "Invitation" and sent.body == "Bonjour"
    assert sent.alternatives[0][0] == "<p>Bonjour</p>"


def test_an_smtp_failure_is_recorded_in_french_and_the_message_kept(monkeypatch):
    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    job = mail_send(to=["a@exemple.fr"], subject="Rappel", text="Texte", key="rappel:1")
    assert job.state == JobState.FAILED
    assert job.error.startswith("Le serveur de courriel n'a pas accepté le message")
    assert Job.objects.get(pk=job.pk).params["text"] == "Texte"
    assert mail.outbox == []


def test_a_message_without_recipient_is_refused():
    job = mail_send(to=["  "], subject="Rappel", text="Texte", key="rappel:2")
    assert job.state == JobState.FAILED and job.error == "Ce courriel n'a pas de destinataire."
