"""Importing a convention from its Convention JSON file: inline when small, by a job when large; tout ou rien."""

import json

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from conventions.dossier.exchange import convention_export
from conventions.models import Convention
from jobs.models import Job
from tests.actions.factories import ActionSheetFactory

pytestmark = pytest.mark.django_db


def exported(convention, reference="CTG-IMPORTEE-2026") -> bytes:
    data = convention_export(convention=convention)
    data["convention"]["reference"] = reference
    return json.dumps(data).encode()


def upload(client, content: bytes):
    file = SimpleUploadedFile("convention.json", content, content_type="application/json")
    return client.post(reverse("conventions:import"), {"file": file})


def test_a_small_file_is_imported_at_once(client, convention, adviser):
    ActionSheetFactory(convention=convention, reference="1.1", title="Ouvrir un LAEP")
    client.force_login(adviser)
    response = upload(client, exported(convention))
    imported = Convention.objects.get(reference="CTG-IMPORTEE-2026")
    assert response.status_code == 302 and response["Location"] == reverse("conventions:detail", args=[imported.pk])
    assert imported.actions.get().title == "Ouvrir un LAEP"
    assert not Job.objects.exists()


@override_settings(IMPORT_INLINE_MAX_BYTES=0, JOBS_EXECUTION="thread")  # queued, never run (no commit in the test)
def test_a_large_file_is_imported_by_a_job_whose_page_shows_its_state(client, convention, adviser):
    client.force_login(adviser)
    response = upload(client, exported(convention))
    assert response["Location"] == reverse("conventions:import_job")
    body = client.get(reverse("conventions:import_job")).content.decode()
    assert "Import de la convention (JSON)" in body and "en file d'attente" in body
    assert not Convention.objects.filter(reference="CTG-IMPORTEE-2026").exists()


@override_settings(IMPORT_INLINE_MAX_BYTES=0)  # the tests run jobs at once
def test_a_large_file_imported_by_its_job_opens_the_new_convention(client, convention, adviser):
    client.force_login(adviser)
    upload(client, exported(convention))
    path = Job.objects.get(kind="convention_import").params["path"]
    response = client.get(reverse("conventions:import_job"))
    imported = Convention.objects.get(reference="CTG-IMPORTEE-2026")
    assert response["Location"] == reverse("conventions:detail", args=[imported.pk])
    assert not default_storage.exists(path) and not Job.objects.exists()


@pytest.mark.parametrize("large", [False, True])
def test_a_file_of_another_caf_is_refused_with_nothing_created(client, convention, other_adviser, large):
    client.force_login(other_adviser)
    with override_settings(IMPORT_INLINE_MAX_BYTES=0 if large else 10**9):
        response = upload(client, exported(convention))
        if large:
            response = client.get(reverse("conventions:import_job"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "refusé : rien n&#x27;a été enregistré" in body or "refusé : rien n'a été enregistré" in body
    assert f"Vous ne pouvez pas créer de convention pour la Caf « {convention.caf.name} »" in body
    assert not Convention.objects.filter(reference="CTG-IMPORTEE-2026").exists()


def test_a_broken_file_is_refused_in_french(client, adviser):
    client.force_login(adviser)
    body = upload(client, b"{pas du json").content.decode()
    assert "Ce fichier n&#x27;est pas un JSON lisible" in body or "Ce fichier n'est pas un JSON lisible" in body


def test_copil_members_cannot_import(client, convention, copil):
    client.force_login(copil)
    assert upload(client, exported(convention)).status_code == 403
    assert client.get(reverse("conventions:import_job")).status_code == 403
    assert not Convention.objects.filter(reference="CTG-IMPORTEE-2026").exists()
