"""The Valeurs sheet: one row per value of an indicator, matched by (indicator, Année, Trimestre)."""

from django.core.exceptions import ValidationError

from core.locking import advance_version, expected_marker
from core.text import fold

from ...models import Measurement
from ..cells import _decimal, _key, _quarter, _shown, _text, _year
from ..columns import VALUE_FIELD_COLUMNS, VALUES_SHEET
from ..report import Change
from .state import SheetImporter


class ValuesSheetImporter(SheetImporter):
    """Imports the rows of the Valeurs sheet: one value per indicator and period."""

    sheet = VALUES_SHEET
    readers = {
        "Année": _year,
        "Trimestre": _quarter,
        "Valeur": _decimal,
        "Texte": _text,
        "Source": _text,
        "Commentaire": _text,
    }

    def import_rows(self, rows) -> None:
        sheet, counts = self.sheet, self.counts
        seen: dict[tuple, int] = {}
        for number, row in rows:
            values = self.state.cells(sheet, number, row, self.readers)
            reference = _text(row["Réf fiche"])
            label = _text(row["Indicateur"])
            ok, action = self.state.fiche(sheet, number, reference)
            if not ok:
                continue
            if not label:
                self.state.error(sheet, number, "Indicateur", "libellé de l'indicateur obligatoire.")
                continue
            key = (reference, _key(label))
            if key in self.state.file_indicators:
                indicator = self.state.file_indicators[key]
                if indicator is None:
                    continue  # its row of the Indicateurs sheet is already reported
            else:
                indicator = self.state.indicators.get(key) or self.state.folded_indicators.get((reference, fold(label)))
                if indicator is None:
                    whose = f"la fiche « {reference} »" if reference else "la convention"
                    self.state.error(
                        sheet,
                        number,
                        "Indicateur",
                        f"indicateur inconnu « {_shown(label)} » pour {whose} : ajoutez-le dans la feuille "
                        "Indicateurs.",
                    )
                    continue
            if values is None:
                continue
            if values["Année"] is None:
                self.state.error(sheet, number, "Année", "année obligatoire.")
                continue
            period = (indicator.pk, values["Année"], values["Trimestre"])
            period_label = f"{values['Année']}" + (f" T{values['Trimestre']}" if values["Trimestre"] else "")
            if period in seen:
                self.state.error(
                    sheet,
                    number,
                    "Trimestre" if values["Trimestre"] else "Année",
                    f"la période {period_label} de l'indicateur « {_shown(label)} » figure déjà ligne "
                    f"{seen[period]} : une seule valeur par période.",
                )
                continue
            seen[period] = number
            measurement = self.state.measurements.get(period)
            subject = f"valeur {period_label} de l'indicateur « {_shown(label)} »"
            created = measurement is None
            if created:
                measurement = Measurement(
                    indicator=indicator, year=values["Année"], quarter=values["Trimestre"], author=self.state.user
                )
            new = {
                "value": values["Valeur"],
                "text": values["Texte"],
                "source": values["Source"],
                "comment": values["Commentaire"],
            }
            dirty = self.state.apply(
                measurement,
                new,
                created=created,
                where=(sheet, number, subject),
                columns=VALUE_FIELD_COLUMNS,
                choices={},
            )
            if not (created or dirty):
                counts.unchanged += 1
                continue
            if not created:
                self.state.touch("valeur", measurement, expected_marker(measurement))
                if self.state.held_back("valeur", measurement, (sheet, number, subject)):
                    counts.unchanged += 1
                    continue
                measurement.author = self.state.user
                advance_version(measurement)
            try:
                if created:
                    measurement.full_clean()
                else:
                    # Only value, text, source and comment change: the period and its uniqueness stand, so
                    # skip the queries that would check them again (a quarterly import updates many values).
                    measurement.full_clean(
                        exclude=["indicator", "author", "year", "quarter"],
                        validate_unique=False,
                        validate_constraints=False,
                    )
            except ValidationError as exc:
                self.state.validation_errors(sheet, number, exc, VALUE_FIELD_COLUMNS, "Année")
                continue
            self.state.save(measurement)
            self.state.measurements[period] = measurement
            if created:
                self.state.report.changes.append(Change(sheet, number, f"création de la {subject}"))
                counts.created += 1
            else:
                counts.updated += 1
