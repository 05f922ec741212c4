"""« Mon suivi » as a django-tables2 table.

Every cell reads the row, its select_related convention and orientation or its prefetched champs
d'intervention (see views.FollowUpView): rendering issues no query per row.
"""

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from .levels import OUTSIDE_ORIENTATIONS
from .models import ActionSheet


class SelectColumn(tables.Column):
    """A checkbox for the bulk status change, only on the fiches the user may follow up."""

    empty_values = ()

    def __init__(self, **kwargs):
        super().__init__(
            verbose_name="Sélection",
            orderable=False,
            attrs={"th": {"class": "text-center"}, "td": {"class": "text-center"}},
            **kwargs,
        )

    def render(self, record: ActionSheet, table: "FollowUpTable"):
        if record.convention_id not in table.followed_ids:
            return mark_safe('<span class="visually-hidden">Lecture seule</span>')
        return format_html(
            '<input class="form-check-input" type="checkbox" name="fiches" value="{}" form="changement-statut"'
            ' aria-label="Sélectionner la fiche {} ({})"{}>',
            record.pk,
            record.reference,
            record.convention.reference,
            " checked" if str(record.pk) in table.checked_ids else "",
        )


class FollowUpTable(tables.Table):
    select = SelectColumn()
    reference = tables.Column(
        "Réf.",
        linkify=lambda record: reverse("actions:detail", args=[record.convention_id, record.pk]),
        # The title links to the same page: one tab stop per fiche for keyboard users, both clickable.
        attrs={"td": {"class": "action-ref"}, "a": {"tabindex": "-1"}},
        order_by=("convention__reference", "order", "pk"),
    )
    title = tables.Column(
        "Intitulé", linkify=lambda record: reverse("actions:detail", args=[record.convention_id, record.pk])
    )
    convention = tables.Column("Convention", accessor="convention__reference", attrs={"td": {"class": "text-nowrap"}})
    orientation = tables.Column(
        "Orientation",
        accessor="orientation",
        order_by=("orientation__order", "orientation__pk"),
        default=OUTSIDE_ORIENTATIONS,
    )
    lead = tables.Column("Porteur", default="–")
    domains = tables.Column("Champs d'intervention", empty_values=(), orderable=False)
    due_date = tables.Column("Échéance", attrs={"td": {"class": "text-nowrap"}}, default="–")
    status = tables.Column("Statut", order_by=("status", "due_date"))
    progress = tables.Column("Avancement", attrs={"th": {"class": "text-end"}, "td": {"class": "text-end"}})

    class Meta:
        model = ActionSheet
        fields = ()
        sequence = (
            "select",
            "reference",
            "title",
            "convention",
            "orientation",
            "lead",
            "domains",
            "due_date",
            "status",
            "progress",
        )
        attrs = {"class": "table table-hover align-middle mb-0", "thead": {"class": "table-light"}}
        per_page = 25
        empty_text = "Aucune fiche-action ne correspond à ces critères."

    def __init__(self, *args, followed_ids: set[int], checked_ids: set[str] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.followed_ids = followed_ids
        self.checked_ids = checked_ids
        self.today = timezone.localdate()

    def render_orientation(self, value):
        return format_html('<span title="{}">{}</span>', str(value), Truncator(str(value)).chars(60))

    def render_domains(self, record: ActionSheet):
        return (
            format_html_join(
                " ", '<span class="badge text-bg-light border">{}</span>', ((d.label,) for d in record.domains.all())
            )
            or "–"
        )

    def render_due_date(self, record: ActionSheet, value):
        label = record.due_label
        if record.is_late(self.today):
            return format_html('{} <span class="badge text-bg-danger">En retard</span>', label)
        return label

    def render_status(self, record: ActionSheet):
        return format_html(
            '<span class="badge badge-status status-{}">{}</span>', record.status, record.get_status_display()
        )

    def render_progress(self, value):
        return f"{value} %"
