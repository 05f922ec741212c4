"""Frozen versions (issue 11): the versions page and each version's PDF/A and scanned original are read by every
reader of the convention; depositing a scanned original is the adviser's."""

from . import EDIT, SCOPED, Route


def version(victim: dict) -> dict:
    return {"convention_pk": victim["convention"].pk, "number": victim["version"].number}


ROUTES = {
    "conventions:versions": Route(SCOPED, lambda victim: {"convention_pk": victim["convention"].pk}),
    "conventions:version_pdf": Route(SCOPED, version),
    "conventions:version_scan": Route(SCOPED, version),
    "conventions:version_scan_upload": Route(EDIT, version),
    "conventions:version_compare": Route(SCOPED, lambda victim: {"convention_pk": victim["convention"].pk}),
    "conventions:amendment_pdf": Route(
        SCOPED, lambda victim: {"convention_pk": victim["convention"].pk, "number": victim["amendment"].number}
    ),
}
