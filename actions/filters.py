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


CHOICES_SHOWN = 100  # a select lists at most that many options; beyond, the convention is typed (its reference)


class ConventionChoiceField(forms.ModelChoiceField):
    """A visible convention, by id (the select) or by reference (typed when there are too many to list)."""

    def label_from_instance(self, obj: Convention) -> str:
        return f"{obj.reference} – {Truncator(obj.title).chars(60)}"

    def to_python(self, value):
        text = str(value).strip() if value not in self.empty_values else ""
        if text and not text.isdigit():
            match = self.queryset.filter(reference__iexact=text).first() if "\x00" not in text else None
            if match is None:
                raise forms.ValidationError("Aucune de vos conventions n'a cette référence.", code="invalid_choice")
            return match
        return super().to_python(value)


class ConventionReferenceInput(forms.TextInput):
    """The convention typed by its reference; a chosen id (a link, a previous search) shows as its reference if
    it is one of `queryset` (the visible conventions: another convention's id says nothing of it)."""

    input_type = "search"

    def __init__(self, *, queryset: QuerySet, attrs=None):
        super().__init__(attrs)
        self.queryset = queryset

    def format_value(self, value):
        if value and str(value).isdigit() and int(value) < 2**63:
            reference = self.queryset.filter(pk=int(value)).values_list("reference", flat=True).first()
            return reference or value
        return super().format_value(value)


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


def bounded(queryset: QuerySet) -> list | None:
    """The rows of `queryset` if there are at most CHOICES_SHOWN of them (one query), else None."""
    rows = list(queryset[: CHOICES_SHOWN + 1])
    return rows if len(rows) <= CHOICES_SHOWN else None


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
        # Options are bounded whatever the number of conventions (a national administrator sees 2 000 of them,
        # 8 000 orientations): the conventions are listed up to CHOICES_SHOWN, typed by reference beyond; the
        # orientations are those of the chosen convention (all of them only when they are few). The querysets
        # still validate any visible one, so an address with an orientation alone keeps working.
        self.convention_id = self.chosen_convention_id()
        if self.convention_id is not None:
            self.filters["orientation"].queryset = visible_orientations(self.request).filter(
                convention_id=self.convention_id
            )

    def chosen_convention_id(self) -> int | None:
        value = str(self.data.get("convention") or "").strip() if self.data else ""
        # (a number beyond the database's integers, typed in the address, matches nothing: no narrowing)
        if value.isdigit():
            return int(value) if int(value) < 2**63 else None
        if value and "\x00" not in value:
            matches = visible_conventions(self.request).filter(reference__iexact=value)
            return matches.values_list("pk", flat=True).first()
        return None

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            self.bound_choices(form)
        return self._form

    def bound_choices(self, form) -> None:
        conventions = form.fields["convention"]
        listed = bounded(conventions.queryset)
        if listed is None:
            attrs = {"class": "form-control", "placeholder": "Référence de la convention"}
            conventions.widget = ConventionReferenceInput(queryset=conventions.queryset, attrs=attrs)
            conventions.label = "Convention (référence)"
            conventions.help_text = ""
        else:
            conventions.choices = [("", conventions.empty_label)] + [
                (c.pk, conventions.label_from_instance(c)) for c in listed
            ]
        orientations = form.fields["orientation"]
        listed = bounded(orientations.queryset)
        if listed is None:  # many conventions and none chosen: choose one first
            listed = []
            orientations.empty_label = "Choisissez d'abord une convention"
        orientations.choices = [("", orientations.empty_label)] + [
            (o.pk, orientations.label_from_instance(o)) for o in listed
        ]

    def filter_late(self, queryset, name, value):
        return queryset.late() if value else queryset
