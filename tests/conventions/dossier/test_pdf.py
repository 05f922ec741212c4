"""The documents: the convention PDF ready to sign, the fiche-action PDF, their downloads and their cache.

The three demo conventions are loaded and rendered once for the module (a few seconds each); the other tests
build small conventions with the factories.
"""

import datetime
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from conventions.dossier import pdf as conventions_pdf
from conventions.dossier.pdf import render_action_pdf, render_convention_html, render_convention_pdf
from conventions.models import (
    CommitteeMember,
    Convention,
    Meeting,
    Representative,
    SupportedEquipment,
)
from conventions.templatetags.ctg_typo import typo_fr, typo_fr_paragraphs
from jobs.models import Job
from tests.accounts.factories import UserFactory
from tests.actions.factories import ActionSheetFactory, AxisFactory, ObjectiveFactory, OrientationFactory
from tests.conventions.factories import (
    ClauseFactory,
    CommitteeFactory,
    ConventionFactory,
    PartyFactory,
    RepresentativeFactory,
)
from tests.demo import loaded_demo
from tests.evaluation.factories import IndicatorFactory, MeasurementFactory
from tests.pages import whole_convention_page
from tests.territories.factories import CommuneFactory, EquipmentFactory

FIRMINY = "CTG-42-FIRMINY-2022"
SAINT_JEAN = "CTG-45-SAINT-JEAN-DE-LA-RUELLE-2022"
GIER = "CTG-42-PAYS-DU-GIER-P3-2023"
FAKE_PDF = b"%PDF-1.7 rendu factice"


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def content(response) -> bytes:
    """A stored document is streamed from storage (FileResponse)."""
    assert response.status_code == 200, response.status_code
    # Reading it to the end closes it: the test client's wrapper calls close() without the request_finished
    # handler that would close the database connection (a second close() would, on PostgreSQL).
    return b"".join(response.streaming_content)


def page_count(text: str) -> int:
    return text.count("\f")  # pdftotext ends every page with a form feed


def norm(text: str) -> str:
    """Text compared whatever the line breaks and the (non-breaking) spaces around punctuation."""
    text = " ".join(text.split())
    text = re.sub(r"(?<=\w)- (?=\w)", "-", text)  # a compound word cut at the end of a line
    text = re.sub(r" ([:;!?»])", r"\1", text)
    return text.replace("« ", "«")


def page_images(pdf: bytes, directory: Path) -> list[Path]:
    source = directory / "document.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(source), str(directory / "page")], check=True)
    return sorted(directory.glob("page-*.png"))


def dark_pixels_in_body(path: Path) -> int:
    """Pixels of text or rules between the running header and the footer (the pale watermark is not counted)."""
    image = Image.open(path).convert("L")
    width, height = image.size
    body = image.crop((0, int(height * 0.074), width, int(height * 0.93)))  # inside the page margins
    return sum(body.histogram()[:160])


@dataclass
class Rendered:
    convention: Convention
    pdf: bytes
    text: str
    images: list[Path]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """Load the demo once and render each demo convention once for the module; roll everything back after."""
    with loaded_demo(django_db_blocker):
        rendered = {}
        for convention in Convention.objects.select_related("caf", "territory", "edition"):
            pdf = render_convention_pdf(convention=convention)
            images = page_images(pdf, tmp_path_factory.mktemp(convention.reference))
            rendered[convention.reference] = Rendered(convention, pdf, pdf_text(pdf), images)
        yield rendered


@pytest.fixture
def rendered(demo, db):
    return demo


@pytest.fixture
def fake_weasyprint(monkeypatch):
    """Layout is WeasyPrint's business (and seconds): these tests count calls and queries instead."""
    calls = []

    def fake_html_to_pdf(*, html):
        calls.append(html)
        return FAKE_PDF

    monkeypatch.setattr(conventions_pdf, "html_to_pdf", fake_html_to_pdf)
    return calls


def test_demo_pdfs_are_pdfs_with_a_page_per_fiche(rendered):
    assert set(rendered) == {FIRMINY, SAINT_JEAN, GIER}
    for document in rendered.values():
        assert document.pdf.startswith(b"%PDF")
        fiches = document.convention.actions.count()
        # Cover, parties, contents, text, signatures, five annexes, one page per fiche.
        assert fiches + 8 < page_count(document.text) < 3 * fiches + 40, document.convention.reference


