"""Every page kind, for each role, at desktop and phone width: axe-core finds no violation and no page is wider
than a 390 px screen (issue 16).

The pages are found the way a person finds them: from the home page, following the links of each page (one
page per URL name, the first link met), as each demo persona. The test then checks that the crawl reached the
page kinds that role uses, so a broken link or a page that stops being linked fails it instead of shrinking it.

axe-core is vendored for the tests only (tests/browser/vendor/axe-core, from npm; never served to users).
"""

import json
import os
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError

from conventions.dossier.demo import DEMO_PASSWORD, demo_load
from tests.browser.second_factor import give_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
WIDTHS = (1366, 390)
FAILED_SUBMIT = "failed-submit"  # a queue entry: the fiche form sent empty
PHONE = 390

# Downloads and actions: a link to them starts a file or answers a POST, not a page to audit.
NOT_PAGES = {
    "accounts:logout",
    "conventions:pdf",
    "conventions:action_pdf",
    "conventions:list_export",
    "conventions:deliberation_download",
    "evaluation:review_pdf",
    "evaluation:review_xlsx",
    "evaluation:tracking_export",
    "evaluation:convention_json",
    "jobs:download",
    "jobs:request",
    "admin:logout",
    "admin:view_on_site",
    "admin:jsi18n",
}
# The admin pages an administrator uses (reference data, users, conventions); the rest of the admin is the same
# templates with other models.
ADMIN_PAGES = {
    "admin:index",
    "admin:app_list",
    "admin:conventions_convention_changelist",
    "admin:conventions_convention_change",
    "admin:accounts_user_changelist",
    "admin:accounts_user_change",
    "admin:territories_commune_changelist",
    "admin:territories_commune_change",
}
# The convention page is the hub of every other page: each demo convention's is visited (they differ: bilans,
# sub-perimeters, amendments); every other kind once.
PAGES_PER_KIND = {"conventions:detail": 3}
START = {
    "adviser": ["/"],
    "cooperation": ["/"],
    "copil": ["/"],
    "admin": ["/", "/admin/", "/admin/conventions/convention/", "/admin/accounts/user/", "/admin/territories/commune/"],
}
PERSONAS = {
    "adviser": "conseillere@demo.ctg.fr",
    "cooperation": "cooperation@demo.ctg.fr",
    "copil": "copil@demo.ctg.fr",
    "admin": "admin@demo.ctg.fr",
}
# The page kinds each role must reach by following links (a subset: the crawl finds more).
EXPECTED = {
    "copil": {
        "conventions:home",
        "conventions:list",
        "conventions:detail",
        "conventions:history",
        "conventions:documents",
        "actions:detail",
        "actions:my_follow_up",
        "actions:meetings",
        "evaluation:reviews",
        "evaluation:review_detail",
    },
}
EXPECTED["cooperation"] = EXPECTED["copil"] | {
    "actions:budget",
    "evaluation:values",
    "evaluation:review_create",
    "evaluation:tracking_import",
    "actions:meeting_create",
}
EXPECTED["adviser"] = EXPECTED["cooperation"] | {
    "conventions:create",
    "conventions:edit",
    "conventions:members",
    "conventions:perimeter_edit",
    "conventions:party_edit",
    "actions:plan_edit",
    "actions:create",
    "actions:edit",
    "evaluation:indicator_create",
    "actions:create (refusé)",
}
EXPECTED["copil"] |= {"agenda:account", "accounts:twofactor_enrol"}  # 2FA offered from « Mon compte »
EXPECTED["cooperation"] |= EXPECTED["copil"]
EXPECTED["adviser"] |= EXPECTED["copil"]
# The demo administrator has a device (required): the code page at login and the recovery codes page.
EXPECTED["admin"] = EXPECTED["adviser"] - {"accounts:twofactor_enrol"} | {
    "accounts:twofactor_verify",
    "accounts:twofactor_codes",
    "admin:index",
    "admin:conventions_convention_changelist",
    "admin:conventions_convention_change",
    "admin:accounts_user_changelist",
    "admin:accounts_user_change",
}

LINKS = """() => [...document.querySelectorAll('a[href]')]
  .filter((a) => !a.hasAttribute('download'))
  .map((a) => a.href)"""
RUN_AXE = """async () => {
  const results = await axe.run(document, {resultTypes: ['violations']});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')),
  }));
}"""


def page_kind(url: str, origin: str) -> str | None:
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != origin:
        return None
    try:
        return resolve(parts.path).view_name
    except Resolver404:
        return None


