"""What is due, when, on which convention: the one source of the calendar page, the .ics feed, the weekly
digests and the Caf's dashboard.

Rules (kept here, in one place):
- a fiche-action is due on its « échéance » while it is neither réalisée nor abandonnée; past that date
  it is late (ActionSheet.is_late);
- every committee meeting recorded in annexe 4 is in the calendar, past and planned;
- a signed convention owes one **bilan annuel** per calendar year of its period but the last, presented to
  the COPIL by 31 March of the next year (the figures of a year are known once it is over), and a
  **bilan final** at its end date; a bilan is done once a validated bilan of that year (any kind but final,
  for the annual ones) or a validated final bilan exists;
- a signed convention ends on its end date; 12, 6 and 3 months before, while it has no successor, a
  renewal milestone reminds the Caf to prepare the next one.

Everything is computed for a set of conventions in a fixed number of queries, whatever their number.
"""

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from urllib.parse import urlsplit

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse

from actions.enums import ActionStatus
from actions.models import ActionSheet
from conventions.enums import ConventionStatus
from conventions.models import Convention, Meeting
from evaluation.enums import ReviewKind, ReviewStatus
from evaluation.models import Review

BILAN_DUE = (3, 31)  # month, day of the year after the one a bilan annuel covers
RENEWAL_MONTHS = (12, 6, 3)
CLOSED_FICHE_STATUSES = (ActionStatus.DONE, ActionStatus.ABANDONED)
# Conventions that still owe work: their fiches and bilans are due, their end approaches.
RUNNING_STATUSES = (ConventionStatus.SIGNED,)
PLANNING_STATUSES = (
    ConventionStatus.DRAFT,
    ConventionStatus.COPIL_VALIDATED,
    ConventionStatus.IN_SIGNATURE,
    ConventionStatus.SIGNED,
)


class Kind:
    FICHE = "fiche"
    MEETING = "reunion"
    BILAN = "bilan"
    END = "fin"
    RENEWAL = "renouvellement"

    LABELS = {
        FICHE: "Échéance de fiche-action",
        MEETING: "Réunion",
        BILAN: "Bilan à présenter",
        END: "Fin de convention",
        RENEWAL: "Renouvellement",
    }


@dataclasses.dataclass(frozen=True)
class Event:
    uid: str  # stable across feeds and days: a calendar application updates the event instead of adding one
    day: date
    kind: str
    summary: str  # French, names the convention: the feed mixes every convention of the person
    convention: Convention
    path: str  # the page where it is dealt with
    late: bool = False
    done: bool = False
    # For digests: the fiche-action (FICHE) or the year of the bilan (BILAN), months left (RENEWAL).
    action: ActionSheet | None = None
    year: int | None = None
    months: int | None = None

    @property
    def kind_label(self) -> str:
        return Kind.LABELS[self.kind]

    @property
    def url(self) -> str:
        return absolute_url(self.path)


def absolute_url(path: str) -> str:
    """An address for e-mails and calendar applications: they are read outside any request."""
    return settings.SITE_URL.rstrip("/") + path


def uid(*parts) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "ctg"
    return "-".join(str(part) for part in parts) + f"@{host}"


def bilan_years(convention: Convention) -> list[int]:
    """The years a bilan annuel is owed for: every year of the period but the last (the final bilan's)."""
    start = convention.effective_start or convention.signature_date
    if start is None:
        return []
    return list(range(start.year, convention.end_date.year))


def with_successor(conventions: QuerySet) -> QuerySet:
    return conventions.annotate(has_successor=Exists(Convention.objects.filter(previous=OuterRef("pk"))))


def convention_events(conventions: QuerySet, *, today: date) -> list[Event]:
    """Every event of `conventions` (a queryset already scoped to the reader), sorted by date: 4 queries."""
    rows = list(with_successor(conventions).select_related("caf", "territory").order_by("pk"))
    by_pk = {convention.pk: convention for convention in rows}
    events: list[Event] = []
    events += _fiche_events(by_pk, today=today)
    events += _meeting_events(by_pk)
    events += _milestone_events(by_pk, today=today)
    events.sort(key=lambda event: (event.day, event.convention.title, event.summary))
    return events


def milestone_events(conventions: list[Convention], *, today: date) -> list[Event]:
    """Bilans, ends and renewal milestones of conventions already loaded with `with_successor`: 1 query."""
    return list(_milestone_events({convention.pk: convention for convention in conventions}, today=today))


