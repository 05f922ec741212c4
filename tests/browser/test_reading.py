import pytest

from tests.accounts.factories import UserFactory
from tests.actions.factories import ActionSheetFactory, OrientationFactory
from tests.conventions.factories import ConventionFactory, MembershipFactory, PartyFactory, RepresentativeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_copil_member_logs_in_and_reads_the_convention(live_server, page, screenshot):
    convention = ConventionFactory(title="Convention territoriale globale de Belleville")
    RepresentativeFactory(party=PartyFactory(convention=convention, name="Commune de Belleville"), name="Jeanne DUPONT")
    orientation = OrientationFactory(convention=convention, number="1", title="Soutenir la parentalité")
    ActionSheetFactory(convention=convention, reference="1.4", title="Ouvrir un LAEP itinérant", place=orientation)
    hidden = ConventionFactory(title="Convention d'une autre commune")
    member = UserFactory(copil=True, email="elue@belleville.fr")
    MembershipFactory(convention=convention, user=member)

    page.goto(live_server.url + "/")
    assert "/connexion/" in page.url
    page.get_by_label("Adresse e-mail").fill("elue@belleville.fr")
    page.get_by_label("Mot de passe").fill("mot-de-passe-de-test")
    screenshot("connexion")
    page.get_by_role("button", name="Se connecter").click()

    page.get_by_role("heading", name="Mes conventions").wait_for()
    screenshot("accueil")
    assert page.get_by_role("link", name=convention.title).is_visible()
    assert hidden.title not in page.content()

    page.get_by_role("link", name=convention.title).click()
    page.get_by_role("heading", name=convention.title).wait_for()
    screenshot("convention")
    assert page.get_by_text("Jeanne DUPONT").is_visible()
    plan = page.locator("#plan")
    plan.scroll_into_view_if_needed()  # the plan section loads when the reader scrolls down to it
    plan.get_by_text("Orientation 1 : Soutenir la parentalité").wait_for()
    assert plan.get_by_role("rowheader", name="1.4").is_visible()

    page.goto(f"{live_server.url}/conventions/{hidden.pk}/")
    assert "Convention d'une autre commune" not in page.content()
