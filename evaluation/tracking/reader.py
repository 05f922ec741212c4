"""Reading a tableau de suivi workbook: the archive checked before it is opened, the rows streamed.

A workbook is refused before openpyxl opens it when its archive inflates beyond a sane size (a few
hundred bytes of deflate can stand for megabytes of XML), and while its sheets are read as soon as one
passes a hard cap on rows, columns or the length of a cell: rows are read one by one (openpyxl's
read-only mode) and never all collected before they are checked, so a hostile file costs the time and
memory of reading up to the cap, not of the whole file (issue 17, item 1).
"""

import io
import re
import zipfile
from xml.etree import ElementTree

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from core.text import fold, french_number

from .cells import _text
from .columns import COLUMNS, MAX_UPLOAD_SIZE, SHEETS
from .report import TrackingReport

# Caps, generous for a real convention: its plan has tens of fiches, a few hundred indicators and a few
# thousand values (the bench's large convention: 60 fiches, 200 indicators, 1 000 values), on sheets of
# at most 28 columns; Excel itself stops a cell at 32 767 characters.
MAX_ROWS = 20_000  # rows under the header, per sheet (empty rows count: each one is read)
MAX_COLUMNS = 100  # columns read in a row; a value further right is refused
MAX_CELL_LENGTH = 32_767  # characters in one cell
# Unpacked sizes: the whole archive; the shared strings, which openpyxl loads whole before any row; each
# sheet, which openpyxl parses once whole when it opens the workbook if the sheet does not declare its
# dimensions; the workbook's list of sheets. A Valeurs sheet of 20 000 rows written by openpyxl: 8.7 Mo.
MAX_UNCOMPRESSED_SIZE = 32 * 1024 * 1024
MAX_SHARED_STRINGS_SIZE = 16 * 1024 * 1024
MAX_SHEET_SIZE = 16 * 1024 * 1024
MAX_PART_SIZE = 1024 * 1024  # the workbook part and its relationships: a few hundred bytes for three sheets
SHARED_STRINGS = "xl/sharedStrings.xml"
WORKBOOK_PARTS = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")
# The start of a row element (`<row …>`, `<x:row …>`), counted in each sheet before openpyxl opens the file.
ROW_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")

TOO_BIG = "Ce classeur est anormalement volumineux une fois décompressé : il ne peut pas être importé."
UNREADABLE = "Ce fichier n'est pas un classeur Excel (.xlsx) lisible."


def workbook_problem(data: bytes) -> str | None:
    """Why these bytes are not an .xlsx workbook we accept, or None.

    The sizes checked are those the archive declares for its members: Python's zip reader never inflates
    a member beyond its declared size, so a file that lies about them cannot get past this check.
    """
    if len(data) > MAX_UPLOAD_SIZE:
        return "Le fichier dépasse 5 Mo : un tableau de suivi pèse bien moins. Vérifiez qu'il s'agit du bon fichier."
    if not data.startswith(b"PK\x03\x04"):
        return "Ce fichier n'est pas un classeur Excel (.xlsx). Enregistrez-le au format « Classeur Excel (.xlsx) »."
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if "xl/workbook.xml" not in names:
                return "Ce fichier n'est pas un classeur Excel (.xlsx) : c'est une archive d'un autre type."
            if sum(info.file_size for info in infos) > MAX_UNCOMPRESSED_SIZE:
                return TOO_BIG
            sheets = [info for info in infos if info.filename.startswith("xl/worksheets/")]
            for info in infos:
                if info.filename == SHARED_STRINGS and info.file_size > MAX_SHARED_STRINGS_SIZE:
                    return TOO_BIG
                if info in sheets and info.file_size > MAX_SHEET_SIZE:
                    return TOO_BIG
                if info.filename in WORKBOOK_PARTS and info.file_size > MAX_PART_SIZE:
                    return TOO_BIG
            for info in sheets:
                if _count_rows(archive, info) > MAX_ROWS + 1:
                    return _too_many_rows(_sheet_names(archive).get(info.filename, info.filename))
    except zipfile.BadZipFile:
        return "Ce fichier n'est pas un classeur Excel (.xlsx) lisible : il est peut-être endommagé."
    return None


