"""Job kinds: what a background job does, registered by the app that owns the work.

An app declares its kinds in its ``job_kinds.py`` (imported when Django starts, in web processes and workers):

    @job_kind("convention_pdf", label="PDF de la convention", can_access=can_read_convention_key)
    def convention_pdf(job: Job) -> JobOutput:
        return JobOutput(content=render(...), filename="CTG-42.pdf", content_type="application/pdf")

``can_access(user, key)`` says who may request, follow and download the job of that key (others get a 404);
``params(key)``, for a document, describes the data it is made from (a fingerprint, see
conventions/dossier/fingerprint.py): a request for the document reuses the ready result of the same parameters
and queues a new job only once the data has changed; ``result_url(key)``, for work whose result is a page
rather than a file (an import's report), is where the state fragment sends the requester once it is ready;
``run(job)`` returns the produced file, or None for work that produces none (an e-mail), and raises
``JobError("message en français")`` for a failure the requester should read as it is. Any other exception is a
programming error: the requester reads a generic message and the traceback goes to the log.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Job


def key_in(queryset, key: str) -> bool:
    """``can_access`` for a key that is the id of a row: is it one of ``queryset`` (the rows the user may see)?"""
    return key.isdigit() and queryset.filter(pk=int(key)).exists()


def deposited_file(params: dict) -> bytes:
    """The uploaded file a job works on, stored by the request (``path``) with its digest (``sha256``)."""
    from django.core.files.storage import default_storage

    try:
        with default_storage.open(params["path"], "rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        content = b""
    if hashlib.sha256(content).hexdigest() != params["sha256"]:
        raise JobError("Le fichier déposé n'est plus disponible : déposez-le de nouveau.")
    return content


class JobError(Exception):
    """A failure explained to the requester in French (e.g. « La convention a été supprimée. »)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclasses.dataclass(frozen=True)
class JobOutput:
    content: bytes
    filename: str
    content_type: str = "application/octet-stream"


@dataclasses.dataclass(frozen=True)
class JobKind:
    name: str
    label: str  # « PDF de la convention »: shown next to the job's state
    run: Callable[[Job], JobOutput | None]
    can_access: Callable[[object, str], bool]
    request_label: str = "Produire le document"
    queue: str = "jobs"
    params: Callable[[str], dict] | None = None
    result_url: Callable[[str], str] | None = None

    def current_params(self, key: str) -> dict:
        return self.params(key) if self.params is not None else {}


_KINDS: dict[str, JobKind] = {}


def job_kind(
    name: str,
    *,
    label: str,
    can_access: Callable[[object, str], bool],
    request_label: str = "Produire le document",
    queue: str = "jobs",
    params: Callable[[str], dict] | None = None,
    result_url: Callable[[str], str] | None = None,
) -> Callable[[Callable[[Job], JobOutput | None]], Callable[[Job], JobOutput | None]]:
    """Registers the decorated function as the work of the job kind ``name``."""

    def register(run: Callable[[Job], JobOutput | None]) -> Callable[[Job], JobOutput | None]:
        if name in _KINDS and _KINDS[name].run is not run:
            raise ValueError(f"Le type de travail « {name} » est déclaré deux fois.")
        _KINDS[name] = JobKind(
            name=name,
            label=label,
            run=run,
            can_access=can_access,
            request_label=request_label,
            queue=queue,
            params=params,
            result_url=result_url,
        )
        return run

    return register


def get_job_kind(name: str) -> JobKind:
    """The registered kind; LookupError for a name nobody registered."""
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"Type de travail inconnu : « {name} ».") from None
