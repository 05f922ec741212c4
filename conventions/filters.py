"""Filters of the convention list: the page and its exports share them."""

from datetime import date

import django_filters as filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from core.forms import StyledFormMixin
from territories.models import Caf, Departement

from .enums import ConventionPhase
from .models import Convention, Domain


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
        if not text:
            return queryset
        # A sub-query keeps one row per convention (communes and parties are many per convention) and leaves
        # the list's annotations alone.
        matches = Convention.objects.filter(
            Q(reference__icontains=text)
            | Q(title__icontains=text)
            | Q(territory__name__icontains=text)
            | Q(territory__communes__name__icontains=text)
            | Q(territory__communes__insee_code__iexact=text)
            | Q(parties__name__icontains=text)
        )
        return queryset.filter(pk__in=matches.values("pk"))

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
