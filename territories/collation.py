"""French collation: names sorted as a French reader expects, the same in Python, SQLite and PostgreSQL.

The rule is the Unicode Collation Algorithm with the CLDR French rules (what ICU's ``fr-FR`` collation
does, and what PostgreSQL uses through the ``fr_natural`` ICU collation created by migration 0003):

1. **Letters first, without accents or case.** "Écully" sorts with the E's, before "Eybens";
   "Œuilly" is read "oeuilly"; "Le Chambon-Feugerolles" sorts under L, as printed (the article is
   part of the name: no reordering).
2. **Spaces and punctuation count, and sort before any letter or digit**, in the CLDR order
   (space < "_" < "-" < "," < ";" < ":" < "!" < "?" < "." < "'" …). Names are therefore compared
   word by word: "Saint-Étienne" and every other "Saint-…" come before "Sainte-Croix"; "L'Étrat"
   comes before "La Talaudière" and "Le Chambon-Feugerolles".
3. **Then accents**, compared from the start of the word (French of France, not the Canadian
   backwards rule): "Cote" < "Coté" < "Côte" < "Côté".
4. **Then case**, lower case first: "saint-étienne" < "Saint-Étienne".
5. Finally the raw text, so that two different strings never compare equal (the collation stays
   deterministic: equality and unique constraints are unchanged).

``french_sort_key`` is that rule as a Python sort key, for lists built in Python (PDF, xlsx);
``french_order("name")`` orders a queryset by it on either database; ``register_sqlite_collation``
gives every SQLite connection the same ``fr_natural`` collation (wired in ``TerritoriesConfig``).
Tests check that the three agree on the whole list of French communes.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from django.db.models import F
from django.db.models.expressions import OrderBy
from django.db.models.functions import Collate

FRENCH_COLLATION = "fr_natural"

# Variable characters in CLDR root order (as ICU sorts them). Each gets a primary weight below the
# digits and letters; characters absent from this list come right after it.
_PUNCTUATION_ORDER = (
    "\t\n\x0b\x0c\r \u00a0_-\u2010\u2011\u2012\u2013\u2014,;:!?.\u2026\u00b7'\u2018\u2019\"\u201c\u201d"
    "\u00ab\u00bb()[]{}\u00a7@*/\\&#%`^\u00b0+<=>|~$\u00a3\u20ac"
)
# Spaces that ICU weighs like a plain space (they differ only at the tertiary level).
_SPACE_VARIANTS = {"\u00a0": " ", "\u202f": " ", "\u2007": " "}
_PUNCTUATION_WEIGHT = {char: chr(1 + index) for index, char in enumerate(_PUNCTUATION_ORDER)}
_OTHER_PUNCTUATION = chr(1 + len(_PUNCTUATION_ORDER))
_DIGIT_BASE = 0x50  # above every punctuation weight, below "a" (0x61)

# Ligatures and letters that Unicode does not decompose but French reads as their letters.
_EXPANSIONS = {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D"}

# Secondary weights of the combining accents, in DUCET order (acute < grave < breve < circumflex …).
_ACCENT_ORDER = "\u0301\u0300\u0306\u0302\u030c\u030a\u0308\u030b\u0303\u0307\u0327\u0328\u0304"
_ACCENT_WEIGHT = {mark: chr(1 + index) for index, mark in enumerate(_ACCENT_ORDER)}
_OTHER_ACCENT = chr(1 + len(_ACCENT_ORDER))


def _elements(text: str):
    """(primary, secondary, tertiary) of each collation element of the text."""
    for char in text:
        if char in _SPACE_VARIANTS:
            yield " ", "", "\x01"
            continue
        expansion = _EXPANSIONS.get(char)
        if expansion is not None:
            for letter in expansion:
                yield letter.lower(), "", "\x02" if letter.islower() else "\x03"
            continue
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], decomposed[1:]
        if unicodedata.combining(base):
            # A lone combining mark (no base letter): it only carries an accent.
            continue
        if base.isdigit():
            primary = chr(_DIGIT_BASE + unicodedata.digit(base, 0))
        elif base.isalpha():
            primary = base.lower()
        else:
            primary = _PUNCTUATION_WEIGHT.get(base, _OTHER_PUNCTUATION)
        secondary = "".join(sorted(_ACCENT_WEIGHT.get(mark, _OTHER_ACCENT) for mark in marks))
        tertiary = "\x00" if not base.isupper() else "\x01"
        yield primary, secondary, tertiary


@lru_cache(maxsize=100_000)
def _key(text: str) -> tuple[str, tuple[str, ...], str, str]:
    primaries, secondaries, tertiaries = [], [], []
    for primary, secondary, tertiary in _elements(text):
        primaries.append(primary)
        secondaries.append(secondary)
        tertiaries.append(tertiary)
    return "".join(primaries), tuple(secondaries), "".join(tertiaries), text


def french_sort_key(text: str | None) -> tuple[str, tuple[str, ...], str, str]:
    """Sort key of the French rule above: ``sorted(names, key=french_sort_key)``. None sorts as ""."""
    return _key(text or "")


def french_compare(first: str, second: str) -> int:
    """-1, 0 or 1, as SQLite expects from a collation function."""
    first_key, second_key = _key(first), _key(second)
    return (first_key > second_key) - (first_key < second_key)


def french_order(field: str, *, descending: bool = False) -> OrderBy:
    """``queryset.order_by(french_order("name"))``: the French order on SQLite and PostgreSQL."""
    expression = Collate(F(field), FRENCH_COLLATION)
    return expression.desc() if descending else expression.asc()


def register_sqlite_collation(sender, connection, **kwargs) -> None:
    """connection_created receiver: SQLite has no French collation, so each connection gets ours."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(FRENCH_COLLATION, french_compare)
