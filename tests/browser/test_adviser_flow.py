"""An adviser writes a whole convention in the browser, from creation to signature."""

import re
from pathlib import Path

import pytest

from conventions.models import Convention, Domain
from conventions.services import editions_load
from tests.accounts.factories import UserFactory
from tests.browser.text import text_completed
from tests.territories.factories import CafFactory, CommuneFactory, DepartementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EDITIONS = Path(__file__).resolve().parents[2] / "fixtures" / "reference" / "editions.json"


def fill_party(page, *, kind: str, name: str, commune: str | None, person: str, title: str, deliberation: str):
    page.get_by_label("Nature").select_option(label=kind)
    page.get_by_label("Organisme").fill(name)
    if commune:
        page.get_by_label("Commune", exact=True).select_option(label=commune)
    page.get_by_label("Instance délibérante").fill("conseil municipal" if commune else "")
    if deliberation:
        page.get_by_label("Date de la délibération").fill(deliberation)
    page.locator("input[name='representants-0-name']").fill(person)
    page.locator("input[name='representants-0-title']").fill(title)
    page.get_by_role("button", name="Enregistrer").click()


def test_adviser_writes_a_convention_and_takes_it_to_signature(live_server, page, screenshot):
    editions_load(path=EDITIONS)
    Domain.objects.create(code="petite-enfance", label="petite enfance")
    loire = DepartementFactory(code="42", name="Loire")
    caf = CafFactory(name="Caf de la Loire", departement=loire)
    for code, name in (("42095", "Firminy"), ("42044", "Le Chambon-Feugerolles"), ("42183", "La Ricamarie")):
        CommuneFactory(insee_code=code, name=name, departement=loire)
    UserFactory(adviser=True, caf=caf, email="claire@caf42.fr", first_name="Claire", last_name="Vidal")
    UserFactory(adviser=True, email="autre@caf45.fr")

    def visit(name: str):
        screenshot(name)

    # Log in.
    page.goto(live_server.url + "/")
    page.get_by_label("Adresse e-mail").fill("claire@caf42.fr")
    page.get_by_label("Mot de passe").fill("mot-de-passe-de-test")
    page.get_by_role("button", name="Se connecter").click()
    visit("accueil")

    # Create a convention for three communes, by name and by INSEE code.
    page.get_by_role("link", name="Nouvelle convention").click()
    page.get_by_label("Modèle de convention").select_option(label="Modèle national 2022")
    page.get_by_label("Intitulé").fill("Convention territoriale globale de l'Ondaine")
    page.get_by_label("Communes du périmètre").fill("Firminy, 42044, La Ricamarie (42183)")
    page.get_by_label("Date de début").fill("2027-01-01")
    page.get_by_label("Date de fin").fill("2031-12-31")
    page.get_by_label("petite enfance").check()
    visit("nouvelle-convention")
    page.get_by_role("button", name="Créer la convention").click()
    page.get_by_role("heading", name="Convention territoriale globale de l'Ondaine").wait_for()
    convention = Convention.objects.get(title="Convention territoriale globale de l'Ondaine")
    assert convention.territory.communes.count() == 3
    assert convention.clauses.count() == 14
    visit("convention-creee")

    # Parties: the Caf and the three communes (the last without its deliberation date yet).
    parties = [
        ("Caf", "Caisse d'allocations familiales de la Loire", None, "Marie-Pierre BRUSCHET", "Directrice", ""),
        ("Commune", "Commune de Firminy", "Firminy (42095)", "Julien LUYA", "Maire", "2027-12-05"),
        (
            "Commune",
            "Commune du Chambon-Feugerolles",
            "Le Chambon-Feugerolles (42044)",
            "David FARA",
            "Maire",
            "2027-12-07",
        ),
        ("Commune", "Commune de La Ricamarie", "La Ricamarie (42183)", "Cyrille BONNEFOY", "Maire", ""),
    ]
    for kind, name, commune, person, title, deliberation in parties:
        page.get_by_role("link", name="Ajouter un signataire").click()
        fill_party(page, kind=kind, name=name, commune=commune, person=person, title=title, deliberation=deliberation)
        page.get_by_role("heading", name=convention.title).wait_for()
    visit("signataires")
    assert convention.parties.count() == 4

    # Edit an article.
    page.locator("#texte summary", has_text=re.compile(r"^Article 1 ")).click()
    page.locator("#texte").get_by_role("link", name=re.compile(r"Modifier « Article 1 ")).click()
    body = page.get_by_role("textbox", name="Texte")
    body.fill(body.input_value() + "\n\nLes communes s'engagent à partager leurs données d'accueil.")
    visit("article")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("heading", name=convention.title).wait_for()
    assert "partager leurs données d'accueil" in convention.clauses.get(number="1").body

    # Plan d'actions: orientation > axe > objectif, and two fiches under the objective.
    page.locator("#plan").get_by_role("link", name="Modifier le plan").click()
    page.locator("#ajouter-orientation-intitule").fill("Accompagner les parents")
    page.get_by_role("button", name="Ajouter l'orientation").click()
    page.get_by_text("Ajouter un axe sous l'orientation").click()
    page.locator("[id^='ajouter-axe-'][id$='-intitule']").fill("Faciliter le lien parents/école")
    page.get_by_role("button", name="Ajouter l'axe").click()
    page.get_by_text("Ajouter un objectif sous l'axe").click()
    page.locator("[id^='ajouter-objectif-axe'][id$='-intitule']").fill("Favoriser la co-éducation")
    page.get_by_role("button", name="Ajouter l'objectif").first.click()
    page.get_by_text("Favoriser la co-éducation").first.wait_for()
    visit("plan")
    for reference, title in (("1.1.1", "Mobiliser le dispositif CLAS"), ("1.1.2", "Créer un café des parents")):
        page.get_by_role("link", name=re.compile("Ajouter une fiche.*co-éducation")).first.click()
        page.locator("#id_reference").fill(reference)
        page.locator("#id_title").fill(title)
        page.get_by_role("button", name=re.compile("Enregistrer|Créer")).first.click()
        page.get_by_text(title).first.wait_for()  # back where the adviser was (the plan), the fiche listed
        page.goto(f"{live_server.url}/conventions/{convention.pk}/plan/")
    visit("plan-fiches")
    objective = convention.orientations.get().axes.get().objectives.get()
    assert sorted(objective.actions.values_list("reference", flat=True)) == ["1.1.1", "1.1.2"]

    text_completed(page, live_server.url, convention)

    # Lifecycle: validated in COPIL, then "en signature" is refused while a deliberation date is missing.
    page.goto(f"{live_server.url}/conventions/{convention.pk}/")
    page.get_by_role("link", name="Valider en COPIL").click()  # a page that asks the COPIL date
    page.get_by_label("Date du COPIL").fill("2026-11-23")
    page.get_by_role("button", name="Valider en COPIL").click()
    page.get_by_role("link", name="Passer en signature").click()  # a confirmation page
    page.get_by_role("button", name="Passer en signature").click()
    refused = page.get_by_text("Commune de La Ricamarie : la date de la délibération n'est pas renseignée.").first
    refused.wait_for()  # on the checklist page, which lists what is missing
    page.goto(f"{live_server.url}/conventions/{convention.pk}/")
    visit("signature-refusee")
    convention.refresh_from_db()
    assert convention.status == "validee_copil"

    page.locator("#signataires").get_by_role("link", name="Modifier Commune de La Ricamarie").click()
    page.get_by_label("Date de la délibération").fill("2027-12-06")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("link", name="Passer en signature").click()
    page.get_by_role("button", name="Passer en signature").click()
    page.get_by_role("link", name="Enregistrer la signature").click()
    page.get_by_label("Date de signature").fill("2027-12-13")
    page.get_by_label("Fait à").fill("Firminy")
    visit("signature")
    page.get_by_role("button", name="Enregistrer la signature").click()
    page.get_by_role("heading", name=convention.title).wait_for()
    visit("signee")
    convention.refresh_from_db()
    assert convention.status == "signee"
    assert convention.signature_date.isoformat() == "2027-12-13"
    assert page.get_by_role("link", name="Ouvrir un avenant").is_visible()
    assert not page.get_by_role("link", name="Ajouter un signataire").is_visible()

    # An adviser of another Caf gets 404 on its pages.
    page.get_by_role("button", name="Se déconnecter").click()
    page.get_by_label("Adresse e-mail").fill("autre@caf45.fr")
    page.get_by_label("Mot de passe").fill("mot-de-passe-de-test")
    page.get_by_role("button", name="Se connecter").click()
    for path in ("", "plan/", "perimetre/", "historique/"):
        response = page.goto(f"{live_server.url}/conventions/{convention.pk}/{path}")
        assert response.status == 404, path
        assert convention.title not in page.content()
    visit("autre-caf-404")
