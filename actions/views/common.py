"""What the plan's views share: the node, place and fiche of a URL, looked up in its convention only."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.text import Truncator

from conventions.models import Convention

from ..levels import BY_SLUG
from ..models import ActionSheet, Axis, Objective, Orientation


def _get_node(convention: Convention, kind: str, pk: int) -> Orientation | Axis | Objective:
    """A node of this convention's plan; 404 for any other (another convention's node included)."""
    level = BY_SLUG.get(kind)
    if level is None:
        raise Http404("Élément du plan introuvable.")
    model = level.model
    lookup = "convention" if model is Orientation else "orientation__convention"
    return get_object_or_404(model.objects.filter(**{lookup: convention}), pk=pk)


def _lookup_place(convention: Convention, value: str) -> Orientation | Axis | Objective | None:
    """A posted « place dans le plan » ("" or "axe-12") as a node of this convention; 404 otherwise."""
    if not value:
        return None
    kind, _, pk = value.partition("-")
    if not pk.isdigit():
        raise Http404("Élément du plan introuvable.")
    return _get_node(convention, kind, int(pk))


def _get_action(convention: Convention, pk: int) -> ActionSheet:
    return get_object_or_404(ActionSheet.objects.filter(convention=convention), pk=pk)


def _short(node) -> str:
    return Truncator(str(node)).chars(80)
