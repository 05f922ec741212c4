"""Bilans (annuel, intermédiaire, final): their figures, and their life from draft to frozen document.

`review_figures` reads the plan, the indicators, the budgets and the meetings of one year in a fixed number
of queries and returns plain JSON (decimals and dates as strings). A draft shows these live figures; validating
freezes them in `Review.snapshot`, with the narrative, and queues the job that renders the PDF from that snapshot
and stores it once (`review_freeze_pdf`; evaluation/job_kinds.py). From then on the bilan's page, PDF and
spreadsheet read the snapshot only: what the COPIL saw never changes.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.text import slugify

from actions.enums import ActionStatus, BudgetNature, Funder
from actions.levels import OUTSIDE_ORIENTATIONS
from actions.models import ActionSheet, BudgetLine, StatusUpdate
from conventions.models import Convention, Meeting
from jobs.services import job_request

from ..enums import Direction, IndicatorKind, ReviewKind, ReviewStatus
from ..models import Indicator, Measurement, Review
from ..pdf import render_review_pdf

FIGURES_FORMAT = 1
VALIDATED_MESSAGE = "Ce bilan est validé : il ne change plus. Commencez une nouvelle version pour le modifier."


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _percent(part: Decimal, whole: Decimal) -> int:
    return int((part / whole * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def review_as_of(*, year: int, today: date | None = None) -> date:
    """The date a bilan looks at: 31 December of its year, or today while that year is not over."""
    today = today or timezone.localdate()
    return min(date(year, 12, 31), today)


def review_years(*, convention: Convention) -> range:
    """The years a bilan may cover: those of the convention (the last five when it starts on signature)."""
    last = convention.end_date.year
    start = convention.effective_start
    first = start.year if start else last - 4
    return range(min(first, last), last + 1)


def indicator_progress(*, value: Decimal | None, baseline: Decimal | None, target: Decimal | None) -> int | None:
    """How far a value has gone from the reference value (0 when unknown) to the target, in %."""
    if value is None or target is None:
        return None
    start = baseline if baseline is not None else Decimal(0)
    if target == start:
        return None
    return _percent(value - start, target - start)


def indicator_direction(*, direction: str, baseline: Decimal | None, target: Decimal | None) -> str:
    """The expected direction: as set on the indicator, or read from its reference value and target."""
    if direction or baseline is None or target is None or baseline == target:
        return direction
    return Direction.UP if target > baseline else Direction.DOWN


def direction_respected(*, direction: str, value: Decimal | None, baseline: Decimal | None, target: Decimal | None):
    """True when the value moved from the reference value the expected way (None when it cannot be told).

    « Maintien » is respected when the value has not fallen below the reference value (the target when no
    reference value was measured).
    """
    if value is None or not direction:
        return None
    if direction == Direction.STEADY:
        reference = baseline if baseline is not None else target
        return None if reference is None else value >= reference
    if baseline is None:
        return None
    return value > baseline if direction == Direction.UP else value < baseline


ASSESSMENTS = {"atteint": "objectif atteint", "en_bonne_voie": "en bonne voie", "en_retard": "en retard"}


def indicator_assessment(
    *,
    year: int,
    value: Decimal | None,
    baseline: Decimal | None,
    baseline_year: int | None,
    target: Decimal | None,
    target_year: int | None,
    direction: str,
) -> str:
    """« atteint », « en_bonne_voie » or « en_retard » (ASSESSMENTS), "" when it cannot be told.

    Reached: the value is at or beyond the target the expected way (« maintien »: not below the reference).
    Otherwise on track when its progress from the reference value to the target is at least the share of the
    time gone from the reference year to the target year, late if not; without those years, late."""
    if value is None or target is None:
        return ""
    if direction == Direction.STEADY or (baseline is not None and baseline == target):
        reference = baseline if baseline is not None else target
        return "atteint" if value >= reference else "en_retard"
    downwards = direction == Direction.DOWN or (not direction and baseline is not None and target < baseline)
    if (value <= target) if downwards else (value >= target):
        return "atteint"
    progress = indicator_progress(value=value, baseline=baseline, target=target)
    if progress is None or not (baseline_year and target_year and target_year > baseline_year):
        return "en_retard"
    expected = Decimal(min(max(year - baseline_year, 0), target_year - baseline_year) * 100) / (
        target_year - baseline_year
    )
    return "en_bonne_voie" if progress >= expected else "en_retard"


def _orientation_label(orientation) -> str:
    return f"{orientation.number}. {orientation.title}" if orientation.number else orientation.title


def _as_at(*, actions: list[ActionSheet], as_of: date) -> None:
    """Each fiche's status and progress as they stood on `as_of`, read from its timeline (the latest update
    dated on or before it): a fiche finished in N+1 still counts « en cours » in the bilan of N. A fiche with
    updates all dated later had not started; a fiche without any update keeps its present values.
    The objects are changed in memory only (read-only figures, never saved)."""
    latest: dict[int, StatusUpdate] = {}
    later: set[int] = set()
    updates = StatusUpdate.objects.filter(action__in=actions).only("action_id", "date", "status", "progress")
    for update in updates.order_by("date", "created_at", "pk"):
        if update.date <= as_of:
            latest[update.action_id] = update
        else:
            later.add(update.action_id)
    for action in actions:
        if action.pk in latest:
            action.status, action.progress = latest[action.pk].status, latest[action.pk].progress
        elif action.pk in later:
            action.status, action.progress = ActionStatus.TO_START, 0


def _actions_figures(*, convention: Convention, as_of: date) -> dict:
    statuses = list(ActionStatus)
    orientations = list(convention.orientations.order_by("order", "pk"))
    actions = list(
        ActionSheet.objects.filter(convention=convention)
        .only("reference", "title", "orientation_id", "status", "progress", "due_date", "order")
        .order_by("order", "pk")
    )
    _as_at(actions=actions, as_of=as_of)
    labels = {o.pk: _orientation_label(o) for o in orientations}
    by_orientation = {o.pk: [] for o in orientations}
    loose = []
    for action in actions:
        by_orientation.get(action.orientation_id, loose).append(action)
    groups = [(labels[o.pk], by_orientation[o.pk]) for o in orientations]
    if loose:
        groups.append((OUTSIDE_ORIENTATIONS, loose))
    late_pks = {a.pk for a in actions if a.is_late(today=as_of)}

    def counts(group: list[ActionSheet]) -> list[int]:
        return [sum(1 for a in group if a.status == status) for status in statuses]

    rows = [
        {
            "label": label,
            "counts": counts(group),
            "total": len(group),
            "late": sum(1 for a in group if a.pk in late_pks),
        }
        for label, group in groups
    ]
    orientation_of = {a.pk: label for label, group in groups for a in group}
    listed = [
        {
            "reference": a.reference,
            "title": a.title,
            "orientation": orientation_of[a.pk],
            "status": a.status,
            "status_label": a.get_status_display(),
            "progress": a.progress,
            "due_date": _iso(a.due_date),
            "late": a.pk in late_pks,
        }
        for a in actions
    ]
    return {
        "statuses": [{"value": s.value, "label": s.label} for s in statuses],
        "orientations": rows,
        "status_totals": counts(actions),
        "action_count": len(actions),
        "late_count": len(late_pks),
        "actions": listed,
        "late_actions": [
            {**item, "days_late": (as_of - a.due_date).days}
            for item, a in zip(listed, actions, strict=True)
            if item["late"]
        ],
    }


def _indicators_figures(*, convention: Convention, year: int) -> list[dict]:
    indicators = list(
        Indicator.objects.filter(convention=convention)
        .select_related("action")
        .order_by("action__order", "action_id", "order", "pk")
    )
    measurements: dict[int, list[Measurement]] = {}
    for m in Measurement.objects.filter(indicator__convention=convention, year=year).order_by("quarter"):
        measurements.setdefault(m.indicator_id, []).append(m)
    rows = []
    for indicator in indicators:
        found = measurements.get(indicator.pk, [])
        yearly = next((m for m in found if m.quarter is None), None)
        quarters = [m for m in found if m.quarter is not None]
        # Without a yearly value, the latest quarter of the year stands for it (and says so).
        shown = yearly or (quarters[-1] if quarters else None)
        value = shown.value if shown else None
        baseline, target = indicator.baseline_value, indicator.target_value
        direction = indicator_direction(direction=indicator.direction, baseline=baseline, target=target)
        quantitative = indicator.kind == IndicatorKind.QUANTITATIVE
        rows.append(
            {
                "label": indicator.label,
                "action": indicator.action.reference if indicator.action else "",
                "kind": indicator.kind,
                "unit": indicator.unit,
                "baseline_value": _dec(baseline),
                "baseline_year": indicator.baseline_year,
                "target_value": _dec(target),
                "target_year": indicator.target_year,
                "direction": direction,
                "direction_label": Direction(direction).label if direction else "",
                "value": _dec(value),
                "value_period": shown.period_label if shown else "",
                "text": shown.text if shown else "",
                "quarters": [{"quarter": m.quarter, "value": _dec(m.value), "text": m.text} for m in quarters],
                "progress": indicator_progress(value=value, baseline=baseline, target=target) if quantitative else None,
                "assessment": ASSESSMENTS.get(
                    indicator_assessment(
                        year=year,
                        value=value,
                        baseline=baseline,
                        baseline_year=indicator.baseline_year,
                        target=target,
                        target_year=indicator.target_year,
                        direction=direction,
                    )
                    if quantitative
                    else "",
                    "",
                ),
                "direction_respected": (
                    direction_respected(direction=direction, value=value, baseline=baseline, target=target)
                    if quantitative
                    else None
                ),
            }
        )
    return rows


def _budget_figures(*, convention: Convention, year: int) -> dict:
    lines = list(
        BudgetLine.objects.filter(action__convention=convention, year=year)
        .select_related("action")
        .order_by("action__order", "action_id", "funder", "nature", "pk")
    )
    funders, natures = list(Funder), list(BudgetNature)
    sums: dict[tuple[str, str], list[Decimal]] = {}
    for line in lines:
        planned, actual = sums.setdefault((line.funder, line.nature), [Decimal("0.00"), Decimal("0.00")])
        sums[(line.funder, line.nature)] = [planned + (line.planned or 0), actual + (line.actual or 0)]
    rows = []
    for funder in funders:
        for nature in natures:
            if (funder.value, nature.value) in sums:
                planned, actual = sums[(funder.value, nature.value)]
                rows.append(
                    {
                        "funder": funder.value,
                        "funder_label": funder.label,
                        "nature": nature.value,
                        "nature_label": nature.label,
                        "planned": _dec(planned),
                        "actual": _dec(actual),
                        "rate": _percent(actual, planned) if planned else None,
                    }
                )
    planned = sum((v[0] for v in sums.values()), Decimal("0.00"))
    actual = sum((v[1] for v in sums.values()), Decimal("0.00"))
    return {
        "rows": rows,
        "total": {
            "planned": _dec(planned),
            "actual": _dec(actual),
            "rate": _percent(actual, planned) if planned else None,
        },
        "lines": [
            {
                "action": line.action.reference,
                "action_title": line.action.title,
                "funder_label": line.get_funder_display(),
                "funder_name": line.funder_name,
                "nature_label": line.get_nature_display(),
                "planned": _dec(line.planned),
                "actual": _dec(line.actual),
                "is_caf_means": line.is_caf_means,
                "note": line.note,
            }
            for line in lines
        ],
    }


def _meetings_figures(*, convention: Convention, year: int) -> list[dict]:
    meetings = (
        Meeting.objects.filter(committee__convention=convention, date__year=year)
        .select_related("committee")
        .prefetch_related(
            Prefetch("actions", queryset=ActionSheet.objects.only("reference", "title").order_by("order", "pk"))
        )
        .order_by("date", "pk")
    )
    return [
        {
            "date": _iso(m.date),
            "committee": m.committee.name,
            "place": m.place,
            "agenda": m.agenda,
            "decisions": m.decisions,
            "actions": [{"reference": a.reference, "title": a.title} for a in m.actions.all()],
        }
        for m in meetings
    ]


def review_figures(*, convention: Convention, year: int) -> dict:
    """The figures of a bilan as at 31 December of its year (statuses from the timeline, values and meetings of
    that year), from live data, as JSON-ready values; 8 queries whatever the plan's size."""
    as_of = review_as_of(year=year)
    return {
        "format": FIGURES_FORMAT,
        "year": year,
        "as_of": _iso(as_of),
        "convention": {
            "reference": convention.reference,
            "title": convention.title,
            "caf": convention.caf.name,
            "territory": convention.territory.name,
            "period": convention.period_label,
        },
        **_actions_figures(convention=convention, as_of=as_of),
        "indicators": _indicators_figures(convention=convention, year=year),
        "budget": _budget_figures(convention=convention, year=year),
        "meetings": _meetings_figures(convention=convention, year=year),
    }


