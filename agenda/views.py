"""The calendar pages, the .ics feed and « Mon compte »."""

from datetime import date
from itertools import groupby

from dateutil.relativedelta import relativedelta
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import twofactor
from conventions.models import Convention
from conventions.perms import convention_view, get_visible_convention

from . import services
from .events import Event, absolute_url, convention_events
from .forms import DigestPreferenceForm
from .ics import render_calendar
from .models import AgendaSettings

UPCOMING_MONTHS = 12


def by_month(events: list[Event]) -> list[tuple[str, list[Event]]]:
    """[(« décembre 2026 », events)] in date order."""
    return [
        (date_format(first, "F Y"), list(group))
        for first, group in groupby(events, key=lambda event: event.day.replace(day=1))
    ]


def calendar_sections(events: list[Event], *, today: date) -> dict:
    """What the calendar pages show: late items first, then the coming months."""
    horizon = today + relativedelta(months=UPCOMING_MONTHS)
    return {
        "late": [event for event in events if event.late],
        "upcoming": by_month([event for event in events if today <= event.day <= horizon and not event.done]),
        "horizon": horizon,
    }


@require_GET
@login_required
def my_calendar(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    events = convention_events(Convention.objects.visible_to(request.user), today=today)
    context = calendar_sections(events, today=today) | {
        "feed_url": absolute_url(feed_path(AgendaSettings.objects.for_user(request.user))),
    }
    return render(request, "agenda/calendar.html", context)


@convention_view(get_visible_convention, "GET")
def convention_calendar(request: HttpRequest, convention: Convention) -> HttpResponse:
    today = timezone.localdate()
    events = convention_events(Convention.objects.filter(pk=convention.pk), today=today)
    years = [(year, list(group)) for year, group in groupby(events, key=lambda event: event.day.year)]
    context = {"convention": convention, "years": years, "today": today, "late": [e for e in events if e.late]}
    return render(request, "agenda/convention_calendar.html", context)


def feed_path(agenda: AgendaSettings) -> str:
    return reverse("agenda:feed", kwargs={"token": agenda.feed_token})


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """No login: calendar applications fetch it on their own. The token is the credential; a wrong or old one,
    or a deactivated account, answers 404 like any unknown address."""
    agenda = AgendaSettings.objects.select_related("user").filter(feed_token=token, user__is_active=True).first()
    if agenda is None or not token:
        raise Http404("Calendrier introuvable.")
    user = agenda.user
    events = convention_events(Convention.objects.visible_to(user), today=timezone.localdate())
    body = render_calendar(events=events, name=f"CTG – {user}", now=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="ctg.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_http_methods(["GET", "POST"])
@login_required
def account(request: HttpRequest) -> HttpResponse:
    agenda = AgendaSettings.objects.for_user(request.user)
    if request.method == "POST":
        form = DigestPreferenceForm(request.POST)
        if form.is_valid():
            enabled = form.cleaned_data["digest_enabled"]
            services.digest_preference_set(user=request.user, enabled=enabled)
            messages.success(
                request,
                "Vous recevrez le récapitulatif hebdomadaire."
                if enabled
                else "Vous ne recevrez plus le récapitulatif.",
            )
            return redirect("agenda:account")
    else:
        form = DigestPreferenceForm(initial={"digest_enabled": agenda.digest_enabled})
    context = {
        "agenda": agenda,
        "feed_url": absolute_url(feed_path(agenda)),
        "form": form,
        "twofactor": twofactor.status(request.user),
    }
    return render(request, "agenda/account.html", context)


@require_POST
@login_required
def feed_regenerate(request: HttpRequest) -> HttpResponse:
    services.feed_token_regenerate(user=request.user)
    messages.success(
        request,
        "Nouvelle adresse du calendrier créée : l'ancienne ne fonctionne plus. "
        "Mettez-la à jour dans votre application d'agenda.",
    )
    return redirect("agenda:account")
