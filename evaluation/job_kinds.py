"""The PDF of a bilan as a background job.

A draft's PDF shows the live figures: it is produced again when the convention's data, the bilan's text or the
date it looks at changes. A validated bilan's PDF is frozen: rendered once from its snapshot and stored in
``Review.pdf`` (``review_freeze_pdf``), then served as stored without any job.
"""

from django.db.models import Max

from conventions.dossier.fingerprint import convention_fingerprint
from conventions.models import Convention
from jobs.kinds import JobError, JobOutput, job_kind
from jobs.models import Job

from .enums import ReviewStatus
from .models import Review
from .pdf import render_review_pdf
from .services import reviews as services


def can_read_review(user, key: str) -> bool:
    if not key.isdigit():
        return False
    return Review.objects.filter(pk=int(key), convention__in=Convention.objects.visible_to(user)).exists()


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
