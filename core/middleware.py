"""Requests no form can answer: a query string or a posted value holding a NUL byte or a control character.

Such a value never comes from a person typing (a fuzzer, a broken client); PostgreSQL refuses NUL in a text
(`ValueError`), so it is answered here with a French 400 page before any view runs. A posted text holding
another control character reaches its form, which refuses it next to the field (core.forms).
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from .text import CONTROL_CHARACTERS


def _holds(data: QueryDict, *, only_nul: bool) -> bool:
    for key, values in data.lists():
        for text in (key, *values):
            if "\x00" in text if only_nul else CONTROL_CHARACTERS.search(text):
                return True
    return False


class RefuseControlCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _holds(request.GET, only_nul=False) or (request.method == "POST" and _holds(request.POST, only_nul=True)):
            return render(request, "400.html", {"reason": "control"}, status=400)
        return self.get_response(request)


class RefuseLargeBodiesMiddleware:
    """A body larger than settings.MAX_REQUEST_BODY (the largest upload and its form) is refused from its declared
    length, before a byte of it is read: a 50 MB post never fills the disk or ties up a worker."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BODY:
            limit = settings.MAX_REQUEST_BODY // (1024 * 1024)
            response = render(request, "400.html", {"reason": "size", "limit": limit}, status=413)
            response["Connection"] = "close"  # the rest of the body is never read
            return response
        return self.get_response(request)
