"""Committee meetings and the fiches their decisions concern."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from conventions.models import Convention, Meeting
from conventions.perms import (
    convention_rights,
    convention_view,
    get_follow_up_convention,
    get_visible_convention,
)
from core.forms import add_service_errors

from .. import services
from ..forms import (
    MeetingForm,
)
from ..models import ActionSheet


def _get_meeting(convention: Convention, pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.filter(committee__convention=convention).select_related("committee"), pk=pk
    )


@convention_view(get_visible_convention, "GET")
def meetings(request: HttpRequest, convention: Convention) -> HttpResponse:
    rows = list(
        Meeting.objects.filter(committee__convention=convention)
        .select_related("committee")
        .prefetch_related(Prefetch("actions", queryset=ActionSheet.objects.order_by("order", "pk")))
        .order_by("-date", "-pk")
    )
    context = {
        "convention": convention,
        "meetings": rows,
        "rights": convention_rights(request.user, convention),
        "has_committees": convention.committees.exists(),
    }
    return render(request, "actions/meetings.html", context)


def _meeting_form(request: HttpRequest, convention: Convention, meeting: Meeting) -> HttpResponse:
    origin = ActionSheet.objects.origin(
        convention, request.POST.get("fiche") if request.method == "POST" else request.GET.get("fiche")
    )
    if request.method == "POST":
        form = MeetingForm(request.POST, instance=meeting, convention=convention)
        if form.is_valid():
            try:
                saved = services.meeting_save(
                    meeting=form.save(commit=False),
                    actions=form.cleaned_data["actions"],
                    marker=form.posted_marker,
                    user=request.user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Réunion « {saved} » enregistrée.")
                if origin:
                    return redirect(reverse("actions:detail", args=[convention.pk, origin.pk]) + "#h-reunions")
                return redirect(reverse("actions:meetings", args=[convention.pk]) + f"#reunion-{saved.pk}")
    else:
        initial = {"actions": [origin]} if origin and meeting.pk is None else None
        form = MeetingForm(instance=meeting, convention=convention, initial=initial)
    context = {"convention": convention, "meeting": meeting, "form": form, "origin": origin}
    return render(request, "actions/meeting_form.html", context)


@convention_view(get_follow_up_convention, "GET", "POST")
def meeting_create(request: HttpRequest, convention: Convention) -> HttpResponse:
    return _meeting_form(request, convention, Meeting())


@convention_view(get_follow_up_convention, "GET", "POST")
def meeting_edit(request: HttpRequest, convention: Convention, pk: int) -> HttpResponse:
    return _meeting_form(request, convention, _get_meeting(convention, pk))


@require_http_methods(["GET", "POST"])
@login_required
def meeting_delete(request: HttpRequest, convention_pk: int, pk: int) -> HttpResponse:
    convention = get_follow_up_convention(request.user, convention_pk)
    meeting = _get_meeting(convention, pk)
    error = ""
    if request.method == "POST":
        try:
            services.meeting_delete(meeting=meeting, user=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, f"Réunion « {meeting} » supprimée.")
            return redirect("actions:meetings", convention_pk=convention.pk)
    context = {"convention": convention, "meeting": meeting, "error": error}
    return render(request, "actions/meeting_delete.html", context)
