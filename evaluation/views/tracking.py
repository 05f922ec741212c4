"""Tableau de suivi (.xlsx) export and import, and the Convention JSON download.

A file above ``IMPORT_INLINE_MAX_BYTES`` is checked and written by ``tracking_import`` jobs (evaluation/job_kinds.py):
the upload and the confirmation queue them and open the job's page, which shows its state and then the report.
"""

import hashlib
import json
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from conventions.dossier.exchange import convention_export
from conventions.models import Convention
from conventions.perms import convention_view, get_editable_convention, get_follow_up_convention, get_visible_convention
from core.xlsx import XLSX_CONTENT_TYPE
from jobs.kinds import get_job_kind
from jobs.panel import job_panel
from jobs.services import job_request

from .. import tracking
from ..forms import TrackingImportForm
from ..job_kinds import report_from_json, tracking_import_key
from ..perms import tracking_scope

# The uploaded workbook waits server-side between the preview and the confirmation: the browser only
# holds a random token, which must be found in the same user's session for the same convention.
PENDING_DIR = "imports-suivi"
SESSION_KEY = "tracking_imports"
PENDING_LIFETIME = timedelta(hours=2)


def _attachment(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@convention_view(get_visible_convention, "GET")
def tracking_export(request: HttpRequest, convention: Convention) -> HttpResponse:
    return _attachment(
        tracking.tracking_export(convention=convention),
        content_type=XLSX_CONTENT_TYPE,
        filename=tracking.tracking_filename(convention),
    )


@convention_view(get_editable_convention, "GET")
def tracking_template(request: HttpRequest, convention: Convention) -> HttpResponse:
    """The tableau de suivi's headings alone, named as this convention names its plan: a plan to fill in and import."""
    return _attachment(
        tracking.tracking_export(convention=convention, blank=True),
        content_type=XLSX_CONTENT_TYPE,
        filename=f"modele-plan-{slugify(convention.reference)}.xlsx",
    )


@require_GET
@login_required
def convention_json(request: HttpRequest, convention_pk: int) -> HttpResponse:
    # The exchange file moves a convention between instances: the Caf's advisers only (ConventionRights).
    convention = get_editable_convention(request.user, convention_pk)
    content = json.dumps(convention_export(convention=convention), ensure_ascii=False, indent=2) + "\n"
    return _attachment(
        content.encode("utf-8"),
        content_type="application/json; charset=utf-8",
        filename=f"{slugify(convention.reference)}.json",
    )


def _pending_forget(request: HttpRequest, token: str) -> None:
    pending = request.session.get(SESSION_KEY, {})
    entry = pending.pop(token, None)
    request.session[SESSION_KEY] = pending
    if entry:
        default_storage.delete(entry["path"])


def _pending_sweep(now: datetime) -> None:
    """Delete waiting files nobody confirmed (closed tab, expired session)."""
    try:
        _dirs, names = default_storage.listdir(PENDING_DIR)
    except FileNotFoundError:
        return
    for name in names:
        path = f"{PENDING_DIR}/{name}"
        if now - default_storage.get_modified_time(path) > PENDING_LIFETIME:
            default_storage.delete(path)


def _pending_store(
    request: HttpRequest, convention: Convention, content: bytes, filename: str, fingerprint: dict[str, str]
) -> str:
    now = timezone.now()
    pending = request.session.get(SESSION_KEY, {})
    for token, entry in list(pending.items()):
        # One waiting file per convention and user; forgotten ones expire.
        expired = now - datetime.fromisoformat(entry["stored_at"]) > PENDING_LIFETIME
        if entry["convention"] == convention.pk or expired:
            _pending_forget(request, token)
    _pending_sweep(now)
    token = secrets.token_urlsafe(24)
    path = default_storage.save(f"{PENDING_DIR}/{token}.xlsx", ContentFile(content))
    pending = request.session.get(SESSION_KEY, {})
    pending[token] = {
        "convention": convention.pk,
        "path": path,
        "sha256": hashlib.sha256(content).hexdigest(),
        "filename": filename,
        "fingerprint": fingerprint,
        "stored_at": now.isoformat(),
    }
    request.session[SESSION_KEY] = pending
    return token


def _pending_load(request: HttpRequest, convention: Convention, token: str) -> tuple[bytes, str, dict[str, int]] | None:
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if not entry or entry["convention"] != convention.pk:
        return None
    if timezone.now() - datetime.fromisoformat(entry["stored_at"]) > PENDING_LIFETIME:
        _pending_forget(request, token)
        return None
    try:
        with default_storage.open(entry["path"], "rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        return None
    if hashlib.sha256(content).hexdigest() != entry["sha256"]:
        return None
    return content, entry["filename"], entry.get("fingerprint", {})


@login_required
@require_http_methods(["GET", "POST"])
def tracking_import(request: HttpRequest, convention_pk: int) -> HttpResponse:
    """Upload → preview (nothing written) → « Confirmer l'import » (written, all or nothing)."""
    convention = get_follow_up_convention(request.user, convention_pk)
    if request.method == "POST" and "token" in request.POST:
        return _tracking_import_confirm(request, convention, request.POST["token"])
    form = TrackingImportForm(request.POST or None, request.FILES or None)
    notice = tracking.scope_notice(user=request.user, convention=convention)
    if request.method == "POST" and form.is_valid():
        filename = form.cleaned_data["file"].name[-150:]
        if len(form.content) > settings.IMPORT_INLINE_MAX_BYTES:  # a large file: checked by a job
            token = _pending_store(request, convention, form.content, filename, {})
            _queue_import(request, convention, token, dry_run=True)
            return redirect("evaluation:tracking_import_job", convention_pk=convention.pk)
        report = tracking.tracking_import(
            convention=convention,
            data=form.content,
            user=request.user,
            scope=tracking_scope(user=request.user, convention=convention),
            dry_run=True,
        )
        waiting = not report.refused and report.has_changes
        token = _pending_store(request, convention, form.content, filename, report.fingerprint) if waiting else None
        return render(
            request,
            "evaluation/tracking_preview.html",
            {
                "convention": convention,
                "report": report,
                "token": token,
                "filename": filename,
                "confirmed": False,
                "scope_notice": notice,
            },
        )
    return render(
        request, "evaluation/tracking_import.html", {"convention": convention, "form": form, "scope_notice": notice}
    )


def _tracking_import_confirm(request: HttpRequest, convention: Convention, token: str) -> HttpResponse:
    pending = _pending_load(request, convention, token)
    if pending is None:
        messages.error(
            request,
            "Ce fichier n'est plus disponible (import déjà confirmé ou délai dépassé) : déposez-le de nouveau.",
        )
        return redirect("evaluation:tracking_import", convention_pk=convention.pk)
    content, filename, fingerprint = pending
    # The rows changed in the application after the export that the person ticked to overwrite anyway.
    overwrite = frozenset(key for key in request.POST.getlist("ecraser") if key in fingerprint)
    if len(content) > settings.IMPORT_INLINE_MAX_BYTES:  # written by a job, which then deletes the file
        _queue_import(request, convention, token, dry_run=False, overwrite=overwrite)
        pending_entries = request.session.get(SESSION_KEY, {})
        pending_entries.pop(token, None)
        request.session[SESSION_KEY] = pending_entries
        return redirect("evaluation:tracking_import_job", convention_pk=convention.pk)
    report = tracking.tracking_import(
        convention=convention,
        data=content,
        user=request.user,
        # Computed again: an avenant signed or a role changed since the preview narrows what may change.
        scope=tracking_scope(user=request.user, convention=convention),
        dry_run=False,
        expected_fingerprint=fingerprint,
        overwrite=overwrite,
    )
    _pending_forget(request, token)
    if report.stale:
        messages.error(request, report.stale)
        return redirect("evaluation:tracking_import", convention_pk=convention.pk)
    if report.refused:
        # The convention changed since the preview in a way that makes the file invalid: show why.
        return render(
            request,
            "evaluation/tracking_preview.html",
            {
                "convention": convention,
                "report": report,
                "token": None,
                "filename": filename,
                "confirmed": True,
                "scope_notice": tracking.scope_notice(user=request.user, convention=convention),
            },
        )
    messages.success(request, f"Tableau de suivi importé. {report.summary()}.")
    return redirect(reverse("conventions:detail", args=[convention.pk]) + "#plan")


def _queue_import(
    request: HttpRequest, convention: Convention, token: str, *, dry_run: bool, overwrite: frozenset = frozenset()
) -> None:
    entry = request.session[SESSION_KEY][token]
    params = {key: entry[key] for key in ("path", "sha256", "filename", "fingerprint")}
    params |= {"token": token, "dry_run": dry_run, "overwrite": sorted(overwrite)}
    job_request(
        kind="tracking_import",
        key=tracking_import_key(convention=convention, user=request.user),
        user=request.user,
        params=params,
    )


@require_GET
@login_required
def tracking_import_job(request: HttpRequest, convention_pk: int) -> HttpResponse:
    """The import of a large file: its job's state (polled by htmx), then the preview or the result."""
    convention = get_follow_up_convention(request.user, convention_pk)
    panel = job_panel(
        kind=get_job_kind("tracking_import"), key=tracking_import_key(convention=convention, user=request.user)
    )
    job = panel.latest
    if job is None:
        return redirect("evaluation:tracking_import", convention_pk=convention.pk)
    if job.state != "ready":
        context = {
            "panel": panel,
            "title": "Import du tableau de suivi",
            "back_url": reverse("evaluation:tracking_import", args=[convention.pk]),
            "back_label": "Importer le tableau de suivi",
        }
        return render(request, "jobs/document.html", context)
    with job.file.open("rb") as handle:
        report = report_from_json(handle.read())
    filename = job.params["filename"]
    notice = tracking.scope_notice(user=request.user, convention=convention)
    token = None
    if job.params["dry_run"]:
        entry = request.session.get(SESSION_KEY, {}).get(job.params["token"])
        if entry and not report.refused and report.has_changes:
            token = job.params["token"]
            entry["fingerprint"] = report.fingerprint  # what the confirmation checks again
            request.session.modified = True
    elif report.stale:
        messages.error(request, report.stale)
        return redirect("evaluation:tracking_import", convention_pk=convention.pk)
    elif not report.refused:
        messages.success(request, f"Tableau de suivi importé. {report.summary()}.")
        return redirect(reverse("conventions:detail", args=[convention.pk]) + "#plan")
    context = {
        "convention": convention,
        "report": report,
        "token": token,
        "filename": filename,
        "confirmed": not job.params["dry_run"],
        "scope_notice": notice,
    }
    return render(request, "evaluation/tracking_preview.html", context)