def _count_rows(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """The row elements of a sheet, counted as it inflates (1 Mo at a time), up to one past the cap."""
    count, tail = 0, b""
    with archive.open(info) as member:
        while count <= MAX_ROWS + 1 and (chunk := member.read(1024 * 1024)):
            data = tail + chunk
            # A row start that ends within the kept tail was counted with the previous chunk.
            count += sum(1 for match in ROW_START.finditer(data) if match.end() > len(tail))
            tail = data[-64:]
    return count


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """{member: sheet name} from the workbook part and its relationships (both small, checked above)."""
    try:
        relationships = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        targets = {
            rel.get("Id"): "xl/" + rel.get("Target", "").removeprefix("/xl/").lstrip("/") for rel in relationships
        }
        names = {}
        for element in ElementTree.fromstring(archive.read("xl/workbook.xml")).iter():
            if element.tag.endswith("}sheet"):
                rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
                if rid in targets:
                    names[targets[rid]] = element.get("name", "")
        return names
    except (KeyError, ElementTree.ParseError):
        return {}


def _too_many_rows(sheet: str) -> str:
    return (
        f"Le classeur dépasse {french_number(MAX_ROWS)} lignes dans la feuille « {sheet} » : un tableau de suivi en "
        "compte bien moins. Supprimez les lignes en trop (lignes vides mises en forme comprises) puis importez-le "
        "de nouveau."
    )


class _Refused(Exception):
    """A sheet passes a cap; the message is French and complete."""


def read_workbook(
    data: bytes, report: TrackingReport, *, headings: dict[str, str] | None = None
) -> dict[str, list[tuple[int, dict]]] | None:
    """The rows of each sheet as {column: raw value}, or None (errors reported) when the workbook is refused.

    `data` has passed `workbook_problem`. Blank rows are left out; each row keeps its number in the sheet.
    `headings` ({column: heading}) are other headings a column is read under: the convention's names of its plan's
    levels (« Objectif stratégique » for the column « Axe »).
    """
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on a damaged file
        report.errors.append(UNREADABLE)
        return None
    sheets = {}
    report.exported_at = exported_at(workbook)
    try:
        names = {fold(name): name for name in workbook.sheetnames}
        for sheet in SHEETS:
            if fold(sheet) not in names:
                report.errors.append(
                    f"Le classeur n'a pas de feuille « {sheet} » : il faut les feuilles {', '.join(SHEETS)} "
                    "(exportez le tableau de suivi pour partir du bon modèle)."
                )
                continue
            sheets[sheet] = _read_sheet(sheet, workbook[names[fold(sheet)]], report, headings or {})
    except _Refused as exc:
        report.errors.append(str(exc))
    except Exception:  # a member that does not inflate to its checksum, XML cut short…
        report.errors.append(UNREADABLE)
    finally:
        workbook.close()
    if report.errors:
        return None
    return sheets


def _read_sheet(sheet: str, worksheet, report: TrackingReport, headings: dict[str, str]) -> list[tuple[int, dict]]:
    columns = COLUMNS[sheet]
    worksheet.reset_dimensions()  # some tools declare 16 384 columns: read only what is there
    # One column past the cap is read, to see a value there; openpyxl pads each row to this width only.
    rows = worksheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)
    header_values = next(rows, ())
    _check_row(sheet, 1, header_values)
    header = [_text(value) for value in header_values]
    for index, expected in enumerate(columns):
        found = header[index] if index < len(header) else ""
        if fold(found) not in (fold(expected), fold(headings.get(expected, expected))):
            report.cell_error(
                sheet,
                1,
                get_column_letter(index + 1),
                f"en-tête « {found} » au lieu de « {headings.get(expected, expected)} » (les colonnes attendues, dans "
                f"l'ordre : {' | '.join(headings.get(column, column) for column in columns)}).",
            )
            return []
    extra = [value for value in header[len(columns) :] if value]
    if extra:
        report.warnings.append(f"Feuille {sheet} : colonnes ignorées à droite du tableau ({', '.join(extra)}).")
    result = []
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            raise _Refused(_too_many_rows(sheet))
        _check_row(sheet, number, values)
        values = list(values[: len(columns)]) + [None] * (len(columns) - len(values))
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        result.append((number, dict(zip(columns, values, strict=True))))
    return result


def _check_row(sheet: str, number: int, values: tuple) -> None:
    """Refuse a row that has a value beyond the column cap or a cell longer than the length cap."""
    if len(values) > MAX_COLUMNS and values[MAX_COLUMNS] not in (None, ""):
        raise _Refused(
            f"Feuille {sheet}, ligne {number} : le classeur dépasse {MAX_COLUMNS} colonnes ; un tableau de suivi en "
            f"compte {len(COLUMNS[sheet])} dans cette feuille."
        )
    for index, value in enumerate(values):
        if isinstance(value, str) and len(value) > MAX_CELL_LENGTH:
            raise _Refused(
                f"Feuille {sheet}, ligne {number}, colonne {get_column_letter(index + 1)} : la cellule dépasse "
                f"{french_number(MAX_CELL_LENGTH)} caractères ({french_number(len(value))})."
            )


def exported_at(workbook):
    """When CTG exported this workbook (a document property spreadsheet programs keep), or None."""
    from django.utils.dateparse import parse_datetime

    from .export import EXPORTED_AT_PROPERTY

    try:
        for prop in workbook.custom_doc_props:
            if prop.name == EXPORTED_AT_PROPERTY and isinstance(prop.value, str):
                return parse_datetime(prop.value)
    except (AttributeError, TypeError, ValueError):
        return None
    return None
