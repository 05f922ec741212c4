"""The tableau de suivi reader: hostile workbooks are refused fast, in bounded memory, with nothing written."""

import io
import struct
import time
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.models import ActionSheet
from evaluation.models import Indicator, Measurement
from evaluation.tracking import (
    ACTION_COLUMNS,
    INDICATOR_COLUMNS,
    MAX_CELL_LENGTH,
    MAX_COLUMNS,
    VALUE_COLUMNS,
    tracking_export,
    tracking_import,
)
from evaluation.tracking import reader as reader_module
from evaluation.tracking.reader import read_workbook
from evaluation.tracking.report import TrackingReport
from tests.actions.factories import ActionSheetFactory
from tests.evaluation.factories import IndicatorFactory, MeasurementFactory

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    + "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for n in (1, 2, 3)
    )
    + "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
SHEET_NAMES = ("Fiches", "Indicateurs", "Valeurs")
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    + "".join(f'<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>' for n, name in enumerate(SHEET_NAMES, start=1))
    + "</sheets></workbook>"
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    + "".join(
        f'<Relationship Id="rId{n}" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        f'Target="worksheets/sheet{n}.xml"/>'
        for n in (1, 2, 3)
    )
    + "</Relationships>"
)
SHEET_START = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
SHEET_END = "</sheetData></worksheet>"


def inline_row(values) -> str:
    cells = "".join(f'<c t="inlineStr"><is><t>{value}</t></is></c>' for value in values)
    return f"<row>{cells}</row>"


