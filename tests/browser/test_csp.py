"""In the browser, under the Content-Security-Policy: no violation on the main pages and the admin, the
behaviours moved to static/js/ctg.js still work, and a job's state changes on its own then offers the file."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from jobs.enums import JobState
from jobs.models import Job, params_digest
from jobs.services import job_run
from tests.accounts.factories import UserFactory
from tests.accounts.twofactor import confirmed_device
from tests.actions.factories import ActionSheetFactory
from tests.browser.second_factor import give_code
from tests.conventions.factories import ConventionFactory, MembershipFactory
from tests.evaluation.factories import IndicatorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every violation the page reports (the browser also refuses the resource: this says which one).
COLLECT_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def log_in(page, live_server, user):
    page.add_init_script(COLLECT_VIOLATIONS)
    page.goto(live_server.url + reverse("accounts:login"))
    page.get_by_label("Adresse e-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill("mot-de-passe-de-test")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: urlsplit(url).path != reverse("accounts:login"))
    give_code(page, user.email)


def test_main_pages_and_admin_load_without_csp_violation(live_server, page):
    convention = ConventionFactory()
    action = ActionSheetFactory(convention=convention)
    IndicatorFactory(convention=convention, action=action)
    admin = UserFactory(administrator=True)
    confirmed_device(admin)
    log_in(page, live_server, admin)
    paths = [
        reverse("conventions:home"),
        reverse("conventions:list"),
        reverse("conventions:detail", args=[convention.pk]),
        reverse("conventions:create"),
        reverse("actions:my_follow_up"),
        reverse("evaluation:values", args=[convention.pk]),
        reverse("jobs:status", kwargs={"kind": "demo", "key": convention.pk}),
        reverse("admin:index"),
        reverse("admin:conventions_convention_changelist"),
        reverse("admin:conventions_convention_change", args=[convention.pk]),
        reverse("admin:jobs_job_changelist"),
    ]
    violations = {}
    for path in paths:
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")  # deferred scripts have run; networkidle is slow on a loaded machine
        if found := page.evaluate("window.cspViolations"):
            violations[path] = found
    assert not violations


def test_the_scripts_moved_out_of_the_templates_still_work(live_server, page):
    convention = ConventionFactory()
    ActionSheetFactory(convention=convention, reference="1.1")
    ActionSheetFactory(convention=convention, reference="1.2")
    adviser = UserFactory(adviser=True, caf=convention.caf)
    log_in(page, live_server, adviser)

    page.goto(live_server.url + reverse("actions:my_follow_up"))
    page.get_by_label("Cocher toutes les fiches modifiables de la page").check()
    boxes = page.locator('input[name="fiches"][form="changement-statut"]')
    assert boxes.count() == 2 and all(boxes.nth(i).is_checked() for i in range(2))

    page.goto(live_server.url + reverse("conventions:create"))
    page.locator("#commune-finder").fill("Firminy (42095)")
    page.get_by_role("button", name="Ajouter au périmètre").click()
    assert page.locator("textarea[name=communes]").input_value().endswith("Firminy (42095)")
    assert not page.evaluate("window.cspViolations")


def test_a_job_state_changes_by_itself_then_offers_the_download(live_server, page, screenshot):
    convention = ConventionFactory()
    member = UserFactory(copil=True)
    MembershipFactory(convention=convention, user=member)
    job = Job.objects.create(kind="demo", key=str(convention.pk), params_digest=params_digest({}))
    log_in(page, live_server, member)
    page.goto(live_server.url + reverse("jobs:status", kwargs={"kind": "demo", "key": convention.pk}))
    page.get_by_text("en file d'attente").wait_for()
    screenshot("en-attente")
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING)  # a worker takes it
    page.get_by_text("en cours").wait_for(timeout=10_000)  # htmx asked again, no reload
    job_run(job_id=job.pk)
    link = page.get_by_role("link", name=f"Télécharger « note-{convention.pk}.txt »")
    link.wait_for(timeout=10_000)
    screenshot("pret")
    with page.expect_download() as download:
        link.click()
    assert convention.reference in Path(download.value.path()).read_text()
    assert not page.evaluate("window.cspViolations")
