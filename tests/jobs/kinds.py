"""The job kind of the tests (registered through JOBS_KIND_MODULES in ctg/test_settings.py).

« demo » writes a small text note about a convention, keyed by the convention's id; its parameters make it
sleep, fail or record each execution, so that the tests can watch workers at work. The real kinds (convention
PDF, imports…) are registered by their apps.
"""

import os
import time

from conventions.models import Convention
from jobs.kinds import JobError, JobOutput, job_kind


def can_read_convention(user, key: str) -> bool:
    return key.isdigit() and Convention.objects.visible_to(user).filter(pk=int(key)).exists()


@job_kind("demo", label="Note de démonstration", can_access=can_read_convention, request_label="Produire la note")
def demo_note(job) -> JobOutput:
    params = job.params
    if log := params.get("log"):
        with open(log, "a") as handle:  # one line per execution: which job, which process
            handle.write(f"{job.pk} {os.getpid()} {job.attempts}\n")
    if params.get("sleep_first_attempt") and job.attempts == 1:
        time.sleep(params["sleep_first_attempt"])
    if params.get("sleep"):
        time.sleep(params["sleep"])
    if params.get("fail") == "refused":
        raise JobError("La convention n'a pas de signataire : la note ne peut pas être produite.")
    if params.get("fail") == "bug":
        return 1 / 0
    convention = Convention.objects.filter(pk=int(job.key)).first()
    if convention is None:
        raise JobError("La convention a été supprimée.")
    text = (
        f"Note de la convention {convention.reference}\n{convention.title}\nProduite par le processus {os.getpid()}.\n"
    )
    return JobOutput(content=text.encode(), filename=f"note-{convention.pk}.txt", content_type="text/plain")
