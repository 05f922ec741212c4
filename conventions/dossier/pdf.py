"""The convention PDF, ready to sign, rendered by core.pdf (WeasyPrint, static files only)."""

from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Prefetch, prefetch_related_objects
from django.template.loader import render_to_string
from django.utils.text import slugify

from actions.levels import plan_levels
from actions.models import ActionSheet, BudgetLine, Objective, StatusUpdate
from actions.plan import PlanTree, plan_tree
from core.pdf import html_to_pdf, render_template_pdf
from evaluation.models import Indicator, Measurement
from territories.models import Commune, Territory

from ..ao import ao_lines
from ..enums import PartyKind
from ..models import (
    Clause,
    Committee,
    CommitteeMember,
    Convention,
    Diagnostic,
    Meeting,
    Party,
    Representative,
    SupportedEquipment,
)

# ---------------------------------------------------------------------------------------------------------
# The convention, ready to sign.

FEMININE_PARTY_KINDS = {PartyKind.CAF, PartyKind.COMMUNE, PartyKind.EPCI}  # la Caisse, la commune, la communauté


@dataclass
class PrintedParty:
    """A signatory as the parties' paragraph names it, with the French agreements worked out."""

    party: Party
    representatives: list[Representative]

    @property
    def feminine(self) -> bool:
        return self.party.kind in FEMININE_PARTY_KINDS

    @property
    def represented(self) -> str:
        return "représentée" if self.feminine else "représenté"

    @property
    def authorised(self) -> str:
        """« dûment autorisé » agrees with the people who sign."""
        civilities = {r.civility.strip().lower() for r in self.representatives}
        plural = "s" if len(self.representatives) > 1 else ""
        if civilities == {"madame"}:
            return f"autorisée{plural}"
        if civilities <= {"madame", "monsieur"} and civilities:
            return f"autorisé{plural}"
        return "autorisé·e" + plural


@dataclass
class PartyGroup:
    """Consecutive signatories sharing one « Ci-après dénommée(s) … »."""

    parties: list[PrintedParty]
    designation: str

    @property
    def designated(self) -> str:
        feminine = all(p.feminine for p in self.parties)
        return ("dénommée" if feminine else "dénommé") + ("s" if len(self.parties) > 1 else "")


@dataclass
class PlanSection:
    """One orientation of annexe 3 as groups of table rows: ("axis", Axis), ("objective", Objective),
    ("action", ActionSheet). A group (an objective with its fiches, after its axis if it is the first) is
    kept on one page so that no heading row is left alone at the foot of a page."""

    orientation: object | None
    groups: list[list[tuple[str, object]]] = field(default_factory=list)

    def add(self, kind: str, item) -> None:
        starts_group = kind == "axis" or (kind == "objective" and not self._only_axis_so_far())
        if starts_group or not self.groups:
            self.groups.append([])
        self.groups[-1].append((kind, item))

    def _only_axis_so_far(self) -> bool:
        return bool(self.groups) and [kind for kind, _ in self.groups[-1]] == ["axis"]


@dataclass
class Fiche:
    """A fiche-action with its place in the plan and its indicators, read without further queries."""

    action: ActionSheet
    orientation: object | None
    axis: object | None
    objective: object | None
    indicators: list = field(default_factory=list)


def party_groups(parties: list[Party]) -> list[PartyGroup]:
    groups: list[PartyGroup] = []
    for party in parties:
        printed = PrintedParty(party=party, representatives=list(party.representatives.all()))
        same = groups and groups[-1].designation == party.designation and party.kind != PartyKind.CAF
        if same and groups[-1].parties[0].party.kind != PartyKind.CAF:
            groups[-1].parties.append(printed)
        else:
            groups.append(PartyGroup(parties=[printed], designation=party.designation))
    return groups