def test_demo_pdfs_print_every_party_commune_article_and_fiche(rendered):
    for document in rendered.values():
        convention, text = document.convention, norm(document.text)
        expected = (
            [p.name for p in convention.parties.all()]
            + [r.name for r in Representative.objects.filter(party__convention=convention)]
            + [c.name for c in convention.territory.communes.all()]
            + [c.title for c in convention.clauses.all()]
            + [a.reference for a in convention.actions.all()]
        )
        missing = [item for item in expected if norm(item) not in text]
        assert not missing, f"{convention.reference} : {missing}"


def test_demo_pdfs_have_the_visas_the_signature_place_and_french_numbers(rendered):
    firminy = norm(rendered[FIRMINY].text)
    for document in rendered.values():
        assert "Vu le Code général des collectivités territoriales" in norm(document.text)
    for line in rendered[FIRMINY].convention.visas.splitlines():
        assert norm(line) in firminy
    assert "Fait à Firminy, le 13 décembre 2022" in firminy
    assert "du 1er janvier 2022 au 31 décembre 2026" in firminy
    assert "37 070" in firminy  # thousands separated by a (non-breaking) space
    html = render_convention_html(convention=rendered[FIRMINY].convention)
    assert "en équité\xa0: conciliation" in html  # stored texts get their non-breaking spaces too
    assert "Ci-après dénommées «&nbsp;le regroupement des communes" in html
    for document in rendered.values():
        stranded = [line for line in document.text.splitlines() if line.startswith((":", ";", "!", "?", "»"))]
        assert not stranded, f"{document.convention.reference} : {stranded[:3]}"


def test_demo_pdfs_have_a_table_of_contents_with_page_numbers(rendered):
    text = rendered[SAINT_JEAN].text
    assert "Sommaire" in text
    assert re.search(r"Annexe 3 – Plan d'actions[ .]*\d+", text)


def test_no_page_is_blank(rendered):
    for document in rendered.values():
        assert len(document.images) == page_count(document.text)
        blank = [path.name for path in document.images if dark_pixels_in_body(path) < 30]
        assert not blank, f"{document.convention.reference} : pages blanches {blank}"


def test_draft_watermark_until_signed(rendered):
    gier = rendered[GIER]
    assert not gier.convention.is_signed
    assert gier.text.count("PROJET") >= page_count(gier.text)  # on every page
    assert rendered[FIRMINY].convention.is_signed
    assert "PROJET" not in rendered[FIRMINY].text


def test_signing_removes_the_watermark(db):
    convention = ConventionFactory(status="en_signature", signature_place="Firminy")
    ActionSheetFactory(convention=convention, reference="1.1", title="Créer un lieu d'accueil enfants-parents")
    assert "PROJET" in pdf_text(render_convention_pdf(convention=convention))
    convention.status = "signee"
    convention.signature_date = datetime.date(2022, 12, 13)
    convention.save()
    text = pdf_text(render_convention_pdf(convention=convention))
    assert "PROJET" not in text
    assert "Fait à Firminy, le 13 décembre 2022" in norm(text)


def build_convention(n_actions: int) -> Convention:
    """A convention with a bit of everything the PDF prints, and n fiches."""
    convention = ConventionFactory(reference=f"CTG-42-TEST-{n_actions}")
    convention.territory.communes.add(*CommuneFactory.create_batch(2))
    for _ in range(2):
        RepresentativeFactory(party=PartyFactory(convention=convention))
    ClauseFactory.create_batch(3, convention=convention)
    convention.diagnostic.key_figures.create(label="Habitants", value=37070)
    convention.diagnostic.issues.create(text="Garder les jeunes sur le territoire")
    committee = CommitteeFactory(convention=convention)
    CommitteeMember.objects.create(committee=committee, person="Jeanne Dupont", role="Maire")
    meeting = Meeting.objects.create(committee=committee, date=datetime.date(2024, 3, 1), decisions="Prioriser")
    for commune in convention.territory.communes.all():
        SupportedEquipment.objects.create(convention=convention, equipment=EquipmentFactory(commune=commune))
    orientations = OrientationFactory.create_batch(2, convention=convention)
    for i in range(n_actions):
        objective = ObjectiveFactory(axis=AxisFactory(orientation=orientations[i % 2]))
        action = ActionSheetFactory(convention=convention, place=objective)
        action.target_communes.add(convention.territory.communes.first())
        MeasurementFactory(indicator=IndicatorFactory(convention=convention, action=action))
        meeting.actions.add(action)
    MeasurementFactory(indicator=IndicatorFactory(convention=convention))
    return convention


