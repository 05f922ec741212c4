"""Charts readable on a phone (issue 16 item 3): at 390 px, the text of the bilan's charts and of Mon suivi's
summary is drawn at 12 px or more on screen (the wide drawing shrunk to a phone's width printed it at ~6 px)."""

import pytest
from django.urls import reverse

from conventions.dossier.demo import DEMO_PASSWORD, demo_load
from evaluation.models import Review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each visible chart's text: the size it is drawn at on screen (its font size times the drawing's scale).
TEXT_SIZES = """() => [...document.querySelectorAll('svg.ctg-chart')]
  .filter((svg) => svg.getBoundingClientRect().width > 0)
  .map((svg) => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return [...svg.querySelectorAll('text')].map((t) => {
      const size = parseFloat(getComputedStyle(t).fontSize) * scale;
      const box = t.getBoundingClientRect();
      return {size, height: box.height, text: t.textContent, right: box.right};
    });
  }).flat()"""


def log_in(page, origin, email):
    page.goto(origin + reverse("accounts:login"))
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: "/connexion/" not in url)


@pytest.mark.parametrize("width", [320, 390, 700])
def test_chart_labels_are_readable_on_phones_and_small_tablets(live_server, browser, width):
    demo_load(full_reference=False)
    review = Review.objects.order_by("pk").first()
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 900})
    page = context.new_page()
    log_in(page, live_server.url, "conseillere@demo.ctg.fr")
    sizes = {}
    for name, path in {
        "Mon suivi": reverse("actions:my_follow_up"),
        "bilan": reverse("evaluation:review_detail", args=[review.convention_id, review.pk]),
    }.items():
        page.goto(live_server.url + path)
        texts = page.evaluate(TEXT_SIZES)
        assert texts, f"{name} : aucun graphique visible à {width} px"
        sizes[name] = min(t["size"] for t in texts)
        small = [t for t in texts if t["size"] < 11]
        assert not small, f"{name} à {width} px : textes de graphique sous 11 px : {small[:3]}"
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        shot = f"/tmp/trust/charts-{name.replace(' ', '-')}-{width}.png"
        page.locator("svg.ctg-chart:visible").first.screenshot(path=shot)
    print(f"Taille minimale du texte des graphiques à {width} px : {sizes}")
    context.close()
