"""The dashboard's tables as CSV or .xlsx files.

Both go through the shared export writers, which neutralise formulas (core/exports.py, core/xlsx.py).
"""

from datetime import date

from openpyxl import Workbook

from core.exports import CSV_CONTENT_TYPE, csv_bytes
from core.xlsx import DATE_FORMAT, XLSX_CONTENT_TYPE, workbook_bytes, write_sheet

from .figures import Dashboard

FORMATS = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}


def _communes(rows):
    return [[c.insee_code, c.name, str(c.departement), c.population, c.population_year] for c in rows]


COMMUNE_HEADER = ["Code INSEE", "Commune", "Département", "Population", "Année de la population"]


def table_rows(dashboard: Dashboard, table: str) -> tuple[str, list[str], list[list]]:
    """(sheet title, header, rows) of one of the dashboard's tables; KeyError for an unknown table."""
    if table == "communes-non-couvertes":
        return "Communes non couvertes", COMMUNE_HEADER, _communes(dashboard.uncovered)
    if table == "communes-en-double":
        rows = [
            [*_communes([d.commune])[0], " ; ".join(f"{c.reference} – {c.title}" for c in d.conventions)]
            for d in dashboard.doubles
        ]
        return "Communes en double", [*COMMUNE_HEADER, "Conventions en vigueur"], rows
    if table == "conventions-a-renouveler":
        rows = [[c.reference, c.title, c.caf.name, c.territory.name, c.end_date] for c in dashboard.ending]
        return "À renouveler", ["Référence", "Intitulé", "Caf", "Périmètre", "Fin"], rows
    if table == "retards":
        rows = [
            [d.convention.reference, d.convention.title, d.late_fiches, ", ".join(d.bilans_due)] for d in dashboard.dues
        ]
        return "Retards", ["Référence", "Intitulé", "Fiches en retard", "Bilans attendus"], rows
    if table == "autorites-organisatrices":
        rows = [
            [
                *_communes([r.commune])[0][:4],
                r.obligations,
                "non renseignées" if r.exercised is None else f"{r.exercised}/4",
                ("oui" if r.has_schema else "non") if r.needs_schema else "non requis",
                "oui" if r.has_rpe else ("non" if r.needs_schema else "non requis"),
            ]
            for r in dashboard.ao
        ]
        header = [*COMMUNE_HEADER[:4], "Obligations", "Compétences exercées", "Schéma", "Relais petite enfance"]
        return "Autorités organisatrices", header, rows
    if table == "departements":
        rows = [
            [d.code, d.name, d.coverage.covered_population, d.coverage.total_population, d.coverage.percent]
            for d in dashboard.departements
        ]
        header = ["Code", "Département", "Population couverte", "Population", "Part couverte (%)"]
        return "Départements", header, rows
    if table == "etapes":
        rows = [[phase.label, n] for phase, n in dashboard.phases]
        return "Étapes", ["Étape", "Conventions"], rows
    raise KeyError(table)


TABLES = (
    "etapes",
    "communes-non-couvertes",
    "communes-en-double",
    "conventions-a-renouveler",
    "retards",
    "autorites-organisatrices",
    "departements",
)


def render_csv(title: str, header: list[str], rows: list[list]) -> bytes:
    return csv_bytes(header=header, rows=rows)


def render_xlsx(title: str, header: list[str], rows: list[list]) -> bytes:
    workbook = Workbook()
    write_sheet(
        workbook,
        title=title,
        header=header,
        rows=rows,
        widths=[max(12, min(60, len(h) + 6)) for h in header],
        type_formats={date: DATE_FORMAT},
        wrapped=[header[1]],
        first_sheet=True,
    )
    return workbook_bytes(workbook)
