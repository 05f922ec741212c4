"""The convention's pages: the home list with its fiche counts, and everything the convention page shows."""

from django.db.models import Count, Q, QuerySet

from actions.enums import ActionStatus
from actions.plan import plan_tree
from evaluation.models import Indicator

from ..ao import ao_lines
from ..lifecycle import convention_available_transitions
from ..models import Committee, Convention, Party, SupportedEquipment
from ..perms import convention_rights


def home_conventions(user) -> QuerySet:
    """The conventions a user sees on the home page, with their fiche and commune counts."""
    return (
        Convention.objects.visible_to(user)
        .select_related("caf", "territory", "copil_meeting__committee")
        .annotate(
            action_count=Count("actions", distinct=True),
            done_count=Count("actions", filter=Q(actions__status=ActionStatus.DONE), distinct=True),
            commune_count=Count("territory__communes", distinct=True),
        )
        .order_by("caf__name", "-end_date", "title")
    )


def convention_page_context(*, convention: Convention, user) -> dict:
    """Every section of the convention page, in a fixed number of queries whatever its size."""
    territory = convention.territory
    communes = list(territory.communes.select_related("epci").order_by("name"))
    sub_perimeters = list(territory.children.prefetch_related("communes").order_by("code", "name"))
    parties = list(
        Party.objects.filter(convention=convention)
        .select_related("commune", "epci")
        .prefetch_related("representatives")
    )
    equipment_by_commune: dict = {}
    for support in (
        SupportedEquipment.objects.filter(convention=convention)
        .select_related("equipment__kind", "equipment__commune", "supported_by")
        .order_by("equipment__commune__name", "order", "pk")
    ):
        equipment_by_commune.setdefault(support.equipment.commune, []).append(support)
    diagnostic = getattr(convention, "diagnostic", None)
    key_figures = list(diagnostic.key_figures.all()) if diagnostic else []
    issues = list(diagnostic.issues.select_related("domain")) if diagnostic else []
    committees = list(Committee.objects.filter(convention=convention).prefetch_related("members", "meetings"))
    indicators = list(
        Indicator.objects.filter(convention=convention)
        .select_related("action")
        .prefetch_related("measurements")
        .order_by("action__order", "action_id", "order", "pk")
    )
    return {
        "convention": convention,
        "territory": territory,
        "population": sum(c.population or 0 for c in communes),
        "communes": communes,
        "sub_perimeters": sub_perimeters,
        "parties": parties,
        "clauses": list(convention.clauses.all()),
        "domains": list(convention.domains.all()),
        "diagnostic": diagnostic,
        "key_figures": key_figures,
        "issues": issues,
        "equipment_by_commune": equipment_by_commune,
        "ao_lines": ao_lines(convention=convention, communes=communes),
        "plan": plan_tree(convention=convention),
        "committees": committees,
        "indicators": indicators,
        "amendments": list(convention.amendments.all()),
        "reviews": list(convention.reviews.all()),
        "rights": convention_rights(user, convention),
        # Renewal links, both ways; a linked convention the reader may not open is not named.
        "previous": Convention.objects.visible_to(user).filter(pk=convention.previous_id).first()
        if convention.previous_id
        else None,
        "successors": list(Convention.objects.visible_to(user).filter(previous=convention).order_by("pk")),
        "steps": convention_available_transitions(convention, user),
    }
