"""The demo conventions for tests that read them: loaded once per module, rolled back afterwards."""

from contextlib import contextmanager

from django.db import transaction
from django.test import override_settings

from conventions.dossier.demo import demo_load
from conventions.models import Convention


@contextmanager
def loaded_demo(django_db_blocker):
    """Load the demo outside the per-test transactions (once), yield the conventions by reference, roll back."""
    with django_db_blocker.unblock(), transaction.atomic():
        # The frozen versions' PDF/A jobs are queued, not run (rolled back with the rest): seconds saved per module.
        with override_settings(JOBS_EXECUTION="thread"):
            demo_load(full_reference=False)
        yield {c.reference: c for c in Convention.objects.all()}
        transaction.set_rollback(True)
