from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from conventions.dossier.exchange import ConventionFileError, convention_file_load, convention_import


class Command(BaseCommand):
    help = "Importe une convention entière depuis un fichier Convention JSON : tout ou rien."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Le fichier .json (format ctg-convention, version 1).")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}.")
        try:
            data = convention_file_load(path.read_bytes())  # too big, too deep, not JSON: refused before reading
        except ConventionFileError as exc:
            raise CommandError(exc.messages[0], returncode=1)
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
