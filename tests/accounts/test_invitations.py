"""Invitations and « mot de passe oublié » (issue 14, item 8): one-use links that expire, French e-mails sent
through the background jobs, login throttling unchanged."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse

from conventions.models import Membership
from jobs.models import Job
from tests.accounts.factories import UserFactory
from tests.pages import text

NEW_PASSWORD = "Une-phrase-de-passe-2026"


def link_in(message) -> str:
    return re.search(r"https?://\S+(/mot-de-passe/\S+/)", message.body).group(1)


def set_password(client, link: str):
    """Open the link and post the new password (Django moves the token into the session on the way)."""
    response = client.get(link, follow=True)
    if "Choisir un mot de passe" not in text(response):
        return response
    url = response.redirect_chain[-1][0] if response.redirect_chain else link
    return client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)


@pytest.fixture
def invited(client, adviser, convention, django_capture_on_commit_callbacks):
    client.force_login(adviser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("conventions:members", args=[convention.pk]),
            {"email": "Maire@Commune.fr", "role": "cooperation", "first_name": "Jeanne", "last_name": "Roux"},
        )
    assert response.status_code == 302
    client.logout()
    return get_user_model().objects.get(email="maire@commune.fr")


def test_inviting_an_address_without_account_creates_it_inactive_and_sends_a_french_invitation(invited, convention):
    assert not invited.is_active and not invited.has_usable_password()
    assert invited.role == "cooperation" and invited.get_full_name() == "Jeanne Roux"
    assert Membership.objects.filter(convention=convention, user=invited).exists()
    assert Job.objects.filter(kind="email", key__startswith=f"invitation:{invited.pk}:").exists()
    (message,) = mail.outbox
    assert message.to == ["maire@commune.fr"] and message.subject == "Invitation à l'application CTG"
    assert "vous invite à rejoindre l'application CTG" in message.body
    assert "expire dans 3 jours" in message.body


def test_the_invitation_link_sets_the_password_once_and_activates_the_account(client, invited):
    link = link_in(mail.outbox[0])
    response = set_password(client, link)
    assert "Mot de passe enregistré" in text(response)
    invited.refresh_from_db()
    assert invited.is_active and invited.check_password(NEW_PASSWORD)
    login = client.post(reverse("accounts:login"), {"username": "maire@commune.fr", "password": NEW_PASSWORD})
    assert login.status_code == 302
    client.logout()
    reused = client.get(link, follow=True)  # the password changed: the token no longer matches
    assert "Lien expiré ou déjà utilisé" in text(reused)


def test_an_expired_invitation_link_is_refused(client, invited, monkeypatch):
    link = link_in(mail.outbox[0])
    later = default_token_generator._now() + timedelta(days=4)
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)
    response = set_password(client, link)
    assert "Lien expiré ou déjà utilisé" in text(response)
    invited.refresh_from_db()
    assert not invited.is_active


def test_password_reset_sends_a_link_through_the_jobs_and_it_works(client, db):
    user = UserFactory(email="oubli@exemple.fr")
    assert "Mot de passe oublié" in text(client.get(reverse("accounts:login")))
    response = client.post(reverse("password_reset"), {"email": "Oubli@Exemple.fr"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert Job.objects.filter(kind="email", key__startswith=f"mot-de-passe:{user.pk}:").count() == 1
    (message,) = mail.outbox
    assert message.subject == "Votre mot de passe CTG" and "choisir un nouveau mot de passe" in message.body
    assert "Mot de passe enregistré" in text(set_password(client, link_in(message)))
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_no_reset_e_mail_for_an_unknown_or_deactivated_account(client, db):
    UserFactory(email="parti@exemple.fr", is_active=False)  # deactivated by an administrator: keeps a password
    for address in ("inconnu@exemple.fr", "parti@exemple.fr"):
        assert client.post(reverse("password_reset"), {"email": address}).status_code == 302
    assert mail.outbox == []


def test_a_deactivated_account_cannot_be_invited_back(client, adviser, convention):
    UserFactory(email="parti@exemple.fr", is_active=False, copil=True)
    client.force_login(adviser)
    response = client.post(reverse("conventions:members", args=[convention.pk]), {"email": "parti@exemple.fr"})
    assert "Ce compte est désactivé" in text(response)
    assert mail.outbox == []
