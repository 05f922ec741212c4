"""The convention PDF as a background job: rendered by a worker, kept in storage while its data is unchanged."""

from jobs.kinds import JobError, JobOutput, job_kind
from jobs.models import Job

from .dossier.fingerprint import convention_fingerprint
from .dossier.pdf import convention_pdf_filename, render_convention_pdf
from .models import Convention


def can_read_convention(user, key: str) -> bool:
    return key.isdigit() and Convention.objects.visible_to(user).filter(pk=int(key)).exists()


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