def _short(convention: Convention) -> str:
    return convention.reference or convention.title


def _fiche_events(by_pk: dict[int, Convention], *, today: date) -> Iterable[Event]:
    running = [pk for pk, c in by_pk.items() if c.status in PLANNING_STATUSES]
    fiches = (
        ActionSheet.objects.filter(convention__in=running, due_date__isnull=False)
        .exclude(status__in=CLOSED_FICHE_STATUSES)
        .only("pk", "convention_id", "reference", "title", "due_date", "status")
        .order_by("due_date", "pk")
    )
    for fiche in fiches:
        convention = by_pk[fiche.convention_id]
        yield Event(
            uid=uid("fiche", fiche.pk),
            day=fiche.due_date,
            kind=Kind.FICHE,
            summary=f"Échéance de la fiche {fiche.reference} « {fiche.title} » ({_short(convention)})",
            convention=convention,
            path=reverse("actions:detail", kwargs={"convention_pk": convention.pk, "pk": fiche.pk}),
            late=fiche.due_date < today,
            action=fiche,
        )


def _meeting_events(by_pk: dict[int, Convention]) -> Iterable[Event]:
    meetings = Meeting.objects.filter(committee__convention__in=list(by_pk)).select_related("committee")
    for meeting in meetings.order_by("date", "pk"):
        convention = by_pk[meeting.committee.convention_id]
        place = f" à {meeting.place}" if meeting.place else ""
        yield Event(
            uid=uid("reunion", meeting.pk),
            day=meeting.date,
            kind=Kind.MEETING,
            summary=f"Réunion : {meeting.committee.name}{place} ({_short(convention)})",
            convention=convention,
            path=reverse("actions:meetings", kwargs={"convention_pk": convention.pk}),
        )


def _milestone_events(by_pk: dict[int, Convention], *, today: date) -> Iterable[Event]:
    signed = [pk for pk, c in by_pk.items() if c.status in RUNNING_STATUSES]
    validated: dict[int, set] = defaultdict(set)
    reviews = Review.objects.filter(convention__in=signed, status=ReviewStatus.VALIDATED).values_list(
        "convention_id", "kind", "year"
    )
    for convention_id, kind, year in reviews:
        validated[convention_id].add(ReviewKind.FINAL if kind == ReviewKind.FINAL else year)
    for pk in signed:
        convention = by_pk[pk]
        reviews_path = reverse("evaluation:reviews", kwargs={"convention_pk": pk})
        detail_path = reverse("conventions:detail", kwargs={"convention_pk": pk})
        for year in bilan_years(convention):
            day = date(year + 1, *BILAN_DUE)
            done = year in validated[pk]
            yield Event(
                uid=uid("bilan", pk, year),
                day=day,
                kind=Kind.BILAN,
                summary=f"Bilan annuel {year} à présenter au COPIL ({_short(convention)})",
                convention=convention,
                path=reviews_path,
                late=not done and day < today,
                done=done,
                year=year,
            )
        done = ReviewKind.FINAL in validated[pk]
        yield Event(
            uid=uid("bilan-final", pk),
            day=convention.end_date,
            kind=Kind.BILAN,
            summary=f"Bilan final à présenter au COPIL ({_short(convention)})",
            convention=convention,
            path=reviews_path,
            late=not done and convention.end_date < today,
            done=done,
        )
        yield Event(
            uid=uid("fin", pk),
            day=convention.end_date,
            kind=Kind.END,
            summary=f"Fin de la convention {_short(convention)} – {convention.title}",
            convention=convention,
            path=detail_path,
        )
        if convention.has_successor:
            continue
        for months in RENEWAL_MONTHS:
            yield Event(
                uid=uid("renouvellement", pk, months),
                day=convention.end_date - relativedelta(months=months),
                kind=Kind.RENEWAL,
                summary=f"Renouvellement : la convention {_short(convention)} prend fin dans {months} mois",
                convention=convention,
                path=detail_path,
                months=months,
            )


def bilans_due(events: Iterable[Event], *, today: date, within_days: int = 30) -> list[Event]:
    """Bilans not validated whose date is past or within `within_days`."""
    horizon = today + relativedelta(days=within_days)
    return [e for e in events if e.kind == Kind.BILAN and not e.done and e.day <= horizon]
