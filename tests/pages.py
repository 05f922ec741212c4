"""What view tests read on a page, in every app: its text, an error next to its field, its query count; and
the whole convention as its file, to show that nothing changed."""

import html
import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conventions.dossier.exchange import convention_export

HTMX = {"HTTP_HX_REQUEST": "true"}


def text(response) -> str:
    """The page as a reader sees it (HTML entities such as &#x27; decoded)."""
    return html.unescape(response.content.decode())


def error_next_to(response, field_name: str, message: str) -> bool:
    """The message sits in the error block the field points to (aria-describedby)."""
    body = text(response)
    return (
        f'aria-describedby="{field_name}-erreurs' in body
        and f'id="{field_name}-erreurs" role="alert">{message}' in body
    )


def count_queries(client, url: str) -> int:
    """The queries of one GET of `url`, which must answer 200."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


def snapshot(convention) -> str:
    """The convention as its Convention JSON file: equal before and after means nothing was written."""
    return json.dumps(convention_export(convention=convention), sort_keys=True, default=str)


def tried(client, url: str, data: dict, *, convention) -> list:
    """GET `url`, then POST `data` to it: the two responses, once checked that the convention did not change."""
    before = snapshot(convention)
    responses = [client.get(url), client.post(url, data)]
    assert snapshot(convention) == before
    return responses


def whole_convention_page(client, convention_pk: int) -> str:
    """The convention page as a reader ends up seeing it: the first view with each section it loads on demand put
    in place of its placeholder, as htmx does (GETs of conventions:section, each answering 200)."""
    from conventions.dossier.page import FIRST_VIEW, SECTION_IDS

    response = client.get(reverse("conventions:detail", args=[convention_pk]))
    assert response.status_code == 200
    page = response.content.decode()
    for section in SECTION_IDS:
        if section not in FIRST_VIEW:
            fragment = client.get(reverse("conventions:section", args=[convention_pk, section]), HTTP_HX_REQUEST="true")
            assert fragment.status_code == 200
            start = page.index(f'<section id="{section}"')
            end = page.index("</section>", start) + len("</section>")
            page = page[:start] + fragment.content.decode() + page[end:]
    return page