def review_narrative(*, review: Review) -> dict:
    """What people wrote about the year, and who validated it: frozen with the figures."""
    meeting = review.meeting
    return {
        "kind": review.kind,
        "kind_label": review.get_kind_display(),
        "year": review.year,
        "version": review.version,
        "summary": review.summary,
        "decisions": review.decisions,
        "meeting": (
            {"date": _iso(meeting.date), "committee": meeting.committee.name, "place": meeting.place}
            if meeting
            else None
        ),
        "validated_at": review.validated_at.isoformat() if review.validated_at else None,
        "validated_by": str(review.validated_by) if review.validated_by else "",
    }


def review_document(*, review: Review) -> dict:
    """What a bilan shows: its snapshot once validated (never recomputed), live figures while draft."""
    if review.status == ReviewStatus.VALIDATED:
        return review.snapshot or {}
    return {**review_figures(convention=review.convention, year=review.year), "review": review_narrative(review=review)}


def _check_year(convention: Convention, year: int) -> None:
    years = review_years(convention=convention)
    if year not in years:
        raise ValidationError(
            {"year": f"L'année du bilan doit être comprise entre {years[0]} et {years[-1]}, la durée de la convention."}
        )


def _draft_exists(convention: Convention, kind: str, year: int) -> bool:
    return Review.objects.filter(convention=convention, kind=kind, year=year, status=ReviewStatus.DRAFT).exists()