def log_in(page, origin: str, email: str, found: dict) -> None:
    """The login form, then for a person with a device the code page (audited as it stands)."""
    page.goto(origin + "/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: urlsplit(url).path != "/connexion/")
    give_code(page, email, before=lambda page: audited(page, "accounts:twofactor_verify", found))


def audited(page, kind: str, found: dict) -> None:
    path = urlsplit(page.url).path
    found["pages"].setdefault(kind, []).append(path)
    check(page, kind, path, found)


def audit_recovery_codes(page, origin: str, found: dict) -> None:
    """The recovery codes page answers a POST from « Mon compte » (new codes, shown once)."""
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    page.goto(origin + "/compte/")
    with page.expect_navigation():
        page.get_by_role("button", name="Créer de nouveaux codes de secours").click()
    audited(page, "accounts:twofactor_codes", found)


def audit(page, origin: str, role: str, found: dict) -> dict:
    """Crawl as `role`; for each page kind and width, axe's violations and the page's width."""
    queue = [origin + path for path in START[role]]
    visited: dict[str, list[str]] = found["pages"]
    while queue:
        url = queue.pop(0)
        if url == FAILED_SUBMIT:
            audit_failed_submit(page, origin, found)
            continue
        kind = page_kind(url, origin)
        path = urlsplit(url).path + (f"?{urlsplit(url).query}" if urlsplit(url).query else "")
        if kind is None or kind in NOT_PAGES or path in visited.get(kind, []):
            continue
        if len(visited.get(kind, [])) >= PAGES_PER_KIND.get(kind, 1):
            continue
        if kind.startswith("admin:") and kind not in ADMIN_PAGES:
            continue
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        try:
            response = page.goto(url)
        except PlaywrightError as error:  # a link to a file (CSV, PDF…) that is not in NOT_PAGES
            if "Download is starting" in str(error):
                continue
            raise
        if response is None or response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
            continue
        visited.setdefault(kind, []).append(path)
        load_sections(page)
        check(page, kind, path, found)
        queue.extend(page.evaluate(LINKS))
        if kind == "actions:create":
            queue.append(FAILED_SUBMIT)  # after the page itself: the same form refused, with its error summary
    return found


def load_sections(page) -> None:
    """The convention page loads its later sections when they are scrolled to (htmx): bring each into view, as a
    reader scrolling down does, and wait until htmx has put its contents in its place, so that they and their
    links are audited too. A section that never loads fails the test at the wait."""
    while (pending := page.query_selector("section[aria-busy='true'][hx-get]")) is not None:
        pending.evaluate("(section) => section.scrollIntoView()")
        page.wait_for_function("(section) => !section.isConnected", arg=pending)
    page.wait_for_load_state("networkidle")


def check(page, kind: str, path: str, found: dict) -> None:
    """axe at each width, and the page's width on a phone."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        if not page.evaluate("typeof axe !== 'undefined'"):
            page.evaluate(AXE)
        for violation in page.evaluate(RUN_AXE):
            found["violations"].setdefault(f"{width}", []).append({"page": kind, **violation})
        if width == PHONE:
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > PHONE:
                found["wide"][path] = scroll_width
            if report := os.environ.get("CTG_AXE_REPORT"):  # the phone view of each page kind, to be looked at
                shots = Path(report) / found["role"]
                shots.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(shots / f"{kind.replace(':', '-')}.png"), full_page=True)


def audit_failed_submit(page, origin: str, found: dict) -> None:
    """The fiche form sent empty: the error summary, the fields in error and the title « Erreur : »."""
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    page.goto(origin + found["pages"]["actions:create"][0])
    with page.expect_navigation():
        page.get_by_role("button", name="Créer la fiche").click()
    assert page.title().startswith("Erreur : ")
    found["pages"]["actions:create (refusé)"] = [found["pages"]["actions:create"][0]]
    check(page, "actions:create (refusé)", found["pages"]["actions:create"][0], found)


def summary(found: dict) -> dict:
    """Counts per width and rule (elements), for the report and the failure message."""
    return {
        width: dict(Counter({v["id"]: 0 for v in items}) + Counter(v["id"] for v in items for _ in v["nodes"]))
        for width, items in found["violations"].items()
    }


@pytest.mark.parametrize("role", list(PERSONAS))
def test_every_page_kind_has_no_axe_violation_and_fits_a_phone(live_server, browser, role):
    demo_load(full_reference=False)
    context = browser.new_context(locale="fr-FR", bypass_csp=True)  # axe is injected by the test, not the site
    page = context.new_page()
    page.set_default_timeout(15_000)
    found: dict = {"violations": {}, "wide": {}, "pages": {}, "role": role}
    log_in(page, live_server.url, PERSONAS[role], found)
    audit(page, live_server.url, role, found)
    if role == "admin":
        audit_recovery_codes(page, live_server.url, found)
    context.close()
    if report := os.environ.get("CTG_AXE_REPORT"):  # a directory: one JSON per role, for the figures
        Path(report).mkdir(parents=True, exist_ok=True)
        (Path(report) / f"{role}.json").write_text(json.dumps({**found, "summary": summary(found)}, indent=1))

    assert EXPECTED[role] <= set(found["pages"]), f"pages not reached: {EXPECTED[role] - set(found['pages'])}"
    details = [
        f"{width} px {v['page']}: {v['id']} ({v['impact']}) {v['nodes'][:3]}"
        for width, items in found["violations"].items()
        for v in items
    ]
    assert not details, "\n".join(details)
    assert not found["wide"], f"pages wider than {PHONE} px: {found['wide']}"
