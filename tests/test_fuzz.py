"""Property-based fuzz (hypothesis): every URL of the project, every form and query parameter, as each persona.

Each URL the access harness knows (tests/access_routes/) is requested with GET and POST by an adviser of the
convention's Caf, its chargé·e de coopération, a COPIL member, an administrator and an adviser of another Caf,
with random values for the fields of the page's forms and the query parameters the views read: random text,
NUL bytes and control characters, huge and negative numbers, bad dates, negative pages. No request may answer
a 500 (any exception fails the test), and a refused post (4xx, or a form shown again with its errors) writes
nothing: the row count of every table of the project is unchanged.

The data is built once for the module; every example runs in a transaction rolled back afterwards, so a
valid random post (it may be valid) never changes what the next example sees.
"""

import re

import pytest
from django.apps import apps
from django.db import transaction
from django.forms import BaseForm, BaseFormSet
from django.test import Client
from django.urls import NoReverseMatch, reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.accounts.factories import UserFactory
from tests.test_access import APP_NAMES, ROUTES, build_victim

# Random examples per URL, after the explicit ones below (the attacks the security test found).
RANDOM_EXAMPLES = 4
# WeasyPrint renders a whole PDF each time: one random example and the first two explicit ones.
SLOW_ROUTES = {"conventions:pdf": 1, "conventions:action_pdf": 1, "evaluation:review_pdf": 1}
SLOW_ROUTES |= {
    "conventions:version_pdf": 1,
    "conventions:version_scan": 1,
    "conventions:amendment_pdf": 1,
}  # frozen PDFs: no form either
EXAMPLES = {name: SLOW_ROUTES.get(name, RANDOM_EXAMPLES) for name in APP_NAMES}
EXPLICIT = [  # (persona, method, value put in every field)
    ("conseiller", "get", "\x00"),
    ("conseiller", "post", "a\x00b"),
    ("chargé", "post", "\x0b\x01"),
    ("conseiller", "get", "-1"),
    ("COPIL", "get", "9" * 40),
]
# What views read from the address or the body besides their forms' fields.
COMMON_PARAMETERS = [
    "page", "per_page", "sort", "q", "fiche", "place", "trimestres", "format", "ligne", "direction", "token",
    "marker", "next", "annee", "year",
]  # fmt: skip
SPECIAL_VALUES = [
    "\x00", "a\x00b", "\x01", "\x1b[31m", "\x7f", "\r\n", "\t", "-1", "0", "-999999999999", "9" * 40, "1e308",
    "NaN", "inf", "-0", "2,5", "1 000,5", "abc", "", " ", "31/02/2024", "2024-13-45", "0000-00-00",
    "<script>alert(1)</script>", '"; DROP TABLE x; --', "../../etc/passwd", "é" * 3000, "{{ 7*7 }}", "%00",
]  # fmt: skip
PERSONAS = ["conseiller", "chargé", "COPIL", "administrateur", "inconnu"]
PROJECT_APPS = ("accounts", "territories", "conventions", "actions", "evaluation", "jobs")
NAME = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"')

values = st.one_of(st.sampled_from(SPECIAL_VALUES), st.text(max_size=40), st.integers().map(str))


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS and not model._meta.proxy
    }


def form_errors(response) -> bool:
    """The page shows a form with its errors again (the post was refused)."""
    for context in response.context or []:
        for value in context.flatten().values():
            if isinstance(value, BaseForm | BaseFormSet) and value.is_bound and not value.is_valid():
                return True
    return False


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The access harness's victim convention, its people, and the field names of every page."""
    with django_db_blocker.unblock(), transaction.atomic():
        victim = build_victim()
        people = {
            "conseiller": UserFactory(adviser=True, caf=victim["convention"].caf),
            "chargé": victim["own_cooperation"],
            "COPIL": victim["own_copil"],
            "administrateur": UserFactory(administrator=True),
            "inconnu": UserFactory(adviser=True),
        }
        urls, fields = {}, {}
        reader = Client()
        for name in APP_NAMES:
            try:
                urls[name] = reverse(name, kwargs=ROUTES[name].kwargs(victim))
            except NoReverseMatch:  # pragma: no cover — the access harness fails first
                continue
        for name, url in urls.items():
            if name in SLOW_ROUTES:  # a PDF has no form
                fields[name] = COMMON_PARAMETERS
                continue
            with transaction.atomic():
                reader.force_login(people["administrateur" if ROUTES[name].kind == "advisers" else "conseiller"])
                response = reader.get(url)
                page = response.content.decode(errors="replace") if response.status_code == 200 else ""
                fields[name] = sorted(set(NAME.findall(page)) - {"csrfmiddlewaretoken"} | set(COMMON_PARAMETERS))
                transaction.set_rollback(True)
        yield {"people": people, "urls": urls, "fields": fields}
        transaction.set_rollback(True)


TOTAL = {"examples": 0}


@pytest.fixture(scope="module", autouse=True)
def report(request):
    """The number of requests the fuzz made, on the terminal (run with -n 0 to see it)."""
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter and TOTAL["examples"]:
        reporter.write_line(f"Fuzz : {TOTAL['examples']} requêtes sur {len(EXAMPLES)} adresses, 5 personas")
        TOTAL["examples"] = 0


@pytest.mark.django_db
@pytest.mark.parametrize("name", APP_NAMES)
def test_no_500_and_nothing_written_on_a_refused_post(world, name):
    url, fields = world["urls"][name], world["fields"][name]
    client = Client()

    @settings(
        max_examples=EXAMPLES[name],
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        persona=st.sampled_from(PERSONAS),
        method=st.sampled_from(["get", "post"]),
        fill=st.none() | st.sampled_from(SPECIAL_VALUES),
        data=st.dictionaries(st.sampled_from(fields), values, max_size=len(fields)),
    )
    def request(persona, method, fill, data):
        TOTAL["examples"] += 1
        data = (dict.fromkeys(fields, fill) if fill is not None else {}) | data
        with transaction.atomic():
            client.force_login(world["people"][persona])
            before = row_counts() if method == "post" else None
            response = getattr(client, method)(url, data)
            if response.streaming:  # a served file (a ready PDF): read to the end, which closes it (the test
                b"".join(response.streaming_content)  # client's wrapper; close() again would drop the connection)
            where = f"{method.upper()} {url} ({name}) par {persona} avec {data!r}"
            assert response.status_code < 500, where
            if method == "post" and (response.status_code >= 400 or form_errors(response)):
                assert row_counts() == before, f"{where} : refusé mais des lignes ont changé"
            transaction.set_rollback(True)

    for persona, method, fill in EXPLICIT[:2] if name in SLOW_ROUTES else EXPLICIT:
        request = example(persona=persona, method=method, fill=fill, data={})(request)
    request()


def test_the_fuzz_covers_every_url_of_the_access_harness():
    assert set(EXAMPLES) == set(ROUTES)
