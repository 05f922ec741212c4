"""The state of an object's job, its request and its download.

The page that asks for a document includes ``{% job_status "kind" key %}``: a fragment that htmx polls while the
job waits or runs, then shows the download link. Without JavaScript the same fragment links to a plain page
with a « Rafraîchir » link. Who may see a job is the kind's ``can_access(user, key)``: others get a 404.

A document's own URL (``conventions:pdf``…) answers with ``job_document``: the file itself when the result made
from the current data is ready, else the page of its job, queued there and then (or joined, if it waits already).
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from . import services
from .enums import JobState
from .kinds import JobKind, get_job_kind
from .models import Job
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
    if panel.result_url and _is_htmx(request):  # ready, and its result is a page: htmx opens it
        return HttpResponse(headers={"HX-Redirect": panel.result_url})
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
    if job_kind.result_url is not None:  # its parameters come from its own page (an uploaded file)
        raise Http404("Ce travail se demande depuis sa propre page.")
    _request_current(request, job_kind, key)
    if _is_htmx(request):
        return _render_panel(request, job_kind, key)
    return redirect("jobs:status", kind=kind, key=key)


def _request_current(request: HttpRequest, job_kind: JobKind, key: str) -> Job:
    """The job of the current data: its ready result if there is one (documents), else one waiting or new."""
    params = job_kind.current_params(key)
    return services.job_request(
        kind=job_kind.name, key=key, user=request.user, params=params, reuse_ready=job_kind.params is not None
    )


def _file_response(job: Job) -> FileResponse:
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404("Le fichier produit est introuvable dans le stockage.") from None
    return FileResponse(handle, as_attachment=True, filename=job.filename, content_type=job.content_type or None)


def job_document(request: HttpRequest, *, kind: str, key, title: str, back_url: str, back_label: str):
    """What a document link answers, the caller having checked that the user may read the object.

    No document is rendered here: the ready file of the current data is served as it is stored, otherwise the job is
    queued (or joined) and its page shows the state, polled by htmx, then the download; the last ready version
    stays downloadable meanwhile.
    """
    job_kind = get_job_kind(kind)
    job = _request_current(request, job_kind, str(key))
    if job.state == JobState.READY and job.file:
        try:
            return _file_response(job)
        except Http404:  # its file is gone from storage (a database restored without its bucket): produce it again
            Job.objects.filter(pk=job.pk).delete()
            job = _request_current(request, job_kind, str(key))
            if job.state == JobState.READY and job.file:
                return _file_response(job)
    context = {"panel": job_panel(kind=job_kind, key=str(key)), "title": title}
    return render(request, "jobs/document.html", context | {"back_url": back_url, "back_label": back_label})


@login_required
@require_GET
def job_download(request: HttpRequest, kind: str, key: str) -> FileResponse:
    job_kind = _get_accessible_kind(request.user, kind, key)
    ready = job_panel(kind=job_kind, key=key).ready
    if ready is None or not ready.file:
        raise Http404("Aucun fichier prêt pour ce travail.")
    return _file_response(ready)
