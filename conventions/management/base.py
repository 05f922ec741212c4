"""What the management commands about one convention share: its reference as first argument, and its lookup."""

from django.core.management.base import BaseCommand, CommandError

from conventions.models import Convention


class ConventionCommand(BaseCommand):
    """A command about one convention, named by its reference (the first argument)."""

    reference_help = "Référence de la convention, par exemple CTG-42-FIRMINY-2022."

    def add_arguments(self, parser):
        parser.add_argument("reference", help=self.reference_help)

    def convention(self, options) -> Convention:
        convention = Convention.objects.filter(reference=options["reference"]).first()
        if convention is None:
            raise CommandError(f"Aucune convention de référence « {options['reference']} ».")
        return convention
