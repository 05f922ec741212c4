"""The convention PDF, and the import of a large Convention JSON file, as background jobs.

The PDF is rendered by a worker and kept in storage while its data is unchanged; a frozen version's PDF/A is
rendered once from the HTML written at signature and stored with the version (conventions/dossier/versions.py).
A Convention JSON file above ``IMPORT_INLINE_MAX_BYTES`` is imported by a job (the exchange package's public entry
points, tout ou rien): its report (the new convention, or the reasons it was refused) is the job's file, shown by
the import page.
"""

import json

from django.core.files.storage import default_storage
from django.urls import reverse

from jobs.kinds import JobError, JobOutput, deposited_file, job_kind, key_in
from jobs.models import Job

from .dossier.amendments import amendment_fingerprint, amendment_pdf_filename, render_amendment_pdf
from .dossier.exchange import ConventionFileError, convention_file_load, convention_import
from .dossier.fingerprint import convention_fingerprint
from .dossier.pdf import convention_pdf_filename, render_convention_pdf
from .dossier.versions import FROZEN_PDF_PARAMS, version_filename, version_freeze_pdf
from .models import Amendment, Convention, ConventionVersion
from .perms import can_create_convention, creatable_cafs


def can_read_convention(user, key: str) -> bool:
    return key_in(Convention.objects.visible_to(user), key)


def convention_pdf_params(key: str) -> dict:
    return {"empreinte": convention_fingerprint(convention_id=int(key))}


@job_kind(
    "convention_pdf",
    label="PDF de la convention",
    can_access=can_read_convention,
    request_label="Produire le PDF",
    params=convention_pdf_params,
)
def convention_pdf(job: Job) -> JobOutput:
    convention = Convention.objects.select_related("caf", "territory", "edition").filter(pk=int(job.key)).first()
    if convention is None:
        raise JobError("La convention a été supprimée entre-temps.")
    return JobOutput(
        content=render_convention_pdf(convention=convention),
        filename=convention_pdf_filename(convention),
        content_type="application/pdf",
    )


def can_read_version(user, key: str) -> bool:
    return key_in(ConventionVersion.objects.filter(convention__in=Convention.objects.visible_to(user)), key)


@job_kind(
    "version_pdf",
    label="PDF/A de la version figée",
    can_access=can_read_version,
    request_label="Produire le PDF",
    params=lambda key: FROZEN_PDF_PARAMS,
)
def version_pdf(job: Job) -> JobOutput:
    """A frozen version's PDF/A: rendered from its source the first time, then the stored bytes (never again)."""
    version = ConventionVersion.objects.select_related("convention", "amendment").filter(pk=int(job.key)).first()
    if version is None:
        raise JobError("Cette version n'existe pas.")
    return JobOutput(
        content=version_freeze_pdf(version=version), filename=version_filename(version), content_type="application/pdf"
    )


def can_read_amendment(user, key: str) -> bool:
    return key_in(Amendment.objects.filter(convention__in=Convention.objects.visible_to(user)), key)


def amendment_pdf_params(key: str) -> dict:
    amendment = Amendment.objects.filter(pk=int(key)).first()
    return {"empreinte": amendment_fingerprint(amendment=amendment)} if amendment else {}


@job_kind(
    "amendment_pdf",
    label="PDF de l'avenant",
    can_access=can_read_amendment,
    request_label="Produire le PDF",
    params=amendment_pdf_params,
)
def amendment_pdf(job: Job) -> JobOutput:
    """The avenant being prepared, « PROJET » on every page (a signed avenant is a frozen version)."""
    amendment = Amendment.objects.select_related("convention__caf").filter(pk=int(job.key)).first()
    if amendment is None:
        raise JobError("Cet avenant n'existe plus.")
    return JobOutput(
        content=render_amendment_pdf(amendment=amendment),
        filename=amendment_pdf_filename(amendment),
        content_type="application/pdf",
    )


def convention_file_import(*, content: bytes, user) -> dict:
    """Import a deposited Convention JSON file for ``user``: {"convention": id, "warnings": […]} or {"errors": […]}.

    The file must name a Caf the user may create conventions for; the import is all or nothing.
    """
    try:
        data = convention_file_load(content)  # too big, too deep, not JSON: refused before reading
        caf = data.get("convention", {}).get("caf") if isinstance(data.get("convention"), dict) else None
        if not creatable_cafs(user).filter(name=caf).exists():
            return {"errors": [f"Vous ne pouvez pas créer de convention pour la Caf « {caf or '(aucune)'} »."]}
        convention, warnings = convention_import(data=data)
    except ConventionFileError as error:
        return {"errors": list(error.messages)}
    return {"convention": convention.pk, "reference": convention.reference, "warnings": warnings}


def can_import_convention(user, key: str) -> bool:
    return key == str(user.pk) and can_create_convention(user)


@job_kind(
    "convention_import",
    label="Import de la convention (JSON)",
    can_access=can_import_convention,
    request_label="Importer",
    result_url=lambda key: reverse("conventions:import_job"),
)
def convention_json_import(job: Job) -> JobOutput:
    params = job.params
    if job.requested_by is None:
        raise JobError("La personne qui a déposé le fichier n'existe plus.")
    content = deposited_file(params)
    try:
        report = convention_file_import(content=content, user=job.requested_by)
    finally:
        default_storage.delete(params["path"])
    report["filename"] = params["filename"]
    return JobOutput(
        content=json.dumps(report, ensure_ascii=False).encode(),
        filename="rapport.json",
        content_type="application/json",
    )
