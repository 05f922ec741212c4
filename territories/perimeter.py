"""The preview of a pasted perimeter: one row per entry, ambiguous entries settled by the adviser's choice."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .matching import CommuneEntry, CommuneMatchReport, MatchStatus, commune_label
from .models import Commune

CHOICE_FIELD = "choix-{position}"


@dataclass
class PerimeterRow:
    entry: CommuneEntry
    commune: Commune | None  # the commune this entry stands for, once settled
    chosen: str = ""  # the INSEE code picked among the candidates
    error: str = ""  # next to the row, in French

    @property
    def choice_name(self) -> str:
        return CHOICE_FIELD.format(position=self.entry.position)

    @property
    def status_label(self) -> str:
        if self.entry.status == MatchStatus.MATCHED:
            return "Doublon" if self.entry.duplicate_of else "Trouvée"
        if self.entry.status == MatchStatus.AMBIGUOUS:
            return "Choisie" if self.commune else "À choisir"
        return "Inconnue"

    @property
    def note(self) -> str:
        entry = self.entry
        if entry.duplicate_of:
            return f"Déjà listée (entrée {entry.duplicate_of}) : comptée une fois."
        if entry.outside_preferred:
            return "Hors des départements de la Caf."
        return ""

    @property
    def label(self) -> str:
        return commune_label(self.commune) if self.commune else ""


def perimeter_rows(report: CommuneMatchReport, data: Mapping) -> list[PerimeterRow]:
    """The rows of the preview; ``data`` holds the choices posted for the ambiguous entries."""
    rows = []
    for entry in report.entries:
        if entry.status == MatchStatus.MATCHED:
            rows.append(PerimeterRow(entry=entry, commune=entry.commune))
        elif entry.status == MatchStatus.AMBIGUOUS:
            chosen = (data.get(CHOICE_FIELD.format(position=entry.position)) or "").strip().upper()
            pick = next((c for c in entry.candidates if c.insee_code == chosen), None)
            error = "" if pick else entry.message if not chosen else "Choisissez une des communes proposées."
            rows.append(PerimeterRow(entry=entry, commune=pick, chosen=chosen, error=error))
        else:
            rows.append(PerimeterRow(entry=entry, commune=None, error=entry.message))
    return rows
