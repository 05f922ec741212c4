"""The PDF of one fiche-action as a background job, produced again only when its convention's data changes."""

from conventions.dossier.fingerprint import convention_fingerprint
from conventions.dossier.pdf import action_pdf_filename, render_action_pdf
from conventions.models import Convention
from jobs.kinds import JobError, JobOutput, job_kind, key_in
from jobs.models import Job

from .models import ActionSheet


def can_read_action(user, key: str) -> bool:
    return key_in(ActionSheet.objects.filter(convention__in=Convention.objects.visible_to(user)), key)


def action_pdf_params(key: str) -> dict:
    convention_id = ActionSheet.objects.filter(pk=int(key)).values_list("convention_id", flat=True).first()
    return {"empreinte": convention_fingerprint(convention_id=convention_id) if convention_id else ""}


@job_kind(
    "action_pdf",
    label="PDF de la fiche-action",
    can_access=can_read_action,
    request_label="Produire le PDF",
    params=action_pdf_params,
)
def action_pdf(job: Job) -> JobOutput:
    action = ActionSheet.objects.select_related("convention").filter(pk=int(job.key)).first()
    if action is None:
        raise JobError("La fiche-action a été supprimée entre-temps.")
    return JobOutput(
        content=render_action_pdf(action=action),
        filename=action_pdf_filename(action=action),
        content_type="application/pdf",
    )
