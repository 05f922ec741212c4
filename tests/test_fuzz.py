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

import io
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
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
FILE_INPUT = re.compile(r'<input\b[^>]*\btype="file"[^>]*>')

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
        urls, fields, forms = {}, {}, {}
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
            # Administrators see the admin-only pages; some advisers' pages (the import) are theirs alone.
            readers = ["administrateur", "conseiller"] if ROUTES[name].kind == "advisers" else ["conseiller"]
            names = set(COMMON_PARAMETERS)
            for reader_name in readers:
                with transaction.atomic():
                    reader.force_login(people[reader_name])
                    response = reader.get(url)
                    page = response.content.decode(errors="replace") if response.status_code == 200 else ""
                    names |= set(NAME.findall(page)) - {"csrfmiddlewaretoken"}
                    file_fields = sorted({NAME.search(tag).group(1) for tag in FILE_INPUT.findall(page)})
                    if file_fields and (values := submitted_values(page, url)) is not None:
                        forms[name] = (file_fields, values)
                    transaction.set_rollback(True)
            fields[name] = sorted(names)
        yield {"people": people, "urls": urls, "fields": fields, "uploads": forms}
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


# -- uploads (deliberations, the Convention JSON import, the tableau de suivi import) ---------------------

UPLOAD_EXAMPLES = 25  # random files per upload form, after the hostile ones below
UPLOAD_FORMS = {"conventions:party_edit", "conventions:party_add", "conventions:import", "evaluation:tracking_import"}
# Who may post each form (others are refused before the file is read, which the main fuzz covers).
UPLOADERS = {"evaluation:tracking_import": ["conseiller", "chargé"]}


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