def plan_sections_and_fiches(*, tree: PlanTree, indicators_by_action: dict) -> tuple[list[PlanSection], list[Fiche]]:
    """Annexe 3 in reading order: the table rows per orientation, and the fiches in the same order."""
    sections: list[PlanSection] = []
    fiches: list[Fiche] = []
    for step in tree.walk():
        if step.kind == "orientation" or (step.orientation is None and (not sections or sections[-1].orientation)):
            # Each orientation opens a section; the fiches outside every orientation share the last one.
            sections.append(PlanSection(orientation=step.item if step.kind == "orientation" else None))
            if step.kind == "orientation":
                continue
        sections[-1].add(step.kind, step.item)
        if step.kind == "action":
            indicators = indicators_by_action.get(step.item.pk, [])
            fiches.append(Fiche(step.item, step.orientation, step.axis, step.objective, indicators))
    return sections, fiches


def convention_fiches(*, convention: Convention) -> list[Fiche]:
    """The fiches of the plan in reading order, each with its place (the Documents page lists them)."""
    return plan_sections_and_fiches(tree=plan_tree(convention=convention), indicators_by_action={})[1]


def equipment_groups(supports: list[SupportedEquipment]) -> list[tuple[object, list[tuple[object, list]]]]:
    """Annexe 2: [(commune, [(equipment kind, [supports])])], communes and kinds in reading order."""
    supports = sorted(
        supports,
        key=lambda s: (
            s.equipment.commune.name,
            s.equipment.kind.order,
            s.equipment.kind.label,
            s.order,
            s.pk,
        ),
    )
    groups = []
    for commune, by_commune in groupby(supports, key=lambda s: s.equipment.commune):
        kinds = [(kind, list(items)) for kind, items in groupby(by_commune, key=lambda s: s.equipment.kind)]
        groups.append((commune, kinds))
    return groups


def convention_print_context(*, convention: Convention) -> dict:
    """Everything the convention PDF prints, in a fixed number of queries whatever the size of the plan."""
    territory = Territory.objects.select_related("parent").get(pk=convention.territory_id)
    communes = list(territory.communes.order_by("name"))
    parties = list(
        Party.objects.filter(convention=convention)
        .select_related("commune", "epci")
        .prefetch_related(Prefetch("representatives", queryset=Representative.objects.order_by("order", "pk")))
        .order_by("order", "pk")
    )
    diagnostic = Diagnostic.objects.filter(convention=convention).first()
    indicators = list(
        Indicator.objects.filter(convention=convention)
        .prefetch_related(Prefetch("measurements", queryset=Measurement.objects.order_by("year", "quarter")))
        .order_by("action__order", "action_id", "order", "pk")
    )
    indicators_by_action: dict[int, list] = {}
    for indicator in indicators:
        if indicator.action_id:
            indicators_by_action.setdefault(indicator.action_id, []).append(indicator)
    tree = plan_tree(convention=convention)
    sections, fiches = plan_sections_and_fiches(tree=tree, indicators_by_action=indicators_by_action)
    prefetch_related_objects(
        [fiche.action for fiche in fiches],
        Prefetch("target_communes", queryset=Commune.objects.order_by("name")),
        "priority",
        "methodology",
        Prefetch("budget_lines", queryset=BudgetLine.objects.order_by("year", "funder")),
    )
    references = {fiche.action.pk: fiche.action.reference for fiche in fiches}
    committees = list(
        Committee.objects.filter(convention=convention)
        .prefetch_related(
            Prefetch("members", queryset=CommitteeMember.objects.order_by("order", "pk")),
            Prefetch("meetings", queryset=Meeting.objects.order_by("date", "pk").prefetch_related("actions")),
        )
        .order_by("order", "pk")
    )
    visas = convention.visas or (convention.edition.visas if convention.edition_id else "")
    return {
        "document_title": convention.title,
        "convention": convention,
        "caf": convention.caf,
        "territory": territory,
        "communes": communes,
        "population": sum(c.population or 0 for c in communes),
        "population_year": max((c.population_year for c in communes if c.population_year), default=None),
        "party_groups": party_groups(parties),
        "parties": parties,
        "visas": [line.strip() for line in visas.splitlines() if line.strip()],
        "clauses": list(Clause.objects.filter(convention=convention).order_by("order", "pk")),
        "diagnostic": diagnostic,
        "key_figures": list(diagnostic.key_figures.order_by("order", "pk")) if diagnostic else [],
        "issues": list(diagnostic.issues.select_related("domain").order_by("order", "pk")) if diagnostic else [],
        "ao_lines": [line for line in ao_lines(convention=convention, communes=communes) if line.competence],
        "equipment_groups": equipment_groups(
            list(
                SupportedEquipment.objects.filter(convention=convention).select_related(
                    "equipment__kind", "equipment__commune", "supported_by"
                )
            )
        ),
        "plan_sections": sections,
        "levels": tree.levels,
        "fiches": fiches,
        "committees": committees,
        "convention_indicators": [i for i in indicators if not i.action_id],
        "action_indicators": [(references.get(i.action_id, ""), i) for i in indicators if i.action_id],
        "signature_blocks": [(p, r) for p in parties for r in (list(p.representatives.all()) or [None])],
    }


