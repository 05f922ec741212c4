"""PDF rendering with WeasyPrint, shared by every document of the app.

The URL fetcher serves only the app's own static files: a template that points at another host or at
file:// fetches nothing, so a rendered document never reaches the network or the disk outside static/.

A frozen document (a signed convention, an avenant, a consolidated version) is archival: PDF/A-3b, its fonts
embedded, its XMP metadata carrying the
title, the language (the template's ``<html lang>``), the author (``<meta name="author">``: the Caf) and the dates
(``<meta name="dcterms.created">``), which WeasyPrint reads from the document's head. Not tagged (PDF/UA, issue
16): WeasyPrint 66's ``pdf_tags=True`` took the 89-page Firminy convention from about 6 s to minutes (bench/versions).
"""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML, default_url_fetcher

STATIC_PREFIX = "static:/"


class FetchRefused(ValueError):
    pass


def static_only_url_fetcher(url: str, timeout: int = 10, ssl_context=None):
    """Resolve `static:/path` (and /static/path) to the app's static files; refuse everything else."""
    for prefix in (STATIC_PREFIX, "/static/"):
        if url.startswith(prefix):
            path = finders.find(url[len(prefix) :].lstrip("/"))
            if path:
                return default_url_fetcher(f"file://{path}", timeout=timeout, ssl_context=ssl_context)
    raise FetchRefused(f"Ressource externe refusée : {url}")


ARCHIVAL_VARIANT = "pdf/a-3b"


def _document(html: str) -> HTML:
    return HTML(string=html, base_url=STATIC_PREFIX, url_fetcher=static_only_url_fetcher)


def html_to_pdf(*, html: str) -> bytes:
    return _document(html).write_pdf()


def html_to_archival_pdf(*, html: str) -> bytes:
    """The document as PDF/A-3b: what a public body archives and signs electronically."""
    return _document(html).write_pdf(pdf_variant=ARCHIVAL_VARIANT)


def render_template_pdf(*, template: str, context: dict) -> bytes:
    return html_to_pdf(html=render_to_string(template, context))
