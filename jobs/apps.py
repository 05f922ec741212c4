from django.apps import AppConfig
from django.conf import settings
from django.utils.module_loading import autodiscover_modules


class JobsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "jobs"
    verbose_name = "Travaux en arrière-plan"

    def ready(self) -> None:
        # Each app declares its job kinds in its job_kinds.py (see jobs/kinds.py).
        autodiscover_modules("job_kinds")
        for module in settings.JOBS_KIND_MODULES:
            __import__(module)
