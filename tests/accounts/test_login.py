import html

from django.urls import reverse

from tests.accounts.factories import UserFactory


def test_repeated_failures_lock_the_account_out_even_with_the_right_password(client, db):
    user = UserFactory(email="cible@exemple.fr")
    url = reverse("accounts:login")
    for _ in range(5):
        client.post(url, {"username": "cible@exemple.fr", "password": "mauvais"})
    response = client.post(url, {"username": "cible@exemple.fr", "password": "mot-de-passe-de-test"})
    assert response.status_code == 429
    assert "Connexion temporairement bloquée" in html.unescape(response.content.decode())
    assert "_auth_user_id" not in client.session
    other = client.post(url, {"username": UserFactory().email, "password": "mot-de-passe-de-test"})
    assert other.status_code == 302  # another account is not locked
    assert user.email == "cible@exemple.fr"


def test_a_success_resets_the_failure_count(client, db):
    user = UserFactory()
    url = reverse("accounts:login")
    for _ in range(4):
        client.post(url, {"username": user.email, "password": "mauvais"})
    assert client.post(url, {"username": user.email, "password": "mot-de-passe-de-test"}).status_code == 302
    client.logout()
    for _ in range(4):
        client.post(url, {"username": user.email, "password": "mauvais"})
    assert client.post(url, {"username": user.email, "password": "mot-de-passe-de-test"}).status_code == 302


def test_logout_is_a_post(client, db):
    client.force_login(UserFactory())
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_login_ignores_the_case_of_the_email(client, db):
    UserFactory(email="claire@caf42.fr")
    response = client.post(
        reverse("accounts:login"), {"username": " Claire@Caf42.fr", "password": "mot-de-passe-de-test"}
    )
    assert response.status_code == 302
