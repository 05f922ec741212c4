"""Charts drawn on the server as inline SVG: the bilans', « Mon suivi »'s and the dashboard's.

The same markup goes into HTML pages and PDFs: no JavaScript, nothing fetched. Each chart carries a <title>
(read by screen readers, shown as a tooltip) and every number it draws is also in the table next to it.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from core.text import french_number

WIDTH = 640
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


def svg_chart(*, name: str, title: str, height: int, body: list[str], width: int = WIDTH) -> SafeString:
    title_id = f"{name}-titre"
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ctg-chart" role="img" aria-labelledby="{title_id}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'style="max-width:100%" font-family="{FONT}" font-size="11">'
        f'<title id="{title_id}">{escape(title)}</title>' + "".join(body) + "</svg>"
    )


def status_chart(*, name: str, title: str, statuses: list[dict], rows: list[dict]) -> SafeString:
    """One stacked horizontal bar per orientation: how many fiches in each status.

    `name` makes the ids of the markup unique in the page (and the same at every rendering).

    `statuses`: [{"value", "label"}]; `rows`: [{"label", "counts": [n per status, same order], "total"}].
    Bars share one scale (the largest orientation fills the width) so that their lengths compare.
    """
    label_height, bar_height, gap = 14, 16, 10
    legend_height = 24
    bar_width = WIDTH - 40  # room for the total at the end of the bar
    largest = max((row["total"] for row in rows), default=0) or 1
    body = []
    # Legend: one swatch per status.
    x = 0
    for status in statuses:
        fill, _ = STATUS_COLOURS.get(status["value"], DEFAULT_COLOURS)
        body.append(f'<rect x="{x}" y="2" width="10" height="10" fill="{fill}"/>')
        body.append(f'<text x="{x + 14}" y="11" fill="#111827">{escape(status["label"])}</text>')
        x += 14 + 7 * len(status["label"]) + 16
    y = legend_height
    for row in rows:
        parts = [f"{chart_number(n)} {s['label'].lower()}" for s, n in zip(statuses, row["counts"], strict=True) if n]
        description = f"{row['label']} : {', '.join(parts) if parts else 'aucune fiche'}"
        body.append(f'<g class="bar"><title>{escape(description)}</title>')
        body.append(f'<text x="0" y="{y + 11}" fill="#111827">{escape(Truncator(row["label"]).chars(105))}</text>')
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
            if width >= 16:
                body.append(
                    f'<text x="{x + width / 2:.1f}" y="{bar_y + 12}" text-anchor="middle" fill="{ink}" '
                    f'font-weight="600">{chart_number(n)}</text>'
                )
            x += width
        if not row["total"]:
            body.append(
                f'<rect x="0" y="{bar_y}" width="{bar_width}" height="{bar_height}" fill="none" '
                'stroke="#d1d5db" stroke-dasharray="3 3"/>'
            )
        body.append(
            f'<text x="{x + 6:.1f}" y="{bar_y + 12}" fill="#374151" font-weight="600">'
            f"{chart_number(row['total'])}</text>"
        )
        body.append("</g>")
        y = bar_y + bar_height + gap
    return svg_chart(name=name, title=title, height=y, body=body)
