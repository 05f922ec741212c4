"""Documents of a convention: the PDF to sign, one PDF per fiche-action, the deliberations, the bilans."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from ..dossier.pdf import cached_convention_pdf, convention_fiches, convention_pdf_filename, render_action_pdf
from ..models import Party
from ..perms import get_visible_convention


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@login_required
def convention_pdf(request: HttpRequest, convention_pk: int) -> HttpResponse:
    convention = get_visible_convention(request.user, convention_pk)
    return pdf_response(cached_convention_pdf(convention=convention), convention_pdf_filename(convention))


@require_GET
@login_required
def action_pdf(request: HttpRequest, convention_pk: int, action_pk: int) -> HttpResponse:
    convention = get_visible_convention(request.user, convention_pk)
    action = get_object_or_404(convention.actions, pk=action_pk)
    fiche = slugify(action.reference.replace(".", "-")).upper()  # « 2.1 » → « 2-1 », not « 21 »
    filename = f"{convention_pdf_filename(convention).removesuffix('.pdf')}-fiche-{fiche}.pdf"
    return pdf_response(render_action_pdf(action=action), filename)


@require_GET
@login_required
def documents(request: HttpRequest, convention_pk: int) -> HttpResponse:
    convention = get_visible_convention(request.user, convention_pk)
    context = {
        "convention": convention,
        "fiches": convention_fiches(convention=convention),
        "parties": list(Party.objects.filter(convention=convention).order_by("order", "pk")),
        "amendments": list(convention.amendments.all()),
        "reviews": list(convention.reviews.all()),
    }
    return render(request, "conventions/documents.html", context)
