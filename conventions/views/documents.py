"""Documents of a convention: the PDF to sign, one PDF per fiche-action, the deliberations, the bilans.

No request renders a PDF: the PDF links answer with the stored file of the current data when it is ready, else
with the page of the job that produces it (conventions/job_kinds.py, actions/job_kinds.py; jobs.views.job_document).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from jobs.views import job_document

from ..dossier.pdf import convention_fiches
from ..dossier.versions import latest_signed_document
from ..models import Convention, Party
from ..perms import convention_view, get_visible_convention
from .versions import version_document


def _document(request: HttpRequest, convention, *, kind: str, key: int, title: str) -> HttpResponse:
    back_url = reverse("conventions:documents", args=[convention.pk])
    return job_document(request, kind=kind, key=key, title=title, back_url=back_url, back_label="Documents")


@convention_view(get_visible_convention, "GET")
def convention_pdf(request: HttpRequest, convention: Convention) -> HttpResponse:
    frozen = latest_signed_document(convention)
    if frozen is not None:  # signed: the bytes frozen at signature (or at the latest avenant), never re-rendered
        return version_document(request, frozen)
    title = f"Convention {convention.reference} en PDF"
    return _document(request, convention, kind="convention_pdf", key=convention.pk, title=title)


@convention_view(get_visible_convention, "GET")
def action_pdf(request: HttpRequest, convention: Convention, action_pk: int) -> HttpResponse:
    action = get_object_or_404(convention.actions.only("pk", "reference"), pk=action_pk)
    title = f"Fiche-action {action.reference} en PDF"
    return _document(request, convention, kind="action_pdf", key=action.pk, title=title)


@convention_view(get_visible_convention, "GET")
def documents(request: HttpRequest, convention: Convention) -> HttpResponse:
    context = {
        "convention": convention,
        "fiches": convention_fiches(convention=convention),
        "parties": list(Party.objects.filter(convention=convention).order_by("order", "pk")),
        "amendments": list(convention.amendments.all()),
        "reviews": list(convention.reviews.all()),
    }
    return render(request, "conventions/documents.html", context)
