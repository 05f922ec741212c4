"""The figures of a Caf's dashboard (or the country's), each section in one query whatever the data size.

Since 2025 communes are autorités organisatrices de l'accueil du jeune enfant (CASF L.214-1-3): every commune
recenses needs and informs families; above 3 500 inhabitants it also plans the offer and supports quality; above
10 000 it also adopts a schéma pluriannuel and runs a relais petite enfance. The dashboard lists the communes
above 3 500 covered by a CTG in force with what their convention records (AO competences, an RPE in annex 2).

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
from conventions.ao import AO_PLANNING_THRESHOLD, RPE_KIND, needs_schema
from conventions.enums import AoExercise, ConventionPhase
from conventions.models import AoCompetence, Convention, SupportedEquipment, phase_condition
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


# Autorité organisatrice de l'accueil du jeune enfant (CASF L.214-1-3, since 2025), by legal population.


@dataclasses.dataclass(frozen=True)
class AoRow:
    """A commune covered by a CTG in force, above 3 500 inhabitants: what the law asks, what is recorded."""

    commune: Commune
    needs_schema: bool  # and a RPE
    competences: AoCompetence | None  # the commune's own, else its EPCI's (transferred)
    has_rpe: bool  # in annex 2 of a convention in force, or recorded with the competences

    @property
    def obligations(self) -> str:
        if self.needs_schema:
            return "4 compétences, schéma pluriannuel, relais petite enfance"
        return "4 compétences (recenser, informer, planifier, soutenir la qualité)"

    @property
    def exercised(self) -> int | None:
        if self.competences is None:
            return None
        fields = ("census", "inform", "plan", "quality")
        return sum(getattr(self.competences, f) in (AoExercise.EXERCISED, AoExercise.TRANSFERRED) for f in fields)

    @property
    def has_schema(self) -> bool:
        return bool(self.competences and self.competences.has_schema)


@dataclasses.dataclass(frozen=True)
class DepartementCoverage:
    code: str
    name: str
    coverage: Coverage


@dataclasses.dataclass
class Dashboard:
    caf: Caf | None
    phases: list[tuple[ConventionPhase, int]]
    coverage: Coverage
    uncovered: QuerySet  # communes, most populated first
    doubles: list[DoubleCover]
    ending: list[Convention]
    dues: list[ConventionDue]
    ao: list[AoRow]
    departements: list[DepartementCoverage]  # the national view only


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


def departement_coverages(in_force: QuerySet) -> list[DepartementCoverage]:
    """Coverage per département, for the whole country, in one query."""
    covered = Q(pk__in=covered_commune_ids(in_force))
    rows = (
        Commune.objects.order_by()
        .values("departement__code", "departement__name")
        .annotate(
            total_population=Coalesce(Sum("population"), 0),
            total_communes=Count("pk"),
            covered_population=Coalesce(Sum("population", filter=covered), 0),
            covered_communes=Count("pk", filter=covered),
        )
        .order_by("departement__code")
    )
    return [
        DepartementCoverage(
            code=row.pop("departement__code"), name=row.pop("departement__name"), coverage=Coverage(**row)
        )
        for row in rows
    ]


def ao_rows(communes: QuerySet, in_force: QuerySet) -> list[AoRow]:
    """The communes above 3 500 inhabitants covered by a CTG in force, with their AO record (three queries)."""
    covered = list(
        communes.filter(pk__in=covered_commune_ids(in_force), population__gt=AO_PLANNING_THRESHOLD)
        .select_related("epci")
        .order_by("-population", "name")
    )
    ids = [c.pk for c in covered]
    epcis = {c.epci_id for c in covered if c.epci_id}
    by_commune, by_epci = {}, {}
    records = AoCompetence.objects.filter(convention__in=in_force).filter(Q(commune__in=ids) | Q(epci__in=epcis))
    for record in records.order_by("pk"):
        if record.commune_id:
            by_commune[record.commune_id] = record
        else:
            by_epci[record.epci_id] = record
    with_rpe = set(
        SupportedEquipment.objects.filter(
            convention__in=in_force, equipment__kind__code=RPE_KIND, equipment__commune__in=ids
        ).values_list("equipment__commune_id", flat=True)
    )
    rows = []
    for commune in covered:
        record = by_commune.get(commune.pk) or by_epci.get(commune.epci_id)
        rows.append(
            AoRow(
                commune=commune,
                needs_schema=needs_schema(commune.population),
                competences=record,
                has_rpe=commune.pk in with_rpe or bool(record and record.has_rpe),
            )
        )
    return rows


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
        ao=ao_rows(communes, in_force),
        departements=departement_coverages(in_force) if caf is None else [],
    )
