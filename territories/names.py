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
