"""French wording of dates and the filling of article placeholders."""

from datetime import date

MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip

PLACEHOLDERS = ("caf", "caf_nom", "collectivite", "territoire", "date_debut", "date_fin", "periode")


def french_long_date(value: date | None) -> str:
    """« 1er janvier 2022 », « 13 décembre 2022 »."""
    if value is None:
        return ""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


class _KeepUnknown(dict):
    """Leaves an unknown {placeholder} as typed rather than failing."""

    def __missing__(self, key):
        return "{" + key + "}"


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    try:
        return text.format_map(_KeepUnknown(values))
    except (ValueError, IndexError):
        # A lone brace typed by a user is text, not a placeholder.
        return text
