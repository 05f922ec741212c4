"""Communes and EPCI found from text as a convention prints it.

``communes_match`` reads a pasted perimeter ("Firminy, Le Chambon-Feugerolles et Ricamarie (La)",
one name per line, INSEE codes, "Nom (code)"…) and says, entry by entry and in order, which commune
each one designates, which are ambiguous (with the candidates) and which are unknown (with close
names). Names are compared through ``territories.names.search_key`` (no case, accents, hyphens,
apostrophes; "St" = "Saint"; the article optional and possibly in parentheses), against the indexed
``Commune.search_name`` column: one query for the whole paste, two more only when an entry is
unknown (suggestions) and one when an EPCI is given and an entry is found neither in the Caf's
départements nor in the EPCI.

When a name exists in several places, the candidates are taken in this order, the first level that
has any winning: the Caf's département(s), the EPCI's communes, the EPCI's départements, France. So
"Saint-Paul", ambiguous across France, is the one of the Caf's département when there is one there.

``epcis_match`` finds an EPCI by SIREN, by its full name, by its usual name ("Monts du Pilat" for the
"Communauté de communes des Monts du Pilat"), with the kind abbreviated ("CC des Monts du Pilat",
"CA", "CU", "Métropole"), by any run of words of its name, or by its initials ("CCMP"), with
suggestions when nothing is clear.

Both only read; they return plain dataclasses that a form or a preview page renders.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Q

from .collation import french_sort_key
from .models import Commune, Epci
from .names import acronym, epci_core, epci_key, name_article, split_article

INSEE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$", re.IGNORECASE)
NAME_WITH_CODE = re.compile(r"^(?P<name>.+?)\s*\((?P<code>\d{5}|2[AB]\d{3})\)$", re.IGNORECASE)
CODE_THEN_NAME = re.compile(r"^(?P<code>\d{5}|2[AB]\d{3})\s*[-–—:]?\s+(?P<name>\D.*)$", re.IGNORECASE)
NAME_WITH_DEPARTEMENT = re.compile(r"^(?P<name>.+?)\s*\((?P<departement>\d{2}|2[AB]|97\d)\)$", re.IGNORECASE)
ENTRY_SEPARATORS = re.compile(r"[\n\r;,]+")
AND_SEPARATOR = re.compile(r"\s+et\s+", re.IGNORECASE)
LEADING_AND = re.compile(r"^et(?:\s+|$)", re.IGNORECASE)
# Bullets and numbering of a list copied from a document: "- Firminy", "• Firminy", "3. Firminy".
LIST_MARKER = re.compile(r"^(?:[-–—•·*▪‣◦]+\s*|\d{1,3}[.)]\s+)")
# "Commune de Firminy", "Ville du Chambon-Feugerolles": the organisation, not the name.
ORGANISATION_PREFIX = re.compile(r"^(?:commune|ville)\s+(?P<link>de la|de l['’]|des|du|de|d['’])\s*", re.IGNORECASE)
LINK_ARTICLE = {"du": "Le ", "des": "Les ", "de la": "La ", "de l'": "L'", "de l’": "L'", "de": "", "d'": "", "d’": ""}

MAX_SUGGESTIONS = 5


class MatchStatus(StrEnum):
    MATCHED = "matched"
    AMBIGUOUS = "ambiguous"
    UNKNOWN = "unknown"


@dataclass
class CommuneEntry:
    """One entry of the paste, as read and as matched."""

    position: int  # 1-based, in the order of the paste
    text: str  # as pasted (trimmed)
    status: MatchStatus
    commune: Commune | None = None  # matched
    candidates: list[Commune] = field(default_factory=list)  # ambiguous: the communes to choose from
    suggestions: list[Commune] = field(default_factory=list)  # unknown: close names, best first
    code: str | None = None  # the INSEE code given, if any
    outside_preferred: bool = False  # matched outside the Caf's départements
    duplicate_of: int | None = None  # position of an earlier entry that designates the same commune

    @property
    def message(self) -> str:
        """What to show next to the entry, in French ("" when matched)."""
        if self.status == MatchStatus.AMBIGUOUS:
            choices = ", ".join(commune_label(c) for c in self.candidates)
            return f"« {self.text} » désigne plusieurs communes : {choices}. Choisissez-en une."
        if self.status == MatchStatus.UNKNOWN:
            what = f"code INSEE « {self.code} »" if self.code else f"« {self.text} »"
            if self.suggestions:
                close = ", ".join(commune_label(c) for c in self.suggestions)
                return f"Commune inconnue : {what}. Vouliez-vous dire : {close} ?"
            return f"Commune inconnue : {what}."
        return ""


@dataclass
class CommuneMatchReport:
    entries: list[CommuneEntry]

    @property
    def communes(self) -> list[Commune]:
        """The communes matched, each once, in the order of the paste."""
        return [e.commune for e in self.entries if e.status == MatchStatus.MATCHED and e.duplicate_of is None]

    @property
    def ambiguous(self) -> list[CommuneEntry]:
        return [e for e in self.entries if e.status == MatchStatus.AMBIGUOUS]

    @property
    def unknown(self) -> list[CommuneEntry]:
        return [e for e in self.entries if e.status == MatchStatus.UNKNOWN]

    @property
    def complete(self) -> bool:
        """Every entry designates one commune."""
        return all(e.status == MatchStatus.MATCHED for e in self.entries)

    @property
    def messages(self) -> list[str]:
        return [e.message for e in self.entries if e.status != MatchStatus.MATCHED]


def commune_label(commune: Commune) -> str:
    """ "Saint-Paul (42276, Loire)": enough to tell homonyms apart."""
    return f"{commune.name} ({commune.insee_code}, {commune.departement.name})"


@dataclass
class _Entry:
    text: str
    code: str | None = None
    key: str = ""
    article: str = ""
    departement: str | None = None


def _read_entry(text: str) -> _Entry:
    entry = _Entry(text=text)
    if INSEE_CODE.match(text):
        entry.code = text.upper()
        return entry
    name = text
    for pattern in (NAME_WITH_CODE, CODE_THEN_NAME):
        match = pattern.match(text)
        if match:
            # The code decides; the name is kept to tell "Pont et Massène (21497)" from two entries.
            entry.code, name = match.group("code").upper(), match.group("name")
            break
    with_departement = NAME_WITH_DEPARTEMENT.match(name)
    if with_departement:
        name, entry.departement = with_departement.group("name"), with_departement.group("departement").upper()
    organisation = ORGANISATION_PREFIX.match(name)
    if organisation:
        name = LINK_ARTICLE.get(organisation.group("link").lower(), "") + name[organisation.end() :]
    entry.article, words = split_article(name)
    entry.key = " ".join(words)
    return entry


def _clean(chunk: str) -> str:
    return LIST_MARKER.sub("", chunk.strip()).rstrip(" .")


def _chunks(text: str) -> list[tuple[str, list[str]]]:
    """(chunk, its parts around " et ") for each comma/semicolon/line-separated chunk of the paste."""
    chunks = []
    for raw in ENTRY_SEPARATORS.split(text or ""):
        chunk = _clean(LEADING_AND.sub("", _clean(raw)))
        if not chunk:
            continue
        parts = [part for part in (_clean(p) for p in AND_SEPARATOR.split(chunk)) if part]
        chunks.append((chunk, parts if len(parts) > 1 else []))
    return chunks


def communes_match(
    text: str, *, preferred_departements: Iterable[str] = (), epci: Epci | None = None
) -> CommuneMatchReport:
    """Read a pasted list of communes; see the module docstring for the rules.

    ``preferred_departements``: département codes of the Caf (``caf.departement_codes()``).
    ``epci``: the EPCI of the perimeter, if known: its communes come next.
    """
    preferred = {code.upper() for code in preferred_departements}
    chunks = _chunks(text)
    readings = {piece: _read_entry(piece) for chunk, parts in chunks for piece in [chunk, *parts]}
    codes = {r.code for r in readings.values() if r.code}
    keys = {r.key for r in readings.values() if r.key}
    by_code: dict[str, Commune] = {}
    by_key: dict[str, list[Commune]] = {}
    if codes or keys:
        found = Commune.objects.filter(Q(insee_code__in=codes) | Q(search_name__in=keys)).select_related("departement")
        for commune in found.order_by("insee_code"):
            by_code[commune.insee_code] = commune
            by_key.setdefault(commune.search_name, []).append(commune)

    matcher = _Matcher(by_code=by_code, by_key=by_key, preferred=preferred, epci=epci)
    entries: list[CommuneEntry] = []
    for chunk, parts in chunks:
        # "Pont et Massène" is one commune; "Firminy et Unieux" two: the whole chunk wins if it is a name.
        whole = matcher.resolve(readings[chunk])
        if not parts or matcher.is_name(readings[chunk], whole):
            pieces = [(chunk, whole)]
        else:
            pieces = [(part, matcher.resolve(readings[part])) for part in parts]
        for piece, (status, communes) in pieces:
            reading = readings[piece]
            entry = CommuneEntry(position=len(entries) + 1, text=piece, status=status, code=reading.code)
            if status == MatchStatus.MATCHED:
                entry.commune = communes[0]
                entry.outside_preferred = bool(preferred) and entry.commune.departement.code not in preferred
            elif status == MatchStatus.AMBIGUOUS:
                entry.candidates = communes
            entries.append(entry)

    _mark_duplicates(entries)
    unknown = [e for e in entries if e.status == MatchStatus.UNKNOWN and not e.code]
    if unknown:
        _suggest(unknown, readings=readings, preferred=preferred)
    return CommuneMatchReport(entries=entries)


class _Matcher:
    def __init__(self, *, by_code, by_key, preferred: set[str], epci: Epci | None):
        self.by_code, self.by_key, self.preferred, self.epci = by_code, by_key, preferred, epci
        self._epci_departements: set[str] | None = None

    def epci_departements(self) -> set[str]:
        if self._epci_departements is None:
            self._epci_departements = set()
            if self.epci is not None:
                members = Commune.objects.filter(epci=self.epci).values_list("departement__code", flat=True)
                self._epci_departements = set(members.distinct())
        return self._epci_departements

    def is_name(self, reading: _Entry, resolved: tuple[MatchStatus, list[Commune]]) -> bool:
        """Whether the text designates communes by their name (not only by a code)."""
        status, communes = resolved
        if reading.code:
            return status == MatchStatus.MATCHED and communes[0].search_name == reading.key
        return status != MatchStatus.UNKNOWN

    def resolve(self, reading: _Entry) -> tuple[MatchStatus, list[Commune]]:
        if reading.code:
            commune = self.by_code.get(reading.code)
            return (MatchStatus.MATCHED, [commune]) if commune else (MatchStatus.UNKNOWN, [])
        candidates = self.by_key.get(reading.key, [])
        if reading.departement:
            candidates = [c for c in candidates if c.departement.code == reading.departement]
        if not candidates:
            return MatchStatus.UNKNOWN, []
        levels = (
            lambda c: c.departement.code in self.preferred,
            lambda c: self.epci is not None and c.epci_id == self.epci.pk,
            lambda c: self.epci is not None and c.departement.code in self.epci_departements(),
            lambda c: True,
        )
        for level in levels:
            chosen = [c for c in candidates if level(c)]
            if chosen:
                break
        # "Breuil" and "Le Breuil" share a key: the article as printed decides between them.
        same_article = [c for c in chosen if name_article(c.name) == reading.article]
        chosen = same_article or chosen
        if len(chosen) == 1:
            return MatchStatus.MATCHED, chosen
        return MatchStatus.AMBIGUOUS, sorted(chosen, key=lambda c: (c.departement.code, french_sort_key(c.name)))


def _mark_duplicates(entries: list[CommuneEntry]) -> None:
    first_position: dict[int, int] = {}
    for entry in entries:
        if entry.status == MatchStatus.MATCHED:
            entry.duplicate_of = first_position.setdefault(entry.commune.pk, entry.position)
            if entry.duplicate_of == entry.position:
                entry.duplicate_of = None


def _suggest(entries: list[CommuneEntry], *, readings: dict[str, _Entry], preferred: set[str]) -> None:
    """Close names for unknown entries: names that start with the entry anywhere in France
    ("Saint-Genest" -> "Saint-Genest-Malifaux"), and near spellings in the Caf's départements."""
    keys = {readings[e.text].key for e in entries if readings[e.text].key}
    if not keys:
        return
    prefix = Q()
    for key in keys:
        prefix |= Q(search_name__startswith=f"{key} ")
    starting = list(Commune.objects.filter(prefix).select_related("departement").order_by("insee_code")[:500])
    nearby: list[Commune] = []
    if preferred:
        nearby = list(Commune.objects.filter(departement__code__in=preferred).select_related("departement"))
    nearby_by_key: dict[str, list[Commune]] = {}
    for commune in nearby:
        nearby_by_key.setdefault(commune.search_name, []).append(commune)

    for entry in entries:
        key = readings[entry.text].key
        if not key:
            continue
        found = [c for c in starting if c.search_name.startswith(f"{key} ")]
        found.sort(key=lambda c: (c.departement.code not in preferred, len(c.search_name), french_sort_key(c.name)))
        close = difflib.get_close_matches(key, nearby_by_key.keys(), n=MAX_SUGGESTIONS, cutoff=0.75)
        near = [c for close_key in close for c in nearby_by_key[close_key]]
        ordered = [c for c in found if c.departement.code in preferred] + near + found
        seen: set[int] = set()
        entry.suggestions = [c for c in ordered if not (c.pk in seen or seen.add(c.pk))][:MAX_SUGGESTIONS]


