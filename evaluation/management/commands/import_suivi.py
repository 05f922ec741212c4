from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from conventions.management.base import ConventionCommand
from conventions.models import Convention
from conventions.perms import can_follow_up
from evaluation.perms import FULL, tracking_scope
from evaluation.tracking import TrackingReport, scope_notice, tracking_import


class Command(ConventionCommand):
    help = (
        "Importe le tableau de suivi (.xlsx) d'une convention : tout ou rien. "
        "Avec --dry-run, montre ce qui changerait sans rien enregistrer."
    )

    reference_help = "Référence de la convention."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file", help="Le fichier .xlsx (feuilles Fiches, Indicateurs, Valeurs).")
        parser.add_argument("--dry-run", action="store_true", help="Vérifier et décrire l'import sans rien écrire.")
        parser.add_argument(
            "--user",
            help="Adresse e-mail de la personne à qui l'historique attribue l'import ; l'import n'écrit que ce "
            "qu'elle peut modifier. Sans --user : tout, sauf sur une convention signée sans avenant en préparation "
            "(alors statuts, avancement et valeurs seulement).",
        )

    def handle(self, *args, **options):
        convention = self.convention(options)
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(email=options["user"].strip().lower()).first()
            if user is None:
                raise CommandError(f"Aucun compte pour l'adresse « {options['user']} ».")
            if not can_follow_up(user, convention):
                raise CommandError(f"{user} n'assure pas le suivi de la convention {convention.reference}.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}.")
        scope = tracking_scope(user=user, convention=convention)
        report = tracking_import(
            convention=convention, data=path.read_bytes(), user=user, scope=scope, dry_run=options["dry_run"]
        )
        if scope != FULL:
            self.stdout.write(scope_notice(user=user, convention=convention))
        self.print_report(convention, report)
        if report.refused:
            raise CommandError(
                f"Import refusé : {len(report.errors)} erreur{'s' if len(report.errors) > 1 else ''}, "
                "rien n'a été enregistré.",
                returncode=1,
            )
        if report.dry_run:
            self.stdout.write("Essai (--dry-run) : rien n'a été enregistré.")
        else:
            self.stdout.write(self.style.SUCCESS("Import enregistré."))

    def print_report(self, convention: Convention, report: TrackingReport) -> None:
        self.stdout.write(f"Tableau de suivi de {convention.reference}")
        self.stdout.write(f"  {'Feuille':<12} {'créées':>8} {'mises à jour':>13} {'inchangées':>11}")
        for sheet, counts in report.rows():
            self.stdout.write(f"  {sheet:<12} {counts.created:>8} {counts.updated:>13} {counts.unchanged:>11}")
        if report.changes and not report.refused:
            self.stdout.write(f"Changements ({len(report.changes)}) :")
            for change in report.changes:
                self.stdout.write(f"  - {change}")
        if report.warnings:
            self.stdout.write(f"À savoir ({len(report.warnings)}) :")
            for warning in report.warnings:
                self.stdout.write(self.style.WARNING(f"  - {warning}"))
        if report.errors:
            self.stderr.write(f"Erreurs ({len(report.errors)}) :")
            for error in report.errors:
                self.stderr.write(f"  - {error}")
