"""The one .xlsx writer: the tableau de suivi, the bilan's figures and the convention list use it.

Every cell goes through `append_row` (control characters XML cannot hold removed) and every workbook through
`workbook_bytes`, which writes no cell as a formula (core.exports: the formula-injection rule).
"""

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .exports import is_formula_like, xml_text

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOLD = Font(bold=True)
DATE_FORMAT = "DD/MM/YYYY"


def write_sheet(
    workbook: Workbook,
    *,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence],
    widths: Sequence[int],
    header_fill: PatternFill | None = None,
    type_formats: dict[type, str] | None = None,
    column_formats: dict[str, str] | None = None,
    wrapped: Iterable[str] = (),
    choices: dict[str, Sequence[str]] | None = None,
    first_sheet: bool = False,
) -> Worksheet:
    """A sheet: a bold header frozen above `rows`, columns `widths` wide.

    - `type_formats`: the number format of the cells holding a value of a type (date, Decimal…);
    - `column_formats`: the number format of a column's filled cells ("@", text, also for its empty ones);
    - `wrapped`: the columns of long text, wrapped (cells aligned at the top, a filter on the header);
    - `choices`: the columns whose values are a list, offered as a drop-down (a warning for another value);
    - `first_sheet`: write on the workbook's first, empty sheet instead of adding one.
    """
    type_formats = type_formats or {}
    column_formats = column_formats or {}
    choices = choices or {}
    wrapped = set(wrapped)
    tabular = bool(wrapped or column_formats or choices)
    if first_sheet:
        sheet = workbook.active
        sheet.title = title
    else:
        sheet = workbook.create_sheet(title)
    append_row(sheet, header)
    for cell in sheet[1]:
        cell.font = BOLD
        if header_fill is not None:
            cell.fill = header_fill
        if tabular:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    count = 0
    for row in rows:
        append_row(sheet, row)
        count += 1
        if type_formats:
            for cell in sheet[sheet.max_row]:
                for kind, number_format in type_formats.items():
                    if isinstance(cell.value, kind):
                        cell.number_format = number_format
                        break
    for index, (column, width) in enumerate(zip(header, widths, strict=True), start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        if tabular:
            _align_column(sheet, index, column in wrapped, column_formats.get(column))
        if column in choices:
            labels = list(choices[column])
            validation = DataValidation(
                type="list",
                formula1=f'"{",".join(labels)}"',
                allow_blank=True,
                errorStyle="warning",
                error=f"Valeurs possibles : {', '.join(labels)}.",
            )
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{max(count + 500, 1000)}")
    sheet.freeze_panes = "A2"
    if tabular:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{count + 1}"
    return sheet


def _align_column(sheet: Worksheet, index: int, wide: bool, number_format: str | None) -> None:
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
        if isinstance(cell.value, str):
            cell.alignment = wrap
        elif cell.value is not None:
            cell.alignment = top
        elif wide:
            cell.alignment = wrap  # what the user types there later wraps too
        if number_format and (cell.value is not None or number_format == "@"):
            cell.number_format = number_format


def append_row(sheet: Worksheet, values: Iterable) -> None:
    """Append a row of values to a sheet: texts without the control characters XML refuses, never a formula."""
    sheet.append([xml_text(value) for value in values])
    for cell in sheet[sheet.max_row]:
        _as_text(cell)


def _as_text(cell) -> None:
    if isinstance(cell.value, str):
        cell.data_type = "s"  # a text starting with « = » stays text, never a formula
        if is_formula_like(cell.value):
            cell.quotePrefix = True  # and stays text when the reader edits it


def workbook_bytes(workbook: Workbook) -> bytes:
    """The workbook as .xlsx bytes; the last guard: a text cell written another way is still never a formula."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    _as_text(cell)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
