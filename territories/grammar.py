"""French grammar of the names the generated text writes: article, « de » and « à » contracted, gender, number.

One rule for every generated sentence: « Fait au Chambon-Feugerolles », « sur le territoire de la Communauté
urbaine de Dunkerque », « les collectivités du Pays du Gier », « Ci-après dénommées ». A party or a perimeter
stores its article (`Article`, editable by the adviser); when it is blank the article is derived from the
name (`default_article`).

The article that starts an official name keeps its capital and contracts as French typography wants
(Lexique de l'Imprimerie nationale): « Le Havre » → « du Havre », « au Havre »; « Les Ulis » → « des Ulis »,
« aux Ulis »; « La Ricamarie » → « de La Ricamarie », « à La Ricamarie »; « L'Horme » → « de L'Horme ».
"""

import re
from dataclasses import dataclass

from django.db import models

from core.text import fold


class Article(models.TextChoices):
    NONE = "aucun", "Sans article : de Firminy, à Firminy"
    ELIDED = "elision", "Sans article, élidé : d'Orléans, à Orléans"
    LE = "le", "Le : du Pays du Gier, au Pays du Gier"
    LA = "la", "La : de la Communauté urbaine…, à la Communauté urbaine…"
    L = "l", "L' : de l'Agglomération…, à l'Agglomération…"
    LES = "les", "Les : des Monts du Lyonnais, aux Monts du Lyonnais"


ARTICLE_HELP = "Laissez vide pour le déduire du nom (« Le Chambon-Feugerolles » : du Chambon-Feugerolles)."

_LEADING = re.compile(r"^(?:(le|la|les)\s+|(l)['’]\s*)", re.IGNORECASE)
_VOWEL = re.compile(r"^[aeiouyàâäéèêëîïôöùûüÿœæ]", re.IGNORECASE)
# Common nouns that open the names of groupings, with their article (folded, first word or two).
_NOUN_ARTICLES = (
    ("communaute", Article.LA),
    ("metropole", Article.LA),
    ("agglomeration", Article.L),
    ("eurometropole", Article.L),
    ("commune", Article.LA),
    ("ville", Article.LA),
    ("caisse", Article.LA),
    ("caf", Article.LA),
    ("collectivite", Article.LA),
    ("region", Article.LA),
    ("prefecture", Article.LA),
    ("etat", Article.L),
    ("etablissement", Article.L),
    ("association", Article.L),
    ("union", Article.L),
    ("pays", Article.LE),
    ("pole", Article.LE),
    ("perimetre", Article.LE),
    ("bassin", Article.LE),
    ("territoire", Article.LE),
    ("departement", Article.LE),
    ("conseil", Article.LE),
    ("syndicat", Article.LE),
    ("centre", Article.LE),
    ("regroupement", Article.LE),
    ("quartier", Article.LE),
    ("secteur", Article.LE),
    ("sud", Article.LE),
    ("nord", Article.LE),
    ("grand", Article.LE),
    ("monts", Article.LES),
    ("communes", Article.LES),
)
FEMININE = {Article.LA}
# « de » and « à » before a name that starts with its own article (« Le Havre » → « du Havre »; la, l' do
# not contract), and before a name by its article.
_CONTRACTED = {"de": {"le": "du ", "les": "des "}, "à": {"le": "au ", "les": "aux "}}
_BEFORE_NAME = {
    "de": {"aucun": "de ", "elision": "d'", "le": "du ", "la": "de la ", "l": "de l'", "les": "des "},
    "à": {"aucun": "à ", "elision": "à ", "le": "au ", "la": "à la ", "l": "à l'", "les": "aux "},
}
# Verbs the model texts conjugate after a name that may be plural (« {collectivite} met en place »).
PLURAL_VERBS = {"met": "mettent", "s'engage": "s'engagent", "souhaite": "souhaitent", "est": "sont", "a": "ont"}


