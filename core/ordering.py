"""The order of rows among their siblings (articles, key figures, members, plan nodes, fiches…)."""

from typing import Literal

from django.db import models
from django.db.models import Max, QuerySet

Direction = Literal["up", "down"]


def next_order(siblings: QuerySet, *, start: int = 0) -> int:
    """The `order` of a row appended after `siblings` (`start` when there are none)."""
    last = siblings.aggregate(last=Max("order"))["last"]
    return start if last is None else last + 1


def swap_with_neighbour(rows: list[models.Model], row: models.Model, direction: Direction, *, start: int = 0):
    """Swap the `order` of `row` and of the row above (`up`) or below (`down`) it in `rows` (reading order).

    Returns the two rows, not saved, or None at either end of the list. Rows whose orders are not all distinct
    (rows imported without one) are first numbered `start`, `start + 1`… in reading order, and those renumbered
    saved, so that the swap cannot be ambiguous.
    """
    if direction not in ("up", "down"):
        raise ValueError(f"Direction inconnue : {direction!r}")
    index = next(i for i, r in enumerate(rows) if r.pk == row.pk)
    other = index - 1 if direction == "up" else index + 1
    if other < 0 or other >= len(rows):
        return None
    if len({r.order for r in rows}) != len(rows):
        for position, r in enumerate(rows, start=start):
            if r.order != position:
                r.order = position
                r.save(update_fields=["order"])
    first, second = rows[index], rows[other]
    first.order, second.order = second.order, first.order
    return first, second


def swap_among(siblings: QuerySet, row: models.Model, direction: Direction, *, start: int = 0):
    """`swap_with_neighbour` over `siblings` (the rows `row` is ordered among, itself included), locked in
    reading order for the rest of the transaction. The two rows swapped, not saved, or None at either end."""
    rows = list(siblings.select_for_update().order_by("order", "pk"))
    return swap_with_neighbour(rows, row, direction, start=start)
