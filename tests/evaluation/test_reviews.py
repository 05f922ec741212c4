"""Bilans: figures from live data, validation that freezes them, the report PDF and the .xlsx."""

import datetime
import io
import re
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from actions.models import BudgetLine
from conventions.models import Meeting
from evaluation.charts import progress_chart, status_chart
from evaluation.models import Review
from evaluation.services import reviews as services
from tests.actions.factories import ActionSheetFactory, OrientationFactory
from tests.conventions.factories import CommitteeFactory, ConventionFactory
from tests.evaluation.factories import IndicatorFactory, MeasurementFactory
from tests.pages import whole_convention_page

YEAR = 2024


def build_plan(convention) -> dict:
    """Two orientations and a fiche outside them; one late fiche, one indicator half-way, budgets, meetings."""
    first = OrientationFactory(convention=convention, number="1", title="Petite enfance", order=1)
    second = OrientationFactory(convention=convention, number="2", title="Jeunesse", order=2)

    def fiche(reference, orientation, status, due=None, order=0):
        return ActionSheetFactory(
            convention=convention,
            orientation=orientation,
            reference=reference,
            title=f"Fiche {reference}",
            status=status,
            due_date=due,
            order=order,
        )

    late = fiche("1.1", first, "en_cours", datetime.date(2024, 6, 30), 1)
    done = fiche("1.2", first, "realisee", datetime.date(2024, 3, 1), 2)
    fiche("1.3", first, "a_lancer", datetime.date(2025, 6, 30), 3)  # due after the year: not late yet
    fiche("2.1", second, "bloquee", None, 4)
    fiche("G1", None, "en_cours", None, 5)
    indicator = IndicatorFactory(
        convention=convention,
        action=late,
        label="Places en crèche",
        unit="places",
        baseline_value=100,
        baseline_year=2022,
        target_value=200,
        target_year=2026,
        direction="hausse",
    )
    MeasurementFactory(indicator=indicator, year=YEAR, value=150)
    MeasurementFactory(indicator=indicator, year=YEAR, quarter=1, value=120)
    MeasurementFactory(indicator=indicator, year=2023, value=110)
    BudgetLine.objects.create(action=late, year=YEAR, funder="caf", nature="fonctionnement", planned=10000, actual=8000)
    BudgetLine.objects.create(action=done, year=YEAR, funder="caf", nature="fonctionnement", planned=27070, actual=5000)
    BudgetLine.objects.create(action=late, year=YEAR, funder="commune", nature="investissement", planned=20000)
    BudgetLine.objects.create(action=late, year=2023, funder="caf", nature="fonctionnement", planned=99999)
    committee = CommitteeFactory(convention=convention)
    meeting = Meeting.objects.create(
        committee=committee,
        date=datetime.date(2024, 11, 20),
        place="Mairie",
        decisions="Prioriser le CLAS en 2025.",
    )
    meeting.actions.set([late])
    Meeting.objects.create(committee=committee, date=datetime.date(2023, 5, 2), decisions="Décision de 2023")
    return {"late": late, "done": done, "indicator": indicator, "meeting": meeting}


def draft(convention, user, year=YEAR) -> Review:
    return services.review_create(convention=convention, kind="annuel", year=year, user=user)


def url(name, review) -> str:
    return reverse(f"evaluation:{name}", kwargs={"convention_pk": review.convention_id, "review_pk": review.pk})


def pdf_text(data: bytes) -> str:
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return result.stdout.decode()


def page(client, review) -> str:
    """The bilan's page without what changes at every request (CSRF tokens)."""
    html = client.get(url("review_detail", review)).content.decode()
    return re.sub(r'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', r"\1", html)