JAVASCRIPT_PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R /OpenAction 3 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"3 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)
HOSTILE_FILES = {  # name: (file name, bytes)
    "vide": ("vide.pdf", b""),
    "ELF derrière %PDF-": ("deliberation.pdf", b"%PDF-1.7\n\x7fELF\x02\x01\x01" + bytes(200)),
    "HTML derrière %PDF-": ("deliberation.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>"),
    "PDF avec JavaScript": ("deliberation.pdf", JAVASCRIPT_PDF),
    "zip cassé": ("tableau.xlsx", b"PK\x03\x04" + bytes(64)),
    "zip sans classeur": ("tableau.xlsx", _zip({"[Content_Types].xml": b"<Types/>", "x.txt": b"x"})),
    "bombe zip": ("tableau.xlsx", _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": bytes(30_000_000)})),
    "classeur XML hostile": (
        "tableau.xlsx",
        _zip({"[Content_Types].xml": b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa">]><t>&a;</t>'}),
    ),
    "JSON très imbriqué": ("convention.json", b"[" * 40_000 + b"]" * 40_000),
    "JSON nombre géant": ("convention.json", b'{"version": ' + b"9" * 50_000 + b"}"),
    "JSON avec NUL": ("convention.json", b'{"format": "ctg-convention", "title": "a\\u0000b"}'),
    "JSON en UTF-16": ("convention.json", "\ufeff{}".encode("utf-16")),
    "JSON pas UTF-8": ("convention.json", b'{"title": "\xff\xfe"}'),
    "SVG": ("image.svg.pdf", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    "nom hostile": ("../../../etc/passwd.json", b"{}"),
    "nom très long": ("a" * 300 + ".xlsx", b"PK"),
}
FILE_NAMES = ["fichier.pdf", "fichier.PDF", "fichier.xlsx", "fichier.json", "sans-extension", "é è.json", "x" * 255]


class _FormValues(HTMLParser):
    """What a browser sends for the first multipart form of a page, unchanged (inputs, ticked boxes,
    selected options, text areas), file inputs left out."""

    def __init__(self):
        super().__init__()
        self.values: list[tuple[str, str]] = []
        self.action = ""
        self.options: dict[str, list[str]] = {}
        self.in_form = self.done = False
        self.select: str | None = None
        self.select_first: tuple[str, str] | None = None
        self.select_chosen = False
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.done and "multipart" in (a.get("enctype") or ""):
            self.in_form, self.action = True, a.get("action") or ""
        if not self.in_form:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("file", "submit", "button", "reset"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.values.append((name, a.get("value") or ("on" if a.get("type") == "checkbox" else "")))
        elif tag == "select" and name:
            self.select, self.select_first, self.select_chosen = name, None, False
        elif tag == "option" and self.select:
            value = a.get("value") or ""
            if self.select_first is None:
                self.select_first = (self.select, value)
            if value:
                self.options.setdefault(self.select, []).append(value)
            if "selected" in a:
                self.values.append((self.select, value))
                self.select_chosen = True
        elif tag == "textarea" and name:
            self.textarea, self.text = name, ""

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form, self.done = False, True
        elif tag == "select" and self.select:
            if not self.select_chosen and self.select_first:
                self.values.append(self.select_first)
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.values.append((self.textarea, self.text.removeprefix("\n")))
            self.textarea = None


def submitted_values(page: str, url: str) -> dict[str, list[str]] | None:
    """The values of the page's upload form, None if it posts elsewhere (fuzzed at its own address)."""
    parser = _FormValues()
    parser.feed(page)
    if parser.action not in ("", url):
        return None
    for name, choices in parser.options.items():  # what a person would pick in a required list left empty
        data_choices = dict(parser.values)
        if not data_choices.get(name):
            parser.values = [(n, v) for n, v in parser.values if n != name] + [(name, choices[0])]
    data: dict[str, list[str]] = {}
    for name, value in parser.values:
        data.setdefault(name, []).append(value)
    return data


def refused(response) -> bool:
    """The form is shown again with its errors, or with the import's list of errors."""
    return form_errors(response) or any(
        context.get("errors") for context in response.context or [] if hasattr(context, "get")
    )


def stored_files() -> set[Path]:
    root = Path(django_settings.MEDIA_ROOT)
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


uploads = st.one_of(
    st.sampled_from(sorted(HOSTILE_FILES)).map(lambda key: HOSTILE_FILES[key]),
    st.tuples(st.sampled_from(FILE_NAMES), st.binary(max_size=4096)),
    st.tuples(st.sampled_from(FILE_NAMES), st.binary(max_size=64).map(lambda b: b"%PDF-1.4\n" + b)),
    st.tuples(st.sampled_from(FILE_NAMES), st.binary(max_size=256).map(lambda b: _zip({"[Content_Types].xml": b}))),
)
UPLOADS_SENT = {"count": 0}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(UPLOAD_FORMS))
def test_hostile_and_random_files_answer_no_500_and_store_nothing(world, name):
    """Each upload form, posted as the browser would (its other fields as shown) by someone allowed to, with
    a hostile or random file: no 500, the file refused with a message, no row and no file written."""
    url = world["urls"][name]
    file_fields, values = world["uploads"][name]
    client = Client()

    @settings(
        max_examples=UPLOAD_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(persona=st.sampled_from(UPLOADERS.get(name, ["conseiller"])), upload=uploads)
    def post(persona, upload):
        UPLOADS_SENT["count"] += 1
        TOTAL["examples"] += 1
        filename, content = upload
        data = {key: value if len(value) > 1 else value[0] for key, value in values.items()}
        data |= {field: SimpleUploadedFile(filename, content) for field in file_fields}
        files_before = stored_files()
        with transaction.atomic():
            client.force_login(world["people"][persona])
            before = row_counts()
            response = client.post(url, data)
            where = f"POST {url} ({name}) par {persona} avec {filename!r} ({len(content)} octets : {content[:40]!r})"
            assert response.status_code < 500, where
            assert response.status_code == 200 and refused(response), f"{where} : fichier accepté"
            assert row_counts() == before, f"{where} : des lignes ont changé"
            transaction.set_rollback(True)
        assert stored_files() == files_before, f"{where} : un fichier a été écrit"

    for key in sorted(HOSTILE_FILES):
        post = example(persona=UPLOADERS.get(name, ["conseiller"])[-1], upload=HOSTILE_FILES[key])(post)
    post()


@pytest.mark.django_db
def test_the_upload_fuzz_reaches_every_upload_form(world):
    """Every form with a file field is fuzzed with files, and the party form's own values are valid (so the
    file is what the fuzz's refusals are about)."""
    assert set(world["uploads"]) == UPLOAD_FORMS
    client = Client()
    with transaction.atomic():
        client.force_login(world["people"]["conseiller"])
        values = world["uploads"]["conventions:party_edit"][1]
        data = {key: value if len(value) > 1 else value[0] for key, value in values.items()}
        response = client.post(world["urls"]["conventions:party_edit"], data)
        assert response.status_code == 302, "le formulaire tel qu'affiché est refusé"
        transaction.set_rollback(True)
