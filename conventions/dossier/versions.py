"""Frozen versions: what the parties signed, kept byte for byte (issue 11).

Signing a convention freezes version 1 « convention signée »; signing an avenant freezes the avenant and a
« version consolidée intégrant l'avenant n° N ». In the signing transaction (`version_freeze`) the document is
written from the state of that day — the Convention JSON snapshot and the HTML to print, annex 5 giving the
indicators' definitions, baselines and targets but no value, annex 4 no meeting held later — and the job that
turns it into PDF/A is queued. The job (`version_freeze_pdf`) stores the bytes and their sha256 the first time
only: from then on every download serves those bytes, whatever the data or the code become. Nothing here ever
updates or deletes a version; the admin shows them read-only and the JSON import never touches them.
"""

import hashlib
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify

from core.pdf import html_to_archival_pdf
from core.uploads import validate_pdf_upload
from jobs.services import job_request

from ..enums import VersionKind
from ..models import Amendment, Convention, ConventionVersion
from .annex6 import append_deliberations
from .exchange import convention_export
from .pdf import convention_pdf_filename, render_convention_html

FROZEN_PDF_PARAMS = {"fige": True}


def version_document_html(
    *, convention: Convention, kind: str, signed_on: date, signed_at: str, amendment: Amendment | None
) -> str:
    """The HTML of a frozen document, from the convention as it stands at signature."""
    if kind == VersionKind.AMENDMENT:
        from .amendments import render_amendment_html  # the avenant's own document (it imports this module)

        return render_amendment_html(amendment=amendment, signed_on=signed_on, signed_at=signed_at)
    mention = f"Version consolidée intégrant l'avenant n° {amendment.number}" if amendment else ""
    title = f"{convention.title} – {mention.lower()}" if mention else convention.title
    return render_convention_html(
        convention=convention,
        agreed_on=signed_on,
        version_mention=mention,
        document_title=title,
        document_date=signed_on,
    )


def version_freeze(
    *,
    convention: Convention,
    kind: str,
    signed_on: date,
    signed_at: str = "",
    amendment: Amendment | None = None,
    user=None,
) -> ConventionVersion:
    """Freeze a document of `convention` at its signature, in the caller's transaction, and queue its PDF."""
    convention = Convention.objects.select_related("caf", "territory", "edition").get(pk=convention.pk)
    with transaction.atomic():
        number = (ConventionVersion.objects.filter(convention=convention).aggregate(m=Max("number"))["m"] or 0) + 1
        version = ConventionVersion(
            convention=convention,
            number=number,
            kind=kind,
            amendment=amendment,
            signed_on=signed_on,
            signed_at=signed_at,
            snapshot=convention_export(convention=convention),
            source=version_document_html(
                convention=convention, kind=kind, signed_on=signed_on, signed_at=signed_at, amendment=amendment
            ),
            created_by=user if user is not None and user.is_authenticated else None,
        )
        version.full_clean()
        version.save()
        job_request(kind="version_pdf", key=str(version.pk), user=user, params=FROZEN_PDF_PARAMS)
    return version


def version_filename(version: ConventionVersion) -> str:
    """« CTG-42-FIRMINY-2022-v1-signee.pdf »."""
    base = convention_pdf_filename(version.convention).removesuffix(".pdf")
    return f"{base}-v{version.number}-{slugify(version.get_kind_display())}.pdf"


def _stored(version: ConventionVersion) -> bytes:
    with version.pdf.open("rb") as handle:
        return handle.read()


def version_freeze_pdf(*, version: ConventionVersion) -> bytes:
    """The PDF/A of a frozen version, stored with its sha256 the first time only, then served as stored."""
    version = ConventionVersion.objects.select_related("convention").get(pk=version.pk)
    if version.pdf:
        return _stored(version)
    pdf = html_to_archival_pdf(html=version.source)  # seconds: outside any lock
    pdf = append_deliberations(pdf=pdf, parties=list(version.convention.parties.order_by("order", "pk")))
    with transaction.atomic():
        locked = ConventionVersion.objects.select_for_update().get(pk=version.pk)
        if locked.pdf:  # another job stored it meanwhile: that one is the document
            return _stored(locked)
        locked.pdf.save(version_filename(locked), ContentFile(pdf), save=False)
        locked.sha256 = hashlib.sha256(pdf).hexdigest()
        locked.save(update_fields=["pdf", "sha256"])
    return pdf


def latest_signed_document(convention: Convention) -> ConventionVersion | None:
    """What `/conventions/<pk>/convention.pdf` serves once signed: the latest signed or consolidated version."""
    return (
        ConventionVersion.objects.filter(convention=convention)
        .exclude(kind=VersionKind.AMENDMENT)
        .order_by("-number")
        .first()
    )


SCAN_ALREADY_THERE = "L'original signé de cette version est déjà déposé : il ne se remplace pas."


def version_attach_scan(*, version: ConventionVersion, upload, user) -> ConventionVersion:
    """Keep the scanned signed original (paper signatures) as an exhibit of the version, once: it never replaces
    the frozen PDF, and a second scan is refused (what was deposited is part of the record)."""
    if version.scan:
        raise ValidationError({"scan": SCAN_ALREADY_THERE})
    validate_pdf_upload(upload)
    content = upload.read()
    with transaction.atomic():
        locked = ConventionVersion.objects.select_for_update().get(pk=version.pk)
        if locked.scan:
            raise ValidationError({"scan": SCAN_ALREADY_THERE})
        name = version_filename(locked).replace(".pdf", "-original-signe.pdf")
        locked.scan.save(name, ContentFile(content), save=False)
        locked.scan_sha256 = hashlib.sha256(content).hexdigest()
        locked.save(update_fields=["scan", "scan_sha256"])
    return locked
