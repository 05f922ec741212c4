"""The state of an object's job, its request and its download.

The page that asks for a document includes ``{% job_status "kind" key %}``: a fragment that htmx polls while the
job waits or runs, then shows the download link. Without JavaScript the same fragment links to a plain page
with a « Rafraîchir » link. Who may see a job is the kind's ``can_access(user, key)``: others get a 404.
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from . import services
from .kinds import JobKind, get_job_kind
from .panel import job_panel


def _get_accessible_kind(user, kind: str, key: str) -> JobKind:
    try:
        job_kind = get_job_kind(kind)
    except LookupError:
        raise Http404("Travail introuvable.") from None
    if not job_kind.can_access(user, key):
        raise Http404("Travail introuvable.")
    return job_kind


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _render_panel(request: HttpRequest, job_kind: JobKind, key: str) -> HttpResponse:
    panel = job_panel(kind=job_kind, key=key)
    if panel.pending:
        services.job_resume_if_orphaned(job=panel.latest)
    template = "jobs/_status.html" if _is_htmx(request) else "jobs/status.html"
    return render(request, template, {"panel": panel})


@login_required
@require_GET
def job_status(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    return _render_panel(request, _get_accessible_kind(request.user, kind, key), key)


@login_required
@require_POST
def job_request_view(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    job_kind = _get_accessible_kind(request.user, kind, key)
    services.job_request(kind=job_kind.name, key=key, user=request.user)
    if _is_htmx(request):
        return _render_panel(request, job_kind, key)
    return redirect("jobs:status", kind=kind, key=key)


@login_required
@require_GET
def job_download(request: HttpRequest, kind: str, key: str) -> FileResponse:
    job_kind = _get_accessible_kind(request.user, kind, key)
    ready = job_panel(kind=job_kind, key=key).ready
    if ready is None or not ready.file:
        raise Http404("Aucun fichier prêt pour ce travail.")
    try:
        handle = ready.file.open("rb")
    except FileNotFoundError:
        raise Http404("Le fichier produit est introuvable dans le stockage.") from None
    return FileResponse(handle, as_attachment=True, filename=ready.filename, content_type=ready.content_type or None)
