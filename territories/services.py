"""Writes of reference data made by users: perimeters."""

import re

from django.db import transaction

from .enums import TerritoryKind
from .models import Commune, Epci, Territory

INSEE = re.compile(r"^(\d{5}|2[AB]\d{3})$", re.IGNORECASE)
NAME_WITH_CODE = re.compile(r"^(?P<name>.+?)\s*\((?P<code>\d{5}|2[AB]\d{3})\)$", re.IGNORECASE)


class CommuneLookupError(ValueError):
    def __init__(self, messages: list[str]):
        super().__init__(" ".join(messages))
        self.messages = messages


def communes_parse(text: str) -> list[Commune]:
    """Communes typed by INSEE code, by name, or as « Nom (code) », separated by commas, semicolons or lines.

    Every entry must designate exactly one commune; otherwise every problem is reported at once.
    """
    entries = [e.strip() for e in re.split(r"[\n;,]+", text or "") if e.strip()]
    found: list[Commune] = []
    problems: list[str] = []
    for entry in entries:
        match = NAME_WITH_CODE.match(entry)
        code = match.group("code") if match else (entry if INSEE.match(entry) else None)
        if code:
            commune = Commune.objects.filter(insee_code=code.upper()).first()
            if commune is None:
                problems.append(f"Commune inconnue : code INSEE « {code} ».")
            else:
                found.append(commune)
            continue
        candidates = list(Commune.objects.filter(name__iexact=entry).select_related("departement")[:6])
        if not candidates:
            problems.append(f"Commune inconnue : « {entry} » (tapez son nom exact ou son code INSEE).")
        elif len(candidates) > 1:
            codes = ", ".join(f"{c.insee_code} ({c.departement.name})" for c in candidates[:5])
            problems.append(f"« {entry} » désigne plusieurs communes : précisez le code INSEE ({codes}).")
        else:
            found.append(candidates[0])
    if problems:
        raise CommuneLookupError(problems)
    unique = list({c.pk: c for c in found}.values())
    return unique


def epci_find(text: str) -> Epci | None:
    text = (text or "").strip()
    if not text:
        return None
    match = re.search(r"\b(\d{9})\b", text)
    if match:
        return Epci.objects.filter(siren=match.group(1)).first()
    return Epci.objects.filter(name__iexact=text).first()


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
) -> Territory:
    if len(communes) == 1:
        kind = TerritoryKind.COMMUNE
    elif epci and {c.pk for c in communes} == set(epci.communes.values_list("pk", flat=True)):
        kind = TerritoryKind.EPCI
    else:
        kind = TerritoryKind.GROUPING
    with transaction.atomic():
        territory = Territory(name=name, kind=kind, epci=epci)
        territory.full_clean()
        territory.save()
        territory.communes.set(communes)
        for code, child_name, members in sub_perimeters or []:
            child = Territory.objects.create(
                name=child_name, kind=TerritoryKind.SUB_PERIMETER, code=code, parent=territory
            )
            child.communes.set(members)
    return territory


def default_territory_name(communes: list[Commune], epci: Epci | None) -> str:
    if epci and len(communes) > 4:
        return epci.name
    names = sorted(c.name for c in communes)
    return " – ".join(names[:4]) + (" …" if len(names) > 4 else "")


def territory_update(
    *,
    territory: Territory,
    name: str,
    communes: list[Commune],
    epci: Epci | None,
    sub_perimeters: list[tuple[str, str, list[Commune]]],
) -> Territory:
    """Replace the communes of a perimeter and its sub-perimeters."""
    with transaction.atomic():
        territory.name = name
        territory.epci = epci
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
