import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from conventions.dossier.exchange import convention_export
from conventions.models import Convention


class Command(BaseCommand):
    help = "Exporte une convention entière au format Convention JSON (docs/convention-json.md)."

    def add_arguments(self, parser):
        parser.add_argument("reference", help="Référence de la convention, par exemple CTG-42-FIRMINY-2022.")
        parser.add_argument("-o", "--output", help="Fichier à écrire (par défaut : la sortie standard).")

    def handle(self, *args, **options):
        convention = Convention.objects.filter(reference=options["reference"]).first()
        if convention is None:
            raise CommandError(f"Aucune convention de référence « {options['reference']} ».")
        content = json.dumps(convention_export(convention=convention), ensure_ascii=False, indent=2) + "\n"
        if options["output"]:
            Path(options["output"]).write_text(content, encoding="utf-8")
            self.stderr.write(f"Convention {convention.reference} écrite dans {options['output']}.")
        else:
            self.stdout.write(content, ending="")
