"""The documents of a bilan: the annual report (PDF, WeasyPrint) and its tracking table (.xlsx).

Both are drawn from the bilan's figures (`evaluation.services.reviews.review_document`): the frozen snapshot once
validated, the live figures while draft. Nothing here reads the database.
"""

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, PatternFill

from core.pdf import render_template_pdf
from core.xlsx import BOLD, DATE_FORMAT, append_row, workbook_bytes, write_sheet

from .charts import progress_chart, status_chart
from .enums import ReviewStatus


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _n(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def review_display(*, review, figures: dict) -> dict:
    """The figures ready for a template: dates and amounts as Python values, the charts drawn.

    `available` is False for a validated bilan whose snapshot is missing or unreadable (e.g. imported bare):
    its figures are never recomputed, so there is nothing to show.
    """
    if not figures or figures.get("format") != 1:
        return {"available": False, "draft": review.status == ReviewStatus.DRAFT}
    narrative = figures["review"]
    meeting = narrative["meeting"]
    validated_at = narrative["validated_at"]
    budget = figures["budget"]
    indicators = [
        {
            **item,
            "baseline_value": _n(item["baseline_value"]),
            "target_value": _n(item["target_value"]),
            "value": _n(item["value"]),
            "quarters": [{**q, "value": _n(q["value"])} for q in item["quarters"]],
        }
        for item in figures["indicators"]
    ]
    quantitative = [i for i in indicators if i["kind"] == "quantitatif" and i["target_value"] is not None]
    year = figures["year"]
    return {
        "available": True,
        "draft": review.status == ReviewStatus.DRAFT,
        "year": year,
        "as_of": _d(figures["as_of"]),
        "convention": figures["convention"],
        "review": {
            **narrative,
            "meeting": {**meeting, "date": _d(meeting["date"])} if meeting else None,
            "validated_at": timezone.localtime(datetime.fromisoformat(validated_at)) if validated_at else None,
        },
        "statuses": figures["statuses"],
        "orientations": figures["orientations"],
        "status_totals": figures["status_totals"],
        "action_count": figures["action_count"],
        "late_count": figures["late_count"],
        "actions": [{**a, "due_date": _d(a["due_date"])} for a in figures["actions"]],
        "late_actions": [{**a, "due_date": _d(a["due_date"])} for a in figures["late_actions"]],
        "indicators": indicators,
        "budget": {
            "rows": [{**r, "planned": _n(r["planned"]), "actual": _n(r["actual"])} for r in budget["rows"]],
            "total": {
                **budget["total"],
                "planned": _n(budget["total"]["planned"]),
                "actual": _n(budget["total"]["actual"]),
            },
            "lines": [{**r, "planned": _n(r["planned"]), "actual": _n(r["actual"])} for r in budget["lines"]],
        },
        "meetings": [{**m, "date": _d(m["date"])} for m in figures["meetings"]],
        "status_chart": status_chart(
            name="graphique-statuts",
            title=f"Fiches-action par statut et par orientation, {year}",
            statuses=figures["statuses"],
            rows=figures["orientations"],
        ),
        "progress_chart": progress_chart(
            name="graphique-indicateurs",
            title=f"Avancement des indicateurs vers leur cible, {year}",
            rows=[{"label": i["label"], "progress": i["progress"]} for i in quantitative],
        )
        if quantitative
        else "",
    }


def render_review_pdf(*, review, figures: dict) -> bytes:
    """The annual report for the COPIL; a draft carries a « PROJET » mark on every page."""
    doc = review_display(review=review, figures=figures)
    return render_template_pdf(
        template="pdf/review.html",
        context={"doc": doc, "document_title": f"{review} – {review.convention.title}"},
    )


# -- .xlsx --------------------------------------------------------------------------------------------------

HEADER_FILL = PatternFill("solid", fgColor="EEF4FA")
AMOUNT_FORMAT = "#,##0.00"


def _sheet(workbook: Workbook, title: str, header: list[str], rows: list[list], widths: list[int]):
    return write_sheet(
        workbook,
        title=title,
        header=header,
        rows=rows,
        widths=widths,
        header_fill=HEADER_FILL,
        type_formats={date: DATE_FORMAT, Decimal: AMOUNT_FORMAT},
    )


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("Oui" if value else "Non")


def render_review_xlsx(*, review, figures: dict) -> bytes:
    """The same figures as the report, one sheet per part: Synthèse, Fiches, Indicateurs, Budget, Réunions."""
    doc = review_display(review=review, figures=figures)
    workbook = Workbook()
    summary = workbook.active
    summary.title = "Synthèse"
    if not doc["available"]:
        append_row(summary, ["Les chiffres figés de ce bilan ne sont pas disponibles."])
        return workbook_bytes(workbook)
    narrative = doc["review"]
    meeting = narrative["meeting"]
    for label, value in [
        ("Convention", doc["convention"]["title"]),
        ("Référence", doc["convention"]["reference"]),
        ("Caf", doc["convention"]["caf"]),
        ("Périmètre", doc["convention"]["territory"]),
        ("Bilan", narrative["kind_label"]),
        ("Année", doc["year"]),
        ("Version", narrative["version"]),
        ("Statut", "Projet" if doc["draft"] else "Validé"),
        ("Situation au", doc["as_of"]),
        ("Validé le", narrative["validated_at"].date() if narrative["validated_at"] else None),
        ("Validé par", narrative["validated_by"]),
        ("Réunion", f"{meeting['committee']} du {meeting['date']:%d/%m/%Y}" if meeting else ""),
        ("Synthèse", narrative["summary"]),
        ("Décisions", narrative["decisions"]),
    ]:
        append_row(summary, [label, value])
        summary.cell(row=summary.max_row, column=1).font = BOLD
        value_cell = summary.cell(row=summary.max_row, column=2)
        value_cell.alignment = Alignment(wrap_text=True, vertical="top")
        if isinstance(value, date):
            value_cell.number_format = DATE_FORMAT
    append_row(summary, [])
    append_row(summary, ["Orientation"] + [s["label"] for s in doc["statuses"]] + ["Total", "En retard"])
    for cell in summary[summary.max_row]:
        cell.font, cell.fill = BOLD, HEADER_FILL
    for row in doc["orientations"]:
        append_row(summary, [row["label"], *row["counts"], row["total"], row["late"]])
    append_row(summary, ["Ensemble", *doc["status_totals"], doc["action_count"], doc["late_count"]])
    for cell in summary[summary.max_row]:
        cell.font = BOLD
    summary.column_dimensions["A"].width = 50
    summary.column_dimensions["B"].width = 70

    _sheet(
        workbook,
        "Fiches",
        ["Référence", "Intitulé", "Orientation", "Statut", "Avancement (%)", "Échéance", "En retard"],
        [
            [
                a["reference"],
                a["title"],
                a["orientation"],
                a["status_label"],
                a["progress"],
                a["due_date"],
                _yes_no(a["late"]),
            ]
            for a in doc["actions"]
        ],
        [12, 60, 40, 14, 14, 12, 10],
    )
    _sheet(
        workbook,
        "Indicateurs",
        [
            "Fiche",
            "Indicateur",
            "Unité",
            "Référence",
            "Année de référence",
            "Cible",
            "Année cible",
            "Sens attendu",
            f"Valeur {doc['year']}",
            "Période de la valeur",
            "T1",
            "T2",
            "T3",
            "T4",
            "Avancement vers la cible (%)",
            "Sens respecté",
            "Texte",
        ],
        [
            [
                i["action"] or "Convention",
                i["label"],
                i["unit"],
                i["baseline_value"],
                i["baseline_year"],
                i["target_value"],
                i["target_year"],
                i["direction_label"],
                i["value"],
                i["value_period"],
                *[next((q["value"] for q in i["quarters"] if q["quarter"] == n), None) for n in range(1, 5)],
                i["progress"],
                _yes_no(i["direction_respected"]),
                i["text"],
            ]
            for i in doc["indicators"]
        ],
        [10, 50, 12, 12, 10, 12, 10, 12, 12, 12, 10, 10, 10, 10, 14, 12, 40],
    )
    budget = doc["budget"]
    sheet = _sheet(
        workbook,
        "Budget",
        ["Financeur", "Nature", "Prévu (€)", "Réalisé (€)", "Taux de réalisation (%)"],
        [[r["funder_label"], r["nature_label"], r["planned"], r["actual"], r["rate"]] for r in budget["rows"]]
        + [["Total", "", budget["total"]["planned"], budget["total"]["actual"], budget["total"]["rate"]]],
        [20, 18, 16, 16, 16],
    )
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    if budget["lines"]:
        append_row(sheet, [])
        append_row(
            sheet,
            ["Fiche", "Financeur", "Nature", "Prévu (€)", "Réalisé (€)", "Nom du financeur", "Moyens Caf", "Précision"],
        )
        for cell in sheet[sheet.max_row]:
            cell.font, cell.fill = BOLD, HEADER_FILL
        for line in budget["lines"]:
            append_row(
                sheet,
                [
                    line["action"],
                    line["funder_label"],
                    line["nature_label"],
                    line["planned"],
                    line["actual"],
                    line["funder_name"],
                    _yes_no(line["is_caf_means"]),
                    line["note"],
                ],
            )
            for cell in sheet[sheet.max_row][3:5]:
                cell.number_format = AMOUNT_FORMAT
    _sheet(
        workbook,
        "Réunions",
        ["Date", "Instance", "Lieu", "Ordre du jour", "Décisions", "Fiches-action concernées"],
        [
            [
                m["date"],
                m["committee"],
                m["place"],
                m["agenda"],
                m["decisions"],
                ", ".join(a["reference"] for a in m["actions"]),
            ]
            for m in doc["meetings"]
        ],
        [12, 28, 24, 40, 60, 30],
    )
    return workbook_bytes(workbook)
