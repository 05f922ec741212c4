"""The Indicateurs sheet: one row per indicator, matched by (Réf fiche, Indicateur)."""

from django.core.exceptions import ValidationError

from core.text import fold

from ...enums import Direction, IndicatorKind
from ...models import Indicator
from ..cells import _choice, _decimal, _key, _shown, _text, _year
from ..columns import INDICATOR_CHOICES, INDICATOR_FIELD_COLUMNS, INDICATORS_SHEET
from ..report import Change
from .state import SheetImporter


class IndicatorsSheetImporter(SheetImporter):
    """Imports the rows of the Indicateurs sheet; notes each indicator of the file for the Valeurs sheet."""

    sheet = INDICATORS_SHEET
    readers = {
        "Réf fiche": _text,
        "Indicateur": _text,
        "Type": lambda raw: _choice(raw, IndicatorKind) or IndicatorKind.QUANTITATIVE,
        "Unité": _text,
        "Valeur de référence": _decimal,
        "Année de référence": _year,
        "Cible": _decimal,
        "Année cible": _year,
        "Sens": lambda raw: _choice(raw, Direction),
    }

    def import_rows(self, rows) -> None:
        sheet, counts = self.sheet, self.counts
        next_order: dict[int | None, int] = {}
        for indicator in self.state.indicators.values():
            next_order[indicator.action_id] = max(next_order.get(indicator.action_id, 0), indicator.order + 1)
        for number, row in rows:
            values = self.state.cells(sheet, number, row, self.readers)
            reference = _text(row["Réf fiche"])
            label = _text(row["Indicateur"])
            key = (reference, _key(label))
            if not label:
                self.state.error(sheet, number, "Indicateur", "libellé de l'indicateur obligatoire.")
                continue
            if key in self.state.file_indicators:
                self.state.error(
                    sheet, number, "Indicateur", "cet indicateur figure déjà plus haut pour la même fiche."
                )
                continue
            indicator = self.state.indicators.get(key) or self.state.folded_indicators.get((reference, fold(label)))
            # Until the row is saved, values are checked against the indicator as it is (none for a new one).
            self.state.file_indicators[key] = indicator
            ok, action = self.state.fiche(sheet, number, reference)
            if not ok or values is None:
                continue
            subject = f"indicateur « {_shown(label)} »" + (f" (fiche {reference})" if reference else " (convention)")
            created = indicator is None
            if created and self.state.refuse_outside_scope(sheet, number, "Indicateur", creation=True):
                continue
            if created:
                order = next_order.get(action.pk if action else None, 0)
                next_order[action.pk if action else None] = order + 1
                indicator = Indicator(convention=self.state.convention, action=action, order=order)
            new = {
                "label": label,
                "kind": values["Type"],
                "unit": values["Unité"],
                "baseline_value": values["Valeur de référence"],
                "baseline_year": values["Année de référence"],
                "target_value": values["Cible"],
                "target_year": values["Année cible"],
                "direction": values["Sens"],
            }
            dirty = self.state.apply(
                indicator,
                new,
                created=created,
                where=(sheet, number, subject),
                columns=INDICATOR_FIELD_COLUMNS,
                choices=INDICATOR_CHOICES,
            )
            if not (created or dirty):
                self.state.file_indicators[key] = indicator
                counts.unchanged += 1
                continue
            try:
                indicator.full_clean()
            except ValidationError as exc:
                self.state.validation_errors(sheet, number, exc, INDICATOR_FIELD_COLUMNS, "Indicateur")
                continue
            if not created:
                self.state.touch("indicateur", indicator, self.state.indicator_marker(indicator))
                if self.state.held_back("indicateur", indicator, (sheet, number, subject)):
                    self.state.file_indicators[key] = indicator
                    counts.unchanged += 1
                    continue
            self.state.save(indicator)
            self.state.file_indicators[key] = indicator
            if created:
                self.state.report.changes.append(Change(sheet, number, f"création de l'{subject}"))
                counts.created += 1
            else:
                counts.updated += 1