def xlsx_values(data: bytes) -> dict:
    workbook = load_workbook(io.BytesIO(data))
    return {sheet.title: [_trimmed(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook}


def _trimmed(row) -> list:
    """A row without the empty cells that pad it to the width of the sheet."""
    values = list(row)
    while values and values[-1] is None:
        values.pop()
    return values


# -- figures ------------------------------------------------------------------------------------------------


def test_figures_of_a_small_plan(convention):
    build_plan(convention)
    figures = services.review_figures(convention=convention, year=YEAR)

    statuses = [s["value"] for s in figures["statuses"]]
    assert statuses == ["a_lancer", "en_cours", "realisee", "reportee", "bloquee", "abandonnee"]
    rows = {row["label"]: dict(zip(statuses, row["counts"], strict=True)) for row in figures["orientations"]}
    assert list(rows) == ["1. Petite enfance", "2. Jeunesse", "Hors orientation"]
    assert rows["1. Petite enfance"] == {**dict.fromkeys(statuses, 0), "a_lancer": 1, "en_cours": 1, "realisee": 1}
    assert rows["2. Jeunesse"] == {**dict.fromkeys(statuses, 0), "bloquee": 1}
    assert rows["Hors orientation"] == {**dict.fromkeys(statuses, 0), "en_cours": 1}
    assert figures["status_totals"] == [1, 2, 1, 0, 1, 0]
    assert figures["action_count"] == 5

    assert figures["as_of"] == "2024-12-31"
    assert [a["reference"] for a in figures["late_actions"]] == ["1.1"]
    assert figures["late_actions"][0]["days_late"] == 184
    assert [row["late"] for row in figures["orientations"]] == [1, 0, 0]

    (indicator,) = figures["indicators"]
    assert indicator["value"] == "150.00"
    assert indicator["progress"] == 50
    assert indicator["direction_respected"] is True
    assert indicator["quarters"] == [{"quarter": 1, "value": "120.00", "text": ""}]

    budget = figures["budget"]
    assert [(r["funder"], r["nature"], r["planned"], r["actual"]) for r in budget["rows"]] == [
        ("caf", "fonctionnement", "37070.00", "13000.00"),
        ("commune", "investissement", "20000.00", "0.00"),
    ]
    assert budget["total"]["planned"] == "57070.00"
    assert budget["total"]["actual"] == "13000.00"
    assert len(budget["lines"]) == 3

    (meeting,) = figures["meetings"]
    assert meeting["date"] == "2024-11-20"
    assert meeting["decisions"] == "Prioriser le CLAS en 2025."
    assert meeting["actions"] == [{"reference": "1.1", "title": "Fiche 1.1"}]


@pytest.mark.parametrize(
    ("direction", "value", "baseline", "target", "progress", "respected"),
    [
        ("hausse", 150, 100, 200, 50, True),
        ("hausse", 100, 100, 200, 0, False),
        ("baisse", 15, 20, 10, 50, True),
        ("baisse", 25, 20, 10, -50, False),
        ("maintien", 1, None, 1, 100, True),
        ("", 250, 100, 200, 150, True),  # no direction set: read from the reference value and the target
        ("hausse", None, 100, 200, None, None),
    ],
)
def test_indicator_progress_and_direction(direction, value, baseline, target, progress, respected):
    value, baseline, target = (None if v is None else Decimal(v) for v in (value, baseline, target))
    assert services.indicator_progress(value=value, baseline=baseline, target=target) == progress
    expected = services.indicator_direction(direction=direction, baseline=baseline, target=target)
    assert services.direction_respected(direction=expected, value=value, baseline=baseline, target=target) is respected


def test_figures_are_json_ready(convention):
    import json

    build_plan(convention)
    figures = services.review_figures(convention=convention, year=YEAR)
    assert json.loads(json.dumps(figures)) == figures


def big_plan(convention, size: int) -> None:
    orientations = [OrientationFactory(convention=convention, order=i) for i in range(3)]
    committee = CommitteeFactory(convention=convention)
    meeting = Meeting.objects.create(committee=committee, date=datetime.date(YEAR, 6, 1), decisions="D")
    for n in range(size):
        action = ActionSheetFactory(
            convention=convention,
            orientation=orientations[n % 3] if n % 4 else None,
            due_date=datetime.date(2024, 1, 1) if n % 2 else None,
            status="en_cours",
        )
        indicator = IndicatorFactory(convention=convention, action=action, baseline_value=0, target_value=10)
        MeasurementFactory(indicator=indicator, year=YEAR, value=n % 10)
        MeasurementFactory(indicator=indicator, year=YEAR, quarter=2, value=1)
        BudgetLine.objects.create(action=action, year=YEAR, funder="caf", planned=100, actual=50)
        meeting.actions.add(action)


def test_query_count_does_not_grow_with_the_plan(client, adviser):
    counts = {}
    for plan_size in (5, 40):
        convention = ConventionFactory(caf=adviser.caf)
        big_plan(convention, plan_size)
        review = draft(convention, adviser)
        with CaptureQueriesContext(connection) as figures_queries:
            services.review_figures(convention=convention, year=YEAR)
        client.force_login(adviser)
        with CaptureQueriesContext(connection) as page_queries:
            response = client.get(url("review_detail", review))
        assert response.status_code == 200
        counts[plan_size] = (len(figures_queries), len(page_queries))
    assert counts[5] == counts[40]
    assert counts[5][0] == 8


# -- lifecycle ----------------------------------------------------------------------------------------------


def test_create_numbers_versions_and_refuses_a_second_draft(convention, adviser):
    first = draft(convention, adviser)
    assert (first.version, first.status) == (1, "brouillon")
    with pytest.raises(ValidationError, match="déjà en préparation"):
        draft(convention, adviser)
    services.review_validate(review=first, user=adviser)
    second = draft(convention, adviser)
    assert second.version == 2
    with pytest.raises(ValidationError, match="comprise entre 2022 et 2026"):
        draft(convention, adviser, year=2030)


def test_create_view(client, convention, cooperation):
    client.force_login(cooperation)
    response = client.get(reverse("evaluation:review_create", args=[convention.pk]))
    assert response.status_code == 200
    assert "Préparer un bilan" in response.content.decode()
    response = client.post(reverse("evaluation:review_create", args=[convention.pk]), {"kind": "annuel", "year": YEAR})
    review = Review.objects.get(convention=convention)
    assert response.status_code == 302
    assert response["Location"] == url("review_detail", review)
    response = client.post(reverse("evaluation:review_create", args=[convention.pk]), {"kind": "annuel", "year": YEAR})
    assert response.status_code == 200
    assert "est déjà en préparation" in response.content.decode()
    assert Review.objects.filter(convention=convention).count() == 1


def test_edit_a_draft(client, convention, cooperation):
    plan = build_plan(convention)
    review = draft(convention, cooperation)
    client.force_login(cooperation)
    response = client.post(
        url("review_edit", review),
        {"summary": "Une année riche.", "decisions": "Continuer.", "meeting": plan["meeting"].pk},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.summary, review.decisions, review.meeting) == ("Une année riche.", "Continuer.", plan["meeting"])


def test_edit_refuses_a_meeting_of_another_convention(client, convention, cooperation):
    review = draft(convention, cooperation)
    elsewhere = Meeting.objects.create(committee=CommitteeFactory(), date=datetime.date(2024, 1, 1))
    client.force_login(cooperation)
    response = client.post(url("review_edit", review), {"summary": "Piraté", "decisions": "", "meeting": elsewhere.pk})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    review.refresh_from_db()
    assert (review.summary, review.meeting) == ("", None)


def test_validation_freezes_page_pdf_and_xlsx(client, convention, cooperation, copil):
    plan = build_plan(convention)
    review = draft(convention, cooperation)
    services.review_update(review=review, summary="Synthèse 2024", decisions="Décision A", meeting=plan["meeting"])
    client.force_login(cooperation)
    response = client.get(url("review_validate", review))
    assert "Valider et figer le bilan" in response.content.decode()
    response = client.post(url("review_validate", review))
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == "valide"
    assert review.validated_by == cooperation
    assert review.validated_at is not None
    assert review.snapshot["review"]["summary"] == "Synthèse 2024"
    assert review.pdf.name.endswith(".pdf")

    client.force_login(copil)
    client.get(url("review_detail", review))  # shows, and so clears, the « validé » message
    page_before = page(client, review)
    pdf_before = b"".join(client.get(url("review_pdf", review)).streaming_content)
    xlsx_before = xlsx_values(client.get(url("review_xlsx", review)).content)
    text = pdf_text(pdf_before)
    assert "Bilan annuel 2024" in text
    assert "Synthèse 2024" in text
    assert "Fiche 1.1" in text  # the late fiche
    assert "50 %" in text
    assert "37 070" in text or "37\u00a0070" in text
    assert "PROJET" not in text

    # The plan moves on after the COPIL: the bilan does not.
    plan["late"].status = "realisee"
    plan["late"].save()
    ActionSheetFactory(convention=convention, reference="9.9", status="bloquee")
    plan["indicator"].measurements.filter(quarter__isnull=True, year=YEAR).update(value=190)
    BudgetLine.objects.filter(action__convention=convention).update(actual=1)
    plan["meeting"].decisions = "Réécrit après coup"
    plan["meeting"].save()
    Review.objects.filter(pk=review.pk).update(summary="Réécrit")  # even behind the services' back

    assert page(client, review) == page_before
    pdf_after = b"".join(client.get(url("review_pdf", review)).streaming_content)
    assert pdf_after == pdf_before
    assert pdf_text(pdf_after) == text
    assert xlsx_values(client.get(url("review_xlsx", review)).content) == xlsx_before
    assert services.review_figures(convention=convention, year=YEAR)["late_count"] == 0  # live figures did change


def test_validated_bilan_cannot_be_edited(client, convention, cooperation):
    review = draft(convention, cooperation)
    services.review_update(review=review, summary="Figée", decisions="", meeting=None)
    services.review_validate(review=review, user=cooperation)
    with pytest.raises(ValidationError, match="Ce bilan est validé"):
        services.review_update(review=review, summary="Changée", decisions="", meeting=None)
    with pytest.raises(ValidationError, match="Ce bilan est validé"):
        services.review_validate(review=review, user=cooperation)

    client.force_login(cooperation)
    response = client.post(url("review_edit", review), {"summary": "Changée", "decisions": "X"}, follow=True)
    assert "Ce bilan est validé : il ne change plus" in response.content.decode()
    review.refresh_from_db()
    assert (review.summary, review.decisions) == ("Figée", "")
    assert review.snapshot["review"]["summary"] == "Figée"


def test_new_version(client, convention, cooperation):
    review = draft(convention, cooperation)
    services.review_update(review=review, summary="Version 1", decisions="", meeting=None)
    services.review_validate(review=review, user=cooperation)
    client.force_login(cooperation)
    assert "Nouvelle version" in client.get(url("review_detail", review)).content.decode()
    response = client.post(url("review_new_version", review))
    new = Review.objects.get(convention=convention, version=2)
    assert response["Location"] == url("review_detail", new)
    assert (new.status, new.summary, new.year, new.kind) == ("brouillon", "Version 1", YEAR, "annuel")
    assert new.snapshot is None and not new.pdf
    response = client.post(url("review_new_version", review), follow=True)
    assert "déjà en préparation" in response.content.decode()
    assert Review.objects.filter(convention=convention).count() == 2
    with pytest.raises(ValidationError):
        services.review_new_version(review=new, user=cooperation)


# -- reading and downloading --------------------------------------------------------------------------------


def test_draft_page_and_pdf_are_live_and_marked(client, convention, adviser):
    plan = build_plan(convention)
    review = draft(convention, adviser)
    client.force_login(adviser)
    html = client.get(url("review_detail", review)).content.decode()
    assert "Bilan en préparation" in html
    assert 'class="bar"' in html  # the chart is on the page
    assert "Petite enfance" in html
    response = client.get(url("review_pdf", review))  # the tests run jobs at once: the file comes straight away
    pdf = b"".join(response.streaming_content)
    assert pdf.startswith(b"%PDF")
    assert "PROJET" in pdf_text(pdf)
    plan["late"].status = "realisee"
    plan["late"].save()
    assert "Aucune fiche-action en retard" in client.get(url("review_detail", review)).content.decode()


def test_copil_member_downloads_their_bilans_only(client, convention, copil, adviser):
    build_plan(convention)
    review = draft(convention, adviser)
    services.review_validate(review=review, user=adviser)
    other = ConventionFactory()
    others = draft(other, adviser)
    client.force_login(copil)
    response = client.get(url("review_pdf", review))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(url("review_xlsx", review)).status_code == 200
    assert client.get(reverse("evaluation:reviews", args=[convention.pk])).status_code == 200
    assert client.get(url("review_pdf", others)).status_code == 404
    # The review of another convention under this convention's URL: 404 too.
    wrong = reverse("evaluation:review_pdf", kwargs={"convention_pk": convention.pk, "review_pk": others.pk})
    assert client.get(wrong).status_code == 404


def test_copil_member_cannot_prepare_a_bilan(client, convention, copil, adviser):
    review = draft(convention, adviser)
    client.force_login(copil)
    assert (
        client.post(
            reverse("evaluation:review_create", args=[convention.pk]), {"kind": "annuel", "year": 2023}
        ).status_code
        == 403
    )
    assert client.post(url("review_edit", review), {"summary": "X"}).status_code == 403
    assert client.post(url("review_validate", review)).status_code == 403
    html = client.get(url("review_detail", review)).content.decode()
    assert "Valider le bilan" not in html and "<textarea" not in html
    review.refresh_from_db()
    assert (review.status, review.summary) == ("brouillon", "")
    assert Review.objects.filter(convention=convention).count() == 1


def test_stranger_gets_404(client, convention, other_adviser, adviser):
    review = draft(convention, adviser)
    client.force_login(other_adviser)
    for name in ("review_detail", "review_pdf", "review_xlsx"):
        assert client.get(url(name, review)).status_code == 404


def test_xlsx_reads_back(client, convention, adviser):
    build_plan(convention)
    review = draft(convention, adviser)
    client.force_login(adviser)
    response = client.get(url("review_xlsx", review))
    assert response["Content-Disposition"].startswith("attachment")
    sheets = xlsx_values(response.content)
    assert list(sheets) == ["Synthèse", "Fiches", "Indicateurs", "Budget", "Réunions"]
    summary = sheets["Synthèse"]
    assert ["Année", YEAR] in summary
    assert ["1. Petite enfance", 1, 1, 1, 0, 0, 0, 3, 1] in summary
    assert ["Hors orientation", 0, 1, 0, 0, 0, 0, 1, 0] in summary
    fiches = {row[0]: row for row in sheets["Fiches"][1:]}
    assert fiches["1.1"][5] == datetime.datetime(2024, 6, 30)
    assert fiches["1.1"][6] == "Oui"
    indicator = sheets["Indicateurs"][1]
    assert indicator[1] == "Places en crèche"
    assert (indicator[8], indicator[10], indicator[14], indicator[15]) == (150, 120, 50, "Oui")
    assert ["Total", None, 57070, 13000, 23] in sheets["Budget"]
    (meeting,) = sheets["Réunions"][1:]
    assert meeting[0] == datetime.datetime(2024, 11, 20)
    assert meeting[5] == "1.1"


def test_documents_section_lists_validated_bilans(client, convention, adviser):
    validated = draft(convention, adviser)
    services.review_validate(review=validated, user=adviser)
    pending = draft(convention, adviser, year=2023)
    client.force_login(adviser)
    html = whole_convention_page(client, convention.pk)
    documents = html[html.index('id="documents"') :]
    assert url("review_pdf", validated) in documents
    assert url("review_xlsx", validated) in documents
    assert url("review_pdf", pending) not in documents
    assert reverse("evaluation:reviews", args=[convention.pk]) in html


def test_review_list(client, convention, cooperation, copil):
    review = draft(convention, cooperation)
    client.force_login(cooperation)
    html = client.get(reverse("evaluation:reviews", args=[convention.pk])).content.decode()
    assert url("review_detail", review) in html
    assert "Préparer un bilan" in html
    client.force_login(copil)
    assert "Préparer un bilan" not in client.get(reverse("evaluation:reviews", args=[convention.pk])).content.decode()


def test_pdf_of_a_validated_bilan_imported_without_its_file(client, convention, adviser):
    review = draft(convention, adviser)
    services.review_validate(review=review, user=adviser)
    snapshot = Review.objects.get(pk=review.pk).snapshot
    copy = Review.objects.create(convention=convention, kind="final", year=YEAR, status="valide", snapshot=snapshot)
    client.force_login(adviser)
    response = client.get(url("review_pdf", copy))
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    copy.refresh_from_db()
    assert copy.pdf  # rendered from its snapshot once, then frozen like any validated bilan
    bare = Review.objects.create(convention=convention, kind="intermediaire", year=YEAR, status="valide")
    assert "ne sont pas disponibles" in client.get(url("review_detail", bare)).content.decode()


# -- charts -------------------------------------------------------------------------------------------------


def test_status_chart_has_one_bar_per_orientation_and_a_title():
    statuses = [{"value": "a_lancer", "label": "À lancer"}, {"value": "en_cours", "label": "En cours"}]
    rows = [
        {"label": "1. Petite enfance", "counts": [2, 3], "total": 5},
        {"label": "2. Jeunesse", "counts": [0, 1], "total": 1},
        {"label": "Hors orientation", "counts": [0, 0], "total": 0},
    ]
    both = status_chart(name="g", title="Fiches par statut", statuses=statuses, rows=rows)
    assert both.count("<svg") == 2  # the page's drawing and the phone's
    svg, narrow = both.split("</svg>")[:2]
    svg += "</svg>"
    assert svg.startswith("<svg") and "ctg-chart-wide" in svg and "ctg-chart-narrow" in narrow
    assert 'id="g-etroit-titre"' in narrow and 'font-size="13"' in narrow and 'width="280"' in narrow
    assert svg.count('<g class="bar">') == 3
    assert '<title id="g-titre">Fiches par statut</title>' in svg
    assert svg.count('class="segment"') == 3  # zero counts draw nothing
    assert "1. Petite enfance : 2 à lancer, 3 en cours" in svg
    assert "<script" not in svg and "http://www.w3.org/2000/svg" in svg


def test_progress_chart_caps_the_bar_and_formats_in_french():
    svg = progress_chart(
        name="p", title="Indicateurs", rows=[{"label": "A", "progress": 1250}, {"label": "B & C", "progress": None}]
    ).split("</svg>")[0]
    assert svg.count('<g class="bar">') == 2
    assert "1\u00a0250 %" in svg
    assert "B &amp; C : non mesuré" in svg
    assert 'width="582.0"' in svg and 'x1="582"' in svg  # capped at the target line


def test_documents_section_without_validated_bilans(client, convention, adviser):
    client.force_login(adviser)
    html = whole_convention_page(client, convention.pk)
    assert "Aucun bilan validé pour le moment" in html
    draft(convention, adviser)
    html = whole_convention_page(client, convention.pk)
    assert "Aucun bilan validé pour le moment" in html
