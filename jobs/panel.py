"""What the page of an object shows about its job: the latest request, and the last ready result."""

import dataclasses

from django.urls import reverse

from .kinds import JobKind
from .models import Job


@dataclasses.dataclass(frozen=True)
class JobPanel:
    kind: JobKind
    key: str
    latest: Job | None  # the latest request, whatever its state
    ready: Job | None  # the last ready result: downloadable even while a newer one runs or after it failed

    @property
    def element_id(self) -> str:
        return f"travail-{self.kind.name}-{self.key}".replace("_", "-").replace(":", "-")

    @property
    def status_url(self) -> str:
        return reverse("jobs:status", kwargs={"kind": self.kind.name, "key": self.key})

    @property
    def request_url(self) -> str:
        return reverse("jobs:request", kwargs={"kind": self.kind.name, "key": self.key})

    @property
    def download_url(self) -> str:
        return reverse("jobs:download", kwargs={"kind": self.kind.name, "key": self.key})

    @property
    def result_url(self) -> str:
        """Where the result is read, for a kind whose result is a page (else "": the file is downloaded)."""
        ready = self.latest is not None and self.latest.state == "ready"
        return self.kind.result_url(self.key) if ready and self.kind.result_url else ""

    @property
    def pending(self) -> bool:
        return self.latest is not None and self.latest.is_pending

    @property
    def offers_request(self) -> bool:
        """A document made from a fingerprint of its data is produced again by its own link once the data changes:
        « Produire à nouveau » is offered only after a failure. Other kinds may always be asked again."""
        if self.pending or self.kind.result_url is not None:  # an import is asked again by depositing its file
            return False
        return self.kind.params is None or self.latest is None or self.latest.state == "failed"


def job_panel(*, kind: JobKind, key: str) -> JobPanel:
    """One query: the jobs of an object are few, since each result deletes the ones it replaces."""
    jobs = list(Job.objects.for_target(kind.name, str(key)).order_by("-created_at", "-pk"))
    ready = [job for job in jobs if job.state == "ready"]
    ready.sort(key=lambda job: job.finished_at, reverse=True)
    return JobPanel(kind=kind, key=str(key), latest=jobs[0] if jobs else None, ready=ready[0] if ready else None)
