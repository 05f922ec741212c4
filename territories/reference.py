"""Load the territorial reference data (départements, EPCI, communes, Cafs) from fixtures/reference/.

The files are built by scripts/build_reference.py from Etalab's open data and the list of the Caf
network; see the README there.

Cafs belong to the administrators once loaded: a load creates the missing ones and adds the
départements a Caf covers, but renames a Caf only while its name is still the one the reference
gave it last time (``Caf.reference_name``). A Caf renamed in the admin keeps its new name; a name
corrected in the reference reaches every database where nobody renamed it. A Caf created by hand
under the reference's name is adopted (given its code) rather than duplicated.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import Caf, Commune, Departement, Epci
from .names import epci_key, search_key

BATCH_SIZE = 2000

DEPARTEMENTS_FILE = "departements.csv"
EPCI_FILE = "epci.csv.gz"
COMMUNES_FILE = "communes.csv.gz"
CAFS_FILE = "cafs.csv"


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
    caf_rows = [
        row
        for row in _read_rows(path=directory / CAFS_FILE)
        if selected is None or selected & set(row["departement_codes"].split(";"))
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
                    search_name=epci_key(row["name"]),
                )
                for row in epci_rows
            ],
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=["siren"],
            update_fields=["name", "kind", "departement", "search_name"],
        )
        epci_ids = dict(Epci.objects.values_list("siren", "id"))

        Commune.objects.bulk_create(
            [
                Commune(
                    insee_code=row["insee_code"],
                    name=row["name"],
                    search_name=search_key(row["name"]),
                    departement_id=departement_ids[row["departement_code"]],
                    epci_id=epci_ids[row["epci_siren"]] if row["epci_siren"] else None,
                    population=_int_or_none(value=row["population"]),
                    population_year=_int_or_none(value=row["population_year"]),
                    name_type=_int_or_none(value=row.get("name_type", "")),
                )
                for row in commune_rows
            ],
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=["insee_code"],
            update_fields=[
                "name",
                "search_name",
                "departement",
                "epci",
                "population",
                "population_year",
                "name_type",
            ],
        )
        _cafs_load(rows=caf_rows, departement_ids=departement_ids)

    return {
        "departements": len(departement_rows),
        "epci": len(epci_rows),
        "communes": len(commune_rows),
        "cafs": len(caf_rows),
    }


def _cafs_load(*, rows: list[dict[str, str]], departement_ids: dict[str, int]) -> None:
    """Create or update the Cafs of the reference (a hundred rows: plain ORM calls, in the caller's transaction)."""
    by_code = {caf.code: caf for caf in Caf.objects.filter(code__in=[row["code"] for row in rows])}
    by_name = {caf.name: caf for caf in Caf.objects.filter(code__isnull=True, name__in=[row["name"] for row in rows])}
    taken_names = set(Caf.objects.values_list("name", flat=True))
    for row in rows:
        caf = by_code.get(row["code"]) or by_name.get(row["name"])
        if caf is None:
            caf = Caf.objects.create(
                code=row["code"],
                name=row["name"],
                reference_name=row["name"],
                departement_id=departement_ids[row["departement_code"]],
            )
            taken_names.add(caf.name)
        else:
            untouched = caf.name == caf.reference_name or caf.name == row["name"]
            if untouched and caf.name != row["name"] and row["name"] not in taken_names:
                taken_names.discard(caf.name)
                caf.name = row["name"]
                taken_names.add(caf.name)
            caf.code = row["code"]
            caf.reference_name = row["name"]
            caf.save(update_fields=["name", "code", "reference_name"])
        # Départements are only added: an administrator may have given a Caf more.
        caf.departements.add(*(departement_ids[code] for code in row["departement_codes"].split(";")))
