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


def settings_in_subprocess(env: dict, expression: str) -> str:
    """Evaluates an expression on ctg.settings loaded with the given environment (as a fresh process would)."""
    import os
    import subprocess
    import sys

    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CTG_"))}
    result = subprocess.run(
        [sys.executable, "-c", f"import ctg.settings as s; print(({expression}))"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    return result.stdout.strip() or result.stderr.strip().splitlines()[-1]


def test_s3_storage_is_selected_by_the_environment():
    env = {
        "DJANGO_STORAGE": "s3",
        "DJANGO_S3_BUCKET": "ctg-fichiers",
        "DJANGO_S3_ENDPOINT_URL": "https://s3.example.fr",
    }
    backend = settings_in_subprocess(env, "s.STORAGES['default']['BACKEND'], s.STORAGES['default']['OPTIONS']")
    assert "storages.backends.s3.S3Storage" in backend
    assert "'bucket_name': 'ctg-fichiers'" in backend and "'default_acl': None" in backend
    assert "'endpoint_url': 'https://s3.example.fr'" in backend
    assert "DJANGO_S3_BUCKET doit être défini" in settings_in_subprocess({"DJANGO_STORAGE": "s3"}, "1")
    assert settings_in_subprocess({}, "s.STORAGES['default']['BACKEND']").endswith("FileSystemStorage")


def test_email_goes_by_smtp_in_production_and_to_the_console_in_development():
    production = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "x" * 60, "DJANGO_EMAIL_HOST": "smtp.example.fr"}
    assert settings_in_subprocess(production, "s.EMAIL_BACKEND, s.EMAIL_HOST") == (
        "('django.core.mail.backends.smtp.EmailBackend', 'smtp.example.fr')"
    )
    assert settings_in_subprocess({}, "s.EMAIL_BACKEND") == "django.core.mail.backends.console.EmailBackend"
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"  # tests


def test_the_proxy_header_and_jobs_mode_come_from_the_environment():
    proxy = {"DJANGO_SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https"}
    assert settings_in_subprocess(proxy, "s.SECURE_PROXY_SSL_HEADER") == "('HTTP_X_FORWARDED_PROTO', 'https')"
    assert settings_in_subprocess({}, "s.JOBS_EXECUTION, 'procrastinate.contrib.django' in s.INSTALLED_APPS") == (
        "('thread', False)"
    )
    refused = settings_in_subprocess({"CTG_JOBS_EXECUTION": "worker"}, "1")
    assert "CTG_JOBS_EXECUTION=worker demande PostgreSQL" in refused
