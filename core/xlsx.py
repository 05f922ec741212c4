"""The one .xlsx sheet writer: the tableau de suivi, the bilan's figures and the convention list use it."""

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

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
    cells_as_text: bool = False,
    first_sheet: bool = False,
) -> Worksheet:
    """A sheet: a bold header frozen above `rows`, columns `widths` wide.

    - `type_formats`: the number format of the cells holding a value of a type (date, Decimal…);
    - `column_formats`: the number format of a column's filled cells ("@", text, also for its empty ones);
    - `wrapped`: the columns of long text, wrapped (cells aligned at the top, a filter on the header);
    - `choices`: the columns whose values are a list, offered as a drop-down (a warning for another value);
    - `cells_as_text`: a text cell stays text even when it starts with « = » (never a formula);
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
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = BOLD
        if header_fill is not None:
            cell.fill = header_fill
        if tabular:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    count = 0
    for row in rows:
        sheet.append(list(row))
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
            _align_column(sheet, index, column in wrapped, column_formats.get(column), cells_as_text)
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


def _align_column(sheet: Worksheet, index: int, wide: bool, number_format: str | None, cells_as_text: bool) -> None:
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
        if isinstance(cell.value, str):
            if cells_as_text:
                cell.data_type = "s"  # a text starting with « = » stays text, never a formula
            cell.alignment = wrap
        elif cell.value is not None:
            cell.alignment = top
        elif wide:
            cell.alignment = wrap  # what the user types there later wraps too
        if number_format and (cell.value is not None or number_format == "@"):
            cell.number_format = number_format


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
