"""The names of the plan's three levels, in one place: each convention names them (Orientation / Axe / Objectif
by default; « Axe / Objectif stratégique / Objectif opérationnel » elsewhere).

Every screen, message, document and import that names a level reads it here: `plan_levels(convention)` for a
convention's own names, the module constants for the defaults. URLs keep fixed slugs whatever the names.
"""

import re
from dataclasses import dataclass, replace

from core.text import fold

from .models import Axis, Objective, Orientation

OUTSIDE_ORIENTATIONS = "Hors orientation"

# First words of a level name that are feminine (« l'orientation », « cette priorité »); others masculine.
# A suffix rule covers most nouns (orientation, priorité, thématique, ambition…); the list, the rest.
_FEMININE_ENDINGS = ("tion", "sion", "te", "ique", "ance", "ence", "ie", "ure", "ette", "ade", "ise", "mesure")
_MASCULINE_WORDS = {"axe", "objectif", "volet", "enjeu", "domaine", "chantier", "levier", "programme", "theme"}
_VOWELS = "aeiouyh"


def _is_feminine(name: str) -> bool:
    first = fold(name).split(" ")[0] if name.strip() else ""
    if first in _MASCULINE_WORDS:
        return False
    return first.endswith(_FEMININE_ENDINGS)


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


_PREPOSITIONS = {"de", "du", "des", "d", "a", "au", "aux", "en", "pour", "et"}


def plural(name: str) -> str:
    """« Objectif stratégique » → « Objectifs stratégiques »; the words after a preposition stay as they are."""
    words = []
    plain = True
    for word in name.split(" "):
        if fold(word).rstrip("'") in _PREPOSITIONS or "'" in word:
            plain = False
        if plain and word and word[-1] not in "sxzSXZ":
            word = re.sub(r"al$", "aux", word) if word.endswith("al") else word + "s"
        words.append(word)
    return " ".join(words)


@dataclass(frozen=True)
class PlanLevel:
    model: type
    slug: str  # in URLs and in the keys of the « place dans le plan » select
    label: str  # « Orientation », at the head of a select option, a heading, a column
    column: str  # the column of the tableau de suivi
    feminine: bool

    @property
    def noun(self) -> str:  # « orientation », « objectif opérationnel »
        return _lower_first(self.label)

    @property
    def plural(self) -> str:  # « orientations »
        return _lower_first(plural(self.label))

    @property
    def a(self) -> str:  # « une orientation », « un axe »
        return f"{'une' if self.feminine else 'un'} {self.noun}"

    @property
    def the(self) -> str:  # « l'orientation », « le volet »
        if self.noun[:1].lower() in _VOWELS or fold(self.noun[:1]) in _VOWELS:
            return f"l'{self.noun}"
        return f"{'la' if self.feminine else 'le'} {self.noun}"

    @property
    def this(self) -> str:  # « cette orientation : elle »
        if self.feminine:
            return f"cette {self.noun} : elle"
        demonstrative = "cet" if fold(self.noun[:1]) in _VOWELS else "ce"
        return f"{demonstrative} {self.noun} : il"

    @property
    def deleted(self) -> str:  # « Orientation supprimée »
        return f"{self.label} supprimé{'e' if self.feminine else ''}"

    @property
    def add_label(self) -> str:  # « Ajouter l'axe », the button of its form
        return f"Ajouter {self.the}"

    @property
    def added(self) -> str:  # « Orientation ajoutée »
        return f"{self.label} ajouté{'e' if self.feminine else ''}"

    def named(self, label: str) -> "PlanLevel":
        label = " ".join(label.split()) or self.label
        if label == self.label:
            return self
        return replace(self, label=label, column=label, feminine=_is_feminine(label))


ORIENTATION = PlanLevel(Orientation, "orientation", "Orientation", "Orientation", True)
AXIS = PlanLevel(Axis, "axe", "Axe", "Axe", False)
OBJECTIVE = PlanLevel(Objective, "objectif", "Objectif", "Objectif opérationnel", False)
LEVELS = (ORIENTATION, AXIS, OBJECTIVE)
BY_SLUG = {level.slug: level for level in LEVELS}
BY_MODEL = {level.model: level for level in LEVELS}
# The Convention fields that hold each level's name, from the top.
LABEL_FIELDS = ("orientation_label", "axis_label", "objective_label")


@dataclass(frozen=True)
class PlanLevels:
    """A convention's three levels, with its own names (read from the convention row: no query)."""

    orientation: PlanLevel
    axis: PlanLevel
    objective: PlanLevel

    def __iter__(self):
        return iter((self.orientation, self.axis, self.objective))

    @property
    def by_slug(self) -> dict[str, PlanLevel]:
        return {level.slug: level for level in self}

    def of(self, node) -> PlanLevel:
        return {level.model: level for level in self}[type(node)]

    @property
    def names(self) -> str:  # « Orientation / Axe / Objectif »
        return " / ".join(level.label for level in self)


DEFAULT_LEVELS = PlanLevels(ORIENTATION, AXIS, OBJECTIVE)


def plan_levels(convention) -> PlanLevels:
    """The levels of `convention`'s plan, named as it names them (defaults when it has no names)."""
    if convention is None:
        return DEFAULT_LEVELS
    return PlanLevels(
        *(level.named(getattr(convention, name, "") or "") for level, name in zip(LEVELS, LABEL_FIELDS, strict=True))
    )


def level_of(node) -> PlanLevel:
    return BY_MODEL[type(node)]
