"""The PDF of a bilan, and the tableau de suivi import of a large file, as background jobs.

A draft's PDF shows the live figures: it is produced again when the convention's data, the bilan's text or the
date it looks at changes. A validated bilan's PDF is frozen: rendered once from its snapshot and stored in
``Review.pdf`` (``review_freeze_pdf``), then served as stored without any job.

A tableau de suivi above ``IMPORT_INLINE_MAX_BYTES`` is checked (preview) and then written (confirmation) by
``tracking_import`` jobs calling the importer's public entry point; the job's file is the report, as JSON, that the
import page shows (evaluation/views/tracking.py).
"""

import json

from django.core.files.storage import default_storage
from django.db.models import Max
from django.urls import reverse

from conventions.dossier.fingerprint import convention_fingerprint
from conventions.models import Convention
from conventions.perms import can_follow_up
from jobs.kinds import JobError, JobOutput, deposited_file, job_kind, key_in
from jobs.models import Job

from . import tracking
from .enums import ReviewStatus
from .models import Review
from .pdf import render_review_pdf
from .perms import tracking_scope
from .services import reviews as services


def can_read_review(user, key: str) -> bool:
    return key_in(Review.objects.filter(convention__in=Convention.objects.visible_to(user)), key)


def review_pdf_params(key: str) -> dict:
    review = Review.objects.filter(pk=int(key)).only("status", "convention_id", "year").first()
    if review is None:
        return {}
    if review.status == ReviewStatus.VALIDATED:
        return services.FROZEN_PDF_PARAMS
    return {
        "empreinte": convention_fingerprint(convention_id=review.convention_id),
        "bilan": review.history.aggregate(latest=Max("history_id"))["latest"],
        "au": services.review_as_of(year=review.year).isoformat(),
    }


@job_kind(
    "review_pdf",
    label="PDF du bilan",
    can_access=can_read_review,
    request_label="Produire le PDF",
    params=review_pdf_params,
)
def review_pdf(job: Job) -> JobOutput:
    review = Review.objects.select_related("convention", "meeting__committee", "validated_by").filter(pk=int(job.key))
    review = review.first()
    if review is None:
        raise JobError("Le bilan a été supprimé entre-temps.")
    filename = services.review_pdf_filename(review=review)
    if review.status == ReviewStatus.VALIDATED:
        content = services.review_freeze_pdf(review=review)
    else:
        content = render_review_pdf(review=review, figures=services.review_document(review=review))
    return JobOutput(content=content, filename=filename, content_type="application/pdf")


def tracking_import_key(*, convention: Convention, user) -> str:
    """One import at a time per convention and person: « 12-7 »."""
    return f"{convention.pk}-{user.pk}"


def can_import(user, key: str) -> bool:
    convention_pk, _, user_pk = key.partition("-")
    if not (convention_pk.isdigit() and user_pk == str(user.pk)):
        return False
    convention = Convention.objects.filter(pk=int(convention_pk)).first()
    return convention is not None and can_follow_up(user, convention)


def report_as_json(report: tracking.TrackingReport) -> bytes:
    data = {
        "dry_run": report.dry_run,
        "counts": {sheet: vars(counts) for sheet, counts in report.counts.items()},
        "changes": [str(change) for change in report.changes],
        "warnings": report.warnings,
        "errors": report.errors,
        "fingerprint": report.fingerprint,
        "stale": report.stale,
        "conflicts": [vars(conflict) for conflict in report.conflicts],
    }
    return json.dumps(data, ensure_ascii=False).encode()


def report_from_json(content: bytes) -> tracking.TrackingReport:
    data = json.loads(content)
    counts = {sheet: tracking.SheetCounts(**values) for sheet, values in data["counts"].items()}
    conflicts = [tracking.Conflict(**conflict) for conflict in data.get("conflicts", [])]
    return tracking.TrackingReport(**{**data, "counts": counts, "conflicts": conflicts})


def tracking_import_url(key: str) -> str:
    return reverse("evaluation:tracking_import_job", args=[int(key.partition("-")[0])])


@job_kind(
    "tracking_import",
    label="Import du tableau de suivi",
    can_access=can_import,
    request_label="Importer",
    result_url=tracking_import_url,
)
def tracking_import(job: Job) -> JobOutput:
    params = job.params
    convention_pk = int(job.key.partition("-")[0])
    convention = Convention.objects.select_related("caf", "territory").filter(pk=convention_pk).first()
    user = job.requested_by
    if convention is None or user is None:
        raise JobError("La convention ou la personne qui a déposé le fichier n'existe plus.")
    data = deposited_file(params)
    report = tracking.tracking_import(
        convention=convention,
        data=data,
        user=user,
        # Computed when the job runs: an avenant signed or a role changed meanwhile narrows what may change.
        scope=tracking_scope(user=user, convention=convention),
        dry_run=params["dry_run"],
        expected_fingerprint=None if params["dry_run"] else params.get("fingerprint") or None,
        overwrite=frozenset(params.get("overwrite", [])),
    )
    if not params["dry_run"]:
        default_storage.delete(params["path"])  # imported (or refused for good): the waiting file is done with
    return JobOutput(content=report_as_json(report), filename="rapport.json", content_type="application/json")
