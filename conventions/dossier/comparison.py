"""What an avenant changes: the structured comparison of two states of a convention (two Convention JSON snapshots).

Articles added, removed or changed (with a word-level redline), communes of the perimeter added or removed,
signatories added, removed or changed, fiches-action added, removed or changed field by field, indicators changed.
Only what the parties agree on is compared: statuses, progress, values measured and meetings belong to the follow-up
and never make an avenant. The avenant page, the avenant PDF and « comparer deux versions » all read this.
"""

import difflib
import re
from dataclasses import dataclass, field

from actions.models import ActionSheet
from evaluation.models import Indicator
from territories.models import Commune

# Fields of a fiche that the parties agree on (the follow-up fields are left out: status, progress, updates…).
FICHE_FIELDS = [
    "title", "kind", "level", "domains", "target_public", "target_territory", "target_communes", "lead", "pilots",
    "partners", "context", "objectives", "implementation", "expected_results", "schedule", "start_year", "end_year",
    "due_date", "budget_amount", "budget_text", "caf_means", "priority", "methodology", "vigilance",
]  # fmt: skip
INDICATOR_FIELDS = ["label", "kind", "unit", "baseline_value", "baseline_year", "target_value", "target_year"]
PARTY_FIELDS = ["name", "designation", "deliberation_body", "deliberation_date", "representatives"]
PARTY_LABELS = {
    "name": "organisme",
    "designation": "ci-après dénommé·e",
    "deliberation_body": "instance délibérante",
    "deliberation_date": "date de la délibération",
    "representatives": "représentant·es",
}
WORD = re.compile(r"\S+|\s+")


@dataclass(frozen=True)
class Segment:
    """A piece of redline: « equal », « insert » or « delete »."""

    op: str
    text: str


