"""``manage.py jobs_worker``: a worker that runs the background jobs (PostgreSQL, Procrastinate).

Start as many as needed, on as many machines as needed: they share the queue in PostgreSQL, a job is taken by
one worker only, and the jobs of a worker that dies are taken again by the others. On SQLite the web process
runs the jobs itself, so there is nothing to start.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Lance un worker des travaux en arrière-plan (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--concurrency", type=int, help="travaux menés en même temps (défaut : réglage)")

    def handle(self, *args, concurrency: int | None = None, **options):
        if not settings.IS_POSTGRESQL:
            self.stdout.write(
                "Base SQLite : les travaux s'exécutent dans le processus web, aucun worker n'est nécessaire."
            )
            return
        arguments = ["worker", "--queues", "jobs"]
        if concurrency:
            arguments += ["--concurrency", str(concurrency)]
        call_command("procrastinate", *arguments)
