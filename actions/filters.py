"""Filters of « Mon suivi », the fiches-action of every convention a user may see."""

import django_filters as filters
from django import forms
from django.db.models import QuerySet
from django.utils.text import Truncator

from conventions.models import Convention, Domain
from core.forms import StyledFormMixin

from .enums import ActionStatus
from .models import Orientation


class FollowUpFilterForm(StyledFormMixin, forms.Form):
    pass


class ConventionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Convention) -> str:
        return f"{obj.reference} – {Truncator(obj.title).chars(60)}"


class OrientationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Orientation) -> str:
        # Several conventions may be listed: say which one each orientation belongs to.
        return f"{obj.convention.reference} – {Truncator(str(obj)).chars(70)}"


class ConventionFilter(filters.ModelChoiceFilter):
    field_class = ConventionChoiceField


class OrientationFilter(filters.ModelChoiceFilter):
    field_class = OrientationChoiceField


def visible_conventions(request) -> QuerySet:
    if request is None:
        return Convention.objects.none()
    return Convention.objects.visible_to(request.user).order_by("reference")


def visible_orientations(request) -> QuerySet:
    if request is None:
        return Orientation.objects.none()
    return (
        Orientation.objects.visible_to(request.user)
        .select_related("convention")
        .order_by("convention__reference", "order", "pk")
    )


class ActionSheetFilter(filters.FilterSet):
    convention = ConventionFilter(
        label="Convention", queryset=visible_conventions, empty_label="Toutes les conventions"
    )
    orientation = OrientationFilter(
        label="Orientation", queryset=visible_orientations, empty_label="Toutes les orientations"
    )
    statut = filters.ChoiceFilter(
        label="Statut", field_name="status", choices=ActionStatus.choices, empty_label="Tous les statuts"
    )
    porteur = filters.CharFilter(label="Porteur", field_name="lead", lookup_expr="icontains")
    champ = filters.ModelChoiceFilter(
        label="Champ d'intervention",
        field_name="domains",
        queryset=Domain.objects.order_by("order", "label"),
        empty_label="Tous les champs",
    )
    en_retard = filters.BooleanFilter(
        label="En retard (échéance passée, ni réalisée ni abandonnée)",
        method="filter_late",
        widget=forms.CheckboxInput,
    )

    class Meta:
        # No model: the view always passes the fiches the user may see.
        form = FollowUpFilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Once a convention is chosen, offer only its orientations.
        convention = self.data.get("convention") if self.data else None
        # (a number beyond the database's integers, typed in the address, matches nothing: no narrowing)
        if convention and str(convention).isdigit() and int(convention) < 2**63:
            orientation = self.filters["orientation"]
            orientation.queryset = visible_orientations(self.request).filter(convention_id=int(convention))

    def filter_late(self, queryset, name, value):
        return queryset.late() if value else queryset
