from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import twofactor
from conventions.dossier.demo import DEMO_ADMIN_TOTP_KEY


class Command(BaseCommand):
    help = "Affiche le code à 6 chiffres du moment de l'administrateur de démonstration (clé TOTP connue)."

    def handle(self, *args, **options):
        device = TOTPDevice.objects.filter(
            user__email="admin@demo.ctg.fr", key=DEMO_ADMIN_TOTP_KEY, confirmed=True
        ).first()
        if device is None:
            raise CommandError("L'administrateur de démonstration n'a pas la clé de démonstration (load_demo).")
        self.stdout.write(twofactor.current_code(device))
