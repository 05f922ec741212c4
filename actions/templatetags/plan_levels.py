"""The plan's level names in templates, from actions/levels.py (the one place they are written)."""

from django import template

from ..levels import OUTSIDE_ORIENTATIONS, plan_levels

register = template.Library()


@register.simple_tag
def outside_orientations(lower: bool = False) -> str:
    """« Hors orientation » (« hors orientation » inside a sentence)."""
    return OUTSIDE_ORIENTATIONS.lower() if lower else OUTSIDE_ORIENTATIONS


@register.simple_tag
def level_name(convention, slug: str, form: str = "label") -> str:
    """A level of `convention`'s plan as it names it: `form` is label (« Axe »), noun, the, a or plural."""
    return getattr(plan_levels(convention).by_slug[slug], form)
