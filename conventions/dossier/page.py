"""The convention's pages: the home list with its fiche counts, and everything the convention page shows."""

from django.db.models import QuerySet

from actions.enums import ActionStatus
from actions.models import ActionSheet
from actions.plan import plan_tree
from core.querysets import count_of
from evaluation.models import Indicator
from territories.models import Territory

from ..ao import ao_lines
from ..lifecycle import convention_available_transitions
from ..models import Committee, Convention, Party, SupportedEquipment
from ..perms import convention_rights


def home_conventions(user) -> QuerySet:
    """The conventions a user sees on the home page, with their fiche and commune counts: each count a
    sub-query on one convention's rows (the home page is paginated, so only a page's rows are counted)."""
    return (
        Convention.objects.visible_to(user)
        .select_related("caf", "territory", "copil_meeting__committee")
        .annotate(
            action_count=count_of(ActionSheet.objects.all(), key="convention"),
            done_count=count_of(ActionSheet.objects.filter(status=ActionStatus.DONE), key="convention"),
            commune_count=count_of(Territory.communes.through.objects.all(), key="territory", outer="territory"),
        )
        .order_by("caf__name", "-end_date", "title", "pk")
    )


# The sections of the convention page in their order: (id, template, title, shown in the first view). The others
# load on demand (htmx, when scrolled to or reached from the table of contents), each also a page of its own
# (conventions:section, printable): a 70-fiche convention's first view stays small (issue 13).
SECTIONS = [
    ("synthese", "_summary", "Synthèse", True),
    ("signataires", "_parties", "Signataires", True),
    ("perimetre", "_perimeter", "Périmètre", True),
    ("texte", "_text", "Texte de la convention", False),
    ("diagnostic", "_diagnostic", "Annexe 1 – Diagnostic partagé", False),
    ("equipements", "_equipment", "Annexe 2 – Équipements et services soutenus", False),
    ("petite-enfance", "_ao", "Autorité organisatrice de l'accueil du jeune enfant", False),
    ("plan", "_plan", "Annexe 3 – Plan d'actions", False),
    ("pilotage", "_governance", "Annexe 4 – Pilotage", False),
    ("evaluation", "_evaluation", "Annexe 5 – Évaluation", False),
    ("documents", "_documents", "Documents", True),
]
SECTION_IDS = [section_id for section_id, *_ in SECTIONS]
FIRST_VIEW = {section_id for section_id, _, _, first in SECTIONS if first}


def page_sections(shown: set[str]) -> list[dict]:
    """The sections for the template: each with its template, and whether it is rendered or loaded on demand."""
    return [
        {
            "id": section_id,
            "template": f"conventions/sections/{name}.html",
            "title": title,
            "shown": section_id in shown,
        }
        for section_id, name, title, _ in SECTIONS
    ]


def convention_page_context(*, convention: Convention, user, sections: set[str] = FIRST_VIEW) -> dict:
    """The sections `sections` of the convention page, in a fixed number of queries whatever its size: each
    section's rows are read only when it is shown."""
    territory = convention.territory
    context = {
        "convention": convention,
        "territory": territory,
        "sections": page_sections(sections),
        "parties": list(
            Party.objects.filter(convention=convention)
            .select_related("commune", "epci")
            .prefetch_related("representatives")
        ),
        "domains": list(convention.domains.all()),
        "amendments": list(convention.amendments.all()),
        "reviews": list(convention.reviews.all()),  # the documents section lists the validated bilans too
        "rights": convention_rights(user, convention),
        # Renewal links, both ways; a linked convention the reader may not open is not named.
        "previous": Convention.objects.visible_to(user).filter(pk=convention.previous_id).first()
        if convention.previous_id
        else None,
        "successors": list(Convention.objects.visible_to(user).filter(previous=convention).order_by("pk")),
        "steps": convention_available_transitions(convention, user),
    }
    if "synthese" in sections and "plan" not in sections:
        context["plan_counts"] = {
            "orientations": convention.orientations.count(),
            "actions": ActionSheet.objects.filter(convention=convention).count(),
        }
    if sections & {"perimetre", "petite-enfance"}:
        communes = list(territory.communes.select_related("epci").order_by("name"))
        context.update(communes=communes, population=sum(c.population or 0 for c in communes))
        context["sub_perimeters"] = list(territory.children.prefetch_related("communes").order_by("code", "name"))
        context["ao_lines"] = ao_lines(convention=convention, communes=communes) if "petite-enfance" in sections else []
    if "texte" in sections:
        context["clauses"] = list(convention.clauses.all())
    if "diagnostic" in sections:
        diagnostic = getattr(convention, "diagnostic", None)
        context.update(
            diagnostic=diagnostic,
            key_figures=list(diagnostic.key_figures.all()) if diagnostic else [],
            issues=list(diagnostic.issues.select_related("domain")) if diagnostic else [],
        )
    if "equipements" in sections:
        equipment_by_commune: dict = {}
        for support in (
            SupportedEquipment.objects.filter(convention=convention)
            .select_related("equipment__kind", "equipment__commune", "supported_by")
            .order_by("equipment__commune__name", "order", "pk")
        ):
            equipment_by_commune.setdefault(support.equipment.commune, []).append(support)
        context["equipment_by_commune"] = equipment_by_commune
    if "plan" in sections:
        context["plan"] = plan_tree(convention=convention)
        context["plan_counts"] = {
            "orientations": len(context["plan"].orientations),
            "actions": context["plan"].action_count,
        }
    if "pilotage" in sections:
        context["committees"] = list(
            Committee.objects.filter(convention=convention).prefetch_related("members", "meetings")
        )
    if "evaluation" in sections:
        context["indicators"] = list(
            Indicator.objects.filter(convention=convention)
            .select_related("action")
            .prefetch_related("measurements")
            .order_by("action__order", "action_id", "order", "pk")
        )
    return context
