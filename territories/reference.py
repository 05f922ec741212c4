"""Load the territorial reference data (départements, EPCI, communes) from fixtures/reference/.

The files are built by scripts/build_reference.py from Etalab's open data; see the README there.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import Commune, Departement, Epci

BATCH_SIZE = 2000

DEPARTEMENTS_FILE = "departements.csv"
EPCI_FILE = "epci.csv.gz"
COMMUNES_FILE = "communes.csv.gz"


def reference_directory() -> Path:
    return Path(settings.BASE_DIR) / "fixtures" / "reference"


def _read_rows(*, path: Path) -> Iterator[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _normalize_departement_code(*, code: str) -> str:
    # Accept "1" or "2a" as typed on a command line.
    code = code.strip().upper()
    return code.zfill(2) if code.isdigit() and len(code) == 1 else code


def _int_or_none(*, value: str) -> int | None:
    return int(value) if value else None


def reference_data_load(*, directory: Path | None = None, departements: Iterable[str] | None = None) -> dict[str, int]:
    """Create or update départements, EPCI and communes; running it twice changes nothing.

    With `departements`, only those départements' communes and the EPCI they belong to are
    loaded (all départements are, being few and needed as EPCI seats). Rows absent from the
    files are left alone: communes may be referenced by perimeters and equipment.
    Returns the number of rows written per model.
    """
    directory = directory or reference_directory()
    departement_rows = list(_read_rows(path=directory / DEPARTEMENTS_FILE))
    known_codes = {row["code"] for row in departement_rows}

    selected: set[str] | None = None
    if departements is not None:
        selected = {_normalize_departement_code(code=code) for code in departements}
        unknown = sorted(selected - known_codes)
        if unknown:
            raise ValueError(f"Département(s) inconnu(s) : {', '.join(unknown)}")

    commune_rows = [
        row
        for row in _read_rows(path=directory / COMMUNES_FILE)
        if selected is None or row["departement_code"] in selected
    ]
    needed_sirens = {row["epci_siren"] for row in commune_rows if row["epci_siren"]}
    epci_rows = [
        row for row in _read_rows(path=directory / EPCI_FILE) if selected is None or row["siren"] in needed_sirens
    ]

    with transaction.atomic():
        # bulk_create with update_conflicts is one INSERT … ON CONFLICT DO UPDATE per batch:
        # an upsert keyed on the natural code, so ids (and the links to them) survive reloads.
        Departement.objects.bulk_create(
            [Departement(code=row["code"], name=row["name"]) for row in departement_rows],
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name"],
        )
        # Ids are read back rather than taken from bulk_create, which does not return them
        # for updated rows on every backend.
        departement_ids = dict(Departement.objects.values_list("code", "id"))

        Epci.objects.bulk_create(
            [
                Epci(
                    siren=row["siren"],
                    name=row["name"],
                    kind=row["kind"],
                    departement_id=departement_ids.get(row["departement_code"]),
                )
                for row in epci_rows
            ],
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=["siren"],
            update_fields=["name", "kind", "departement"],
        )
        epci_ids = dict(Epci.objects.values_list("siren", "id"))

        Commune.objects.bulk_create(
            [
                Commune(
                    insee_code=row["insee_code"],
                    name=row["name"],
                    departement_id=departement_ids[row["departement_code"]],
                    epci_id=epci_ids[row["epci_siren"]] if row["epci_siren"] else None,
                    population=_int_or_none(value=row["population"]),
                    population_year=_int_or_none(value=row["population_year"]),
                )
                for row in commune_rows
            ],
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=["insee_code"],
            update_fields=["name", "departement", "epci", "population", "population_year"],
        )

    return {"departements": len(departement_rows), "epci": len(epci_rows), "communes": len(commune_rows)}
