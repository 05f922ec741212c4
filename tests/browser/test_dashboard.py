"""An adviser opens the Caf's dashboard and their calendar in Chromium, wide and narrow."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from core.text import NBSP
from tests.accounts.factories import UserFactory
from tests.actions.factories import ActionSheetFactory
from tests.conventions.factories import ConventionFactory
from tests.territories.factories import CafFactory, CommuneFactory, DepartementFactory, TerritoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_adviser_reads_the_dashboard_and_the_calendar(live_server, page, screenshot):
    today = timezone.localdate()
    loire = DepartementFactory(code="42", name="Loire")
    caf = CafFactory(name="Caf de la Loire", departement=loire)
    names = [("Firminy", 16_500), ("Fraisses", 4_000), ("Unieux", 8_700), ("Roche-la-Molière", 10_300)]
    communes = [CommuneFactory(name=n, population=p, departement=loire) for n, p in names]
    firminy = ConventionFactory(
        caf=caf,
        signed=True,
        reference="CTG-42-FIRMINY",
        title="CTG de Firminy",
        start_date=datetime.date(2023, 1, 1),
        end_date=today + relativedelta(months=5),
        territory=TerritoryFactory(communes=communes[:2]),
    )
    ConventionFactory(
        caf=caf,
        signed=True,
        reference="CTG-42-ONDAINE",
        title="CTG de l'Ondaine",
        start_date=datetime.date(2024, 1, 1),
        end_date=today + relativedelta(years=2),
        territory=TerritoryFactory(communes=communes[1:3]),
    )
    ConventionFactory(caf=caf, reference="CTG-42-ROCHE", title="CTG de Roche-la-Molière")
    ActionSheetFactory(convention=firminy, reference="1.2", title="Guide des familles", due_date=today)
    ActionSheetFactory(
        convention=firminy, reference="1.1", title="Relais petite enfance", due_date=today - datetime.timedelta(days=9)
    )
    UserFactory(adviser=True, caf=caf, email="alix@caf42.fr")

    page.goto(live_server.url + "/connexion/")
    page.get_by_label("Adresse e-mail").fill("alix@caf42.fr")
    page.get_by_label("Mot de passe").fill("mot-de-passe-de-test")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="Mes conventions").wait_for()

    page.get_by_role("link", name="Tableau de bord").click()
    page.get_by_role("heading", name="Tableau de bord", exact=True).wait_for()
    page.set_viewport_size({"width": 1366, "height": 900})
    coverage = page.locator("#chiffre-couverture")
    assert coverage.inner_text().replace("\u202f", NBSP) == f"29{NBSP}200 habitants sur 39{NBSP}500 (73,9 %)"
    assert page.locator("svg.ctg-chart").count() == 2
    assert page.get_by_role("img", name="Conventions par étape").is_visible()
    doubles = page.locator("section", has=page.get_by_role("heading", name="Communes couvertes par deux"))
    assert doubles.get_by_text("Fraisses").is_visible()
    uncovered = page.locator("section", has=page.get_by_role("heading", name="Communes non couvertes (1)"))
    assert uncovered.get_by_text("Roche-la-Molière").is_visible()
    renewals = page.locator("section", has=page.get_by_role("heading", name="Fin dans les 12 mois"))
    assert renewals.get_by_role("link", name="CTG de Firminy").is_visible()
    screenshot("tableau-de-bord-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling on a phone"
    screenshot("tableau-de-bord-390")

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + "/calendrier/")
    late = page.locator("section", has=page.get_by_role("heading", name="En retard"))
    assert late.get_by_text("Échéance de la fiche 1.1 « Relais petite enfance »").is_visible()
    screenshot("calendrier-1366")
    page.goto(live_server.url + "/compte/")
    feed = page.get_by_label("Adresse de votre calendrier").input_value()
    page.get_by_role("button", name="Régénérer").click()
    page.get_by_text("Nouvelle adresse du calendrier créée").wait_for()
    assert page.get_by_label("Adresse de votre calendrier").input_value() != feed
    screenshot("compte-1366")
