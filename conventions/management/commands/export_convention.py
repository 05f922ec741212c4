import json
from pathlib import Path

from conventions.dossier.exchange import convention_export
from conventions.management.base import ConventionCommand


class Command(ConventionCommand):
    help = "Exporte une convention entière au format Convention JSON (docs/convention-json.md)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("-o", "--output", help="Fichier à écrire (par défaut : la sortie standard).")

    def handle(self, *args, **options):
        convention = self.convention(options)
        content = json.dumps(convention_export(convention=convention), ensure_ascii=False, indent=2) + "\n"
        if options["output"]:
            Path(options["output"]).write_text(content, encoding="utf-8")
            self.stderr.write(f"Convention {convention.reference} écrite dans {options['output']}.")
        else:
            self.stdout.write(content, ending="")
