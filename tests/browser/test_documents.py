"""The convention PDF through its job, in a browser: the link shows the state changing, then the download."""

import subprocess
import threading

import pytest
from django.test import override_settings

from conventions.dossier import pdf as conventions_pdf
from jobs.services import job_threads_wait
from tests.accounts.factories import UserFactory
from tests.conventions.factories import ConventionFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@override_settings(JOBS_EXECUTION="thread")  # as on the SQLite demo: the job runs beside the server, not in it
def test_the_pdf_link_shows_the_job_state_then_downloads_the_convention(live_server, page, screenshot, monkeypatch):
    convention = ConventionFactory(title="Convention territoriale globale de Belleville")
    member = UserFactory(copil=True, email="elue@belleville.fr")
    MembershipFactory(convention=convention, user=member)
    release = threading.Event()
    real_html_to_pdf = conventions_pdf.html_to_pdf

    def held_render(*, html):  # the render waits until the page has been seen waiting
        release.wait(timeout=30)
        return real_html_to_pdf(html=html)

    monkeypatch.setattr(conventions_pdf, "html_to_pdf", held_render)

    page.goto(live_server.url + "/connexion/")
    page.get_by_label("Adresse e-mail").fill("elue@belleville.fr")
    page.get_by_label("Mot de passe").fill("mot-de-passe-de-test")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="Mes conventions").wait_for()

    page.goto(f"{live_server.url}/conventions/{convention.pk}/documents/")
    page.get_by_role("link", name="Télécharger la convention (PDF)").click()
    page.get_by_role("heading", name=f"Convention {convention.reference} en PDF").wait_for()
    state = page.locator(".job-status")
    state.get_by_text("en cours").or_(state.get_by_text("en file d'attente")).wait_for()
    screenshot("en-cours")
    assert page.get_by_role("link", name="Rafraîchir").is_visible()
    assert state.get_by_role("link", name="Télécharger").count() == 0

    release.set()
    download_link = state.get_by_role("link", name=f"Télécharger « {convention.reference}.pdf »")
    download_link.wait_for(timeout=60_000)  # htmx polls every 2 s and swaps in the ready state
    assert state.get_by_text("prêt").is_visible()
    screenshot("pret")
    with page.expect_download() as download_info:
        download_link.click()
    path = download_info.value.path()
    pdf = path.read_bytes()
    assert pdf.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode()
    assert convention.title in " ".join(text.split())
    assert job_threads_wait(timeout=10)