def redline(old: str, new: str) -> list[Segment]:
    """Word-level differences from `old` to `new` (whitespace kept, so the text reads as it is)."""
    a, b = WORD.findall(old or ""), WORD.findall(new or "")
    segments = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(Segment("equal", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            segments.append(Segment("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            segments.append(Segment("insert", "".join(b[j1:j2])))
    return segments


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class ClauseChange:
    number: str
    title: str
    change: str  # « ajouté », « supprimé », « modifié »
    body: str = ""
    redline: list[Segment] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"Article {self.number}" if self.number else f"L'article « {self.title} »"


@dataclass
class ItemChange:
    """A signatory, a fiche or an indicator added, removed or changed (then field by field)."""

    key: str
    label: str
    change: str
    fields: list[FieldChange] = field(default_factory=list)


@dataclass
class Comparison:
    preamble: list[Segment] | None = None
    clauses: list[ClauseChange] = field(default_factory=list)
    communes_added: list[str] = field(default_factory=list)
    communes_removed: list[str] = field(default_factory=list)
    parties: list[ItemChange] = field(default_factory=list)
    fiches: list[ItemChange] = field(default_factory=list)
    indicators: list[ItemChange] = field(default_factory=list)

    @property
    def item_groups(self) -> list[tuple[str, list[ItemChange]]]:
        return [("Signataires", self.parties), ("Fiches-action", self.fiches), ("Indicateurs", self.indicators)]

    @property
    def is_empty(self) -> bool:
        return not (
            self.preamble
            or self.clauses
            or self.communes_added
            or self.communes_removed
            or self.parties
            or self.fiches
            or self.indicators
        )


def _text(value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value) or "–"
    if isinstance(value, dict):
        return " ".join(str(v) for v in value.values() if v)
    return str(value)


def _field_changes(old: dict, new: dict, names: list[str], label) -> list[FieldChange]:
    return [
        FieldChange(label(name), _text(old.get(name)), _text(new.get(name)))
        for name in names
        if old.get(name) != new.get(name)
    ]


def _items(old: dict[str, dict], new: dict[str, dict], names: list[str], label, title) -> list[ItemChange]:
    changes = []
    for key, item in new.items():
        if key not in old:
            changes.append(ItemChange(key, title(item), "ajouté"))
        elif fields := _field_changes(old[key], item, names, label):
            changes.append(ItemChange(key, title(item), "modifié", fields))
    changes += [ItemChange(key, title(item), "supprimé") for key, item in old.items() if key not in new]
    return changes


def _walk_actions(node: dict):
    yield from node.get("actions", [])
    for child in node.get("orientations", []) + node.get("axes", []) + node.get("objectives", []):
        yield from _walk_actions(child)


def _fiches(snapshot: dict) -> dict[str, dict]:
    return {action["reference"]: action for action in _walk_actions(snapshot.get("plan") or {})}


def _indicators(snapshot: dict) -> dict[str, dict]:
    items = {f"Convention – {i['label']}": i for i in snapshot.get("indicators", [])}
    for reference, action in _fiches(snapshot).items():
        items |= {f"{reference} – {i['label']}": i for i in action.get("indicators", [])}
    return items


def _parties(snapshot: dict) -> dict[str, dict]:
    parties = {}
    for party in snapshot.get("parties", []):
        key = party.get("commune") or party.get("epci") or f"{party['kind']}:{party['name']}"
        parties[key] = party | {
            "representatives": [" ".join(filter(None, (r["civility"], r["name"]))) for r in party["representatives"]]
        }
    return parties


def _clauses(snapshot: dict) -> dict[str, dict]:
    return {(c["number"] or c["title"]): c for c in snapshot.get("clauses", [])}


def _verbose(model):
    return lambda name: str(model._meta.get_field(name).verbose_name)


def snapshots_compare(*, before: dict, after: dict) -> Comparison:
    """What changed from `before` to `after` (two Convention JSON snapshots of one convention)."""
    comparison = Comparison()
    old_preamble = (before.get("convention") or {}).get("preamble", "")
    new_preamble = (after.get("convention") or {}).get("preamble", "")
    if old_preamble != new_preamble:
        comparison.preamble = redline(old_preamble, new_preamble)
    old_clauses, new_clauses = _clauses(before), _clauses(after)
    for key, clause in new_clauses.items():
        previous = old_clauses.get(key)
        if previous is None:
            comparison.clauses.append(ClauseChange(clause["number"], clause["title"], "ajouté", clause["body"]))
        elif (previous["title"], previous["body"]) != (clause["title"], clause["body"]):
            comparison.clauses.append(
                ClauseChange(
                    clause["number"],
                    clause["title"],
                    "modifié",
                    clause["body"],
                    redline(previous["body"], clause["body"]),
                )
            )
    comparison.clauses += [
        ClauseChange(c["number"], c["title"], "supprimé") for key, c in old_clauses.items() if key not in new_clauses
    ]
    old_communes = set((before.get("territory") or {}).get("communes", []))
    new_communes = set((after.get("territory") or {}).get("communes", []))
    names = dict(Commune.objects.filter(insee_code__in=old_communes ^ new_communes).values_list("insee_code", "name"))
    comparison.communes_added = sorted(names.get(code, code) for code in new_communes - old_communes)
    comparison.communes_removed = sorted(names.get(code, code) for code in old_communes - new_communes)
    comparison.parties = _items(
        _parties(before), _parties(after), PARTY_FIELDS, PARTY_LABELS.get, lambda party: party["name"]
    )
    comparison.fiches = _items(
        _fiches(before),
        _fiches(after),
        FICHE_FIELDS,
        _verbose(ActionSheet),
        lambda action: f"Fiche-action {action['reference']} « {action['title']} »",
    )
    old_indicators, new_indicators = _indicators(before), _indicators(after)
    comparison.indicators = _items(
        old_indicators, new_indicators, INDICATOR_FIELDS, _verbose(Indicator), lambda indicator: indicator["label"]
    )
    for change in comparison.indicators:
        change.label = change.key  # « 1.1 – Familles accueillies »: which fiche it belongs to
    return comparison
