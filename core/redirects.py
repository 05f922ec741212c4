"""Back where the user was: a `next` URL of this site only, never an open redirect."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest) -> str:
    """The posted (or queried) `next` when it is a path of this site (« /conventions/4/plan/#fiche-7 »); "" for
    anything else: another host, a scheme, « //evil.example », a backslash trick."""
    value = (request.POST.get("next") or request.GET.get("next") or "").strip()
    if not value.startswith("/") or value.startswith(("//", "/\\")) or "\\" in value:
        return ""
    allowed = url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if not allowed:
        return ""
    return value
