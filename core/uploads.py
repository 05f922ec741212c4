"""Uploaded PDFs (deliberations): read as PDFs, not trusted on their first bytes.

A file is refused, with a French message for the field, when it is too large (checked on the upload's size
before anything is read), when pypdf cannot read it as a PDF with at least one page (an executable or a web
page behind « %PDF- »), when it is encrypted, or when it holds what a reader would run or open: JavaScript
(also as the document's opening action), launch actions, embedded files, rich media.
"""

from django.core.exceptions import ValidationError
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

MAX_PDF_BYTES = 10 * 1024 * 1024
MAX_OBJECTS = 200_000  # a bound on the walk of the document's objects (a 10 MB PDF holds far fewer)
# Names whose presence anywhere in the document means something a reader could run or open.
ACTIVE_KEYS = {"/JS", "/JavaScript", "/Launch", "/EmbeddedFiles", "/EmbeddedFile", "/RichMedia", "/XFA"}
ACTIVE_VALUES = {"/JavaScript", "/Launch", "/EmbeddedFile", "/RichMedia", "/ImportData", "/SubmitForm"}


class _Active(Exception):
    pass


def _walk(root) -> None:
    """Raise _Active when a dictionary reachable from `root` names an active content."""
    seen: set[tuple[int, int]] = set()
    stack = [root]
    visited = 0
    while stack:
        node = stack.pop()
        visited += 1
        if visited > MAX_OBJECTS:
            raise _Active
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            for name, value in node.items():
                if name in ACTIVE_KEYS:
                    raise _Active
                if isinstance(value, NameObject) and value in ACTIVE_VALUES:
                    raise _Active
                stack.append(value)
        elif isinstance(node, ArrayObject):
            stack.extend(node)


def validate_pdf_upload(upload, *, max_bytes: int = MAX_PDF_BYTES) -> None:
    """Refuse (ValidationError, French) an uploaded file that is not a plain, readable PDF."""
    if upload.size > max_bytes:
        raise ValidationError(f"Le fichier dépasse {max_bytes // (1024 * 1024)} Mo.")
    if not upload.name.lower().endswith(".pdf"):
        raise ValidationError("Le fichier doit être un PDF (extension .pdf).")
    upload.seek(0)
    if upload.read(5) != b"%PDF-":
        upload.seek(0)
        raise ValidationError("Ce fichier n'est pas un PDF valide.")
    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                "Ce PDF est chiffré ou protégé par un mot de passe : déposez une version sans protection."
            )
        if len(reader.pages) < 1:
            raise ValidationError("Ce fichier n'est pas un PDF valide : il n'a aucune page.")
        _walk(reader.trailer)
    except _Active:
        raise ValidationError(
            "Ce PDF contient du contenu actif (JavaScript, action de lancement ou fichier joint) : "
            "enregistrez-le de nouveau en « PDF » simple (Imprimer > Enregistrer au format PDF) et déposez cette "
            "version."
        ) from None
    except ValidationError:
        raise
    except Exception:  # pypdf on a hostile file may fail in any way (PyPdfError, ValueError, RecursionError…)
        raise ValidationError("Ce fichier n'est pas un PDF valide : il ne peut pas être lu.") from None
    finally:
        upload.seek(0)
