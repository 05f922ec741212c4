from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..dossier.page import convention_page_context, home_conventions
from ..perms import can_create_convention, get_visible_convention


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    context = {"conventions": home_conventions(request.user), "can_create": can_create_convention(request.user)}
    return render(request, "conventions/home.html", context)


@require_GET
@login_required
def convention_detail(request: HttpRequest, convention_pk: int) -> HttpResponse:
    convention = get_visible_convention(request.user, convention_pk)
    return render(request, "conventions/detail.html", convention_page_context(convention=convention, user=request.user))
