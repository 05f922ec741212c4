"""Bilans in the browser: list, preparation, validation, and their PDF and .xlsx.

Everyone who reads the convention reads its bilans and downloads them (`get_visible_convention`); those who
follow it up (advisers of the Caf, its chargés de coopération) prepare and validate them
(`get_follow_up_convention`: 403 for COPIL members). A review of another convention answers 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from conventions.models import Convention
from conventions.perms import convention_rights, convention_view, get_follow_up_convention, get_visible_convention
from core.files import stored_file_response
from core.forms import add_service_errors
from core.xlsx import XLSX_CONTENT_TYPE
from jobs.views import job_document

from ..enums import ReviewStatus
from ..forms import ReviewCreateForm, ReviewNarrativeForm
from ..models import Review
from ..pdf import render_review_xlsx, review_display
from ..services import reviews as services


def _get_review(convention: Convention, pk: int) -> Review:
    review = get_object_or_404(
        Review.objects.filter(convention=convention).select_related("meeting__committee", "validated_by"), pk=pk
    )
    review.convention = convention  # already loaded with its Caf and territory
    return review


def _refusal(error: ValidationError) -> str:
    return " ".join(error.messages)


@convention_view(get_visible_convention, "GET")
def review_list(request: HttpRequest, convention: Convention) -> HttpResponse:
    reviews = list(
        Review.objects.filter(convention=convention)
        .select_related("meeting__committee", "validated_by")
        .order_by("-year", "kind", "-version")
    )
    context = {"convention": convention, "reviews": reviews, "rights": convention_rights(request.user, convention)}
    return render(request, "evaluation/review_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def review_create(request: HttpRequest, convention_pk: int) -> HttpResponse:
    convention = get_follow_up_convention(request.user, convention_pk)
    form = ReviewCreateForm(request.POST if request.method == "POST" else None, convention=convention)
    if form.is_valid():
        try:
            review = services.review_create(
                convention=convention, kind=form.cleaned_data["kind"], year=form.cleaned_data["year"], user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{review} commencé : rédigez la synthèse, puis validez-le en comité.")
            return redirect("evaluation:review_detail", convention_pk=convention.pk, review_pk=review.pk)
    return render(request, "evaluation/review_create.html", {"convention": convention, "form": form})


def _detail(request: HttpRequest, convention: Convention, review: Review, form=None) -> HttpResponse:
    rights = convention_rights(request.user, convention)
    follow_up = rights.follow_up
    is_draft = review.status == ReviewStatus.DRAFT
    if form is None and follow_up and is_draft:
        form = ReviewNarrativeForm(instance=review)
    versions = list(
        Review.objects.filter(convention=convention, kind=review.kind, year=review.year).order_by("-version")
    )
    context = {
        "convention": convention,
        "review": review,
        "doc": review_display(review=review, figures=services.review_document(review=review)),
        "form": form if follow_up and is_draft else None,
        "rights": rights,
        "versions": versions,
        "is_latest": versions[0].pk == review.pk,
    }
    return render(request, "evaluation/review_detail.html", context)


@convention_view(get_visible_convention, "GET")
def review_detail(request: HttpRequest, convention: Convention, review_pk: int) -> HttpResponse:
    return _detail(request, convention, _get_review(convention, review_pk))


@login_required
@require_POST
def review_edit(request: HttpRequest, convention_pk: int, review_pk: int) -> HttpResponse:
    convention = get_follow_up_convention(request.user, convention_pk)
    review = _get_review(convention, review_pk)
    if review.status != ReviewStatus.DRAFT:
        messages.error(request, services.VALIDATED_MESSAGE)
        return redirect("evaluation:review_detail", convention_pk=convention.pk, review_pk=review.pk)
    form = ReviewNarrativeForm(request.POST, instance=review)
    if form.is_valid():
        try:
            services.review_update(
                review=review,
                summary=form.cleaned_data["summary"],
                decisions=form.cleaned_data["decisions"],
                meeting=form.cleaned_data["meeting"],
            )
        except ValidationError as error:
            messages.error(request, _refusal(error))
        else:
            messages.success(request, "Bilan enregistré.")
        return redirect("evaluation:review_detail", convention_pk=convention.pk, review_pk=review.pk)
    review.refresh_from_db()  # the form wrote the posted values on the instance; show the saved ones around it
    return _detail(request, convention, review, form=form)


def _confirm(request, convention, review, *, title, question, details, confirm_label) -> HttpResponse:
    context = {
        "convention": convention,
        "review": review,
        "title": title,
        "question": question,
        "details": details,
        "confirm_label": confirm_label,
    }
    return render(request, "evaluation/review_confirm.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def review_validate(request: HttpRequest, convention_pk: int, review_pk: int) -> HttpResponse:
    convention = get_follow_up_convention(request.user, convention_pk)
    review = _get_review(convention, review_pk)
    if request.method == "POST":
        try:
            services.review_validate(review=review, user=request.user)
        except ValidationError as error:
            messages.error(request, _refusal(error))
        else:
            messages.success(request, f"{review} validé : ses chiffres et son PDF sont figés.")
        return redirect("evaluation:review_detail", convention_pk=convention.pk, review_pk=review.pk)
    if review.status != ReviewStatus.DRAFT:
        messages.error(request, services.VALIDATED_MESSAGE)
        return redirect("evaluation:review_detail", convention_pk=convention.pk, review_pk=review.pk)
    return _confirm(
        request,
        convention,
        review,
        title=f"Valider le {str(review)[0].lower()}{str(review)[1:]}",
        question="Valider ce bilan ?",
        details=(
            "Ses chiffres (statuts des fiches, indicateurs, budget, réunions) sont figés tels qu'ils sont "
            "aujourd'hui, avec la synthèse et les décisions ; son PDF est enregistré. Ensuite il ne change plus : "
            "pour le corriger, il faudra commencer une nouvelle version."
        ),
        confirm_label="Valider et figer le bilan",
    )


@require_http_methods(["GET", "POST"])
@login_required
def review_new_version(request: HttpRequest, convention_pk: int, review_pk: int) -> HttpResponse:
    convention = get_follow_up_convention(request.user, convention_pk)
    review = _get_review(convention, review_pk)
    if request.method == "POST":
        try:
            draft = services.review_new_version(review=review, user=request.user)
        except ValidationError as error:
            messages.error(request, _refusal(error))
            return redirect("evaluation:review_detail", convention_pk=convention.pk, review_pk=review.pk)
        messages.success(request, f"{draft} commencé à partir de la version {review.version}.")
        return redirect("evaluation:review_detail", convention_pk=convention.pk, review_pk=draft.pk)
    return _confirm(
        request,
        convention,
        review,
        title="Commencer une nouvelle version",
        question=f"Commencer une nouvelle version de « {review} » ?",
        details=(
            "La version validée reste telle quelle, avec son PDF. La nouvelle version reprend sa synthèse et ses "
            "décisions, et montre les chiffres à jour jusqu'à sa propre validation."
        ),
        confirm_label="Commencer la nouvelle version",
    )


def _filename(review: Review, extension: str) -> str:
    return services.review_pdf_filename(review=review).removesuffix(".pdf") + f".{extension}"


@convention_view(get_visible_convention, "GET")
def review_pdf(request: HttpRequest, convention: Convention, review_pk: int) -> HttpResponse:
    review = _get_review(convention, review_pk)
    if review.status == ReviewStatus.VALIDATED and review.pdf:  # frozen: served as stored
        return stored_file_response(
            request, review.pdf, filename=_filename(review, "pdf"), content_type="application/pdf"
        )
    # A draft (with its « PROJET » mark), or a validated bilan whose PDF is not stored yet: produced by a job.
    return job_document(
        request,
        kind="review_pdf",
        key=review.pk,
        title=f"{review} en PDF",
        back_url=reverse("evaluation:review_detail", args=[convention.pk, review.pk]),
        back_label=str(review),
    )


@convention_view(get_visible_convention, "GET")
def review_xlsx(request: HttpRequest, convention: Convention, review_pk: int) -> HttpResponse:
    review = _get_review(convention, review_pk)
    response = HttpResponse(
        render_review_xlsx(review=review, figures=services.review_document(review=review)),
        content_type=XLSX_CONTENT_TYPE,
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(review, "xlsx")}"'
    return response
