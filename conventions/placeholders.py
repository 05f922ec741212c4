"""The placeholders of the model texts ({caf}, {territoire}…) and their filling.

A value may be a `territories.grammar.Name`: then « de {territoire} » and « à {territoire} » contract
(« du Pays du Gier », « à la Communauté urbaine … »), and a verb right after a plural name agrees
(« {collectivite} met en place » → « les communes … mettent en place »)."""

import re

from territories.grammar import PLURAL_VERBS, Name, conjugate

from .enums import CommitteeKind
from .models import CommitteeMember, Diagnostic, Issue

PLACEHOLDERS = ("caf", "caf_nom", "collectivite", "territoire", "date_debut", "date_fin", "periode")
_VERBS = "|".join(re.escape(verb) for verb in PLURAL_VERBS)


class _KeepUnknown(dict):
    """Leaves an unknown {placeholder} as typed rather than failing."""

    def __missing__(self, key):
        return "{" + key + "}"


def _with_grammar(text: str, key: str, name: Name) -> str:
    """Contractions and agreement around one {key}, before the plain filling."""
    token = re.escape("{" + key + "}")
    text = re.sub(rf"\b([Dd])e {token}", lambda m: _cap(name.de, m), text)
    text = re.sub(rf"(?<!\w)([àÀ]) {token}", lambda m: _cap(name.a, m), text)
    return re.sub(
        rf"{token} ({_VERBS})\b", lambda m: f"{name.nominal} {conjugate(m.group(1), plural=name.plural)}", text
    )


def _cap(words: str, match: re.Match) -> str:
    """« De {territoire} » at the start of a sentence stays capitalised: « Du Pays du Gier »."""
    return words[:1].upper() + words[1:] if match.group(1).isupper() else words


def fill_placeholders(text: str, values: dict[str, "str | Name"]) -> str:
    for key, value in values.items():
        if isinstance(value, Name):
            text = _with_grammar(text, key, value)
    plain = {key: value.nominal if isinstance(value, Name) else value for key, value in values.items()}
    try:
        return text.format_map(_KeepUnknown(plain))
    except (ValueError, IndexError):
        # A lone brace typed by a user is text, not a placeholder.
        return text


# What the model texts leave to the adviser, and what a signed text may not keep.
TO_COMPLETE = re.compile(
    r"\[À compléter[^\]]*\]|\((?:à|À) compléter\)|\{(?:" + "|".join(PLACEHOLDERS) + r")\}", re.IGNORECASE
)
# The model's blanks that the annexes answer once they are entered: article 6 lists the COPIL (annex 4),
# article 4 the enjeux and the préambule the synthesis of the diagnostic (annex 1).
ANNEX_BLANKS = {
    "copil": re.compile(r"\[À compléter : membres du comité de pilotage[^\]]*\]"),
    "issues": re.compile(r"\[À compléter : objectifs partagés au regard des besoins[^\]]*\]"),
    "summary": re.compile(r"\[À compléter : caractéristiques territoriales issues du diagnostic[^\]]*\]"),
}


def annex_fillings(*, convention) -> dict[str, str]:
    """The text each blank of ANNEX_BLANKS takes from the annexes, for the blanks whose annex is entered."""
    fillings = {}
    members = CommitteeMember.objects.filter(
        committee__convention=convention, committee__kind=CommitteeKind.COPIL
    ).order_by("committee__order", "order", "pk")
    lines = [", ".join(part for part in (m.person, m.role, m.organisation) if part.strip()) for m in members]
    if lines:
        fillings["copil"] = "\n".join(f"- {line}" for line in lines)
    issues = Issue.objects.filter(diagnostic__convention=convention).select_related("domain").order_by("order", "pk")
    lines = [(f"{i.domain.label.capitalize()} : " if i.domain_id else "") + i.text.strip() for i in issues]
    if lines:
        fillings["issues"] = "\n".join(f"- {line}" for line in lines if line.strip())
    summary = Diagnostic.objects.filter(convention=convention).values_list("summary", flat=True).first()
    if summary and summary.strip():
        fillings["summary"] = summary.strip()
    return fillings


def fill_from_annexes(text: str, fillings: dict[str, str]) -> str:
    for key, filling in fillings.items():
        text = ANNEX_BLANKS[key].sub(lambda _match, filling=filling: filling, text)
    return text


def left_to_complete(text: str) -> list[str]:
    """The blanks still in a text, as typed (« [À compléter : …] », « {territoire} »)."""
    return [match.group(0) for match in TO_COMPLETE.finditer(text or "")]
