from django.apps import AppConfig
from django.db.backends.signals import connection_created


class TerritoriesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "territories"
    verbose_name = "Territoires"

    def ready(self) -> None:
        from .collation import register_sqlite_collation

        # Every SQLite connection needs the French collation before it reads a name column.
        connection_created.connect(register_sqlite_collation, dispatch_uid="territories_french_collation")