def test_convention_pdf_queries_do_not_grow_with_the_plan(db, fake_weasyprint):
    """What the job does (conventions/job_kinds.py): read everything printed, in a fixed number of queries."""
    counts = []
    for n_actions in (5, 40):
        convention = build_convention(n_actions)
        with CaptureQueriesContext(connection) as queries:
            render_convention_pdf(convention=convention)
        assert fake_weasyprint[-1].count('<section class="fiche"') == n_actions
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 40, counts


def test_download_is_served_from_the_cache_until_something_printed_changes(db, client, monkeypatch):
    convention = ConventionFactory(reference="CTG-42-CACHE-2024")
    action = ActionSheetFactory(convention=convention, reference="1.1", title="Ouvrir un lieu d'accueil")
    calls = []
    real_html_to_pdf = conventions_pdf.html_to_pdf

    def counting_html_to_pdf(*, html):
        calls.append(html)
        return real_html_to_pdf(html=html)

    monkeypatch.setattr(conventions_pdf, "html_to_pdf", counting_html_to_pdf)
    client.force_login(UserFactory(adviser=True, caf=convention.caf))
    url = reverse("conventions:pdf", args=[convention.pk])
    first = content(client.get(url))  # the tests run jobs at once: the first request gets the file
    second = content(client.get(url))
    assert len(calls) == 1, "le second téléchargement a relancé WeasyPrint"
    assert second == first and first.startswith(b"%PDF")
    assert Job.objects.for_target("convention_pdf", str(convention.pk)).count() == 1

    action.title = "Ouvrir une ludothèque itinérante"
    action.save()
    third = content(client.get(url))
    assert len(calls) == 2
    assert "Ouvrir une ludothèque itinérante" in norm(pdf_text(third))
    assert Job.objects.for_target("convention_pdf", str(convention.pk)).count() == 1  # the old version is replaced


