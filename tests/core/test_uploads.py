"""Deliberation uploads: read as PDFs; hostile files refused next to the field, nothing stored; size refused
before the body is read; a replaced or removed file deleted once no signatory refers to it."""

import html
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conventions import services
from core.uploads import validate_pdf_upload
from tests.conventions.factories import PartyFactory
from tests.conventions.views.test_editing import party_data
from tests.core.pdfs import hostile_pdfs, plain_pdf

HOSTILE = hostile_pdfs()


def stored_files() -> list[Path]:
    return sorted(p for p in Path(settings.MEDIA_ROOT).glob("deliberations/**/*") if p.is_file())


def add_party(client, convention, content: bytes, name: str = "deliberation.pdf"):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    return client.post(reverse("conventions:party_add", args=[convention.pk]), party_data(deliberation_document=upload))


def test_a_plain_pdf_is_accepted():
    validate_pdf_upload(SimpleUploadedFile("d.pdf", plain_pdf()))


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_a_hostile_pdf_is_refused_next_to_the_field_and_nothing_stored(client, convention, adviser, kind):
    client.force_login(adviser)
    before = stored_files()
    response = add_party(client, convention, HOSTILE[kind])
    assert response.status_code == 200
    errors = response.context["form"].errors["deliberation_document"]
    assert errors and ("PDF" in errors[0]), errors
    assert html.escape(errors[0], quote=True) in response.content.decode() or errors[0] in html.unescape(
        response.content.decode()
    )
    assert not convention.parties.exists()
    assert stored_files() == before


def test_every_hostile_pdf_is_refused():
    refused = 0
    for content in HOSTILE.values():
        try:
            validate_pdf_upload(SimpleUploadedFile("d.pdf", content))
        except Exception:  # noqa: BLE001 — counted, the test above checks the message
            refused += 1
    print(f"\n{refused} PDF hostiles refusés sur {len(HOSTILE)}")
    assert refused == len(HOSTILE) == 8


def test_a_body_over_the_limit_is_refused_before_it_is_read(client, convention, adviser, settings):
    settings.MAX_REQUEST_BODY = 1024 * 1024
    client.force_login(adviser)
    response = add_party(client, convention, plain_pdf() + b"%" + b"0" * (2 * 1024 * 1024))
    assert response.status_code == 413
    assert "dépasse 1 Mo" in response.content.decode()
    assert not convention.parties.exists()


def test_a_replaced_deliberation_is_deleted_once_nothing_refers_to_it(
    client, convention, adviser, django_capture_on_commit_callbacks
):
    client.force_login(adviser)
    with django_capture_on_commit_callbacks(execute=True):
        assert add_party(client, convention, plain_pdf()).status_code == 302
    party = convention.parties.get()
    first = Path(party.deliberation_document.path)
    assert first.exists()
    page = client.get(reverse("conventions:party_edit", args=[convention.pk, party.pk]))
    data = party_data(
        marker=page.context["form"]["marker"].value(),
        deliberation_document=SimpleUploadedFile("nouvelle.pdf", plain_pdf(), content_type="application/pdf"),
        **{"representants-INITIAL_FORMS": "0", "representants-TOTAL_FORMS": "0"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("conventions:party_edit", args=[convention.pk, party.pk]), data)
    assert response.status_code == 302
    party.refresh_from_db()
    assert Path(party.deliberation_document.path).exists()
    assert not first.exists()
    second = Path(party.deliberation_document.path)
    with django_capture_on_commit_callbacks(execute=True):
        services.party_delete(party=party)
    assert not second.exists()


def test_a_file_another_signatory_refers_to_is_kept(convention):
    party = PartyFactory(convention=convention)
    party.deliberation_document.save("commune.pdf", SimpleUploadedFile("commune.pdf", plain_pdf()))
    PartyFactory(convention=convention, deliberation_document=party.deliberation_document.name)
    assert services.deliberation_release(party.deliberation_document.name) is False
    assert Path(party.deliberation_document.path).exists()
