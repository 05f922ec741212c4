from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .models import Commune


@require_GET
@login_required
def commune_search(request: HttpRequest) -> HttpResponse:
    """Suggestions « Nom (code INSEE) » for the commune fields (public reference data)."""
    text = request.GET.get("q", "").strip()
    communes = []
    if len(text) >= 2:
        communes = list(Commune.objects.search(text).select_related("departement").order_by("name")[:20])
    return render(request, "territories/_commune_options.html", {"communes": communes})
