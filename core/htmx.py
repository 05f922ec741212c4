"""htmx requests: a view answers a fragment to htmx and a full page (or a redirect) otherwise."""

from django.http import HttpRequest, HttpResponse


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def retarget(response: HttpResponse, target: str, swap: str = "outerHTML") -> HttpResponse:
    """Make htmx put `response` at `target` (a CSS selector) instead of where the request came from."""
    response["HX-Retarget"] = target
    response["HX-Reswap"] = swap
    return response
