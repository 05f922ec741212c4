import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from conventions.dossier.exchange import ConventionFileError, convention_import


class Command(BaseCommand):
    help = "Importe une convention entière depuis un fichier Convention JSON : tout ou rien."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Le fichier .json (format ctg-convention, version 1).")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}.")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"Ce fichier n'est pas un JSON lisible : {exc}.", returncode=1)
        if not isinstance(data, dict):
            raise CommandError("Ce fichier n'est pas au format ctg-convention.", returncode=1)
        try:
            convention, warnings = convention_import(data=data)
        except ConventionFileError as exc:
            self.stderr.write(f"Erreurs ({len(exc.messages)}) :")
            for message in exc.messages:
                self.stderr.write(f"  - {message}")
            raise CommandError("Import refusé : rien n'a été enregistré.", returncode=1)
        for warning in warnings:
            self.stdout.write(self.style.WARNING(f"  - {warning}"))
        self.stdout.write(self.style.SUCCESS(f"Convention {convention.reference} importée : {convention.title}."))
