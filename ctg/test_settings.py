"""Settings for the test suite: the same as production-like settings, plus strictness and speed."""

import tempfile

from .settings import *  # noqa: F403
from .settings import TEMPLATES


class InvalidTemplateVariable(str):
    """An unknown variable in a template fails the test instead of rendering as an empty string."""

    def __mod__(self, other):
        raise NameError(f"Variable de gabarit inconnue : {other}")


TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = InvalidTemplateVariable("%s")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="ctg-test-media-")
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
