"""Load the territorial reference data: `manage.py load_reference [--departements 42 45]`."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from territories.reference import reference_data_load


class Command(BaseCommand):
    help = (
        "Charge ou met à jour les départements, EPCI, communes et Cafs depuis fixtures/reference/ "
        "(sans doublon si on le relance ; une Caf renommée par un administrateur garde son nom)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--departements",
            nargs="+",
            metavar="CODE",
            help="Ne charger que les communes de ces départements (et leurs EPCI et Cafs), par exemple 42 45.",
        )
        parser.add_argument(
            "--directory",
            type=Path,
            default=None,
            help="Dossier des fichiers de référence (par défaut fixtures/reference/).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            counts = reference_data_load(directory=options["directory"], departements=options["departements"])
        except (ValueError, FileNotFoundError) as error:
            raise CommandError(str(error)) from error
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Référentiel chargé en {elapsed:.1f} s : "
                f"{counts['departements']} départements, {counts['epci']} EPCI, {counts['communes']} communes, "
                f"{counts['cafs']} Cafs."
            )
        )
