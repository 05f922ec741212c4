"""Small charts of a bilan, drawn on the server as inline SVG (the drawing toolkit is core/charts.py).

The same markup goes into the HTML page and the PDF: no JavaScript, nothing fetched. Each chart carries a
<title> (read by screen readers, shown as a tooltip) and every number it draws is also in the table next to it.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from core.charts import Layout, responsive, status_chart, svg_chart
from core.charts import chart_number as _number

__all__ = ["progress_chart", "status_chart"]


def progress_chart(*, name: str, title: str, rows: list[dict]) -> SafeString:
    """One bar per indicator: how far it has gone from its reference value towards its target (both layouts).

    `rows`: [{"label", "progress": int % or None}]. The track is the target (100 %); a value past the
    target fills the track and its number says by how much.
    """
    return responsive(_progress_chart, name=name, title=title, rows=rows)


def _progress_chart(*, name: str, title: str, rows: list[dict], layout: Layout) -> SafeString:
    font = layout.font
    label_height, bar_height, gap = font + 4, font + 1, 10
    track = layout.width - round(layout.text_width("1 000 %")) - 12
    body = []
    y = 0
    for row in rows:
        progress = row["progress"]
        shown = "non mesuré" if progress is None else f"{_number(progress)} % de la cible"
        body.append(f'<g class="bar"><title>{escape(row["label"])} : {escape(shown)}</title>')
        label = Truncator(row["label"]).chars(layout.label_chars)
        body.append(f'<text x="0" y="{y + font}" fill="#111827">{escape(label)}</text>')
        bar_y = y + label_height + 2
        body.append(f'<rect x="0" y="{bar_y}" width="{track}" height="{bar_height}" fill="#e5e7eb"/>')
        if progress is not None and progress > 0:
            width = track * min(progress, 100) / 100
            fill = "#15803d" if progress >= 100 else "#0b4f8a"
            body.append(
                f'<rect class="fill" x="0" y="{bar_y}" width="{width:.1f}" height="{bar_height}" fill="{fill}"/>'
            )
        body.append(
            f'<line x1="{track}" y1="{bar_y - 2}" x2="{track}" y2="{bar_y + bar_height + 2}" stroke="#c2410c" '
            'stroke-width="1.5"/>'
        )
        value = "–" if progress is None else f"{_number(progress)} %"
        body.append(
            f'<text x="{track + 8}" y="{bar_y + font - 1}" fill="#374151" font-weight="600">{escape(value)}</text>'
        )
        body.append("</g>")
        y = bar_y + bar_height + gap
    return svg_chart(name=name, title=title, height=max(y, 1), body=body, width=layout.width, font=font, css=layout.css)
