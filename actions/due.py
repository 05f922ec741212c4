"""A fiche's échéance as the conventions write it: a year, a semester, a month or a day.

It is stored as the last day of the period (`ActionSheet.due_date`, so « en retard » and every sort keep
reading one date) and its precision (`ActionSheet.due_precision`). Typed, imported and shown the French way:
« 2025 », « 1er semestre 2025 », « mars 2025 », « 23/11/2026 ». The one reader and writer of those forms.
"""

import calendar
import datetime
import re

from django.core.exceptions import ValidationError

from core.text import MONTHS, fold

from .enums import DuePrecision

_MONTHS_FOLDED = {fold(name): number for number, name in enumerate(MONTHS, start=1)}
_MONTHS_FOLDED.update({"fevr": 2, "fev": 2, "janv": 1, "sept": 9, "oct": 10, "nov": 11, "dec": 12, "avr": 4})
_MONTHS_FOLDED.update({"juil": 7, "aout": 8})
YEARS = (1990, 2100)
INVALID = (
    "Indiquez l'échéance comme une année (« 2025 »), un semestre (« 1er semestre 2025 »), un mois (« mars 2025 ») "
    "ou une date (« 23/11/2026 »)."
)


def _year(text: str) -> int:
    year = int(text)
    if not YEARS[0] <= year <= YEARS[1]:
        raise ValidationError(f"L'année de l'échéance doit être comprise entre {YEARS[0]} et {YEARS[1]}.")
    return year


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def period_end(year: int, precision: str, *, semester: int = 1, month: int = 12) -> datetime.date:
    if precision == DuePrecision.YEAR:
        return datetime.date(year, 12, 31)
    if precision == DuePrecision.SEMESTER:
        return _month_end(year, 6 if semester == 1 else 12)
    return _month_end(year, month)


def parse_due(text: str) -> tuple[datetime.date | None, str]:
    """(last day of the period, precision) from « 2025 », « S1 2025 », « 2e semestre 2025 », « mars 2025 »,
    « 03/2025 », « 23/11/2026 » or « 2026-11-23 »; (None, day) for an empty text. ValidationError otherwise."""
    raw = " ".join(str(text or "").split())
    if not raw:
        return None, DuePrecision.DAY
    folded = fold(raw).replace("-", " ").replace(".", " ").strip()
    if re.fullmatch(r"\d{4}", folded):
        year = _year(folded)
        return period_end(year, DuePrecision.YEAR), DuePrecision.YEAR
    match = re.fullmatch(r"(?:s\s?([12])|([12])\s?(?:er|e|eme|nd|nde)?\s+semestre)\s+(\d{4})", folded)
    if match:
        semester = int(match.group(1) or match.group(2))
        return period_end(_year(match.group(3)), DuePrecision.SEMESTER, semester=semester), DuePrecision.SEMESTER
    match = re.fullmatch(r"([a-z]+)\s+(\d{4})", folded)
    if match and match.group(1) in _MONTHS_FOLDED:
        month = _MONTHS_FOLDED[match.group(1)]
        return period_end(_year(match.group(2)), DuePrecision.MONTH, month=month), DuePrecision.MONTH
    match = re.fullmatch(r"(\d{1,2})\s?/\s?(\d{4})", raw)
    if match and 1 <= int(match.group(1)) <= 12:
        month = int(match.group(1))
        return period_end(_year(match.group(2)), DuePrecision.MONTH, month=month), DuePrecision.MONTH
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", raw) or re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", raw)
    if match:
        parts = [int(part) for part in match.groups()]
        day, month, year = parts if len(match.group(1)) <= 2 else parts[::-1]
        try:
            return datetime.date(_year(str(year)), month, day), DuePrecision.DAY
        except ValueError:
            raise ValidationError(f"« {raw} » n'est pas une date du calendrier.") from None
    raise ValidationError(INVALID)


def format_due(due: datetime.date | None, precision: str) -> str:
    """« 2025 », « 1er semestre 2025 », « mars 2025 », « 23/11/2026 » (the day when the precision is unknown)."""
    if due is None:
        return ""
    if precision == DuePrecision.YEAR:
        return str(due.year)
    if precision == DuePrecision.SEMESTER:
        return f"{'1er' if due.month <= 6 else '2e'} semestre {due.year}"
    if precision == DuePrecision.MONTH:
        return f"{MONTHS[due.month - 1]} {due.year}"
    return due.strftime("%d/%m/%Y")
