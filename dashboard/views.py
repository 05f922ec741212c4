"""The Caf's dashboard (/tableau-de-bord/) and the export of its tables."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from territories.models import Caf

from . import exports
from .charts import coverage_chart, phase_chart
from .figures import dashboard_figures
from .map import coverage_map
from .perms import COUNTRY, can_see_dashboard, dashboard_caf

SHOWN_UNCOVERED = 20


def export_links(request: HttpRequest, caf: Caf | None) -> dict[str, dict[str, str]]:
    """{"communes_non_couvertes": {"csv": url, "xlsx": url}, …}: the same scope as the page."""
    scope = {"caf": caf.pk if caf else COUNTRY} if request.user.is_administrator else {}
    return {
        table.replace("-", "_"): {
            export_format: f"{reverse('dashboard:export', kwargs={'table': table})}?"
            + urlencode(scope | {"format": export_format})
            for export_format in exports.FORMATS
        }
        for table in exports.TABLES
    }


def advisers_only(view):
    """Refuse (403) whoever has no dashboard before anything else, whatever the method."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if not can_see_dashboard(request.user):
            raise PermissionDenied("Le tableau de bord est réservé aux conseiller·ères des Caf et aux administrateurs.")
        return view(request, *args, **kwargs)

    return wrapped


@login_required
@advisers_only
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    caf = dashboard_caf(request.user, request.GET.get("caf"))
    figures = dashboard_figures(caf=caf, today=timezone.localdate())
    context = {
        "figures": figures,
        "caf": caf,
        "cafs": Caf.objects.select_related("departement") if request.user.is_administrator else None,
        "country": COUNTRY,
        "uncovered": list(figures.uncovered[:SHOWN_UNCOVERED]),
        "uncovered_count": figures.coverage.total_communes - figures.coverage.covered_communes,
        "phase_chart": phase_chart(phases=figures.phases),
        "coverage_chart": coverage_chart(coverage=figures.coverage),
        "coverage_map": coverage_map(rows=figures.departements) if caf is None else "",
        "exports": export_links(request, caf),
    }
    return render(request, "dashboard/dashboard.html", context)


@login_required
@advisers_only
@require_GET
def export(request: HttpRequest, table: str) -> HttpResponse:
    caf = dashboard_caf(request.user, request.GET.get("caf"))
    export_format = request.GET.get("format", "csv")
    if export_format not in exports.FORMATS:
        return HttpResponseBadRequest("Format d'export inconnu : choisissez csv ou xlsx.")
    if table not in exports.TABLES:
        raise Http404("Tableau inconnu.")
    figures = dashboard_figures(caf=caf, today=timezone.localdate())
    title, header, rows = exports.table_rows(figures, table)
    render_file = exports.render_csv if export_format == "csv" else exports.render_xlsx
    body = render_file(title, header, rows)
    response = HttpResponse(body, content_type=exports.FORMATS[export_format])
    scope = f"caf-{caf.pk}" if caf else "france"
    filename = f"{table}-{scope}-{timezone.localdate():%Y-%m-%d}.{export_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
