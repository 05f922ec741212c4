"""Every URL of the project, plus `/__bench__/trivial/`: a view behind the same middleware and login, that does nothing.

bench/pages divides each page's time by this view's, measured in the same run, so that the ratio says what the page
costs beyond the floor of any request (gunicorn, middleware, session and user lookups) on this machine, today.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path

from ctg.urls import urlpatterns as project_urlpatterns


@login_required
def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<!doctype html><title>ok</title><p>ok</p>")


urlpatterns = [path("__bench__/trivial/", trivial, name="bench_trivial"), *project_urlpatterns]
