"""Writes of annexe 5's indicators and of their values. Each runs in one transaction and validates."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import Truncator

from core.locking import StaleEditError, expected_marker, latest_change, save_if_unchanged, stale_message

from ..enums import IndicatorKind
from ..models import Indicator, Measurement


@dataclass(frozen=True)
class Period:
    year: int
    quarter: int | None = None

    @property
    def label(self) -> str:
        return f"T{self.quarter} {self.year}" if self.quarter else str(self.year)

    @property
    def suffix(self) -> str:
        return f"{self.year}-t{self.quarter}" if self.quarter else str(self.year)


@dataclass
class MeasurementChange:
    """What the grid asks the service to write for one cell."""

    indicator: Indicator
    period: Period
    value: Decimal | None
    text: str
    marker: str | None  # the value's marker as read with the page (core.locking); None: the cell was empty

    @property
    def is_empty(self) -> bool:
        return self.value is None and not self.text


def indicator_save(*, indicator: Indicator, marker: str, user) -> Indicator:
    """Create or update an indicator (of a fiche, or of the convention when `action` is empty)."""
    with transaction.atomic():
        if indicator.pk is None:
            siblings = Indicator.objects.filter(convention_id=indicator.convention_id, action_id=indicator.action_id)
            last = siblings.aggregate(last=Max("order"))["last"]
            indicator.order = 0 if last is None else last + 1
        indicator.full_clean()
        save_if_unchanged(instance=indicator, marker=marker, user=user)
    return indicator


def indicator_delete(*, indicator: Indicator, user) -> int:
    """Delete an indicator and its values; returns how many values went with it."""
    with transaction.atomic():
        count = 0
        for measurement in indicator.measurements.all():
            measurement._history_user = user
            measurement.delete()
            count += 1
        indicator._history_user = user
        indicator.delete()
    return count


def _where(change: MeasurementChange) -> str:
    return f"« {Truncator(change.indicator.label).chars(60)} », {change.period.label}"


def measurements_save(*, changes: list[MeasurementChange], user) -> dict[str, int]:
    """Write the changed cells of the values grid, all or nothing; each change is authored by `user`.

    A cell emptied by the user deletes its value (or only clears it when the row also holds a source, a
    comment or, for a quantitative indicator, a text). A cell that someone else changed since the grid was
    read is refused (StaleEditError naming them), and nothing is written.
    """
    counts = {"created": 0, "updated": 0, "deleted": 0}
    if not changes:
        return counts
    with transaction.atomic():
        indicator_ids = {change.indicator.pk for change in changes}
        current = {
            (m.indicator_id, m.year, m.quarter): m
            # No default ordering here: it joins the nullable fiche, which PostgreSQL cannot lock.
            for m in Measurement.objects.select_for_update(of=("self",))
            .filter(indicator_id__in=indicator_ids)
            .order_by("pk")
        }
        for change in changes:
            key = (change.indicator.pk, change.period.year, change.period.quarter)
            measurement = current.get(key)
            if measurement is None and change.marker is not None:
                raise StaleEditError(f"{_where(change)} : cette valeur a été supprimée entre-temps. Rechargez la page.")
            if measurement is not None and expected_marker(measurement) != change.marker:
                last = latest_change(Measurement, id=measurement.pk)
                raise StaleEditError(f"{_where(change)} : {stale_message(last)}")
            quantitative = change.indicator.kind == IndicatorKind.QUANTITATIVE
            if measurement is None:
                if change.is_empty:
                    continue
                measurement = Measurement(
                    indicator=change.indicator, year=change.period.year, quarter=change.period.quarter
                )
                counts["created"] += 1
            elif change.is_empty:
                other = measurement.text if quantitative else measurement.value
                if not (measurement.source or measurement.comment or other not in (None, "")):
                    measurement._history_user = user
                    measurement.delete()
                    counts["deleted"] += 1
                    continue
                counts["updated"] += 1
            else:
                counts["updated"] += 1
            if quantitative:
                measurement.value = change.value
            else:
                measurement.text = change.text
            measurement.author = user
            measurement._history_user = user
            try:
                measurement.full_clean()
            except ValidationError as exc:
                raise ValidationError(f"{_where(change)} : {' '.join(exc.messages)}") from None
            if measurement.pk is None:
                measurement.save()
            else:
                save_if_unchanged(instance=measurement, marker=change.marker, user=user)
    return counts
