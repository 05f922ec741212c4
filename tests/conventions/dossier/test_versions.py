"""Frozen versions (issue 11): signing freezes the PDF/A of what was agreed, served byte for byte forever after."""

import datetime
import hashlib
import io
import subprocess

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError
from django.test import RequestFactory
from django.urls import reverse
from pypdf import PdfReader, PdfWriter

from actions.models import ActionSheet
from conventions.dossier.exchange import convention_export, convention_import
from conventions.dossier.versions import latest_signed_document
from conventions.enums import ConventionStatus, VersionKind
from conventions.lifecycle import TransitionRefused, convention_transition
from conventions.models import Convention, ConventionVersion, Meeting
from tests.accounts.factories import UserFactory
from tests.actions.factories import ActionSheetFactory
from tests.conventions.factories import (
    ClauseFactory,
    CommitteeFactory,
    ConventionFactory,
    PartyFactory,
    RepresentativeFactory,
)
from tests.core.pdfs import plain_pdf
from tests.evaluation.factories import IndicatorFactory, MeasurementFactory

pytestmark = pytest.mark.django_db

SIGNED_ON = datetime.date(2022, 12, 13)


def pdf_text(pdf: bytes) -> str:
    return " ".join(
        subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode().split()
    )


def body(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def two_page_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def ready_convention(*, with_deliberation: bytes | None = None) -> Convention:
    """A convention in signature: an article, a Caf and a commune with their representatives, a fiche with an
    indicator (what the signature guards ask for)."""
    convention = ConventionFactory(status=ConventionStatus.IN_SIGNATURE, title="CTG de Belleville")
    ClauseFactory(convention=convention, number="1", title="Objet de la convention", order=1)
    caf = PartyFactory(convention=convention, kind="caf", name="Caf de Belleville", deliberation_date=None, order=1)
    RepresentativeFactory(party=caf, name="Marie DIRECTRICE", title="Directrice")
    commune = PartyFactory(
        convention=convention,
        name="Commune de Belleville",
        deliberation_body="conseil municipal",
        deliberation_date=datetime.date(2022, 12, 5),
        order=2,
    )
    RepresentativeFactory(party=commune, name="Jean MAIRE", title="Maire")
    if with_deliberation:
        commune.deliberation_document.save("deliberation.pdf", ContentFile(with_deliberation))
    action = ActionSheetFactory(convention=convention, reference="1.1", title="Créer un lieu d'accueil")
    IndicatorFactory(
        convention=convention, action=action, label="Familles accueillies", baseline_value=10, target_value=40
    )
    return convention


def sign(convention: Convention, user=None) -> ConventionVersion:
    convention_transition(
        convention=convention,
        target=ConventionStatus.SIGNED,
        signature_date=SIGNED_ON,
        signature_place="Belleville",
        user=user,
    )
    return ConventionVersion.objects.get(convention=convention, kind=VersionKind.SIGNED)


def test_signing_freezes_version_1_and_later_changes_never_reach_its_bytes(client):
    convention = ready_convention()
    adviser = UserFactory(adviser=True, caf=convention.caf)
    version = sign(convention, adviser)
    assert version.number == 1 and version.created_by == adviser and version.signed_at == "Belleville"
    assert version.pdf and version.sha256 == hashlib.sha256(version.pdf.read()).hexdigest()
    version.pdf.close()
    assert version.snapshot["convention"]["reference"] == convention.reference
    client.force_login(adviser)
    url = reverse("conventions:pdf", args=[convention.pk])
    served = body(client.get(url))
    assert hashlib.sha256(served).hexdigest() == version.sha256
    text = pdf_text(served)
    assert "Familles accueillies" in text and "Fait à Belleville, le 13 décembre 2022" in text

    # After signature: values measured, a meeting held, statuses moved, the signatories' data changed.
    indicator = convention.indicators.get()
    MeasurementFactory(indicator=indicator, year=2024, value=136)
    meeting = Meeting.objects.create(
        committee=CommitteeFactory(convention=convention), date=datetime.date(2023, 6, 1), place="Mairie annexe"
    )
    ActionSheet.objects.filter(convention=convention).update(status="realisee", progress=100)
    convention.parties.filter(kind="commune").update(name="Commune nouvelle de Belleville")
    assert body(client.get(url)) == served
    assert body(client.get(reverse("conventions:version_pdf", args=[convention.pk, 1]))) == served
    version.refresh_from_db()
    assert version.sha256 == hashlib.sha256(served).hexdigest()
    assert "136" not in text and meeting.place not in text


def test_the_document_at_signature_prints_no_value_and_no_later_meeting():
    convention = ready_convention()
    MeasurementFactory(indicator=convention.indicators.get(), year=2021, value=777)
    committee = CommitteeFactory(convention=convention, name="COPIL")
    Meeting.objects.create(committee=committee, date=datetime.date(2022, 11, 2), place="Salle avant signature")
    Meeting.objects.create(committee=committee, date=datetime.date(2023, 3, 9), place="Salle après signature")
    version = sign(convention)
    text = pdf_text(version.pdf.read())
    version.pdf.close()
    assert "777" not in text  # a value, even of a year before: annex 5 defines, the bilans measure
    assert "Salle avant signature" in text and "Salle après signature" not in text


def test_signing_twice_is_refused_and_the_version_stays():
    convention = ready_convention()
    version = sign(convention)
    convention.refresh_from_db()
    with pytest.raises(TransitionRefused):
        sign(convention)
    assert list(ConventionVersion.objects.filter(convention=convention)) == [version]


def test_the_draft_is_rendered_until_signed(client):
    convention = ready_convention()
    adviser = UserFactory(adviser=True, caf=convention.caf)
    client.force_login(adviser)
    assert latest_signed_document(convention) is None
    draft = body(client.get(reverse("conventions:pdf", args=[convention.pk])))
    assert "PROJET" in pdf_text(draft)
    assert not ConventionVersion.objects.exists()


def test_frozen_documents_are_pdf_a_3b_with_title_language_author_and_date():
    version = sign(ready_convention())
    reader = PdfReader(version.pdf.open("rb"))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    assert reader.metadata.title == "CTG de Belleville"
    assert reader.metadata.author == version.convention.caf.name
    assert reader.metadata["/CreationDate"].startswith("D:20221213")
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    version.pdf.close()


def test_annex_6_appends_the_deliberations_pages_after_a_cover_listing_them():
    convention = ready_convention(with_deliberation=two_page_pdf())
    PartyFactory(convention=convention, name="Commune de Villebasse", deliberation_body="conseil municipal", order=3)
    version = sign_allowing_missing(convention)
    reader = PdfReader(version.pdf.open("rb"))
    pages = [page.extract_text() or "" for page in reader.pages]
    cover = next(
        i for i, text in enumerate(pages) if "Annexe 6 – Délibérations des parties" in text and "joindre" in text
    )
    assert len(reader.pages) - cover - 1 == 2  # the deliberation's two pages follow its cover, nothing else
    cover_text = " ".join(pages[cover].split())
    assert "Commune de Belleville – conseil municipal du 5 décembre 2022" in cover_text
    assert "Commune de Villebasse – conseil municipal" in cover_text and "à joindre" in cover_text
    version.pdf.close()


def sign_allowing_missing(convention: Convention) -> ConventionVersion:
    """Sign even though a party lacks its deliberation date (the annex 6 test needs one missing PDF)."""
    convention.parties.filter(deliberation_date=None).exclude(kind="caf").update(deliberation_date=SIGNED_ON)
    for party in convention.parties.filter(representatives=None):
        RepresentativeFactory(party=party, name="Paul ÉLU", title="Maire")
    return sign(convention)


def test_the_scanned_signed_original_is_an_exhibit_kept_once(client):
    convention = ready_convention()
    adviser = UserFactory(adviser=True, caf=convention.caf)
    version = sign(convention, adviser)
    client.force_login(adviser)
    url = reverse("conventions:version_scan_upload", args=[convention.pk, version.number])
    not_pdf = SimpleUploadedFile("scan.pdf", b"bonjour", content_type="application/pdf")
    client.post(url, {"scan": not_pdf})
    version.refresh_from_db()
    assert not version.scan
    client.post(url, {"scan": SimpleUploadedFile("scan.pdf", plain_pdf(), content_type="application/pdf")})
    version.refresh_from_db()
    sha, scan = version.sha256, version.scan.name
    assert scan and version.scan_sha256 == hashlib.sha256(plain_pdf()).hexdigest()
    response = client.post(url, {"scan": SimpleUploadedFile("autre.pdf", two_page_pdf())}, follow=True)
    assert "déjà déposé" in response.content.decode()
    version.refresh_from_db()
    assert version.scan.name == scan and version.sha256 == sha  # the frozen PDF is not replaced either
    assert body(client.get(reverse("conventions:version_scan", args=[convention.pk, 1]))) == plain_pdf()


def test_nothing_frozen_is_editable_or_deletable():
    convention = ready_convention()
    version = sign(convention)
    admin_user = UserFactory(administrator=True)
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    model_admin = site._registry[ConventionVersion]
    assert model_admin.has_view_permission(request, version)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, version)
    assert not model_admin.has_delete_permission(request, version)
    with pytest.raises(ProtectedError):
        Convention.objects.filter(pk=convention.pk).delete()
    # The JSON import makes a new convention: it neither carries nor touches the frozen versions.
    data = convention_export(convention=convention)
    data["convention"]["reference"] += "-copie"
    copy, _ = convention_import(data=data)
    assert not copy.versions.exists() and ConventionVersion.objects.get() == version


def test_a_version_is_full_cleaned_unique_per_convention():
    version = sign(ready_convention())
    duplicate = ConventionVersion(
        convention=version.convention, number=2, kind=VersionKind.SIGNED, signed_on=SIGNED_ON, snapshot={}, source="x"
    )
    with pytest.raises(ValidationError, match="déjà figée"):
        duplicate.full_clean()


def test_strangers_get_404_for_versions(client):
    version = sign(ready_convention())
    client.force_login(UserFactory(adviser=True))
    for name in ("versions", "pdf"):
        assert client.get(reverse(f"conventions:{name}", args=[version.convention_id])).status_code == 404
    for name in ("version_pdf", "version_scan"):
        assert client.get(reverse(f"conventions:{name}", args=[version.convention_id, 1])).status_code == 404
