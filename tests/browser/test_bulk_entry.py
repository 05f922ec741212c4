"""Issue 14: a whole convention of a real one's size entered in the browser, counting the form submissions.

22 communes pasted as printed (accent-less, « St », article after the name, « et », two homonyms of the
Caf's département to choose between, a name that exists elsewhere in France too) with the communauté urbaine
by its usual name; 24 signatories (the Caf, the communes, the EPCI) with their representatives and
deliberations in one pasted grid, after one refused paste; 3 committees with a composition; then COPIL,
signature. The plan (issue 14 items 4–5, another branch) is not entered here.
"""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from conventions.models import Convention
from conventions.services import editions_load
from tests.accounts.factories import UserFactory
from tests.browser.text import text_completed
from tests.territories.factories import CafFactory, CommuneFactory, DepartementFactory, EpciFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EDITIONS = Path(__file__).resolve().parents[2] / "fixtures" / "reference" / "editions.json"
SUBMISSION_TARGET = 60

# (name in the reference, as the convention prints it)
COMMUNES = [
    ("Firminy", "Firminy"),
    ("Le Chambon-Feugerolles", "Chambon-Feugerolles (Le)"),
    ("La Ricamarie", "RICAMARIE (LA)"),
    ("Saint-Genest-Lerpt", "St Genest Lerpt"),
    ("L'Étrat", "Etrat"),
    ("Villars", "Villars"),  # also in the Gard: the Caf's département wins
    ("Roche-la-Molière", "Roche la Moliere"),
    ("Unieux", "Unieux"),
    ("Fraisses", "Fraisses"),
    ("Saint-Paul-en-Cornillon", "Saint Paul en Cornillon"),
    ("Caloire", "Caloire"),
    ("Çaloire-Basse", "Caloire Basse"),
    ("Saint-Étienne", "Saint-Etienne"),
    ("Sorbiers", "Sorbiers"),
    ("La Talaudière", "La Talaudiere"),
    ("Saint-Jean-Bonnefonds", "St-Jean-Bonnefonds"),
    ("Saint-Priest-en-Jarez", "Saint Priest en Jarez"),
    ("Villebœuf", "Villeboeuf"),
    ("La Tour-en-Jarez", "Tour-en-Jarez (La)"),
    ("Chambœuf", "Chamboeuf"),
    ("Saint-Maurice", "Saint Maurice"),  # two in the Loire here: chosen on the preview
]