def _draft_refusal(kind: str, year: int) -> ValidationError:
    return ValidationError(
        f"Un {ReviewKind(kind).label.lower()} {year} est déjà en préparation : reprenez-le plutôt que d'en commencer "
        "un autre."
    )


def review_create(*, convention: Convention, kind: str, year: int, user, source: Review | None = None) -> Review:
    """A new draft; the next version when a bilan of that kind and year was already validated."""
    with transaction.atomic():
        # Lock the convention's row so that two people starting the same bilan get one draft, not two.
        Convention.objects.select_for_update().filter(pk=convention.pk).first()
        _check_year(convention, year)
        if _draft_exists(convention, kind, year):
            raise _draft_refusal(kind, year)
        last = Review.objects.filter(convention=convention, kind=kind, year=year).aggregate(last=Max("version"))["last"]
        review = Review(
            convention=convention,
            kind=kind,
            year=year,
            version=(last or 0) + 1,
            summary=source.summary if source else "",
            decisions=source.decisions if source else "",
            meeting=source.meeting if source else None,
        )
        review._history_user = user
        review.full_clean()
        review.save()
    return review


def review_new_version(*, review: Review, user) -> Review:
    """Reopen a validated bilan as a new draft (version + 1) starting from its narrative."""
    if review.status != ReviewStatus.VALIDATED:
        raise ValidationError("Ce bilan est encore en préparation : modifiez-le directement.")
    return review_create(convention=review.convention, kind=review.kind, year=review.year, user=user, source=review)


