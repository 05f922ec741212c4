from django.core.management.base import BaseCommand

from conventions.dossier.demo import DEMO_PASSWORD, DEMO_USERS, demo_admin_secret, demo_load
from jobs.services import jobs_left_pending


class Command(BaseCommand):
    help = "Charge les données de référence, les comptes de démonstration et les conventions des exemples."

    def add_arguments(self, parser):
        parser.add_argument(
            "--departements-demo-seulement",
            action="store_true",
            help="Ne charger que les communes de la Loire et du Loiret (plus rapide).",
        )

    def handle(self, *args, **options):
        # The signed versions' PDF/A are queued: a worker renders them (PostgreSQL), or on SQLite the server does
        # when one is first asked for; rendering them here would hold SQLite's lock while the demo loads.
        with jobs_left_pending():
            conventions = demo_load(full_reference=not options["departements_demo_seulement"])
        self.stdout.write(self.style.SUCCESS(f"{len(conventions)} conventions de démonstration :"))
        for convention in conventions:
            self.stdout.write(f"  – {convention.title}")
        self.stdout.write("\nComptes de démonstration (mot de passe commun : " + DEMO_PASSWORD + ") :")
        for email, _first, _last, role, caf, _job in DEMO_USERS:
            self.stdout.write(f"  {role.label:<35} {email}" + (f"  ({caf})" if caf else ""))
        self.stdout.write(
            "\nL'administrateur donne aussi un code à 6 chiffres (double authentification obligatoire) :"
            f"\n  clé TOTP de démonstration {demo_admin_secret()} (à ajouter dans une application"
            "\n  d'authentification), ou le code du moment : .venv/bin/python manage.py demo_totp"
        )
