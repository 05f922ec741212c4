from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from conventions.models import Convention
from evaluation.tracking import tracking_export, tracking_filename


class Command(BaseCommand):
    help = "Exporte le tableau de suivi (.xlsx) d'une convention : feuilles Fiches, Indicateurs, Valeurs."

    def add_arguments(self, parser):
        parser.add_argument("reference", help="Référence de la convention, par exemple CTG-42-FIRMINY-2022.")
        parser.add_argument("-o", "--output", help="Fichier à écrire (par défaut : suivi-<référence>.xlsx).")

    def handle(self, *args, **options):
        convention = Convention.objects.filter(reference=options["reference"]).first()
        if convention is None:
            raise CommandError(f"Aucune convention de référence « {options['reference']} ».")
        path = Path(options["output"] or tracking_filename(convention))
        path.write_bytes(tracking_export(convention=convention))
        self.stdout.write(self.style.SUCCESS(f"Tableau de suivi de {convention.reference} écrit dans {path}."))