def test_a_convention_of_a_real_ones_size_reaches_signature_in_few_submissions(live_server, page, screenshot):
    editions_load(path=EDITIONS)
    loire, gard = DepartementFactory(code="42", name="Loire"), DepartementFactory(code="30", name="Gard")
    caf = CafFactory(name="Caf de la Loire", departement=loire)
    epci = EpciFactory(name="Communauté urbaine de l'Ondaine et du Furan", kind="CU", siren="200000042")
    for number, (name, _printed) in enumerate(COMMUNES):
        CommuneFactory(insee_code=f"42{number + 100:03d}", name=name, departement=loire, epci=epci)
    CommuneFactory(insee_code="42300", name="Saint-Maurice", departement=loire, epci=epci)  # the homonym
    CommuneFactory(insee_code="42301", name="Montval", departement=loire, epci=epci)  # "et" joins it
    CommuneFactory(insee_code="30350", name="Villars", departement=gard)
    UserFactory(adviser=True, caf=caf, email="claire@caf42.fr")

    submissions = []
    page.on(
        "request", lambda r: submissions.append(r.url) if r.method == "POST" and r.is_navigation_request() else None
    )
    shots = []

    def shot(name):
        shots.append(screenshot(name))

    page.goto(live_server.url + "/")
    page.get_by_label("Adresse e-mail").fill("claire@caf42.fr")
    page.get_by_label("Mot de passe").fill("mot-de-passe-de-test")
    page.get_by_role("button", name="Se connecter").click()

    # The perimeter pasted as printed: commas, new lines, « et ».
    page.goto(live_server.url + reverse("conventions:create"))
    page.get_by_label("Modèle de convention").select_option(label="Modèle national 2022")
    page.get_by_label("Intitulé").fill("Convention territoriale globale de l'Ondaine et du Furan")
    printed = [p for _n, p in COMMUNES]
    pasted = ", ".join(printed[:10]) + "\n" + "\n".join(printed[10:]) + " et Montval"
    page.get_by_label("Communes du périmètre").fill(pasted)
    page.get_by_label("EPCI").fill("Ondaine et Furan")
    page.get_by_label("Date de début").fill("2027-01-01")
    page.get_by_label("Date de fin").fill("2031-12-31")
    page.get_by_role("button", name="Créer la convention").click()
    page.locator("#communes-erreurs").get_by_text("1 entrée(s) à préciser sur 22").wait_for()
    assert not Convention.objects.exists()  # nothing written while an entry is ambiguous
    shot("perimetre-a-preciser")
    page.get_by_label(re.compile(r"Saint-Maurice \(42300")).check()
    page.get_by_role("button", name="Créer la convention").click()
    convention = Convention.objects.get()
    assert convention.territory.communes.count() == 22
    assert convention.territory.epci == epci and convention.territory.kind == "regroupement"

    # The Caf, then the perimeter's communes and EPCI in one step.
    page.goto(live_server.url + reverse("conventions:party_add", args=[convention.pk]))
    page.get_by_label("Nature").select_option(label="Caf")
    page.get_by_label("Organisme").fill("Caf de la Loire")
    page.locator("input[name='representants-0-name']").fill("Anne Martin")
    page.locator("input[name='representants-0-title']").fill("Présidente")
    page.get_by_role("button", name="Enregistrer").click()
    page.locator("#signataires").get_by_role("link", name="Ajouter les communes et l'EPCI du périmètre").click()
    shot("signataires-du-perimetre")
    page.get_by_role("button", name="Ajouter ces signataires").click()
    parties = list(convention.parties.order_by("order"))
    assert len(parties) == 24

    # One grid for all: a paste with a bad date and a missing name is refused next to its rows.
    lines = ["Caf de la Loire\tMadame\tAnne Martin\tPrésidente\tconseil d'administration\t\t"]
    for number, party in enumerate(parties[1:], start=1):
        body = "conseil communautaire" if party.kind == "epci" else "conseil municipal"
        lines.append(f"{party.name}\tMadame\tÉlue {number}\tMaire\t{body}\t{number % 28 + 1:02d}/11/2026\tD-{number}")
    bad = list(lines)
    bad[3] = bad[3].replace("04/11/2026", "31/02/2026")
    bad[5] = bad[5].replace("Élue 5", "")
    page.get_by_label("Coller depuis un tableur").fill("\n".join(bad))
    page.get_by_role("button", name="Enregistrer la grille").click()
    page.get_by_text("Rien n'a été enregistré").first.wait_for()
    assert page.locator("td").get_by_text("Date invalide : écrivez JJ/MM/AAAA").count() == 1
    assert page.locator("td").get_by_text("Indiquez le nom de la personne qui signe.").count() == 1
    shot("grille-refusee")
    assert not convention.parties.exclude(deliberation_date=None).exists()
    page.get_by_label("Coller depuis un tableur").fill("\n".join(lines))
    page.get_by_role("button", name="Enregistrer la grille").click()
    page.get_by_text("Signataires enregistrés").first.wait_for()
    shot("signataires")

    # Three committees, described by their composition.
    for kind, name, composition in (
        ("Comité de pilotage (COPIL)", "Comité de pilotage", "Le maire de chaque commune et la présidente de la Caf"),
        ("Comité technique (COTECH)", "Comité technique", "Un technicien de chaque commune signataire"),
        ("Groupe de travail", "Groupe petite enfance", "Les coordinatrices petite enfance"),
    ):
        page.goto(live_server.url + reverse("conventions:committee_create", args=[convention.pk]))
        page.get_by_label("Nature").select_option(label=kind)
        page.get_by_label("Nom").fill(name)
        page.get_by_label("Composition").fill(composition)
        page.get_by_role("button", name="Ajouter").click()
        page.wait_for_load_state()
    assert convention.committees.count() == 3

    # The text: the model's « [À compléter : …] » passages written (the signature guard refuses them), one form each.
    text_completed(page, live_server.url, convention)

    # COPIL (its date asked), signature.
    page.goto(live_server.url + reverse("conventions:detail", args=[convention.pk]))
    page.get_by_role("link", name="Valider en COPIL").click()
    page.get_by_label("Date du COPIL").fill("2026-11-23")
    shot("copil")
    page.get_by_role("button", name="Valider en COPIL").click()
    page.get_by_role("link", name="Passer en signature").click()
    page.get_by_role("button", name="Passer en signature").click()
    shot("en-signature")
    page.get_by_role("link", name="Enregistrer la signature").click()
    page.get_by_label("Date de signature").fill("2026-12-01")
    page.get_by_label("Fait à").fill("Firminy")
    page.get_by_role("button", name="Enregistrer la signature").click()
    page.get_by_role("link", name="Ouvrir un avenant").wait_for()
    shot("signee")
    convention.refresh_from_db()
    assert convention.status == "signee"
    print(f"\nForm submissions: {len(submissions)} (target ≤ {SUBMISSION_TARGET}); screenshots: {shots}")
    assert len(submissions) <= SUBMISSION_TARGET
