"""Autorité organisatrice de l'accueil du jeune enfant (CASF L.214-1-3, since 2025): what the law asks of a
commune by its legal population. The convention page, its print and the Caf's dashboard all read it here."""

import dataclasses
from typing import TYPE_CHECKING

from territories.collation import french_sort_key

if TYPE_CHECKING:
    from .models import AoCompetence

AO_PLANNING_THRESHOLD = 3_500  # above: also plan the offer and support the quality of the modes d'accueil
AO_SCHEMA_THRESHOLD = 10_000  # above: also a schéma pluriannuel and a relais petite enfance (from 2026)
RPE_KIND = "rpe"  # the equipment kind of a relais petite enfance (annex 2)

BASE = "recenser les besoins et l'offre, informer et accompagner les familles"
PLANNING = "recenser, informer, planifier le développement de l'offre, soutenir la qualité"


def needs_planning(population: int | None) -> bool:
    return (population or 0) > AO_PLANNING_THRESHOLD


def needs_schema(population: int | None) -> bool:
    return (population or 0) > AO_SCHEMA_THRESHOLD


def ao_obligations(population: int | None) -> str:
    """The obligations of a commune of `population` inhabitants, as a French phrase (capitalised)."""
    if population is None:
        return "Population légale inconnue"
    if needs_schema(population):
        return f"{PLANNING.capitalize()} ; schéma pluriannuel et relais petite enfance"
    if needs_planning(population):
        return PLANNING.capitalize()
    return BASE.capitalize()


@dataclasses.dataclass(frozen=True)
class AoLine:
    """A line of the convention's AO table: a commune of the perimeter (recorded or not), or an EPCI."""

    name: str
    population: int | None
    competence: "AoCompetence | None"
    commune_id: int | None = None

    @property
    def obligations(self) -> str:
        return ao_obligations(self.population)


def ao_lines(*, convention, communes) -> list[AoLine]:
    """The EPCIs recorded, then every commune of the perimeter (`communes`, already loaded), in one query."""
    recorded = list(convention.ao_competences.select_related("commune", "epci"))
    by_commune = {c.commune_id: c for c in recorded if c.commune_id}
    lines = [
        AoLine(name=c.epci.name, population=c.population, competence=c)
        for c in sorted((c for c in recorded if c.epci_id), key=lambda c: french_sort_key(c.epci.name))
    ]
    for commune in communes:
        competence = by_commune.get(commune.pk)
        population = competence.population if competence and competence.population is not None else commune.population
        lines.append(AoLine(name=commune.name, population=population, competence=competence, commune_id=commune.pk))
    return lines
