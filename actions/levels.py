"""The names of the plan's three levels, in one place (a later issue names them per convention).

Every screen, message, document and import that names a level reads it here.
"""

from dataclasses import dataclass

from .models import Axis, Objective, Orientation

OUTSIDE_ORIENTATIONS = "Hors orientation"


@dataclass(frozen=True)
class PlanLevel:
    model: type
    slug: str  # in URLs and in the keys of the « place dans le plan » select
    label: str  # « Orientation », at the head of a select option or a column
    column: str  # the column of the tableau de suivi
    noun: str  # « orientation », « objectif opérationnel »
    the: str  # « l'orientation »
    this: str  # « cette orientation : elle »
    deleted: str  # « Orientation supprimée »


ORIENTATION = PlanLevel(
    Orientation,
    "orientation",
    "Orientation",
    "Orientation",
    "orientation",
    "l'orientation",
    "cette orientation : elle",
    "Orientation supprimée",
)
AXIS = PlanLevel(Axis, "axe", "Axe", "Axe", "axe", "l'axe", "cet axe : il", "Axe supprimé")
OBJECTIVE = PlanLevel(
    Objective,
    "objectif",
    "Objectif",
    "Objectif opérationnel",
    "objectif opérationnel",
    "l'objectif",
    "cet objectif : il",
    "Objectif supprimé",
)
LEVELS = (ORIENTATION, AXIS, OBJECTIVE)
BY_SLUG = {level.slug: level for level in LEVELS}
BY_MODEL = {level.model: level for level in LEVELS}


def level_of(node) -> PlanLevel:
    return BY_MODEL[type(node)]
