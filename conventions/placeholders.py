"""The placeholders of the model texts ({caf}, {territoire}…) and their filling.

A value may be a `territories.grammar.Name`: then « de {territoire} » and « à {territoire} » contract
(« du Pays du Gier », « à la Communauté urbaine … »), and a verb right after a plural name agrees
(« {collectivite} met en place » → « les communes … mettent en place »)."""

import re

from territories.grammar import PLURAL_VERBS, Name, conjugate

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
