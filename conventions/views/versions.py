"""The frozen versions of a signed convention: their list, their PDF/A as stored, the scanned signed originals.

A frozen PDF is served as it was stored (never rendered by a request); until its job has stored it, the link
answers with the job's page (jobs.views.job_document).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.files import stored_file_response
from jobs.views import job_document

from ..dossier.comparison import snapshots_compare
from ..dossier.versions import version_attach_scan, version_filename
from ..enums import VersionKind
from ..forms.convention import VersionScanForm
from ..models import Convention, ConventionVersion
from ..perms import can_edit_convention, convention_view, get_editable_convention, get_visible_convention


def version_document(request: HttpRequest, version: ConventionVersion) -> HttpResponse:
    """The stored PDF/A of the version, or the page of the job that stores it."""
    if version.pdf:
        return stored_file_response(
            request, version.pdf, filename=version_filename(version), content_type="application/pdf"
        )
    return job_document(
        request,
        kind="version_pdf",
        key=version.pk,
        title=f"{version} en PDF",
        back_url=reverse("conventions:versions", args=[version.convention_id]),
        back_label="Versions",
    )


def _get_version(convention, number: int) -> ConventionVersion:
    return get_object_or_404(
        ConventionVersion.objects.select_related("convention", "amendment", "created_by"),
        convention=convention,
        number=number,
    )


@convention_view(get_visible_convention, "GET")
def version_list(request: HttpRequest, convention: Convention) -> HttpResponse:
    versions = list(
        ConventionVersion.objects.filter(convention=convention)
        .select_related("amendment", "created_by")
        .defer("source", "snapshot")
        .order_by("number")
    )
    context = {
        "convention": convention,
        "versions": versions,
        "reviews": list(convention.reviews.filter(status="valide").order_by("year", "pk")),
        "can_edit": can_edit_convention(request.user, convention),
        "scan_form": VersionScanForm(),
    }
    return render(request, "conventions/versions.html", context)


@convention_view(get_visible_convention, "GET")
def version_pdf(request: HttpRequest, convention: Convention, number: int) -> HttpResponse:
    return version_document(request, _get_version(convention, number))


@require_POST
@login_required
def version_scan_upload(request: HttpRequest, convention_pk: int, number: int) -> HttpResponse:
    convention = get_editable_convention(request.user, convention_pk)
    version = _get_version(convention, number)
    form = VersionScanForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            version_attach_scan(version=version, upload=form.cleaned_data["scan"], user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{version} : l'original signé numérisé est ajouté à la version.")
    else:
        messages.error(request, f"{version} : " + " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("conventions:versions", convention_pk=convention.pk)


@convention_view(get_visible_convention, "GET")
def version_scan(request: HttpRequest, convention: Convention, number: int) -> HttpResponse:
    version = _get_version(convention, number)
    if not version.scan:
        raise Http404("Aucun original numérisé pour cette version.")
    filename = version_filename(version).replace(".pdf", "-original-signe.pdf")
    return stored_file_response(request, version.scan, filename=filename, content_type="application/pdf")


@convention_view(get_visible_convention, "GET")
def amendment_pdf(request: HttpRequest, convention: Convention, number: int) -> HttpResponse:
    """The avenant n° `number`: its frozen PDF/A once signed, its « PROJET » rendering (a job) before."""
    amendment = get_object_or_404(convention.amendments, number=number)
    frozen = ConventionVersion.objects.filter(amendment=amendment, kind=VersionKind.AMENDMENT).first()
    if frozen is not None:
        return version_document(request, frozen)
    return job_document(
        request,
        kind="amendment_pdf",
        key=amendment.pk,
        title=f"Avenant n° {amendment.number} en PDF",
        back_url=reverse("conventions:amendment_sign", args=[convention.pk, amendment.pk]),
        back_label=f"Avenant n° {amendment.number}",
    )


def _number(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) < 6 else None


@convention_view(get_visible_convention, "GET")
def version_compare(request: HttpRequest, convention: Convention) -> HttpResponse:
    """« Comparer deux versions »: both are versions of this convention (any other number is a 404)."""
    versions = list(ConventionVersion.objects.filter(convention=convention).defer("source").order_by("number"))
    numbers = [_number(request, "de"), _number(request, "a")]
    if None in numbers:
        if request.GET:
            raise Http404("Choisissez deux versions de cette convention.")
        numbers = [v.number for v in versions[-2:]] if len(versions) > 1 else []
    by_number = {v.number: v for v in versions}
    if len(numbers) != 2 or any(n not in by_number for n in numbers):
        raise Http404("Version introuvable.")
    before, after = (by_number[n] for n in sorted(numbers))
    context = {
        "convention": convention,
        "versions": versions,
        "before": before,
        "after": after,
        "comparison": snapshots_compare(before=before.snapshot, after=after.snapshot),
    }
    return render(request, "conventions/version_compare.html", context)
