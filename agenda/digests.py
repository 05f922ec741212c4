"""The weekly digest: per person, what concerns them this week, each item linking to its page.

- A chargé·e de coopération: the fiches-action of their conventions that are late or due within 30 days.
- A conseiller·ère of a Caf: the bilans to present (late or due within 30 days), the conventions ending
  within 12, 6 or 3 months with no successor, and the indicators with no value for last year.

One digest per person and ISO week: the DigestSent row is written before the e-mail is queued, and its unique
constraint refuses a second one (another worker, the command run by hand…). An empty digest is not sent.
"""

import dataclasses
import logging
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.enums import Role
from accounts.models import User
from conventions.enums import ConventionStatus
from conventions.models import Convention
from evaluation.models import Indicator, Measurement
from jobs.mail import mail_send

from .events import RENEWAL_MONTHS, Kind, absolute_url, bilans_due, convention_events
from .models import AgendaSettings, DigestSent

logger = logging.getLogger(__name__)

DUE_SOON_DAYS = 30


@dataclasses.dataclass(frozen=True)
class Item:
    text: str
    url: str


@dataclasses.dataclass(frozen=True)
class Section:
    title: str
    items: list[Item]


def digest_period(today: date) -> str:
    year, week, _ = today.isocalendar()
    return f"{year}-W{week:02d}"


def months_left_label(end: date, today: date) -> int:
    """The renewal milestone reached: 3, 6 or 12 months before the end."""
    for months in sorted(RENEWAL_MONTHS):
        if end <= _add_months(today, months):
            return months
    return max(RENEWAL_MONTHS)


def _add_months(day: date, months: int) -> date:
    return day + relativedelta(months=months)


def cooperation_sections(user, *, today: date) -> list[Section]:
    conventions = Convention.objects.filter(memberships__user=user)
    fiches = [e for e in convention_events(conventions, today=today) if e.kind == Kind.FICHE]
    horizon = today + timedelta(days=DUE_SOON_DAYS)
    late = [Item(f"{e.summary}, échéance dépassée du {e.day:%d/%m/%Y}", e.url) for e in fiches if e.late]
    soon = [Item(f"{e.summary}, le {e.day:%d/%m/%Y}", e.url) for e in fiches if today <= e.day <= horizon]
    return [Section("Fiches-action en retard", late), Section("Fiches-action à échéance dans les 30 jours", soon)]


def adviser_sections(user, *, today: date) -> list[Section]:
    conventions = Convention.objects.filter(caf_id=user.caf_id)
    events = convention_events(conventions, today=today)
    bilans = [
        Item(f"{e.summary}, {'attendu depuis le' if e.late else 'attendu le'} {e.day:%d/%m/%Y}", e.url)
        for e in bilans_due(events, today=today, within_days=DUE_SOON_DAYS)
    ]
    ending = []
    horizon = _add_months(today, max(RENEWAL_MONTHS))
    ends = {e.convention.pk: e for e in events if e.kind == Kind.END}
    for event in ends.values():
        convention = event.convention
        if convention.has_successor or not today <= convention.end_date <= horizon:
            continue
        months = months_left_label(convention.end_date, today)
        ending.append(
            Item(
                f"{convention.reference} – {convention.title} prend fin le {convention.end_date:%d/%m/%Y} "
                f"(moins de {months} mois) sans convention suivante",
                event.url,
            )
        )
    return [
        Section("Bilans à présenter", bilans),
        Section("Conventions qui arrivent à leur terme", ending),
        Section(f"Valeurs {today.year - 1} à saisir", missing_values(conventions, year=today.year - 1)),
    ]


def missing_values(conventions, *, year: int) -> list[Item]:
    """Per signed convention running during `year`: how many of its indicators have no value for that year."""
    measured = Measurement.objects.filter(indicator=OuterRef("pk"), year=year)
    rows = (
        Indicator.objects.filter(
            convention__in=conventions.filter(status=ConventionStatus.SIGNED, end_date__year__gte=year),
        )
        .filter(Q(convention__start_date__year__lte=year) | Q(convention__start_date__isnull=True))
        .annotate(measured=Exists(measured))
        .filter(measured=False)
        .values("convention_id", "convention__reference", "convention__title")
        .annotate(n=Count("pk"))
        .order_by("convention__reference")
    )
    return [
        Item(
            f"{row['convention__reference']} – {row['convention__title']} : {row['n']} indicateur"
            f"{'s' if row['n'] > 1 else ''} sans valeur pour {year}",
            absolute_url(reverse("evaluation:values", kwargs={"convention_pk": row["convention_id"]})),
        )
        for row in rows
    ]


def digest_sections(user, *, today: date) -> list[Section]:
    """The non-empty sections of `user`'s digest."""
    if user.role == Role.COOPERATION:
        sections = cooperation_sections(user, today=today)
    elif user.role == Role.ADVISER and user.caf_id:
        sections = adviser_sections(user, today=today)
    else:
        sections = []
    return [section for section in sections if section.items]


def recipients(*, period: str):
    """Active chargé·es and advisers who did not opt out and have not had this week's digest."""
    opted_out = AgendaSettings.objects.filter(user=OuterRef("pk"), digest_enabled=False)
    sent = DigestSent.objects.filter(user=OuterRef("pk"), period=period)
    return (
        User.objects.filter(is_active=True, role__in=[Role.COOPERATION, Role.ADVISER])
        .exclude(email="")
        .exclude(Exists(opted_out))
        .exclude(Exists(sent))
        .order_by("pk")
    )


def digest_send(*, user, today: date) -> bool:
    """Send `user` this week's digest unless it was sent or is empty; True when it was queued."""
    period = digest_period(today)
    sections = digest_sections(user, today=today)
    if not sections:
        return False
    count = sum(len(section.items) for section in sections)
    context = {
        "user": user,
        "sections": sections,
        "today": today,
        "count": count,
        "account_url": absolute_url(reverse("agenda:account")),
        "calendar_url": absolute_url(reverse("agenda:calendar")),
    }
    try:
        with transaction.atomic():
            DigestSent.objects.create(user=user, period=period, item_count=count)
            mail_send(
                to=[user.email],
                subject=f"CTG – votre récapitulatif de la semaine ({count} point{'s' if count > 1 else ''})",
                text=render_to_string("agenda/email/digest.txt", context),
                html=render_to_string("agenda/email/digest.html", context),
                key=f"recapitulatif:{user.pk}:{period}",
            )
    except IntegrityError:
        return False  # sent by someone else in the meantime
    return True


def digests_send(*, today: date) -> int:
    """This week's digests for everyone concerned; the number sent."""
    period = digest_period(today)
    sent = 0
    for user in recipients(period=period):
        sent += digest_send(user=user, today=today)
    logger.info("Récapitulatifs %s : %s envoyé(s).", period, sent)
    return sent
