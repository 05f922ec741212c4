"""Place names as people write them, reduced to one search key.

A convention prints "St Etienne", "Saint-Étienne" or "SAINT ETIENNE", "Ricamarie (La)" or "La
Ricamarie": they must all find the same commune. ``search_key`` folds a name to lower-case ASCII
words (no accents, hyphens, apostrophes or punctuation), expands "St"/"Ste" to "saint"/"sainte", and
drops the leading article, which ``name_article`` returns separately (the matcher prefers the
article as printed when two communes differ only by it, such as "Breuil" and "Le Breuil").

``Commune.search_name`` stores ``search_key(name)`` (indexed), so a paste is matched in one query.
Changing these rules means recomputing that column: ``manage.py load_reference`` does it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

ARTICLES = ("le", "la", "les", "l")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ø": "o", "Ø": "o"})
_NOT_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")
# "Ricamarie (La)", "Étrat (L')": the article printed after the name, as in sorted lists.
_TRAILING_ARTICLE = re.compile(r"^(?P<name>.+?)\s*\(\s*(?P<article>le|la|les|l\s*['’ʼ]?)\s*\)$", re.IGNORECASE)


def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces: "L'Île-d'Yeu" -> "l ile d yeu"."""
    text = unicodedata.normalize("NFKD", (text or "").translate(_LIGATURES))
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    return _NOT_ALPHANUMERIC.sub(" ", text).strip()


def _words(text: str) -> list[str]:
    return [_ABBREVIATIONS.get(word, word) for word in fold(text).split()]


def split_article(text: str) -> tuple[str, list[str]]:
    """(article, other words) of a name: "Ricamarie (La)" and "La Ricamarie" give ("la", ["ricamarie"])."""
    trailing = _TRAILING_ARTICLE.match((text or "").strip())
    if trailing:
        article = fold(trailing.group("article"))
        return article, _words(trailing.group("name"))
    words = _words(text)
    if len(words) > 1 and words[0] in ARTICLES:
        return words[0], words[1:]
    return "", words


def search_key(text: str) -> str:
    """The key stored in ``Commune.search_name``: "St-Étienne" and "saint etienne" -> "saint etienne"."""
    return " ".join(split_article(text)[1])


def name_article(text: str) -> str:
    """The leading (or parenthesised) article of a name, folded: "le", "la", "les", "l" or ""."""
    return split_article(text)[0]


# EPCI names: the kinds, written in full or abbreviated, and what is left once they are removed.
_EPCI_KIND_WORDS = (
    ("communaute de communes", ("cc", "ccom", "comcom")),
    ("communaute d agglomeration", ("ca", "agglo", "cda")),
    ("communaute urbaine", ("cu",)),
    ("metropole", ("metro",)),
)
_LINKING_WORDS = {"de", "du", "des", "d", "la", "le", "les", "l", "et", "en", "sur", "sous", "aux", "au", "a"}


def epci_key(text: str) -> str:
    """Folded EPCI name with its kind written in full: "CC des Monts du Pilat" ->
    "communaute de communes des monts du pilat"."""
    words = fold(text).split()
    expanded: list[str] = []
    for index, word in enumerate(words):
        full = next((full for full, abbreviations in _EPCI_KIND_WORDS if word in abbreviations), None)
        # "ca"/"cc"/"cu" are abbreviations only as the first word or before a linking word.
        if full and (index == 0 or word not in ("ca", "cc", "cu")):
            expanded.extend(full.split())
        else:
            expanded.append(_ABBREVIATIONS.get(word, word))
    return " ".join(expanded)


@lru_cache(maxsize=4096)
def epci_core(key: str) -> str:
    """The usual name inside an EPCI key: its kind and the linking words around it removed.

    "communaute de communes des monts du pilat" -> "monts du pilat";
    "saint etienne metropole" -> "saint etienne".
    """
    text = f" {key} "
    for full, _abbreviations in _EPCI_KIND_WORDS:
        text = text.replace(f" {full} ", " ")
    words = text.split()
    while words and words[0] in _LINKING_WORDS:
        words.pop(0)
    while words and words[-1] in _LINKING_WORDS:
        words.pop()
    return " ".join(words)


@lru_cache(maxsize=4096)
def acronym(key: str) -> str:
    """Initials of the significant words: "communaute d agglomeration du pays basque" -> "capb"."""
    return "".join(word[0] for word in key.split() if word not in _LINKING_WORDS)


# INSEE's "type de nom en clair" (TNCC) of a commune or département: the words that introduce the
# name after "de" ("Commune du Breuil", "Caf de l'Ain"). For types 2 to 8 the name starts with its
# article, which these words replace.
LINK_WORDS = {0: "de ", 1: "d'", 2: "du ", 3: "de la ", 4: "des ", 5: "de l'", 6: "des ", 7: "de las ", 8: "de los "}
_LEADING_ARTICLE = re.compile(r"^(?:le|la|les|aux|las|los)\s+|^l['’]", re.IGNORECASE)
_VOWEL_START = re.compile(r"^[aeiouyàâäéèêëîïôöùûüÿœæ]", re.IGNORECASE)


def guess_name_type(name: str) -> int:
    """TNCC guessed from the name, for names that come without one (a name starting with H may need
    "d'" or "de": the official type says which, this guess says "de")."""
    article = _LEADING_ARTICLE.match(name or "")
    if article:
        word = fold(article.group(0)).strip()
        return {"le": 2, "la": 3, "les": 4, "l": 5, "aux": 6, "las": 7, "los": 8}[word]
    return 1 if _VOWEL_START.match(name or "") else 0


def with_preposition(name: str, name_type: int | None = None) -> str:
    """The name after "de", the French way: "Le Breuil" -> "du Breuil", "Les Ulis" -> "des Ulis",
    "L'Horme" -> "de l'Horme", "Hérouville-Saint-Clair" (type 1) -> "d'Hérouville-Saint-Clair"."""
    if name_type not in LINK_WORDS:
        name_type = guess_name_type(name)
    rest = _LEADING_ARTICLE.sub("", name, count=1) if name_type >= 2 else name
    return f"{LINK_WORDS[name_type]}{rest}"
