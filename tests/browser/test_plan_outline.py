"""An adviser names the plan's levels and pastes a whole plan in the browser (issue 14, item 4)."""

import os
from pathlib import Path

import pytest

from actions.models import Axis, Objective, Orientation
from tests.accounts.factories import UserFactory
from tests.actions.factories import ActionSheetFactory
from tests.conventions.factories import ConventionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OUTLINE = """1 Soutenir les familles
1.1 Accompagner la parentalité
1.1.1 Créer un lieu d'accueil enfants-parents
1.1.2 Développer les actions de soutien à la parentalité
1.2 Petite enfance
1.2.1 Ouvrir un relais petite enfance
2 Jeunesse et vie sociale
2.1 Accueils de loisirs
2.1.1 Ouvrir un accueil de loisirs intercommunal"""
# Screenshots for the engineer to look at; set CTG_SCREENSHOTS to a folder to keep them.
SHOTS = os.environ.get("CTG_SCREENSHOTS")


def test_adviser_names_levels_and_pastes_a_plan(live_server, page, screenshot):
    convention = ConventionFactory(title="CTG du Val")
    UserFactory(adviser=True, caf=convention.caf, email="claire@caf42.fr")
    page.goto(live_server.url + "/")
    page.get_by_label("Adresse e-mail").fill("claire@caf42.fr")
    page.get_by_label("Mot de passe").fill("mot-de-passe-de-test")
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"{live_server.url}/conventions/{convention.pk}/plan/")

    page.get_by_text("Noms des niveaux du plan : Orientation / Axe / Objectif").click()
    page.get_by_label("Nom du 1er niveau").fill("Axe")
    page.get_by_label("Nom du 2e niveau").fill("Objectif stratégique")
    page.get_by_label("Nom du 3e niveau").fill("Objectif opérationnel")
    page.get_by_role("button", name="Enregistrer les noms des niveaux").click()
    assert page.get_by_text(
        "Niveaux du plan enregistrés : Axe / Objectif stratégique / Objectif opérationnel."
    ).is_visible()

    page.get_by_role("link", name="Coller un plan (sommaire numéroté ou indenté)").click()
    page.get_by_label("Plan à coller").fill(OUTLINE + "\n3.1.1.1 Une ligne de trop")
    page.get_by_role("button", name="Créer ces éléments du plan").click()
    assert page.get_by_text("Ligne 10 : Le plan a trois niveaux : cette ligne en ouvre un quatrième.").is_visible()
    assert not Orientation.objects.exists()

    page.get_by_label("Plan à coller").fill(OUTLINE)
    page.get_by_role("button", name="Prévisualiser").click()
    assert page.get_by_role("heading", name="Aperçu : 2 axe(s), 3 objectif stratégique(s), 4 objectif opérationnel(s)")
    if SHOTS:
        for width in (1366, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(Path(SHOTS) / f"apercu-{width}.png"), full_page=True)
    page.get_by_role("button", name="Créer ces éléments du plan").click()
    assert page.get_by_text("Plan créé : 2 axes, 3 objectifs stratégiques, 4 objectifs opérationnels.").is_visible()
    assert (Orientation.objects.count(), Axis.objects.count(), Objective.objects.count()) == (2, 3, 4)
    ActionSheetFactory(convention=convention, reference="1.1.1", title="Un LAEP", place=Objective.objects.first())
    page.reload()
    assert page.get_by_role("heading", name="Objectif stratégique 1.1 : Accompagner la parentalité").is_visible()
    if SHOTS:
        for width in (1366, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(Path(SHOTS) / f"plan-{width}.png"), full_page=True)
    screenshot("plan")
