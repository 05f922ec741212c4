"""List the files the database refers to that the storage does not hold (after a restore, a lost volume)."""

from django.core.management.base import BaseCommand, CommandError

from core.files import missing_files, referenced_files


class Command(BaseCommand):
    help = "Liste les fichiers référencés par la base (délibérations, bilans figés, documents) absents du stockage."

    def handle(self, *args, **options):
        total = sum(1 for _ in referenced_files())
        missing = missing_files()
        for label, pk, name in missing:
            self.stdout.write(f"manquant : {name} ({label} n° {pk})")
        if missing:
            raise CommandError(f"{len(missing)} fichier(s) manquant(s) sur {total} référencé(s).")
        self.stdout.write(self.style.SUCCESS(f"Les {total} fichiers référencés sont tous présents dans le stockage."))
