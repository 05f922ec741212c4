"""ctg.settings with the bench's URLs: the project's, plus the trivial view that bench/pages compares against."""

from ctg.settings import *  # noqa: F403
from ctg.settings import STORAGES

ROOT_URLCONF = "benchsite.urls"

# The bench fetches HTML only. Plain static storage: the manifest one needs `collectstatic`, which fails on this
# tree (static/vendor/bootstrap/bootstrap.bundle.min.js names a source map that is not vendored).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
STATIC_ROOT = None  # nothing is collected for the bench: WhiteNoise then serves no file and warns about none
