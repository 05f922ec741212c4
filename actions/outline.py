"""A pasted outline of the plan, read into its nodes before anything is written.

An adviser pastes the plan as the convention prints it: numbered lines (« 1 », « 1.1 », « 1.1.1 », with or
without the level's name before the number, « Axe 2 : … »), or lines indented by level (spaces, tabs,
bullets). Each line becomes a node of the level its number or indentation says; a line that cannot be
read gets a French message next to it, and the outline is refused whole (`actions.services.plan_outline_create`
writes it).
"""

import re
from dataclasses import dataclass, field

from core.text import fold

from .levels import PlanLevels

MAX_LINES = 500  # a real plan: 3 levels and a few dozen nodes
MAX_TITLE = 1000
NUMBER = re.compile(r"^(\d{1,3}(?:[.\-]\d{1,3}){0,5})[.)]?(?:\s*[:–—-]\s*|\s+|$)(.*)$")
BULLET = re.compile(r"^[-*•·▪◦–]\s+")


@dataclass
class OutlineLine:
    line: int  # 1-based, as the adviser counts the lines of the text area
    text: str  # as pasted, without its end of line
    depth: int = 0  # 1 (orientation), 2 (axis), 3 (objective); 0 on a line in error
    number: str = ""
    title: str = ""
    error: str = ""


@dataclass
class Outline:
    lines: list[OutlineLine] = field(default_factory=list)  # the non-blank lines
    error: str = ""  # about the whole text

    @property
    def nodes(self) -> list[OutlineLine]:
        return [line for line in self.lines if not line.error]

    @property
    def errors(self) -> list[OutlineLine]:
        return [line for line in self.lines if line.error]

    @property
    def is_valid(self) -> bool:
        return not self.error and not self.errors and bool(self.lines)

    @property
    def counts(self) -> list[int]:
        """The nodes at each depth, from the top."""
        return [sum(1 for line in self.lines if line.depth == depth) for depth in (1, 2, 3)]


def _strip_level_name(text: str, levels: PlanLevels) -> str:
    """« Axe 2 : Soutenir… » → « 2 : Soutenir… » when « Axe » names a level (this convention's or a default)."""
    folded = fold(text)
    names = sorted({fold(level.label) for level in levels} | {"orientation", "axe", "objectif"}, key=len, reverse=True)
    for name in names:
        if folded.startswith(name + " ") and re.match(r"\d", folded[len(name) + 1 :].lstrip()):
            return text[len(name) + 1 :].lstrip()
    return text


def _indent_width(raw: str) -> int:
    prefix = raw[: len(raw) - len(raw.lstrip())]
    return sum(4 if char == "\t" else 1 for char in prefix)


def parse_outline(text: str, levels: PlanLevels) -> Outline:
    """Every non-blank line of `text` as a node with its depth, number and title, or with its error."""
    outline = Outline()
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if sum(1 for raw in raw_lines if raw.strip()) > MAX_LINES:
        outline.error = f"Le plan collé dépasse {MAX_LINES} lignes : collez-le en plusieurs fois."
        return outline
    indents: list[int] = []  # the indentation of each open level, for lines without a number
    parents: list[OutlineLine | None] = [None, None, None]  # the last node at each depth
    names = [level.label for level in levels]
    for index, raw in enumerate(raw_lines, start=1):
        if not raw.strip():
            continue
        item = OutlineLine(line=index, text=raw.rstrip())
        outline.lines.append(item)
        body = BULLET.sub("", raw.strip())
        body = _strip_level_name(body, levels)
        width = _indent_width(raw)
        match = NUMBER.match(body)
        if match:
            number = match.group(1).replace("-", ".")
            depth = number.count(".") + 1
            title = match.group(2).strip()
        else:
            number, title = "", body.strip()
            while indents and width < indents[-1]:
                indents.pop()
            if not indents or width > indents[-1]:
                indents.append(width)
            depth = len(indents)
        if depth > 3:
            item.error = "Le plan a trois niveaux : cette ligne en ouvre un quatrième."
            continue
        if not title:
            item.error = "Intitulé manquant après le numéro."
            continue
        if len(title) > MAX_TITLE:
            item.error = f"Intitulé trop long ({len(title)} caractères, {MAX_TITLE} au plus)."
            continue
        parent = parents[depth - 2] if depth > 1 else None
        if depth > 1 and parent is None:
            item.error = (
                f"« {names[depth - 1]} » sans « {names[depth - 2]} » au-dessus : ajoutez d'abord la ligne de son "
                "niveau parent."
            )
            continue
        if number and parent is not None and parent.number and not number.startswith(parent.number + "."):
            item.error = f"Le numéro {number} ne suit pas « {parent.number} », la ligne du niveau au-dessus."
            continue
        item.depth, item.number, item.title = depth, number, title
        parents[depth - 1] = item
        for lower in range(depth, 3):
            parents[lower] = None
    if not outline.lines:
        outline.error = "Collez au moins une ligne du plan."
    return outline
