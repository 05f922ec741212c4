"""Security headers, the health endpoint, and the templates kept free of inline scripts (for the CSP)."""

import json
import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from tests.accounts.factories import UserFactory

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_pages_carry_the_security_headers(client, db):
    response = client.get(reverse("accounts:login"))
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe-eval" not in policy
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_session_lasts_a_working_day_and_ends_with_the_browser(client, db):
    assert settings.SESSION_COOKIE_AGE == 10 * 3600
    user = UserFactory()
    client.post(reverse("accounts:login"), {"username": user.email, "password": "mot-de-passe-de-test"})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value and not cookie["expires"] and not cookie["max-age"]  # a browser-session cookie
    assert 0 < client.session.get_expiry_age() <= 10 * 3600


def test_templates_have_no_inline_script_nor_event_handler():
    """The CSP forbids inline scripts: behaviour goes to static/js/ctg.js."""
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for number, line in enumerate(text.splitlines(), 1):
            if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", line) or re.search(r"\son[a-z]+=", line):
                offenders.append(f"{path.relative_to(TEMPLATES)}:{number}")
            if re.search(r"<style[\s>]", line) and "pdf" not in path.parts:  # WeasyPrint's print templates
                offenders.append(f"{path.relative_to(TEMPLATES)}:{number}")
    assert not offenders, f"Script, gestionnaire on…= ou <style> en ligne : {offenders}"


def test_the_health_endpoint_answers_without_login_and_names_no_data(client, db):
    response = client.get(reverse("health"), {"format": "json"})
    assert response.status_code == 200
    checks = json.loads(response.content)
    assert set(checks.values()) == {"OK"}
    assert any(name.startswith("Database") for name in checks)
    assert any(name.startswith("Storage") for name in checks)
    assert any(name.startswith("TaskQueue") for name in checks)
    page = client.get(reverse("health"), headers={"accept": "text/html"}).content.decode()
    assert "en service" in page
    for secret in (str(settings.MEDIA_ROOT), str(settings.DATABASES["default"]["NAME"]), settings.SECRET_KEY):
        assert secret not in response.content.decode() and secret not in page


def test_the_health_endpoint_is_not_cached(client, db):
    assert "no-cache" in client.get(reverse("health"))["Cache-Control"]
