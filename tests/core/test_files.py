"""A database restored without its files: a French 404 page for each missing file, never a 500, and
`manage.py check_files` lists them."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from evaluation.models import Review
from tests.conventions.factories import PartyFactory
from tests.core.pdfs import plain_pdf


@pytest.fixture
def lost(convention):
    """A deliberation and a validated bilan's frozen PDF whose files the storage lost."""
    party = PartyFactory(convention=convention)
    party.deliberation_document.save("perdue.pdf", ContentFile(plain_pdf()))
    review = Review.objects.create(convention=convention, year=2024, status="valide", snapshot={})
    review.pdf.save("bilan-perdu.pdf", ContentFile(plain_pdf()))
    kept = PartyFactory(convention=convention)
    kept.deliberation_document.save("gardee.pdf", ContentFile(plain_pdf()))
    for field_file in (party.deliberation_document, review.pdf):
        Path(field_file.path).unlink()
    return {"party": party, "review": review, "kept": kept}


def test_a_missing_file_is_a_french_404_page(client, convention, copil, lost):
    client.force_login(copil)
    for address in (
        reverse("conventions:deliberation_download", args=[convention.pk, lost["party"].pk]),
        reverse("evaluation:review_pdf", kwargs={"convention_pk": convention.pk, "review_pk": lost["review"].pk}),
    ):
        response = client.get(address)
        assert response.status_code == 404, address
        page = response.content.decode()
        assert "Fichier introuvable" in page and "check_files" in page
    kept = client.get(reverse("conventions:deliberation_download", args=[convention.pk, lost["kept"].pk]))
    assert kept.status_code == 200
    assert b"".join(kept.streaming_content).startswith(b"%PDF-")
    kept.close()


def test_check_files_lists_the_missing_files(lost, capsys):
    with pytest.raises(CommandError, match=r"2 fichier\(s\) manquant\(s\) sur 3"):
        call_command("check_files")
    out = capsys.readouterr().out
    assert lost["party"].deliberation_document.name in out
    assert lost["review"].pdf.name in out
    assert lost["kept"].deliberation_document.name not in out


def test_check_files_is_quiet_when_everything_is_there(convention, capsys):
    PartyFactory(convention=convention).deliberation_document.save("la.pdf", ContentFile(plain_pdf()))
    call_command("check_files")
    assert "sont tous présents" in capsys.readouterr().out
