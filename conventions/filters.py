"""Filters of the convention list: the page and its exports share them."""

from datetime import date

import django_filters as filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from core.forms import StyledFormMixin
from core.querysets import contains_text, searchable
from territories.models import Caf, Commune, Departement, Territory

from .enums import ConventionPhase
from .models import Convention, Domain, Party


def visible_cafs(request) -> QuerySet:
    if request is None:
        return Caf.objects.none()
    return Caf.objects.filter(pk__in=Convention.objects.visible_to(request.user).values("caf_id"))


def visible_departements(request) -> QuerySet:
    if request is None:
        return Departement.objects.none()
    return Departement.objects.filter(
        pk__in=Convention.objects.visible_to(request.user).values("caf__departement_id")
    ).order_by("code")


class YearFilter(filters.NumberFilter):
    field_class = forms.IntegerField


class ConventionFilterForm(StyledFormMixin, forms.Form):
    pass


class ConventionFilter(filters.FilterSet):
    # The hint sits in the label: includes/field.html shows help texts without the id that Django's
    # aria-describedby points to.
    q = filters.CharFilter(
        label="Rechercher (référence, intitulé, périmètre, commune ou code INSEE, signataire)",
        method="filter_text",
    )
    caf = filters.ModelChoiceFilter(label="Caf", queryset=visible_cafs, empty_label="Toutes les Caf")
    departement = filters.ModelChoiceFilter(
        label="Département",
        field_name="caf__departement",
        queryset=visible_departements,
        empty_label="Tous les départements",
    )
    statut = filters.ChoiceFilter(
        label="Statut", choices=ConventionPhase.choices, method="filter_phase", empty_label="Tous les statuts"
    )
    champ = filters.ModelChoiceFilter(
        label="Champ d'intervention",
        field_name="domains",
        queryset=Domain.objects.all(),
        empty_label="Tous les champs",
    )
    annee = YearFilter(
        label="Période couvrant l'année",
        method="filter_year",
        min_value=1990,
        max_value=2100,
        widget=forms.NumberInput(attrs={"placeholder": "AAAA", "inputmode": "numeric"}),
    )
    fin_proche = filters.BooleanFilter(
        label="Se termine dans les 12 mois",
        method="filter_ending_soon",
        widget=forms.CheckboxInput,
    )

    class Meta:
        # No model: the view always passes the conventions the user may see, never a default of all of them.
        form = ConventionFilterForm

    def filter_text(self, queryset, name, value):
        text = value.strip()
        if not text or "\x00" in text:  # (PostgreSQL cannot compare a NUL)
            return queryset
        # One EXISTS per relation (communes and parties are many per convention): one row per convention without
        # DISTINCT, the same cheap condition for the count and the rows, and on PostgreSQL each one on a trigram
        # GIN index of the compared expression (migrations *_scale_indexes).
        territory = Territory.objects.filter(pk=OuterRef("territory_id")).alias(**searchable("name"))
        communes = Commune.objects.filter(territories=OuterRef("territory_id")).alias(**searchable("name"))
        parties = Party.objects.filter(convention=OuterRef("pk")).alias(**searchable("name"))
        return queryset.alias(**searchable("reference", "title")).filter(
            contains_text("reference", text)
            | contains_text("title", text)
            | Exists(territory.filter(contains_text("name", text)))
            | Exists(communes.filter(contains_text("name", text) | Q(insee_code__iexact=text)))
            | Exists(parties.filter(contains_text("name", text)))
        )

    def filter_phase(self, queryset, name, value):
        return queryset.in_phase(ConventionPhase(value), timezone.localdate())

    def filter_year(self, queryset, name, value):
        # A convention that starts on signature and is not signed yet has no known start: it may cover any
        # year up to its end.
        starts_by_year_end = Q(start_date__lte=date(value, 12, 31)) | (
            Q(start_date__isnull=True) & (Q(signature_date__isnull=True) | Q(signature_date__lte=date(value, 12, 31)))
        )
        return queryset.filter(starts_by_year_end, end_date__gte=date(value, 1, 1))

    def filter_ending_soon(self, queryset, name, value):
        return queryset.ending_within(365) if value else queryset