def bomb(rows: int, row_xml: str) -> bytes:
    """A tableau de suivi written with a raw zip writer: right headers, then `rows` copies of `row_xml` in
    the Valeurs sheet, streamed into the archive (never held whole in memory)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        for n, columns in enumerate((ACTION_COLUMNS, INDICATOR_COLUMNS), start=1):
            archive.writestr(f"xl/worksheets/sheet{n}.xml", SHEET_START + inline_row(columns) + SHEET_END)
        with archive.open("xl/worksheets/sheet3.xml", "w") as sheet:
            sheet.write((SHEET_START + inline_row(VALUE_COLUMNS)).encode())
            chunk, left = (row_xml * 10_000).encode(), rows
            while left >= 10_000:
                sheet.write(chunk)
                left -= 10_000
            sheet.write((row_xml * left).encode())
            sheet.write(SHEET_END.encode())
    return buffer.getvalue()


def unpacked_sizes(data: bytes) -> dict[str, int]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: info.file_size for info in archive.infolist()}


ROW_CAP = (
    "Le classeur dépasse 20\u00a0000 lignes dans la feuille « Valeurs » : un tableau de suivi en compte bien "
    "moins. Supprimez les lignes en trop (lignes vides mises en forme comprises) puis importez-le de nouveau."
)


@pytest.fixture
def followed(convention):
    action = ActionSheetFactory(convention=convention, reference="1.1")
    indicator = IndicatorFactory(convention=convention, action=action, label="Familles accueillies")
    MeasurementFactory(indicator=indicator, year=2024, quarter=None)
    return convention


def stored(convention) -> tuple:
    """What an import could write: the rows and their history."""
    return tuple((model.objects.count(), model.history.count()) for model in (ActionSheet, Indicator, Measurement)) + (
        convention.history.count(),
    )


def timed_import(convention, data: bytes) -> tuple[TrackingReport, float, int]:
    """The report, the seconds it took and the peak of memory allocated while importing (bytes)."""
    start = time.perf_counter()
    report = tracking_import(convention=convention, data=data, user=None, scope="full", dry_run=False)
    seconds = time.perf_counter() - start
    tracemalloc.start()
    try:
        tracking_import(convention=convention, data=data, user=None, scope="full", dry_run=False)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return report, seconds, peak


def test_the_bomb_of_the_security_test_is_refused_before_it_is_opened(followed):
    # Issue 17: 1.25 M inline-string rows, under 800 Ko zipped, about 190 Mo unpacked.
    data = bomb(1_250_000, inline_row(["1.1", "Familles accueillies", "2024"]))
    assert len(data) < 800_000 and sum(unpacked_sizes(data).values()) > 150 * 1024 * 1024
    before = stored(followed)

    report, seconds, peak = timed_import(followed, data)

    assert report.errors == [
        "Ce classeur est anormalement volumineux une fois décompressé : il ne peut pas être importé."
    ]
    assert not report.written and stored(followed) == before
    assert seconds < 5 and peak < 50 * 1024 * 1024


def test_a_bomb_within_the_unpacked_sizes_is_refused_at_the_row_cap(followed):
    # 300 000 inline-string rows that inflate to less than every size cap: the rows are counted as the sheet
    # inflates, before openpyxl opens it, and the count stops at the first row past the cap.
    data = bomb(300_000, inline_row(["x"]))
    sizes = unpacked_sizes(data)
    assert sum(sizes.values()) < reader_module.MAX_UNCOMPRESSED_SIZE
    assert sizes["xl/worksheets/sheet3.xml"] < reader_module.MAX_SHEET_SIZE
    before = stored(followed)

    report, seconds, peak = timed_import(followed, data)

    assert report.errors == [ROW_CAP]
    assert not report.written and stored(followed) == before
    assert seconds < 5 and peak < 100 * 1024 * 1024


def test_a_tiny_sheet_whose_last_row_is_a_million_rows_down_is_refused_at_the_row_cap(followed):
    # openpyxl hands out the missing rows as empty ones: they are counted as they come, not all at once.
    data = bomb(1, '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>')
    assert len(data) < 5_000

    report, seconds, peak = timed_import(followed, data)

    assert report.errors == [ROW_CAP] and seconds < 5 and peak < 50 * 1024 * 1024


def test_the_web_import_refuses_the_bomb_next_to_the_field(client, followed, cooperation):
    before = stored(followed)
    client.force_login(cooperation)
    url = reverse("evaluation:tracking_import", args=[followed.pk])

    start = time.perf_counter()
    response = client.post(url, {"file": SimpleUploadedFile("suivi.xlsx", bomb(300_000, inline_row(["x"])))})

    assert time.perf_counter() - start < 5
    page = response.content.decode()
    assert response.status_code == 200 and "lignes dans la feuille « Valeurs »" in page
    assert "Confirmer" not in page and stored(followed) == before


def workbook_bytes(book: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_rows_up_to_the_cap_are_read_and_one_more_is_refused(followed, monkeypatch):
    monkeypatch.setattr(reader_module, "MAX_ROWS", 50)
    book = openpyxl.load_workbook(io.BytesIO(tracking_export(convention=followed)))
    values = book["Valeurs"]
    year = 2000
    while values.max_row < 51:
        values.append(["1.1", "Familles accueillies", year])
        year += 1

    report = TrackingReport(dry_run=True)
    sheets = read_workbook(workbook_bytes(book), report)
    assert report.errors == [] and len(sheets["Valeurs"]) == 50

    values.cell(52, 8).value = " "  # one more row, even a blank one, is one too many
    report = TrackingReport(dry_run=True)
    assert read_workbook(workbook_bytes(book), report) is None
    assert report.errors[0].startswith("Le classeur dépasse 50 lignes dans la feuille « Valeurs »")


def test_a_value_beyond_the_column_cap_or_a_cell_too_long_is_refused(followed):
    before = stored(followed)
    book = openpyxl.load_workbook(io.BytesIO(tracking_export(convention=followed)))
    book["Indicateurs"].cell(2, MAX_COLUMNS + 1).value = "au-delà"
    report = tracking_import(convention=followed, data=workbook_bytes(book), user=None, scope="full", dry_run=False)
    assert report.errors == [
        "Feuille Indicateurs, ligne 2 : le classeur dépasse 100 colonnes ; un tableau de suivi en compte 9 dans "
        "cette feuille."
    ]

    # openpyxl cuts what it writes at Excel's limit: a longer cell is written by hand.
    too_long = bomb(1, inline_row(["1.1", "Familles accueillies", "2024", "", "", "a" * (MAX_CELL_LENGTH + 1)]))
    report = tracking_import(convention=followed, data=too_long, user=None, scope="full", dry_run=False)
    assert report.errors == [
        "Feuille Valeurs, ligne 2, colonne F : la cellule dépasse 32\u00a0767 caractères (32\u00a0768)."
    ]
    assert stored(followed) == before

    # Empty cells far to the right (some tools write them) and a long text under the cap are fine.
    book = openpyxl.load_workbook(io.BytesIO(tracking_export(convention=followed)))
    book["Fiches"].cell(2, 16_000).value = ""
    book["Fiches"]["N2"].value = "a" * MAX_CELL_LENGTH
    report = tracking_import(convention=followed, data=workbook_bytes(book), user=None, scope="full", dry_run=True)
    assert report.errors == [] and report.counts["Fiches"].updated == 1


def test_shared_strings_that_inflate_beyond_their_cap_are_refused(followed):
    buffer = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(tracking_export(convention=followed)))
    with source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename != "xl/sharedStrings.xml":
                archive.writestr(info, source.read(info))
        archive.writestr("xl/sharedStrings.xml", b" " * (reader_module.MAX_SHARED_STRINGS_SIZE + 1))

    report = tracking_import(convention=followed, data=buffer.getvalue(), user=None, scope="full", dry_run=True)

    assert report.errors == [
        "Ce classeur est anormalement volumineux une fois décompressé : il ne peut pas être importé."
    ]


def lie_about_size(data: bytes, name: str, size: int) -> bytes:
    """The archive with `name` declared `size` bytes unpacked in its central directory."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        offset = archive.start_dir
    lying = bytearray(data)
    while lying[offset : offset + 4] == b"PK\x01\x02":
        name_length, extra_length, comment_length = struct.unpack("<HHH", lying[offset + 28 : offset + 34])
        if lying[offset + 46 : offset + 46 + name_length].decode() == name:
            lying[offset + 24 : offset + 28] = struct.pack("<I", size)
        offset += 46 + name_length + extra_length + comment_length
    return bytes(lying)


def test_a_member_that_lies_about_its_size_is_not_inflated_past_it(followed):
    """The size check reads the sizes the archive declares: Python's zip reader never inflates a member past
    its declared size (it stops there and finds the checksum wrong), so a lie cannot get round the cap."""
    lying = lie_about_size(bomb(30_000, inline_row(["x"])), "xl/worksheets/sheet3.xml", 1000)
    with zipfile.ZipFile(io.BytesIO(lying)) as archive:
        assert archive.getinfo("xl/worksheets/sheet3.xml").file_size == 1000
        with archive.open("xl/worksheets/sheet3.xml") as member, pytest.raises(zipfile.BadZipFile, match="CRC"):
            member.read()

    report = tracking_import(convention=followed, data=lying, user=None, scope="full", dry_run=True)
    assert report.errors == ["Ce fichier n'est pas un classeur Excel (.xlsx) lisible : il est peut-être endommagé."]