def render_convention_html(*, convention: Convention) -> str:
    return render_to_string("pdf/convention.html", convention_print_context(convention=convention))


def render_convention_pdf(*, convention: Convention) -> bytes:
    """The whole convention, ready to sign: cover, parties, visas, articles, signatures, annexes 1 to 5."""
    return html_to_pdf(html=render_convention_html(convention=convention))


def convention_pdf_filename(convention: Convention) -> str:
    """« CTG-42-FIRMINY-2022.pdf »."""
    return f"{slugify(convention.reference).upper() or 'convention'}.pdf"


# ---------------------------------------------------------------------------------------------------------
# One fiche-action as a PDF of one or two pages, to send to an élu.

LATEST_UPDATES = 3


def action_print_context(*, action: ActionSheet) -> dict:
    """The fiche, its place in the plan, its indicators with their values and its latest progress reports."""
    action = (
        ActionSheet.objects.select_related(
            "convention__caf", "orientation", "axis", "objective", "priority", "methodology"
        )
        .prefetch_related(
            "domains",
            "target_communes",
            Prefetch("also_objectives", queryset=Objective.objects.order_by("orientation__order", "order", "pk")),
            Prefetch("budget_lines", queryset=BudgetLine.objects.order_by("year", "funder")),
            Prefetch(
                "indicators",
                queryset=Indicator.objects.order_by("order", "pk").prefetch_related(
                    Prefetch("measurements", queryset=Measurement.objects.order_by("year", "quarter"))
                ),
            ),
        )
        .get(pk=action.pk)
    )
    convention = action.convention
    action.also_list = list(action.also_objectives.all())
    return {
        "document_title": f"Fiche-action {action.reference} – {convention.title}",
        "convention": convention,
        "fiche": Fiche(
            action=action,
            orientation=action.orientation,
            axis=action.axis,
            objective=action.objective,
            indicators=list(action.indicators.all()),
        ),
        "updates": list(StatusUpdate.objects.filter(action=action).order_by("-date", "-created_at")[:LATEST_UPDATES]),
        "levels": plan_levels(convention),
    }


def action_pdf_filename(*, action: ActionSheet) -> str:
    """« CTG-42-FIRMINY-2022-fiche-2-1.pdf »."""
    fiche = slugify(action.reference.replace(".", "-")).upper()  # « 2.1 » → « 2-1 », not « 21 »
    return f"{convention_pdf_filename(action.convention).removesuffix('.pdf')}-fiche-{fiche}.pdf"


def render_action_pdf(*, action: ActionSheet) -> bytes:
    return render_template_pdf(template="pdf/action.html", context=action_print_context(action=action))
