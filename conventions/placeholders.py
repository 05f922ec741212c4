"""The placeholders of the model texts ({caf}, {territoire}…) and their filling."""

PLACEHOLDERS = ("caf", "caf_nom", "collectivite", "territoire", "date_debut", "date_fin", "periode")


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
