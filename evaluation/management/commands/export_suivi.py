from pathlib import Path

from conventions.management.base import ConventionCommand
from evaluation.tracking import tracking_export, tracking_filename


class Command(ConventionCommand):
    help = "Exporte le tableau de suivi (.xlsx) d'une convention : feuilles Fiches, Indicateurs, Valeurs."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("-o", "--output", help="Fichier à écrire (par défaut : suivi-<référence>.xlsx).")

    def handle(self, *args, **options):
        convention = self.convention(options)
        path = Path(options["output"] or tracking_filename(convention))
        path.write_bytes(tracking_export(convention=convention))
        self.stdout.write(self.style.SUCCESS(f"Tableau de suivi de {convention.reference} écrit dans {path}."))
