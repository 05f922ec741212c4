"""The convention list of every role, and its CSV and Excel exports (same filters, same order)."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from django_filters.views import FilterView
from openpyxl import Workbook

from core.exports import CSV_CONTENT_TYPE, csv_bytes
from core.pagination import ClampedPaginationMixin
from core.querysets import count_of
from core.xlsx import DATE_FORMAT, XLSX_CONTENT_TYPE, workbook_bytes, write_sheet
from territories.models import Territory

from ..filters import ConventionFilter
from ..models import Convention
from ..tables import ConventionTable

EXPORT_FORMATS = {
    "csv": CSV_CONTENT_TYPE,
    "xlsx": XLSX_CONTENT_TYPE,
}
EXPORT_HEADER = [
    "Référence",
    "Intitulé",
    "Caf",
    "Département",
    "Périmètre",
    "Communes",
    "Début",
    "Fin",
    "Statut",
    "Champs d'intervention",
    "Fiches-action",
]


def related_count(relation: str) -> Coalesce:
    """The number of rows of a reverse relation of the convention (its fiches), as a sub-query of its own."""
    counted = Convention.objects.filter(pk=OuterRef("pk")).order_by().annotate(n=Count(relation)).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def list_queryset(user) -> QuerySet:
    """The conventions a user may see, with everything the table and the exports read."""
    return (
        Convention.objects.visible_to(user)
        .select_related("caf__departement", "territory")
        .prefetch_related("domains")
        .annotate(
            commune_count=count_of(Territory.communes.through.objects.all(), key="territory", outer="territory"),
            action_count=related_count("actions"),
        )
        .with_phase_rank(timezone.localdate())
        .order_by("-end_date", "title")
    )


def filtered_conventions(request: HttpRequest) -> tuple[ConventionFilter, QuerySet]:
    """The filter bound to the query string and its result; a refused value (say, another Caf) shows nothing."""
    filterset = ConventionFilter(request.GET or None, queryset=list_queryset(request.user), request=request)
    if filterset.is_bound and not filterset.is_valid():
        return filterset, filterset.queryset.none()
    return filterset, filterset.qs


def export_url(request: HttpRequest, export_format: str) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params["format"] = export_format
    return f"{reverse('conventions:list_export')}?{params.urlencode()}"


class ConventionListView(LoginRequiredMixin, ClampedPaginationMixin, FilterView):
    table_class = ConventionTable
    filterset_class = ConventionFilter
    template_name = "conventions/list.html"
    http_method_names = ["get", "head", "options"]

    def get_queryset(self) -> QuerySet:
        return list_queryset(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["export_links"] = [
            ("CSV", export_url(self.request, "csv")),
            ("Excel (.xlsx)", export_url(self.request, "xlsx")),
        ]
        return context


convention_list = ConventionListView.as_view()


def export_row(convention: Convention) -> list:
    return [
        convention.reference,
        convention.title,
        convention.caf.name,
        str(convention.caf.departement),
        convention.territory.name,
        convention.commune_count,
        convention.effective_start,
        convention.end_date,
        convention.phase().label,
        ", ".join(domain.label for domain in convention.domains.all()),
        convention.action_count,
    ]


def render_conventions_csv(*, conventions) -> bytes:
    return csv_bytes(header=EXPORT_HEADER, rows=(export_row(convention) for convention in conventions))


def render_conventions_xlsx(*, conventions) -> bytes:
    workbook = Workbook()
    write_sheet(
        workbook,
        title="Conventions",
        header=EXPORT_HEADER,
        rows=(export_row(convention) for convention in conventions),
        widths=(18, 50, 24, 20, 30, 10, 12, 12, 28, 40, 12),
        type_formats={date: DATE_FORMAT},
        first_sheet=True,
    )
    return workbook_bytes(workbook)


@require_GET
@login_required
def convention_list_export(request: HttpRequest) -> HttpResponse:
    export_format = request.GET.get("format", "csv")
    if export_format not in EXPORT_FORMATS:
        return HttpResponseBadRequest("Format d'export inconnu : choisissez csv ou xlsx.")
    _, conventions = filtered_conventions(request)
    # The order of the page: the table validates the « sort » parameter and orders the queryset.
    table = ConventionTable(conventions, order_by=request.GET.get("sort"))
    render = render_conventions_csv if export_format == "csv" else render_conventions_xlsx
    response = HttpResponse(render(conventions=table.data), content_type=EXPORT_FORMATS[export_format])
    filename = f"conventions-{timezone.localdate():%Y-%m-%d}.{export_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
