"""Writes of reference data made by users: perimeters."""

from django.db import transaction

from .collation import french_sort_key
from .enums import TerritoryKind
from .matching import MatchStatus, communes_match, epcis_match
from .models import Commune, Epci, Territory


class CommuneLookupError(ValueError):
    def __init__(self, messages: list[str]):
        super().__init__(" ".join(messages))
        self.messages = messages


def communes_parse(text: str) -> list[Commune]:
    """Communes typed by INSEE code, by name, or as « Nom (code) », separated by commas, semicolons, lines or « et ».

    Every entry must designate exactly one commune; otherwise every problem is reported at once.
    A thin wrapper over ``communes_match`` (names as printed, without accents…) for the forms that
    take a list without a preview: an ambiguous or unknown entry refuses the whole list.
    """
    report = communes_match(text)
    problems: list[str] = []
    for entry in report.entries:
        if entry.status == MatchStatus.UNKNOWN and entry.code:
            problems.append(f"Commune inconnue : code INSEE « {entry.code} ».")
        elif entry.status == MatchStatus.UNKNOWN:
            problems.append(f"Commune inconnue : « {entry.text} » (tapez son nom exact ou son code INSEE).")
        elif entry.status == MatchStatus.AMBIGUOUS:
            codes = ", ".join(f"{c.insee_code} ({c.departement.name})" for c in entry.candidates[:5])
            problems.append(f"« {entry.text} » désigne plusieurs communes : précisez le code INSEE ({codes}).")
    if problems:
        raise CommuneLookupError(problems)
    return report.communes


def epci_find(text: str) -> Epci | None:
    """The EPCI a text designates without doubt (SIREN, name, usual name…), else None."""
    return epcis_match(text).epci


def sub_perimeters_parse(text: str, *, within: list[Commune]) -> list[tuple[str, str, list[Commune]]]:
    """Lines « P1 : commune, commune » (the code before the colon); communes must be in the perimeter."""
    result = []
    problems = []
    allowed = {c.pk for c in within}
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        if ":" not in line:
            problems.append(f"Ligne {number} : écrivez « code : communes », par exemple « P1 : 42207, 42110 ».")
            continue
        code, _, members_text = line.partition(":")
        try:
            members = communes_parse(members_text)
        except CommuneLookupError as exc:
            problems += [f"Ligne {number} : {m}" for m in exc.messages]
            continue
        outside = [c.name for c in members if c.pk not in allowed]
        if outside:
            problems.append(f"Ligne {number} : hors du périmètre : {', '.join(outside)}.")
            continue
        result.append((code.strip()[:20], f"Sous-périmètre {code.strip()}", members))
    if problems:
        raise CommuneLookupError(problems)
    return result


def territory_create(
    *,
    name: str,
    communes: list[Commune],
    epci: Epci | None = None,
    sub_perimeters: list[tuple[str, str, list[Commune]]] | None = None,
    article: str = "",
) -> Territory:
    with transaction.atomic():
        territory = Territory(name=name, kind=territory_kind(communes, epci), epci=epci, article=article)
        territory.full_clean()
        territory.save()
        territory.communes.set(communes)
        for code, child_name, members in sub_perimeters or []:
            child = Territory.objects.create(
                name=child_name, kind=TerritoryKind.SUB_PERIMETER, code=code, parent=territory
            )
            child.communes.set(members)
    return territory


def territory_kind(communes: list[Commune], epci: Epci | None) -> str:
    """One commune, every commune of the EPCI, or a grouping: what the perimeter is, recomputed on each change."""
    if len(communes) == 1:
        return TerritoryKind.COMMUNE
    if epci and {c.pk for c in communes} == set(epci.communes.values_list("pk", flat=True)):
        return TerritoryKind.EPCI
    return TerritoryKind.GROUPING


def default_territory_name(communes: list[Commune], epci: Epci | None) -> str:
    if epci and len(communes) > 4:
        return epci.name
    names = sorted((c.name for c in communes), key=french_sort_key)
    return " – ".join(names[:4]) + (" …" if len(names) > 4 else "")


def territory_update(
    *,
    territory: Territory,
    name: str,
    communes: list[Commune],
    epci: Epci | None,
    sub_perimeters: list[tuple[str, str, list[Commune]]],
    article: str = "",
) -> Territory:
    """Replace the communes of a perimeter and its sub-perimeters."""
    with transaction.atomic():
        territory.name = name
        territory.article = article
        territory.epci = epci
        territory.kind = territory_kind(communes, epci)
        territory.full_clean()
        territory.save()
        territory.communes.set(communes)
        territory.children.all().delete()
        _children_create(territory, sub_perimeters)
    return territory


def _children_create(territory: Territory, sub_perimeters: list[tuple[str, str, list[Commune]]]) -> None:
    for code, child_name, members in sub_perimeters:
        child = Territory.objects.create(name=child_name, kind=TerritoryKind.SUB_PERIMETER, code=code, parent=territory)
        child.communes.set(members)
