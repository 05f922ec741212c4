from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from agenda.digests import digest_period, digests_send


class Command(BaseCommand):
    help = (
        "Envoie le récapitulatif hebdomadaire à chaque personne concernée "
        "(jamais deux fois la même semaine ; le travail périodique le fait chaque lundi sur PostgreSQL)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Jour de référence AAAA-MM-JJ (par défaut : aujourd'hui).")

    def handle(self, *args, **options):
        try:
            today = date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError:
            raise CommandError("Date invalide : attendu AAAA-MM-JJ.")
        sent = digests_send(today=today)
        self.stdout.write(f"Semaine {digest_period(today)} : {sent} récapitulatif(s) envoyé(s).")
