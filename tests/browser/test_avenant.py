"""The avenant flow in a browser (issue 11): open an avenant on a signed convention, read its comparison with the
signed version, download its draft PDF, sign it, then find the three frozen versions and compare two of them."""

import subprocess

import pytest

from conventions.models import ConventionVersion
from tests.accounts.factories import UserFactory
from tests.conventions.dossier.test_amendments import NEW_4, OLD_4
from tests.conventions.dossier.test_versions import ready_convention, sign
from tests.conventions.factories import ClauseFactory
from tests.territories.factories import CommuneFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pdf_text(path) -> str:
    return " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode().split()
    )


def test_the_whole_avenant_flow(live_server, page, screenshot):
    convention = ready_convention()
    convention.territory.communes.set([CommuneFactory(name="Amont"), CommuneFactory(name="Aval")])
    ClauseFactory(convention=convention, number="4", title="Durée", body=OLD_4, order=4)
    UserFactory(adviser=True, caf=convention.caf, email="conseillere@belleville.fr")
    original = sign(convention)

    page.goto(live_server.url + "/connexion/")
    page.get_by_label("Adresse e-mail").fill("conseillere@belleville.fr")
    page.get_by_label("Mot de passe").fill("mot-de-passe-de-test")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="Mes conventions").wait_for()

    page.goto(f"{live_server.url}/conventions/{convention.pk}/")
    page.get_by_role("link", name="Ouvrir un avenant").click()
    page.get_by_label("Objet de l'avenant").fill("Prolonger la convention d'un an et retirer Aval")
    page.get_by_role("button", name="Ouvrir l'avenant").click()
    page.get_by_text("Avenant n° 1 ouvert").wait_for()

    # The adviser changes the text and the perimeter (as the editing pages do, with their history).
    clause = convention.clauses.get(number="4")
    clause.body = NEW_4
    clause.save()
    convention.territory.communes.remove(convention.territory.communes.get(name="Aval"))

    page.goto(f"{live_server.url}/conventions/{convention.pk}/")
    page.get_by_role("link", name="Signer l'avenant").click()
    page.get_by_role("heading", name="Ce que change l'avenant").wait_for()
    assert page.locator("del", has_text="quatre").count() == 1 and page.locator("ins", has_text="cinq").count() == 1
    assert page.get_by_text("Commune retirée").is_visible()
    screenshot("comparaison")
    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("link", name="Aperçu de l'avenant").click()
    draft = pdf_text(download_info.value.path())
    assert "Avenant n° 1" in draft and "PROJET" in draft and NEW_4 in draft

    page.get_by_label("Signé le").fill("2024-02-01")
    page.get_by_label("Fait à").fill("Belleville")
    page.get_by_label("Modifications apportées").fill("Article 4 (durée) et périmètre.")
    page.get_by_role("button", name="Signer l'avenant").click(timeout=90_000)
    page.get_by_text("Avenant n° 1 signé").wait_for(timeout=90_000)

    page.goto(f"{live_server.url}/conventions/{convention.pk}/versions/")
    rows = page.locator("tbody tr")
    assert rows.count() == 3
    assert page.get_by_text(original.sha256[:12]).is_visible()
    screenshot("versions")
    page.get_by_label("De la version").select_option("1")
    page.get_by_label("À la version").select_option("3")
    page.get_by_role("button", name="Comparer").click()
    page.get_by_role("heading", name="Comparer deux versions", level=1).wait_for()
    assert page.locator("del", has_text="quatre").count() == 1
    screenshot("comparer")
    assert ConventionVersion.objects.filter(convention=convention).count() == 3
