"""PDFs built in the tests: a plain one, and hostile ones (tests/core/test_uploads.py)."""

import io

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject


def _bytes(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def plain_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    return _bytes(writer)


def _with_open_action(action: dict) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(
        DictionaryObject({NameObject(k): v for k, v in action.items()})
    )
    return _bytes(writer)


def hostile_pdfs() -> dict[str, bytes]:
    javascript = PdfWriter()  # a document-level script in the names tree, run when the file opens
    javascript.add_blank_page(width=595, height=842)
    script = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("1")})
    names = ArrayObject([TextStringObject("ouverture"), javascript._add_object(script)])
    javascript._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): DictionaryObject({NameObject("/Names"): names})}
    )
    attachment = PdfWriter()
    attachment.add_blank_page(width=595, height=842)
    attachment.add_attachment("facture.exe", b"MZ\x90\x00" + b"\x00" * 64)
    encrypted = PdfWriter()
    encrypted.add_blank_page(width=595, height=842)
    encrypted.encrypt(user_password="secret", owner_password="secret", algorithm="RC4-128")
    return {
        "ELF derrière %PDF-": b"%PDF-1.7\n\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 8,
        "HTML derrière %PDF-": b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n",
        "/OpenAction /JavaScript": _with_open_action(
            {"/S": NameObject("/JavaScript"), "/JS": TextStringObject("app.launchURL('http://x.example');")}
        ),
        "/OpenAction /Launch": _with_open_action({"/S": NameObject("/Launch"), "/F": TextStringObject("calc.exe")}),
        "JavaScript nommé (/Names)": _bytes(javascript),
        "fichier joint": _bytes(attachment),
        "chiffré": _bytes(encrypted),
        "tronqué": plain_pdf()[:60],
    }
