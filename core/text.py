"""French text: folding for matching, numbers typed and shown the French way, long dates."""

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils import numberformat

NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
NBSP = "\u00a0"  # the typeface has no U+202F glyph: a fallback font would change the line's look
# The C0 control characters a person never types (tab, line feed and carriage return are text), and DEL.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip


def fold(text: str) -> str:
    """Case- and accent-insensitive key: « Parentalité » and « parentalite » are the same entry."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def french_number(value, *, decimals: int | None = None, thousands: str = NBSP) -> str:
    """« 37 070 », « 25,1 », « -0,3 »: thousands grouped, a decimal comma, no useless zeros.

    `decimals=0` rounds to a whole number first (charts); `thousands=" "` gives the plain space of a value put
    back in a field the user edits (FrenchDecimalField reads both). A value that is not a number is returned
    as text.
    """
    if value is None or value == "":
        return ""
    if decimals == 0 and isinstance(value, Decimal | float):
        value = round(value)
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    # normalize() alone would write 37070 as 3.707E+4.
    number = number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()
    return numberformat.format(number, ",", grouping=3, thousand_sep=thousands, force_grouping=True)


def parse_french_number(text: str) -> Decimal | None:
    """« 37 070 », « 25,1 », « 1.234,5 » as a Decimal; None when it is not a number."""
    text = text.strip()
    for space in (" ", NBSP, "\u202f", "\u2009"):
        text = text.replace(space, "")
    if "," in text:
        # « 1.234,5 »: the dots separate thousands, the comma the decimals.
        text = text.replace(".", "").replace(",", ".")
    if not NUMBER.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def french_long_date(value: date | None) -> str:
    """« 1er janvier 2022 », « 13 décembre 2022 »."""
    if value is None:
        return ""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"
