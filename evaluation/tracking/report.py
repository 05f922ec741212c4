"""What an import does, or would do: counts per sheet, changes, warnings, errors, the rows' markers."""

from dataclasses import dataclass, field

from conventions.models import Convention

from ..perms import FULL, tracking_limited_by_role, tracking_scope
from .columns import FOLLOW_UP_ONLY, INDICATORS_SHEET, SHEETS


@dataclass
class SheetCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class Change:
    """One thing the import creates or changes, as the preview lists it."""

    sheet: str
    row: int
    subject: str  # « fiche « 1.2 » », « indicateur « … » (fiche 1.2) », « valeur 2024 T1 de « … » »
    column: str = ""  # empty for a creation
    before: str = ""
    after: str = ""

    def __str__(self) -> str:
        where = f"Feuille {self.sheet}, ligne {self.row}"
        if not self.column:
            return f"{where} : {self.subject}."
        return f"{where}, {self.subject}, {self.column} : « {self.before or '(vide)'} » → « {self.after or '(vide)'} »"


@dataclass(frozen=True)
class Conflict:
    """A row the file would change although it changed in the application after the export."""

    key: str  # « fiche:12 »: the box to tick in the preview
    sheet: str
    row: int
    subject: str
    by: str
    on: str
    overwritten: bool

    def __str__(self) -> str:
        by = f" par {self.by}" if self.by else ""
        where = f"Feuille {self.sheet}, ligne {self.row}, {self.subject}"
        return f"{where} : modifié dans l'application{by} le {self.on}, après l'export"


@dataclass
class TrackingReport:
    dry_run: bool
    counts: dict[str, SheetCounts] = field(default_factory=lambda: {sheet: SheetCounts() for sheet in SHEETS})
    changes: list[Change] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # What the import updates, each with the marker it read (core.locking): {"fiche:12": "3", …}.
    # The preview keeps it; the confirmation is refused if it finds another one (`stale`).
    fingerprint: dict[str, str] = field(default_factory=dict)
    stale: str = ""
    exported_at: object = None  # when the workbook was exported (None: an older export, not checked)
    conflicts: list[Conflict] = field(default_factory=list)

    def cell_error(self, sheet: str, row: int, column: str, message: str) -> None:
        """An error at one cell: « Feuille Fiches, ligne 3, colonne Statut : … »."""
        self.errors.append(f"Feuille {sheet}, ligne {row}, colonne {column} : {message}")

    @property
    def refused(self) -> bool:
        return bool(self.errors)

    @property
    def written(self) -> bool:
        return not self.dry_run and not self.errors

    @property
    def has_changes(self) -> bool:
        return any(c.created or c.updated for c in self.counts.values()) or bool(self.changes)

    def rows(self) -> list[tuple[str, SheetCounts]]:
        return list(self.counts.items())

    def summary(self) -> str:
        def part(n: int, word: str, feminine: bool) -> str:
            return f"{n} {word}{'e' if feminine else ''}{'s' if n > 1 else ''}"

        parts = []
        for sheet, c in self.counts.items():
            feminine = sheet != INDICATORS_SHEET
            parts.append(
                f"{sheet} : {part(c.created, 'créé', feminine)}, {part(c.updated, 'mis', feminine)} à jour, "
                f"{part(c.unchanged, 'inchangé', feminine)}"
            )
        return " ; ".join(parts)


def scope_notice(*, user, convention: Convention) -> str:
    """What the import page tells someone who may only import the follow-up; empty in full scope."""
    if tracking_scope(user=user, convention=convention) == FULL:
        return ""
    if tracking_limited_by_role(user=user, convention=convention):
        return (
            f"En tant que chargé·e de coopération, vous importez les {FOLLOW_UP_ONLY} : les autres colonnes "
            "doivent rester telles qu'exportées (la Caf les modifie)."
        )
    return (
        f"La convention est signée : sans avenant en préparation, l'import ne met à jour que les {FOLLOW_UP_ONLY}. "
        "Les autres colonnes doivent rester telles qu'exportées."
    )
