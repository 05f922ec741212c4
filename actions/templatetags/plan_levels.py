"""The plan's level names in templates, from actions/levels.py (the one place they are written)."""

from django import template

from ..levels import OUTSIDE_ORIENTATIONS

register = template.Library()


@register.simple_tag
def outside_orientations(lower: bool = False) -> str:
    """« Hors orientation » (« hors orientation » inside a sentence)."""
    return OUTSIDE_ORIENTATIONS.lower() if lower else OUTSIDE_ORIENTATIONS
