"""The dashboard's charts, drawn on the server as inline SVG like the bilans' (core/charts.py): no
JavaScript, a <title> per chart and per bar, every number also written in the table or text next to it."""

from django.utils.html import escape
from django.utils.safestring import SafeString

from conventions.enums import ConventionPhase
from core.charts import WIDTH, svg_chart
from core.text import french_number

PHASE_WIDTH = 420  # narrow: it sits beside its table, and must stay readable on a phone

# One hue per phase: drafting in greys and blues, in force green, over in ambers and greys.
PHASE_COLOURS = {
    ConventionPhase.DRAFT: "#94a3b8",
    ConventionPhase.COPIL_VALIDATED: "#60a5fa",
    ConventionPhase.IN_SIGNATURE: "#2563eb",
    ConventionPhase.SIGNED: "#0e7490",
    ConventionPhase.IN_FORCE: "#15803d",
    ConventionPhase.EXPIRED: "#b45309",
    ConventionPhase.TERMINATED: "#b91c1c",
    ConventionPhase.RENEWED: "#4b5563",
}


def phase_chart(*, phases: list[tuple[ConventionPhase, int]]) -> SafeString:
    """One bar per phase, on one scale: how many conventions are where in their lifecycle."""
    label_width, bar_height, gap = 178, 18, 8
    track = PHASE_WIDTH - label_width - 40
    largest = max((n for _, n in phases), default=0) or 1
    body = []
    y = 0
    for phase, n in phases:
        label = phase.label
        body.append(f'<g class="bar"><title>{escape(label)} : {french_number(n, decimals=0)}</title>')
        body.append(f'<text x="0" y="{y + 13}" fill="#111827">{escape(label)}</text>')
        width = track * n / largest
        if n:
            body.append(
                f'<rect x="{label_width}" y="{y}" width="{width:.1f}" height="{bar_height}" '
                f'fill="{PHASE_COLOURS.get(phase, "#6b7280")}"/>'
            )
        body.append(
            f'<text x="{label_width + width + 6:.1f}" y="{y + 13}" fill="#374151" font-weight="600">'
            f"{french_number(n, decimals=0)}</text></g>"
        )
        y += bar_height + gap
    return svg_chart(name="phases", title="Conventions par étape", height=y, body=body, width=PHASE_WIDTH)


def coverage_chart(*, coverage) -> SafeString:
    """One bar: the population covered by a CTG in force, out of the whole (a figures.Coverage)."""
    height = 28
    share = float(coverage.percent or 0) / 100
    width = WIDTH * min(share, 1)
    text = f"Population couverte par une CTG en vigueur : {coverage.label}"
    body = [
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#e5e7eb"/>',
        f'<rect class="fill" x="0" y="0" width="{width:.1f}" height="{height}" fill="#15803d"/>',
        # Inside the bar once it is wide enough for white text, else just after it.
        f'<text x="{8 if share > 0.35 else width + 6:.1f}" y="19" fill="{"#ffffff" if share > 0.35 else "#111827"}" '
        'font-weight="600" font-size="13">'
        f"{french_number(coverage.percent or 0)} %</text>",
    ]
    return svg_chart(name="couverture", title=text, height=height, body=body)
