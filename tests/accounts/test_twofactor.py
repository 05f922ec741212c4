"""Two-factor authentication (issue 17 item 8): the plain login, never force_login, so the hold is real."""

import html
import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import twofactor
from tests.accounts.factories import UserFactory
from tests.accounts.twofactor import confirmed_device, current_code

PASSWORD = "mot-de-passe-de-test"


def password_login(client, user, next_url=""):
    data = {"username": user.email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("accounts:login"), data)


def text(response) -> str:
    return html.unescape(response.content.decode())


def enrol(client, user) -> tuple[TOTPDevice, list[str]]:
    """Enrols through the pages as the person would: QR page, then the first code."""
    page = client.get(reverse("accounts:twofactor_enrol"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post(reverse("accounts:twofactor_enrol"), {"code": current_code(device)})
    assert done.status_code == 200
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", done.content.decode())
    return device, codes


@pytest.fixture
def admin(db):
    return UserFactory(administrator=True)


def test_an_administrator_without_a_device_cannot_open_the_admin_site(client, admin):
    assert password_login(client, admin).status_code == 302
    for url in ("/admin/", "/admin/accounts/user/", reverse("conventions:list")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:twofactor_enrol")
    enrolment = client.get(reverse("accounts:twofactor_enrol"))
    assert "Les administrateurs doivent activer la double authentification" in text(enrolment)


def test_an_administrator_logged_in_through_the_admin_login_must_still_give_a_code(client, admin):
    confirmed_device(admin)
    response = client.post("/admin/login/", {"username": admin.email, "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302  # the admin's own form logs in on the password…
    held = client.get("/admin/")
    assert held.status_code == 302  # …but nothing opens before the code
    assert held["Location"].startswith(reverse("accounts:twofactor_verify"))


def test_enrolment_shows_a_qr_code_and_the_secret_then_ten_codes_once(client, admin, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp makes one wait a second after a wrong code
    password_login(client, admin)
    page = client.get(reverse("accounts:twofactor_enrol"))
    body = page.content.decode()
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    assert "<svg" in body and "<path" in body
    assert twofactor.secret_text(device) in body
    assert client.get(reverse("accounts:twofactor_enrol")).content.decode().count(twofactor.secret_text(device)) == 1
    wrong = client.post(reverse("accounts:twofactor_enrol"), {"code": "000000"})
    assert "Code incorrect" in text(wrong)
    assert not TOTPDevice.objects.filter(user=admin, confirmed=True).exists()
    device, codes = enrol(client, admin)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/admin/").status_code == 200  # the enrolment verified this session
    account = text(client.get(reverse("agenda:account")))
    assert "Codes de secours restants : 10" in account
    assert not any(code in account for code in codes)  # shown once, never again


def test_a_person_with_a_device_must_give_the_code_at_login(client, db):
    user = UserFactory(adviser=True)
    device = confirmed_device(user)
    response = password_login(client, user, next_url=reverse("agenda:account"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:twofactor_verify"))
    assert "_auth_user_id" not in client.session  # not logged in on the password alone
    assert client.get(reverse("agenda:account")).status_code == 302
    page = client.get(response["Location"])
    assert "Vérification en deux étapes" in text(page)
    done = client.post(response["Location"], {"code": current_code(device), "next": reverse("agenda:account")})
    assert done.status_code == 302 and done["Location"] == reverse("agenda:account")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(reverse("agenda:account")).status_code == 200


def test_a_wrong_code_is_refused(client, db):
    user = UserFactory()
    confirmed_device(user)
    password_login(client, user)
    response = client.post(reverse("accounts:twofactor_verify"), {"code": "123456"})
    assert response.status_code == 200
    assert "Code incorrect ou expiré" in text(response)
    assert text(response).startswith("<!doctype html>") and "Erreur : " in text(response)
    assert "_auth_user_id" not in client.session
    assert client.post(reverse("accounts:twofactor_verify"), {"code": ""}).status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_works_once(client, admin):
    password_login(client, admin)
    _device, codes = enrol(client, admin)
    client.post(reverse("accounts:logout"))

    password_login(client, admin)
    used = client.post(reverse("accounts:twofactor_verify"), {"code": codes[0].upper()})
    assert used.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert StaticToken.objects.filter(device__user=admin).count() == 9
    client.post(reverse("accounts:logout"))

    password_login(client, admin)
    again = client.post(reverse("accounts:twofactor_verify"), {"code": codes[0]})
    assert again.status_code == 200
    assert "Code incorrect" in text(again)
    assert "_auth_user_id" not in client.session


def test_new_recovery_codes_replace_the_old_ones(client, admin):
    password_login(client, admin)
    _device, old = enrol(client, admin)
    response = client.post(reverse("accounts:twofactor_recovery_codes"))
    new = re.findall(r"<li>([a-z2-7]{8})</li>", response.content.decode())
    assert len(new) == 10
    tokens = set(StaticToken.objects.filter(device__user=admin).values_list("token", flat=True))
    assert tokens == set(new) and not tokens & set(old)


def test_wrong_codes_count_as_failed_logins_for_axes(client, db, settings):
    user = UserFactory()
    confirmed_device(user)
    password_login(client, user)
    responses = [client.post(reverse("accounts:twofactor_verify"), {"code": "111111"}) for _ in range(5)]
    assert responses[-1].status_code == 429
    assert "Connexion temporairement bloquée" in text(responses[-1])
    # The password alone is now refused too, and the right code would not help.
    locked = password_login(client, user)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_person_may_turn_it_off_with_a_code_an_administrator_may_not(client, db, admin):
    user = UserFactory()
    client.force_login(user)
    device, _codes = enrol(client, user)
    refused = client.post(reverse("accounts:twofactor_disable"), {"code": "000000"}, follow=True)
    assert "reste active" in text(refused)
    assert twofactor.has_device(user)
    assert device.pk
    client.force_login(admin)
    client.post(reverse("accounts:twofactor_disable"), {"code": "000000"})
    assert twofactor.has_device(admin)


def test_the_pending_login_is_not_a_session(client, db):
    user = UserFactory()
    confirmed_device(user)
    password_login(client, user)
    assert client.get(reverse("conventions:list")).status_code == 302
    assert client.get(reverse("accounts:twofactor_verify") + "?next=https://ailleurs.example/").status_code == 200
