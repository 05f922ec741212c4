"""Charts drawn on the server as inline SVG: the bilans', « Mon suivi »'s and the dashboard's.

The same markup goes into HTML pages and PDFs: no JavaScript, nothing fetched. Each chart carries a <title>
(read by screen readers, shown as a tooltip) and every number it draws is also in the table next to it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from core.text import french_number

WIDTH = 640
NARROW_WIDTH = 280  # drawn for phones: shown 1:1 from a 320 px screen up, so its text keeps its size
FONT = "'Source Sans 3', 'Liberation Sans', 'DejaVu Sans', sans-serif"

# Fill, and text colour readable on it, per fiche status (the hues of the status badges, darker).
STATUS_COLOURS = {
    "a_lancer": ("#94a3b8", "#111827"),
    "en_cours": ("#2563eb", "#ffffff"),
    "realisee": ("#15803d", "#ffffff"),
    "reportee": ("#f59e0b", "#111827"),
    "bloquee": ("#b91c1c", "#ffffff"),
    "abandonnee": ("#4b5563", "#ffffff"),
}
DEFAULT_COLOURS = ("#6b7280", "#ffffff")


def chart_number(value) -> str:
    """A whole number the French way: « 37 070 » (non-breaking space)."""
    return french_number(value, decimals=0)


def svg_chart(
    *, name: str, title: str, height: int, body: list[str], width: int = WIDTH, font: int = 11, css: str = ""
) -> SafeString:
    title_id = f"{name}-titre"
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ctg-chart{css}" role="img" aria-labelledby="{title_id}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'style="max-width:100%" font-family="{FONT}" font-size="{font}">'
        f'<title id="{title_id}">{escape(title)}</title>' + "".join(body) + "</svg>"
    )


@dataclass(frozen=True)
class Layout:
    """The drawing's width, its text size and how many characters a label keeps: one for pages and PDFs, a
    narrower one with larger text for phones (a 640-wide drawing shrunk to a phone's 320 px halves its text)."""

    width: int
    font: int
    label_chars: int
    css: str = ""

    def text_width(self, text: str) -> float:
        return 0.6 * self.font * len(text)


WIDE = Layout(width=WIDTH, font=11, label_chars=105, css=" ctg-chart-wide")
NARROW = Layout(width=NARROW_WIDTH, font=13, label_chars=38, css=" ctg-chart-narrow")


def responsive(draw: Callable[..., SafeString], *, name: str, **kwargs) -> SafeString:
    """Both drawings of a chart: the page's CSS shows the narrow one below 576 px and the wide one above; the
    PDF's shows the wide one. The hidden one is display:none, out of the accessibility tree."""
    return mark_safe(draw(name=name, layout=WIDE, **kwargs) + draw(name=f"{name}-etroit", layout=NARROW, **kwargs))


def status_chart(*, name: str, title: str, statuses: list[dict], rows: list[dict]) -> SafeString:
    """One stacked horizontal bar per orientation: how many fiches in each status (both layouts)."""
    return responsive(_status_chart, name=name, title=title, statuses=statuses, rows=rows)


def _status_chart(*, name: str, title: str, statuses: list[dict], rows: list[dict], layout: Layout) -> SafeString:
    """`name` makes the ids of the markup unique in the page (and the same at every rendering).

    `statuses`: [{"value", "label"}]; `rows`: [{"label", "counts": [n per status, same order], "total"}].
    Bars share one scale (the largest orientation fills the width) so that their lengths compare.
    """
    font = layout.font
    line = font + 4
    label_height, bar_height, gap = line, font + 6, 10
    bar_width = layout.width - 4 * font  # room for the total at the end of the bar
    largest = max((row["total"] for row in rows), default=0) or 1
    body = []
    # Legend: one swatch per status, wrapping onto as many lines as the width needs.
    x, y = 0.0, 0
    for status in statuses:
        fill, _ = STATUS_COLOURS.get(status["value"], DEFAULT_COLOURS)
        item = font + 4 + layout.text_width(status["label"]) + 12
        if x and x + item > layout.width:
            x, y = 0.0, y + line
        body.append(f'<rect x="{x:.0f}" y="{y + 2}" width="{font - 1}" height="{font - 1}" fill="{fill}"/>')
        body.append(f'<text x="{x + font + 3:.0f}" y="{y + font}" fill="#111827">{escape(status["label"])}</text>')
        x += item
    y += line + 10
    for row in rows:
        parts = [f"{chart_number(n)} {s['label'].lower()}" for s, n in zip(statuses, row["counts"], strict=True) if n]
        description = f"{row['label']} : {', '.join(parts) if parts else 'aucune fiche'}"
        label = Truncator(row["label"]).chars(layout.label_chars)
        body.append(f'<g class="bar"><title>{escape(description)}</title>')
        body.append(f'<text x="0" y="{y + font}" fill="#111827">{escape(label)}</text>')
        bar_y = y + label_height + 2
        x = 0.0
        for status, n in zip(statuses, row["counts"], strict=True):
            if not n:
                continue
            width = bar_width * n / largest
            fill, ink = STATUS_COLOURS.get(status["value"], DEFAULT_COLOURS)
            body.append(
                f'<rect class="segment" x="{x:.1f}" y="{bar_y}" width="{width:.1f}" height="{bar_height}" '
                f'fill="{fill}"/>'
            )
            if width >= layout.text_width(chart_number(n)) + 6:
                body.append(
                    f'<text x="{x + width / 2:.1f}" y="{bar_y + font + 1}" text-anchor="middle" fill="{ink}" '
                    f'font-weight="600">{chart_number(n)}</text>'
                )
            x += width
        if not row["total"]:
            body.append(
                f'<rect x="0" y="{bar_y}" width="{bar_width}" height="{bar_height}" fill="none" '
                'stroke="#d1d5db" stroke-dasharray="3 3"/>'
            )
        body.append(
            f'<text x="{x + 6:.1f}" y="{bar_y + font + 1}" fill="#374151" font-weight="600">'
            f"{chart_number(row['total'])}</text>"
        )
        body.append("</g>")
        y = bar_y + bar_height + gap
    return svg_chart(name=name, title=title, height=y, body=body, width=layout.width, font=font, css=layout.css)