def test_copil_member_downloads_the_convention_named_after_its_reference(client, convention, copil, fake_weasyprint):
    convention.reference = "CTG-42-BELLEVILLE-2024"
    convention.save()
    client.force_login(copil)
    response = client.get(reverse("conventions:pdf", args=[convention.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="CTG-42-BELLEVILLE-2024.pdf"'
    assert content(response) == FAKE_PDF


def test_strangers_get_404_and_a_fiche_of_another_convention_too(client, convention, copil, other_adviser):
    action = ActionSheetFactory(convention=convention)
    elsewhere = ActionSheetFactory()
    client.force_login(other_adviser)
    assert client.get(reverse("conventions:pdf", args=[convention.pk])).status_code == 404
    assert client.get(reverse("conventions:action_pdf", args=[convention.pk, action.pk])).status_code == 404
    client.force_login(copil)
    assert client.get(reverse("conventions:action_pdf", args=[convention.pk, elsewhere.pk])).status_code == 404
    client.logout()
    response = client.get(reverse("conventions:documents", args=[convention.pk]))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_fiche_pdf_holds_the_fiche_its_indicators_and_its_progress(client, convention, copil):
    objective = ObjectiveFactory(axis=AxisFactory(orientation=OrientationFactory(convention=convention)))
    action = ActionSheetFactory(
        convention=convention,
        reference="2.1",
        title="Favoriser l'inclusion des enfants porteurs d'un handicap",
        context="Des demandes particulières : accueil adapté",
        lead="Coordinatrice petite enfance",
        status="en_cours",
        progress=40,
        place=objective,
    )
    MeasurementFactory(indicator=IndicatorFactory(convention=convention, action=action, label="Nombre de PAI"))
    client.force_login(copil)
    response = client.get(reverse("conventions:action_pdf", args=[convention.pk, action.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-fiche-2-1.pdf"')
    text = pdf_text(content(response))
    assert 1 <= page_count(text) <= 2
    for expected in ("2.1", action.title, "Nombre de PAI", "Coordinatrice petite enfance", "En cours", "PROJET"):
        assert norm(expected) in norm(text), expected
    assert "particulières : accueil" in text


def test_the_longest_demo_fiche_fits_in_two_pages(rendered):
    action = rendered[SAINT_JEAN].convention.actions.get(reference="1.21")
    text = pdf_text(render_action_pdf(action=action))
    assert 1 <= page_count(text) <= 2
    assert norm(action.title) in norm(text)


def test_documents_page_links_every_document(client, convention, copil):
    action = ActionSheetFactory(convention=convention, reference="3.2", title="Créer un conseil de jeunes")
    party = PartyFactory(convention=convention, name="Commune de Belleville")
    party.deliberation_document.save("deliberation.pdf", ContentFile(b"%PDF-1.4"))
    client.force_login(copil)
    body = client.get(reverse("conventions:documents", args=[convention.pk])).content.decode()
    assert reverse("conventions:pdf", args=[convention.pk]) in body
    assert reverse("conventions:action_pdf", args=[convention.pk, action.pk]) in body
    assert reverse("conventions:deliberation_download", args=[convention.pk, party.pk]) in body
    assert "Créer un conseil de jeunes" in body
    detail = whole_convention_page(client, convention.pk)
    assert reverse("conventions:pdf", args=[convention.pk]) in detail
    assert reverse("conventions:documents", args=[convention.pk]) in detail


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Note : voir", "Note\xa0: voir"),
        ("Note: voir", "Note\xa0: voir"),
        ("Quoi ? Vraiment !", "Quoi\xa0? Vraiment\xa0!"),
        ("un ; deux", "un\xa0; deux"),
        ("« la Caf »", "«\xa0la Caf\xa0»"),
        ("«la Caf»", "«\xa0la Caf\xa0»"),
        ("à 10:30 le 1/2", "à 10:30 le 1/2"),
        (
            "voir https://ctg.example.fr/a?b=1 et http://x.fr:8000/",
            "voir https://ctg.example.fr/a?b=1 et http://x.fr:8000/",
        ),
        ("Tom & Jerry ; <b>gras</b>", "Tom &amp; Jerry\xa0; &lt;b&gt;gras&lt;/b&gt;"),
        ("Déjà\xa0: bon", "Déjà\xa0: bon"),
        ("33,7 % et 2 ‰, 50%", "33,7\xa0% et 2\xa0‰, 50\xa0%"),
        ("le 1er jour, la 2e fois, 1re année", "le 1<sup>er</sup> jour, la 2<sup>e</sup> fois, 1<sup>re</sup> année"),
        ("CTG-2e, A1er, 10es", "CTG-2<sup>e</sup>, A1er, 10<sup>es</sup>"),
    ],
)
def test_typo_fr_escapes_and_puts_non_breaking_spaces(text, expected):
    assert str(typo_fr(text)) == expected


def test_typo_fr_paragraphs_makes_paragraphs_and_lists():
    html = str(typo_fr_paragraphs("Elle a pour objet :\n- identifier les besoins ;\n- agir\n\nFin <script>"))
    assert html == (
        "<p>Elle a pour objet\xa0:</p>\n<ul><li>identifier les besoins\xa0;</li><li>agir</li></ul>\n"
        "<p>Fin &lt;script&gt;</p>"
    )


# ---------------------------------------------------------------------------------------------------------
# Nothing prints outside the text area (issue 12, item 4): word positions read with `pdftotext -bbox`.

A4_WIDTH_PT = 595.28
SIDE_MARGIN_PT = 18 / 25.4 * 72  # templates/pdf/base.html: @page margin 18 mm left and right
WATERMARK_WORDS = {"PROJET", "D'AVENANT"}


def words_beyond_text_area(pdf: bytes) -> list[tuple[int, str, float, float]]:
    """(page, word, xMin, xMax) of every word that starts before the left margin or ends after the right one."""
    bbox = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    outside, page = [], 0
    left, right = SIDE_MARGIN_PT - 1, A4_WIDTH_PT - SIDE_MARGIN_PT + 1
    for line in bbox.decode().splitlines():
        if "<page " in line:
            page += 1
        match = re.search(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*)</word>', line)
        if match and match.group(3) not in WATERMARK_WORDS:
            x_min, x_max = float(match.group(1)), float(match.group(2))
            if x_min < left or x_max > right:
                outside.append((page, match.group(3), x_min, x_max))
    return outside


def test_no_word_of_the_demo_pdfs_prints_beyond_the_text_area(rendered):
    for reference, document in rendered.items():
        assert words_beyond_text_area(document.pdf) == [], reference


def test_long_text_values_wrap_inside_their_cells(db):
    convention = ConventionFactory()
    long_word = "Anticonstitutionnellement" * 4
    convention.diagnostic.key_figures.create(
        label="Part des familles monoparentales parmi les familles avec enfants de moins de 25 ans",
        value_text="En hausse " + "Anticonstitutionnellement" * 3,  # 100 characters at most (PostgreSQL enforces it)
        source=f"https://www.insee.fr/fr/statistiques/{long_word}",
        comparison="Loire : 24,1 % ; France : 25,3 %",
    )
    action = ActionSheetFactory(convention=convention, reference="1.10", lead=long_word, title="Fiche " + long_word)
    IndicatorFactory(convention=convention, action=action, kind="qualitatif", label="Qualité " + long_word)
    assert words_beyond_text_area(render_convention_pdf(convention=convention)) == []
