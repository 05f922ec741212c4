"""The figures of a Caf's dashboard (or the country's), each section in one query whatever the data size.

Coverage is Cnaf's headline indicator: the legal population of the communes covered by at least one CTG in
force, each commune counted once, out of the population of the Caf's départements (the départements it covers,
else its seat's; the whole country for the national view). A commune outside those départements does not count:
the share stays a share.
"""

import dataclasses
from collections import defaultdict
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from actions.models import ActionSheet
from agenda.events import Kind, milestone_events, with_successor
from conventions.enums import ConventionPhase
from conventions.models import Convention, phase_condition
from core.text import french_number
from territories.models import Caf, Commune, Territory

ENDING_MONTHS = 12


@dataclasses.dataclass(frozen=True)
class Coverage:
    covered_population: int
    total_population: int
    covered_communes: int
    total_communes: int

    @property
    def percent(self) -> Decimal | None:
        if not self.total_population:
            return None
        return (Decimal(self.covered_population) * 100 / self.total_population).quantize(Decimal("0.1"))

    @property
    def label(self) -> str:
        """« 312 540 habitants sur 765 634 (40,8 %) »."""
        text = f"{french_number(self.covered_population)} habitants sur {french_number(self.total_population)}"
        return f"{text} ({french_number(self.percent)} %)" if self.percent is not None else text


@dataclasses.dataclass(frozen=True)
class DoubleCover:
    commune: Commune
    conventions: list[Convention]


@dataclasses.dataclass(frozen=True)
class ConventionDue:
    convention: Convention
    late_fiches: int
    bilans_due: list[str]  # « 2024 », « final »


@dataclasses.dataclass
class Dashboard:
    caf: Caf | None
    phases: list[tuple[ConventionPhase, int]]
    coverage: Coverage
    uncovered: QuerySet  # communes, most populated first
    doubles: list[DoubleCover]
    ending: list[Convention]
    dues: list[ConventionDue]


def scope_conventions(caf: Caf | None) -> QuerySet:
    conventions = Convention.objects.all()
    return conventions if caf is None else conventions.filter(caf=caf)


def scope_communes(caf: Caf | None) -> QuerySet:
    communes = Commune.objects.all()
    if caf is None:
        return communes
    return communes.filter(departement__code__in=caf.departement_codes())


def phase_counts(conventions: QuerySet, *, today: date) -> list[tuple[ConventionPhase, int]]:
    counts = conventions.aggregate(
        **{phase.value: Count("pk", filter=phase_condition(phase, today)) for phase in ConventionPhase}
    )
    return [(phase, counts[phase.value]) for phase in ConventionPhase]


def covered_commune_ids(in_force: QuerySet) -> QuerySet:
    return Territory.communes.through.objects.filter(territory__conventions__in=in_force).values("commune_id")


def coverage(communes: QuerySet, in_force: QuerySet) -> Coverage:
    covered = Q(pk__in=covered_commune_ids(in_force))
    totals = communes.aggregate(
        total_population=Coalesce(Sum("population"), 0),
        total_communes=Count("pk"),
        covered_population=Coalesce(Sum("population", filter=covered), 0),
        covered_communes=Count("pk", filter=covered),
    )
    return Coverage(**totals)


def uncovered_communes(communes: QuerySet, in_force: QuerySet) -> QuerySet:
    return (
        communes.exclude(pk__in=covered_commune_ids(in_force))
        .select_related("departement")
        .order_by("-population", "name", "insee_code")
    )


def double_covers(communes: QuerySet, conventions: list[Convention]) -> list[DoubleCover]:
    """Communes in the perimeters of two conventions in force or more (two queries)."""
    by_territory = defaultdict(list)
    for convention in conventions:
        by_territory[convention.territory_id].append(convention)
    pairs = Territory.communes.through.objects.filter(territory_id__in=list(by_territory)).values_list(
        "commune_id", "territory_id"
    )
    by_commune = defaultdict(dict)
    for commune_id, territory_id in pairs:
        for convention in by_territory[territory_id]:
            by_commune[commune_id][convention.pk] = convention
    doubled = {pk: found for pk, found in by_commune.items() if len(found) > 1}
    rows = communes.filter(pk__in=list(doubled)).select_related("departement").order_by("name", "insee_code")
    return [
        DoubleCover(commune=commune, conventions=sorted(doubled[commune.pk].values(), key=lambda c: c.reference))
        for commune in rows
    ]


def late_fiche_count(today: date) -> Coalesce:
    late = ActionSheet.objects.filter(convention=OuterRef("pk")).late(today).order_by().values("convention")
    return Coalesce(Subquery(late.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), Value(0))


def dashboard_figures(*, caf: Caf | None, today: date) -> Dashboard:
    conventions = scope_conventions(caf)
    communes = scope_communes(caf)
    in_force = conventions.in_phase(ConventionPhase.IN_FORCE, today)
    running = list(
        with_successor(in_force)
        .annotate(late_fiches=late_fiche_count(today))
        .select_related("caf", "territory")
        .order_by("end_date", "reference")
    )
    horizon = today + relativedelta(months=ENDING_MONTHS)
    bilans = defaultdict(list)
    for event in milestone_events(running, today=today):
        if event.kind == Kind.BILAN and event.late:
            bilans[event.convention.pk].append(str(event.year) if event.year else "final")
    dues = [
        ConventionDue(convention=c, late_fiches=c.late_fiches, bilans_due=bilans[c.pk])
        for c in sorted(running, key=lambda c: c.reference)
        if c.late_fiches or bilans[c.pk]
    ]
    return Dashboard(
        caf=caf,
        phases=phase_counts(conventions, today=today),
        coverage=coverage(communes, in_force),
        uncovered=uncovered_communes(communes, in_force),
        doubles=double_covers(communes, running),
        ending=[c for c in running if c.end_date <= horizon and not c.has_successor],
        dues=dues,
    )