def default_article(name: str) -> str:
    """The article a name takes in a sentence: its own (« Le Chambon-Feugerolles »), that of the noun it starts
    with (« Communauté urbaine … », « Pays du Gier »), else none, elided before a vowel (« d'Orléans »)."""
    name = (name or "").strip()
    leading = _LEADING.match(name)
    if leading:
        return (leading.group(1) or leading.group(2)).lower()
    words = fold(name).replace("'", " ").split()
    first = words[0] if words else ""
    for noun, article in _NOUN_ARTICLES:
        if first == noun:
            return article
    return Article.ELIDED if _VOWEL.match(name) else Article.NONE


@dataclass(frozen=True)
class Name:
    """A name with its article: `.nominal` (subject), `.de`, `.a` (after « de », « à »)."""

    name: str
    article: str
    many: bool = False  # several bodies under one name (« Commune de Firminy – Commune de … »)

    def __str__(self) -> str:
        return self.nominal

    @classmethod
    def of(cls, name: str, article: str = "", *, many: bool = False) -> "Name":
        name = " ".join((name or "").split())
        article = article if article in Article.values else default_article(name)
        return cls(name=name, article=article, many=many)

    @property
    def _own_article(self) -> tuple[str, str] | None:
        """(article, rest) when the name starts with its article (« Le Chambon… »): it contracts with de/à."""
        leading = _LEADING.match(self.name)
        if leading and (leading.group(1) or leading.group(2)).lower() == self.article:
            return self.article, self.name[leading.end() :]
        return None

    @property
    def nominal(self) -> str:
        """« le Pays du Gier », « la Communauté urbaine … », « Le Chambon-Feugerolles », « Firminy »."""
        if self._own_article or self.article in (Article.NONE, Article.ELIDED):
            return self.name
        return {"le": "le ", "la": "la ", "l": "l'", "les": "les "}[self.article] + self.name

    def _after(self, preposition: str) -> str:
        own = self._own_article
        if own:
            article, rest = own
            contracted = _CONTRACTED[preposition].get(article)
            return contracted + rest if contracted else f"{preposition} {self.name}"
        return _BEFORE_NAME[preposition][self.article] + self.name

    @property
    def de(self) -> str:
        """After « de »: « du Chambon-Feugerolles », « de la Communauté … », « d'Orléans », « de La Ricamarie »."""
        return self._after("de")

    @property
    def a(self) -> str:
        """After « à »: « au Chambon-Feugerolles », « aux Ulis », « à la Métropole … », « à Orléans »."""
        return self._after("à")

    @property
    def plural(self) -> bool:
        return self.many or self.article == Article.LES

    @property
    def feminine(self) -> bool | None:
        """True for « la », False for « le », None when the article does not say (l', none)."""
        if self.article == Article.LA:
            return True
        if self.article == Article.LE:
            return False
        return None


def name_of(value) -> Name:
    """The `Name` of a party, a perimeter, a commune (its official type), a `Name` or a plain string."""
    if isinstance(value, Name):
        return value
    if isinstance(value, str):
        return Name.of(value)
    article = getattr(value, "article", "") or ""
    if not article and getattr(value, "name_type", None) is not None:
        article = COMMUNE_NAME_TYPES.get(value.name_type, "")
    return Name.of(getattr(value, "name", "") or str(value), article)


# The official « type de nom en clair » of a commune (territories.names.LINK_WORDS) as an article.
COMMUNE_NAME_TYPES = {0: Article.NONE, 1: Article.ELIDED, 2: Article.LE, 3: Article.LA, 4: Article.LES, 5: Article.L}


def agree(word: str, *, feminine: bool, plural: bool) -> str:
    """« dénommé » → « dénommée », « dénommés », « dénommées »; « autorisé » likewise."""
    return word + ("e" if feminine else "") + ("s" if plural else "")


def conjugate(verb: str, *, plural: bool) -> str:
    return PLURAL_VERBS.get(verb, verb) if plural else verb


def de_noun(noun: str) -> str:
    """« de » before a common noun of an institution: « du conseil municipal », « de l'assemblée »,
    « de la commission permanente »."""
    noun = " ".join((noun or "").split())
    first = fold(noun).split()[0] if noun.strip() else ""
    if _VOWEL.match(noun):
        return "de l'" + noun
    if first in {"commission", "commune", "communaute", "metropole", "seance", "ville", "direction"}:
        return "de la " + noun
    return "du " + noun
