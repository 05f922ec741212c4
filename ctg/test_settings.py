"""Settings for the test suite: the same as production-like settings, plus strictness and speed."""

import os
import tempfile

from .settings import *  # noqa: F403
from .settings import TEMPLATES


class InvalidTemplateVariable(str):
    """An unknown variable in a template fails the test instead of rendering as an empty string."""

    def __mod__(self, other):
        raise NameError(f"Variable de gabarit inconnue : {other}")


TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = InvalidTemplateVariable("%s")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A worker started by a test (tests/jobs/test_workers.py) shares the test's media folder.
MEDIA_ROOT = os.environ.get("CTG_TEST_MEDIA_ROOT") or tempfile.mkdtemp(prefix="ctg-test-media-")
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Jobs run at once inside the request; the worker tests start real workers on PostgreSQL.
JOBS_EXECUTION = "sync"
JOBS_KIND_MODULES = ["tests.jobs.kinds"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