@dataclass
class EpciMatch:
    text: str
    status: MatchStatus
    epci: Epci | None = None  # the EPCI meant, when there is no doubt
    candidates: list[Epci] = field(default_factory=list)  # best first: the choices, or suggestions

    @property
    def message(self) -> str:
        if self.status == MatchStatus.AMBIGUOUS:
            return f"« {self.text} » désigne plusieurs EPCI : {', '.join(epci_label(e) for e in self.candidates)}."
        if self.status == MatchStatus.UNKNOWN:
            if self.candidates:
                close = ", ".join(epci_label(e) for e in self.candidates)
                return f"EPCI inconnu : « {self.text} ». Vouliez-vous dire : {close} ?"
            return f"EPCI inconnu : « {self.text} »."
        return ""


def epci_label(epci: Epci) -> str:
    return f"{epci.name} ({epci.siren})"


SIREN = re.compile(r"(?<!\d)(\d{9})(?!\d)")
_KIND_WORDS = ("communaute de communes", "communaute d agglomeration", "communaute urbaine", "metropole")
# Scores, lower is better: how the EPCI matches the text.
_FULL_NAME, _USUAL_NAME, _INITIALS, _WORD_RUN, _ALL_WORDS, _CLOSE = range(1, 7)


def epcis_match(text: str, *, preferred_departements: Iterable[str] = (), limit: int = 8) -> EpciMatch:
    """Find the EPCI a text designates; see the module docstring. Two queries (one for a SIREN)."""
    text = (text or "").strip()
    if not text:
        return EpciMatch(text=text, status=MatchStatus.UNKNOWN)
    # "244 200 770": groups of digits are one number.
    siren = SIREN.search(re.sub(r"(?<=\d)[\s\u00a0.]+(?=\d)", "", text))
    if siren:
        epci = Epci.objects.filter(siren=siren.group(1)).select_related("departement").first()
        if epci:
            return EpciMatch(text=text, status=MatchStatus.MATCHED, epci=epci, candidates=[epci])
        return EpciMatch(text=text, status=MatchStatus.UNKNOWN)

    preferred = {code.upper() for code in preferred_departements}
    query = epci_key(text)
    query_core = epci_core(query)
    query_kind = next((kind for kind in _KIND_WORDS if f" {kind} " in f" {query} "), None)
    query_words = set(query_core.split()) - {"de", "du", "des", "d", "la", "le", "les", "l", "et"}
    initials = query.replace(" ", "") if re.fullmatch(r"[a-z]{2,10}", query.replace(" ", "")) else None

    # Plain tuples for the ~1 300 EPCI (instances only for the candidates): (pk, name, key, département).
    rows = [
        (pk, name, key or epci_key(name), departement)
        for pk, name, key, departement in Epci.objects.values_list("pk", "name", "search_name", "departement__code")
    ]
    scored: list[tuple[int, tuple]] = []
    for row in rows:
        key = row[2]
        core = epci_core(key)
        if key == query:
            score = _FULL_NAME
        elif query_core and core == query_core:
            score = _USUAL_NAME
        elif initials and acronym(key) == initials:
            score = _INITIALS
        elif query_core and f" {query_core} " in f" {key} ":
            score = _WORD_RUN
        elif query_words and query_words <= set(key.split()):
            score = _ALL_WORDS
        else:
            continue
        scored.append((score, row))
    if not scored and query_core:
        cores: dict[str, list[tuple]] = {}
        for row in rows:
            cores.setdefault(epci_core(row[2]), []).append(row)
        for close in difflib.get_close_matches(query_core, cores.keys(), n=limit, cutoff=0.75):
            scored += [(_CLOSE, row) for row in cores[close]]

    def same_kind(row: tuple) -> bool:
        return query_kind is None or f" {query_kind} " in f" {row[2]} "

    def in_preferred(row: tuple) -> bool:
        return row[3] in preferred

    def rank(item: tuple[int, tuple]):
        score, row = item
        return score, not same_kind(row), not in_preferred(row), french_sort_key(row[1])

    scored.sort(key=rank)
    instances = Epci.objects.select_related("departement").in_bulk([row[0] for _score, row in scored[:limit]])
    candidates = [instances[row[0]] for _score, row in scored[:limit]]
    if not scored or scored[0][0] == _CLOSE:
        return EpciMatch(text=text, status=MatchStatus.UNKNOWN, candidates=candidates)
    best = [row for score, row in scored if score == scored[0][0]]
    for narrowing in (same_kind, in_preferred):
        if len(best) > 1 and any(narrowing(row) for row in best):
            best = [row for row in best if narrowing(row)]
    if len(best) == 1:
        epci = instances.get(best[0][0]) or Epci.objects.select_related("departement").get(pk=best[0][0])
        return EpciMatch(text=text, status=MatchStatus.MATCHED, epci=epci, candidates=candidates)
    return EpciMatch(text=text, status=MatchStatus.AMBIGUOUS, candidates=candidates)
