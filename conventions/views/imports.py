"""Importing a whole convention from a Convention JSON file (docs/convention-json.md), for whoever creates conventions.

A small file is imported inside the request; a file above ``IMPORT_INLINE_MAX_BYTES`` is stored and imported by a
``convention_import`` job (conventions/job_kinds.py), whose page shows the state, then the result.
"""

import hashlib
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from jobs.kinds import get_job_kind
from jobs.panel import job_panel
from jobs.services import job_request

from ..forms.imports import ConventionImportForm
from ..job_kinds import convention_file_import
from ..perms import can_create_convention

WAITING_DIR = "imports-convention"


def _allowed(request: HttpRequest) -> None:
    if not can_create_convention(request.user):
        raise PermissionDenied("Seul·es les conseiller·ères territoriaux·ales Caf importent des conventions.")


def _done(request: HttpRequest, report: dict, form: ConventionImportForm, filename: str) -> HttpResponse:
    if report.get("errors"):
        context = {"form": form, "errors": report["errors"], "filename": filename}
        return render(request, "conventions/import.html", context)
    for warning in report.get("warnings", []):
        messages.warning(request, warning)
    messages.success(request, f"Convention {report['reference']} importée.")
    return redirect("conventions:detail", convention_pk=report["convention"])


@login_required
@require_http_methods(["GET", "POST"])
def convention_import_view(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    form = ConventionImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if len(form.content) <= settings.IMPORT_INLINE_MAX_BYTES:
            report = convention_file_import(content=form.content, user=request.user)
            return _done(request, report, ConventionImportForm(), form.filename)
        path = default_storage.save(f"{WAITING_DIR}/{request.user.pk}.json", ContentFile(form.content))
        params = {"path": path, "sha256": hashlib.sha256(form.content).hexdigest(), "filename": form.filename}
        job_request(kind="convention_import", key=str(request.user.pk), user=request.user, params=params)
        return redirect("conventions:import_job")
    return render(request, "conventions/import.html", {"form": form})


@login_required
def convention_import_job(request: HttpRequest) -> HttpResponse:
    """The import of a large file: its job's state (polled by htmx), then the new convention or the refusal."""
    _allowed(request)  # before the method: whoever may not import learns nothing more
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    panel = job_panel(kind=get_job_kind("convention_import"), key=str(request.user.pk))
    job = panel.latest
    if job is None:  # nothing deposited (or its result already read): the deposit form
        return render(request, "conventions/import.html", {"form": ConventionImportForm()})
    if job.state != "ready":
        context = {
            "panel": panel,
            "title": "Import d'une convention (JSON)",
            "back_url": reverse("conventions:import"),
            "back_label": "Importer une convention",
        }
        return render(request, "jobs/document.html", context)
    with job.file.open("rb") as handle:
        report = json.loads(handle.read())
    job.file.delete(save=False)  # read once: the result is now the convention itself (or the refusal shown)
    job.delete()
    return _done(request, report, ConventionImportForm(), report.get("filename", ""))
