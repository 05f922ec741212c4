from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.htmx import is_htmx
from core.pagination import clamped_int

from ..dossier.page import SECTION_IDS, convention_page_context, home_conventions
from ..models import Convention
from ..perms import can_create_convention, convention_view, get_visible_convention

HOME_PER_PAGE = 25  # a national administrator sees every convention: one page at a time


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    conventions = home_conventions(request.user)
    paginator = Paginator(conventions, HOME_PER_PAGE)
    page = paginator.page(clamped_int(request.GET.get("page"), low=1, high=paginator.num_pages, default=1))
    context = {"page": page, "conventions": page.object_list, "can_create": can_create_convention(request.user)}
    return render(request, "conventions/home.html", context)


@convention_view(get_visible_convention, "GET")
def convention_detail(request: HttpRequest, convention: Convention) -> HttpResponse:
    return render(request, "conventions/detail.html", convention_page_context(convention=convention, user=request.user))


@require_GET
@login_required
def convention_section(request: HttpRequest, convention_pk: int, section: str) -> HttpResponse:
    """One section of the convention page: the fragment htmx puts in place, or a page of its own (printable)."""
    if section not in SECTION_IDS:
        raise Http404("Cette section n'existe pas.")
    convention = get_visible_convention(request.user, convention_pk)
    context = convention_page_context(convention=convention, user=request.user, sections={section})
    context["section"] = next(s for s in context["sections"] if s["id"] == section)
    if is_htmx(request):
        return render(request, context["section"]["template"], context)
    return render(request, "conventions/section.html", context)
