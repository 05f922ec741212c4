"""The one rule every export applies to the cells it writes, and the CSV writer (core.xlsx writes the .xlsx).

A spreadsheet program reads a cell starting with « = », « + », « - », « @ », a tab or a carriage return as a
formula: a convention title `=HYPERLINK("http://…")` or a fiche reference `=cmd|' /C calc'!A0` would run on
the reader's computer. Every export neutralises such cells here:
- in a .xlsx, the cell is written as text (never a formula) with Excel's quote prefix, so it stays text
  even when edited, and the value is unchanged (the tableau de suivi imports back what it exported);
- in a CSV, which has no cell types, the text is preceded by an apostrophe (the OWASP recommendation).
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.utils.dateformat import format as date_format
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def is_formula_like(value) -> bool:
    """A text a spreadsheet program would read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def xml_text(value):
    """A text without the control characters XML cannot hold (openpyxl refuses them); other values as they are."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def csv_cell(value) -> str:
    """A value as a CSV cell: dates and decimals the French way, a formula-like text behind an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return date_format(value, "d/m/Y H:i")
    if isinstance(value, date):
        return date_format(value, "d/m/Y")
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    if isinstance(value, str):
        return f"'{value}" if is_formula_like(value) else value
    return str(value)


def csv_bytes(*, header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """UTF-8 with a BOM and « ; » between fields: what Excel opens in France with the accents intact."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([csv_cell(value) for value in header])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
