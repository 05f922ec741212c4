"""The tasks of issue 16 done with the keyboard only: Tab, Shift+Tab, Space, Enter and typing, through
page.keyboard. The test reads where the focus is (to know when to stop tabbing) but never clicks; each task
starts from a page opened by its address, as a bookmark would."""

from decimal import Decimal

import pytest
from django.urls import reverse

from actions.enums import ActionStatus
from actions.models import ActionSheet
from conventions.dossier.demo import DEMO_PASSWORD, demo_load
from conventions.models import Convention
from evaluation.models import Measurement, Review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_PRESSES = 400
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return "";
  const label = e.labels && e.labels.length ? e.labels[0].innerText : "";
  return [e.tagName, e.getAttribute("name") || "", e.getAttribute("type") || "", e.id,
          (e.innerText || "").trim(), label.trim(), e.getAttribute("aria-label") || "", e.getAttribute("href") || ""]
         .join("|");
}"""


class Keyboard:
    """Tab until the focused element matches; counts every key pressed (the issue counted 43 for three ticks)."""

    def __init__(self, page):
        self.page, self.presses = page, 0

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.presses += 1

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.presses += len(text)

    def tab_to(self, *parts: str, backwards: bool = False) -> None:
        for _ in range(MAX_PRESSES):
            self.press("Shift+Tab" if backwards else "Tab")
            if all(part in self.page.evaluate(FOCUSED) for part in parts):
                return
        raise AssertionError(f"never reached by keyboard: {parts}")


def log_in(page, origin: str, email: str) -> Keyboard:
    keys = Keyboard(page)
    page.goto(origin + reverse("accounts:login"))
    keys.tab_to("INPUT", "username")
    keys.type(email)
    keys.press("Tab")
    keys.type(DEMO_PASSWORD)
    keys.press("Enter")
    page.wait_for_url(lambda url: "/connexion/" not in url)
    keys.presses = 0
    return keys


@pytest.fixture
def demo(db):
    demo_load(full_reference=False)
    return Convention.objects.get(reference="CTG-42-FIRMINY-2022")


def test_mark_three_fiches_realisee_in_mon_suivi(live_server, page, demo):
    keys = log_in(page, live_server.url, "cooperation@demo.ctg.fr")
    page.goto(live_server.url + reverse("actions:my_follow_up") + f"?convention={demo.pk}")
    boxes = page.locator('input[name="fiches"][form="changement-statut"]')
    chosen = [boxes.nth(i).get_attribute("value") for i in range(3)]
    for pk in chosen:
        keys.tab_to("INPUT|fiches|checkbox")
        assert page.evaluate("document.activeElement.value") == pk
        keys.press("Space")
    ticked = keys.presses
    keys.tab_to("SELECT", "status")
    for _ in range(len(ActionStatus.choices) + 1):  # a closed <select> moves to the next option
        if page.evaluate("document.activeElement.value") == ActionStatus.DONE:
            break
        keys.press("ArrowDown")
    assert page.evaluate("document.activeElement.value") == ActionStatus.DONE
    keys.tab_to("BUTTON", "Appliquer aux fiches cochées")
    with page.expect_navigation():
        keys.press("Enter")
    assert set(ActionSheet.objects.filter(pk__in=chosen).values_list("status", flat=True)) == {ActionStatus.DONE}
    print(f"Mon suivi: {ticked} key presses to tick three fiches, {keys.presses} for the whole task")


def test_enter_five_values_in_the_grid_and_save_with_enter(live_server, page, demo):
    keys = log_in(page, live_server.url, "cooperation@demo.ctg.fr")
    page.goto(live_server.url + reverse("evaluation:values", args=[demo.pk]))
    cells = page.eval_on_selector_all(
        '.values-grid input[type="text"]', "(inputs) => inputs.filter((i) => !i.value).map((i) => i.name)"
    )[:5]
    assert len(cells) == 5
    before = Measurement.objects.count()
    for number, name in enumerate(cells, start=1):
        keys.tab_to("INPUT", f"|{name}|")
        keys.type(f"1 2{number}0,5")
    keys.press("Enter")  # the whole grid, not the first row
    page.get_by_text("enregistr").first.wait_for()
    assert Measurement.objects.count() == before + 5
    assert sorted(Measurement.objects.order_by("-pk")[:5].values_list("value", flat=True)) == [
        Decimal(f"12{n}0.5") for n in range(1, 6)
    ]


def test_create_a_fiche_after_fixing_a_form_error(live_server, page, demo):
    draft = Convention.objects.get(reference="CTG-42-PAYS-DU-GIER-P3-2023")  # its text is still open
    keys = log_in(page, live_server.url, "conseillere@demo.ctg.fr")
    page.goto(live_server.url + reverse("actions:create", args=[draft.pk]))
    before = ActionSheet.objects.filter(convention=draft).count()
    keys.tab_to("INPUT", "reference")
    keys.type("9.9")
    keys.tab_to("INPUT", "budget_amount")
    keys.type("12 500,50")
    keys.tab_to("BUTTON", "Créer la fiche")
    with page.expect_navigation():
        keys.press("Enter")  # no title: refused
    assert page.title().startswith("Erreur : ")
    assert page.evaluate("document.activeElement.id") == "resume-erreurs"
    keys.tab_to("A", "#id_title")
    keys.press("Enter")  # the summary's link puts the focus in the field
    assert page.evaluate("document.activeElement.name") == "title"
    keys.type("Créer un lieu d'accueil enfants-parents itinérant")
    keys.tab_to("BUTTON", "Créer la fiche")
    with page.expect_navigation():
        keys.press("Enter")
    assert "/ajouter/" not in page.url, page.locator("main").inner_text()[:600]
    created = ActionSheet.objects.filter(convention=draft).order_by("-pk").first()
    assert ActionSheet.objects.filter(convention=draft).count() == before + 1
    assert (created.title, created.budget_amount) == (
        "Créer un lieu d'accueil enfants-parents itinérant",
        Decimal("12500.50"),
    )


def test_download_the_latest_bilan(live_server, page, demo):
    keys = log_in(page, live_server.url, "copil@demo.ctg.fr")
    convention = Review.objects.order_by("-year", "-version").first().convention
    latest = Review.objects.filter(convention=convention).order_by("-year", "-version").first()
    page.goto(live_server.url + reverse("evaluation:reviews", args=[convention.pk]))
    pdf = reverse("evaluation:review_pdf", args=[convention.pk, latest.pk])
    keys.tab_to("A", f"|{pdf}")
    with page.expect_response(lambda response: response.url.endswith(pdf)) as answer:
        keys.press("Enter")
    assert answer.value.status == 200
    assert answer.value.headers["content-type"] == "application/pdf"
