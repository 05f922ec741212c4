"""Reading the workbook's cells: numbers, years, dates and choices typed the French way, or refused."""

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from openpyxl.utils.datetime import from_excel

from actions.due import parse_due
from actions.enums import DuePrecision
from core.text import fold


class _Invalid(Exception):
    """A cell that cannot be read; the message is French and completes « colonne X : … »."""


def _norm(text: str) -> str:
    """Line endings and surrounding spaces do not make a difference between the file and the database."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _key(text: str) -> str:
    return " ".join(text.split())


def _text(raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "oui" if raw else "non"
    if isinstance(raw, float):
        return str(int(raw)) if raw.is_integer() else repr(raw)
    if isinstance(raw, datetime):
        raw = raw.date()
    if isinstance(raw, date):
        return raw.strftime("%d/%m/%Y")
    return _norm(str(raw))


def _number_text(raw) -> str:
    text = str(raw).strip()
    for character in ("\u202f", "\xa0", " ", "€", "%"):
        text = text.replace(character, "")
    return text.replace(",", ".")


def _decimal(raw) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise _Invalid(f"nombre attendu, « {raw} » trouvé.")
    if isinstance(raw, int | float | Decimal):
        value = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
    else:
        try:
            value = Decimal(_number_text(raw))
        except InvalidOperation:
            raise _Invalid(f"nombre attendu, « {_text(raw)} » trouvé.")
    if not value.is_finite():
        raise _Invalid(f"nombre attendu, « {_text(raw)} » trouvé.")
    try:
        rounded = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise _Invalid(f"nombre trop grand, « {_text(raw)} » trouvé.")
    # A spreadsheet's binary arithmetic leaves 0.30000000000000004: that is 0.30, not a third decimal.
    if abs(rounded - value) > Decimal("0.000001"):
        raise _Invalid(f"deux décimales au plus, « {_text(raw)} » trouvé.")
    return rounded if value != rounded else value


def _integer(raw, *, low: int, high: int, what: str) -> int | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    value = None
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    elif isinstance(raw, float) and raw.is_integer():
        value = int(raw)
    elif isinstance(raw, str) and re.fullmatch(r"-?\d+", _number_text(raw)):
        value = int(_number_text(raw))
    if value is None or not low <= value <= high:
        raise _Invalid(f"{what} attendu, « {_text(raw)} » trouvé.")
    return value


def _year(raw) -> int | None:
    return _integer(raw, low=1900, high=2200, what="année (quatre chiffres)")


def _quarter(raw) -> int | None:
    if isinstance(raw, str) and re.fullmatch(r"\s*[tTqQ]\s*[1-4]\s*", raw):
        raw = raw.strip()[1:].strip()
    return _integer(raw, low=1, high=4, what="trimestre de 1 à 4 (ou vide pour une valeur annuelle)")


def _date(raw) -> date | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool) and 1 <= raw < 2_958_466:
        return from_excel(raw).date()
    text = _text(raw)
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise _Invalid(f"date attendue (JJ/MM/AAAA), « {text} » trouvé.")


def _due(raw) -> tuple[date | None, str]:
    """An échéance: a date cell, or a text « 2025 », « 1er semestre 2025 », « mars 2025 », « 23/11/2026 »."""
    if isinstance(raw, datetime) and raw.year == 1905:
        # « 2027 » typed in the column's date-formatted cells is the serial 2027, read back as 19/07/1905: a year.
        raw = (raw - datetime(1899, 12, 30)).days
    if isinstance(raw, date | int | float) and not isinstance(raw, bool):
        if not isinstance(raw, date) and 1990 <= raw <= 2100 and raw == int(raw):
            raw = str(int(raw))  # a year typed in a number cell
        else:
            return _date(raw), DuePrecision.DAY
    text = _text(raw)
    try:
        return parse_due(text)
    except ValidationError:
        raise _Invalid(
            f"échéance attendue (« 2025 », « 1er semestre 2025 », « mars 2025 » ou « 23/11/2026 »), « {text} » trouvé."
        ) from None


def _choice(raw, enum, *, required: bool = False) -> str:
    possible = ", ".join(label.lower() for label in enum.labels)
    text = _text(raw)
    if not text:
        if required:
            raise _Invalid(f"valeur obligatoire (valeurs possibles : {possible}).")
        return ""
    wanted = fold(text)
    for value, label in enum.choices:
        if wanted in (fold(label), fold(value), fold(value.replace("_", " "))):
            return value
    raise _Invalid(f"valeur inconnue « {text} » (valeurs possibles : {possible}).")


def _shown(value) -> str:
    """A value as the preview shows it (close to what the spreadsheet shows)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f").replace(".", ",")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:77] + "…"
