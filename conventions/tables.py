"""The convention list as a django-tables2 table.

Every cell reads the row itself, its select_related Caf, département and périmètre, its prefetched champs
d'intervention or an annotation (see views/lists.py): rendering issues no query per row.
"""

import django_tables2 as tables
from django.utils.formats import date_format, number_format
from django.utils.html import format_html

from .models import Convention


def period_label(convention: Convention) -> str:
    """« 01/01/2022 – 31/12/2026 », or « à compter de la signature – 31/12/2026 » while the start is unknown."""
    start = convention.effective_start
    start_label = date_format(start, "d/m/Y") if start else "à compter de la signature"
    return f"{start_label} – {date_format(convention.end_date, 'd/m/Y')}"


class ConventionTable(tables.Table):
    reference = tables.Column("Référence", attrs={"td": {"class": "small text-break"}})
    title = tables.Column(
        "Intitulé",
        linkify=("conventions:detail", {"convention_pk": tables.A("pk")}),
        attrs={"td": {"style": "min-width: 16rem"}},
    )
    caf = tables.Column("Caf", accessor="caf__name")
    departement = tables.Column("Département", accessor="caf__departement", order_by=("caf__departement__code",))
    territory = tables.Column("Périmètre", order_by=("territory__name",))
    period = tables.Column(
        "Période", accessor="end_date", order_by=("end_date", "start_date"), attrs={"td": {"class": "small"}}
    )
    status = tables.Column("Statut", order_by=("phase_rank", "end_date"), attrs={"td": {"class": "text-nowrap"}})
    domains = tables.ManyToManyColumn(verbose_name="Champs d'intervention", default="—")
    action_count = tables.Column("Fiches-action", attrs={"th": {"class": "text-end"}, "td": {"class": "text-end"}})

    class Meta:
        model = Convention
        fields = ()
        sequence = (
            "reference",
            "title",
            "caf",
            "departement",
            "territory",
            "period",
            "status",
            "domains",
            "action_count",
        )
        attrs = {"class": "table table-hover align-middle mb-0", "thead": {"class": "table-light"}}
        per_page = 25
        empty_text = "Aucune convention ne correspond à ces critères."

    def render_territory(self, value, record: Convention):
        count = record.commune_count
        return format_html(
            '{}<br><small class="text-body-secondary">{} commune{}</small>',
            value.name,
            number_format(count, force_grouping=True),
            "s" if count > 1 else "",
        )

    def render_period(self, record: Convention):
        return period_label(record)

    def render_status(self, record: Convention):
        phase = record.phase()
        return format_html('<span class="badge badge-status phase-{}">{}</span>', phase.value, phase.label)
