"""The convention PDF, ready to sign, rendered by core.pdf (WeasyPrint, static files only)."""

import re
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby

from django.db.models import Prefetch, prefetch_related_objects
from django.template.loader import render_to_string
from django.utils.text import slugify

from actions.levels import plan_levels
from actions.models import ActionSheet, BudgetLine, Objective, StatusUpdate
from actions.plan import PlanTree, plan_tree
from core.pdf import html_to_pdf, render_template_pdf
from core.text import french_long_date
from evaluation.models import Indicator, Measurement
from territories.grammar import agree, de_noun, name_of
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
from ..placeholders import annex_fillings, fill_from_annexes
from ..services import default_designation
from .annex6 import annex6_entries, append_deliberations

# ---------------------------------------------------------------------------------------------------------
# The convention, ready to sign.

FEMININE_PARTY_KINDS = {PartyKind.CAF, PartyKind.COMMUNE, PartyKind.EPCI}  # la Caisse, la commune, la communauté
FEMININE_TITLE_ENDINGS = ("trice", "ente", "ère", "esse", "ée", "jointe", "cheffe", "ine")
DELIBERATING_BODIES = {
    PartyKind.COMMUNE: "conseil municipal",
    PartyKind.EPCI: "conseil communautaire",
    PartyKind.DEPARTEMENT: "conseil départemental",
}
VISAS_NAMED_UP_TO = 6  # beyond, one visa says « les délibérations … »


def party_is_feminine(party: Party) -> bool:
    """« la Communauté urbaine », « le Département »: the article says, else the kind; a commune is « la
    commune » whatever its name (« Le Chambon-Feugerolles, représentée par … »)."""
    feminine = None if party.kind == PartyKind.COMMUNE else name_of(party).feminine
    return party.kind in FEMININE_PARTY_KINDS if feminine is None else feminine


def representative_is_feminine(representative: Representative) -> bool:
    civility = representative.civility.strip().lower()
    if civility in ("madame", "mme"):
        return True
    if civility in ("monsieur", "m.", "m"):
        return False
    first_word = (representative.title.split() or [""])[0].lower()
    return first_word.endswith(FEMININE_TITLE_ENDINGS)


@dataclass
class PrintedParty:
    """A signatory as the parties' paragraph names it, with the French agreements worked out."""

    party: Party
    representatives: list[Representative]

    @property
    def feminine(self) -> bool:
        return party_is_feminine(self.party)

    @property
    def represented(self) -> str:
        return agree("représenté", feminine=self.feminine, plural=False)

    @property
    def authorised(self) -> str:
        """« dûment autorisé » agrees with the people who sign (masculine when one of them is a man)."""
        people = self.representatives
        feminine = bool(people) and all(representative_is_feminine(r) for r in people)
        return agree("autorisé", feminine=feminine, plural=len(people) > 1)

    @property
    def deliberation_body(self) -> str:
        return self.party.deliberation_body or DELIBERATING_BODIES.get(self.party.kind, "")


@dataclass
class PartyGroup:
    """Consecutive signatories sharing one « Ci-après dénommée(s) … »."""

    parties: list[PrintedParty]
    designation: str

    @property
    def designated(self) -> str:
        feminine = all(p.feminine for p in self.parties)
        return agree("dénommé", feminine=feminine, plural=len(self.parties) > 1)


def deliberation_visas(*, visas: list[str], parties: list[PrintedParty]) -> list[str]:
    """The model's « Vu la délibération du conseil municipal figurant en annexe 6 » becomes one visa per
    deliberation (« Vu la délibération du conseil municipal de la commune de Firminy en date du 5 décembre
    2022 … »), or « Vu les délibérations … » beyond VISAS_NAMED_UP_TO signatories."""
    generic = next((i for i, line in enumerate(visas) if GENERIC_DELIBERATION_VISA.match(line)), None)
    deliberating = [p for p in parties if p.party.kind != PartyKind.CAF and p.deliberation_body]
    if generic is None or not deliberating:
        return visas
    end = "." if visas[generic].rstrip().endswith(".") else " ;"
    annex = "figurant en annexe 6 de la présente convention"
    if len(deliberating) > VISAS_NAMED_UP_TO:
        lines = [f"Vu les délibérations des {len(deliberating)} collectivités signataires {annex}{end}"]
    else:
        lines = []
        for position, p in enumerate(deliberating, start=1):
            date = f" en date du {french_long_date(p.party.deliberation_date)}" if p.party.deliberation_date else ""
            close = end if position == len(deliberating) else " ;"
            lines.append(
                f"Vu la délibération {de_noun(p.deliberation_body)} {name_of(p.party).de}{date} {annex}{close}"
            )
    return visas[:generic] + lines + visas[generic + 1 :]


# The model's visa that names no council: « Vu la délibération du conseil municipal figurant en annexe 6 … ».
GENERIC_DELIBERATION_VISA = re.compile(
    r"^Vu (?:la|les) délibérations? (?:du|des) (?:conseils? )?(?:municipal|municipaux|communautaires?)? ?"
    r"figurant en annexe 6 de la présente convention\s*[.;]?$"
)


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
    for group in groups:
        group.designation = group.designation or default_designation([p.party for p in group.parties])
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


def convention_print_context(*, convention: Convention, agreed_on: date | None = None) -> dict:
    """Everything the convention PDF prints, in a fixed number of queries whatever the size of the plan.

    With `agreed_on` (a signature date), what the parties agreed that day: annex 5 gives the indicators'
    definitions, baselines and targets without any value measured, annex 4 no meeting held after that day."""
    measurements = Measurement.objects.order_by("year", "quarter")
    meetings = Meeting.objects.order_by("date", "pk")
    if agreed_on is not None:
        measurements, meetings = measurements.none(), meetings.filter(date__lte=agreed_on)
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
        .prefetch_related(Prefetch("measurements", queryset=measurements))
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
            Prefetch("meetings", queryset=meetings.prefetch_related("actions")),
        )
        .order_by("order", "pk")
    )
    visas = convention.visas or (convention.edition.visas if convention.edition_id else "")
    groups = party_groups(parties)
    # The blanks the annexes answer (article 6: the COPIL) print filled; the signature guard counts them so.
    fillings = annex_fillings(convention=convention)
    clauses = list(Clause.objects.filter(convention=convention).order_by("order", "pk"))
    for clause in clauses:
        clause.body = fill_from_annexes(clause.body, fillings)
    return {
        "document_title": convention.title,
        "document_author": convention.caf.name,
        "version_mention": "",
        "convention": convention,
        "caf": convention.caf,
        "territory": territory,
        "communes": communes,
        "population": sum(c.population or 0 for c in communes),
        "population_year": max((c.population_year for c in communes if c.population_year), default=None),
        "party_groups": groups,
        "parties": parties,
        "visas": deliberation_visas(
            visas=[line.strip() for line in visas.splitlines() if line.strip()],
            parties=[p for group in groups for p in group.parties],
        ),
        "annex6": annex6_entries(parties=parties),
        "preamble": fill_from_annexes(convention.preamble, fillings),
        "clauses": clauses,
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


def render_convention_html(*, convention: Convention, **extra) -> str:
    context = convention_print_context(convention=convention, agreed_on=extra.pop("agreed_on", None))
    return render_to_string("pdf/convention.html", context | extra)


def render_convention_pdf(*, convention: Convention) -> bytes:
    """The whole convention, ready to sign: cover, parties, visas, articles, signatures, annexes 1 to 6."""
    pdf = html_to_pdf(html=render_convention_html(convention=convention))
    return append_deliberations(pdf=pdf, parties=list(convention.parties.order_by("order", "pk")))


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