def _locked_draft(review: Review) -> Review:
    current = Review.objects.select_for_update().get(pk=review.pk)
    if current.status != ReviewStatus.DRAFT:
        raise ValidationError(VALIDATED_MESSAGE)
    return current


def review_update(*, review: Review, summary: str, decisions: str, meeting: Meeting | None) -> Review:
    """Change the narrative of a draft; refused once validated."""
    with transaction.atomic():
        _locked_draft(review)
        if meeting is not None and meeting.committee.convention_id != review.convention_id:
            raise ValidationError({"meeting": "Cette réunion appartient à une autre convention."})
        review.summary, review.decisions, review.meeting = summary, decisions, meeting
        review.full_clean()
        review.save(update_fields=["summary", "decisions", "meeting"])
    return review


def review_pdf_filename(*, review: Review) -> str:
    suffix = f"-v{review.version}" if review.version > 1 else ""
    return f"bilan-{review.kind}-{review.year}{suffix}-{slugify(review.convention.reference)}.pdf"


def review_validate(*, review: Review, user) -> Review:
    """Freeze the bilan: figures and narrative in the snapshot, who and when; its PDF is rendered from the snapshot
    by a job, queued in the same transaction (stored once by `review_freeze_pdf`)."""
    with transaction.atomic():
        _locked_draft(review)
        review.status = ReviewStatus.VALIDATED
        review.validated_at = timezone.now()
        review.validated_by = user
        review.snapshot = {
            **review_figures(convention=review.convention, year=review.year),
            "review": review_narrative(review=review),
        }
        review._history_user = user
        review.save()
        job_request(kind="review_pdf", key=str(review.pk), user=user, params=FROZEN_PDF_PARAMS)
    return review


FROZEN_PDF_PARAMS = {"fige": True}


def _stored_pdf(review: Review) -> bytes:
    with review.pdf.open("rb") as handle:
        return handle.read()


def review_freeze_pdf(*, review: Review) -> bytes:
    """The PDF of a validated bilan, rendered from its snapshot and stored the first time only: once stored it is
    the document, served as it is forever after (never rendered again, whatever the code or the data become)."""
    review = Review.objects.select_related("convention").get(pk=review.pk)
    if review.status != ReviewStatus.VALIDATED:
        raise ValidationError("Ce bilan n'est pas validé : son PDF n'est pas figé.")
    if review.pdf:
        return _stored_pdf(review)
    pdf = render_review_pdf(review=review, figures=review.snapshot or {})  # seconds: outside any lock
    with transaction.atomic():
        locked = Review.objects.select_for_update().get(pk=review.pk)
        if locked.pdf:  # another job stored it meanwhile: that one is the document
            return _stored_pdf(locked)
        locked.pdf.save(review_pdf_filename(review=review), ContentFile(pdf), save=False)
        locked.save(update_fields=["pdf"])
    return pdf
