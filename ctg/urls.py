from django.contrib import admin
from django.urls import include, path
from health_check.views import HealthCheckView

from accounts.views import PasswordResetView
from jobs.account_mail import QueuedPasswordResetForm

admin.site.site_header = "CTG – administration"
admin.site.site_title = "CTG"
admin.site.index_title = "Données de référence et conventions"

# Uploaded files (deliberations) are never served from MEDIA_URL: they go through views that check access.
urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    # « Mot de passe oublié »: the accounts view with the jobs' form (its e-mail is a background job).
    path("mot-de-passe/", PasswordResetView.as_view(form_class=QueuedPasswordResetForm), name="password_reset"),
    path("", include("conventions.urls")),
    path("", include("actions.urls")),
    path("", include("territories.urls")),
    path("", include("evaluation.urls")),
    path("", include("jobs.urls")),
    path("", include("agenda.urls")),
    path("", include("dashboard.urls")),
    path("", include("core.urls")),
    # Open to load balancers and monitoring, without login: it names each check and its state, no data.
    path(
        "sante/",
        HealthCheckView.as_view(
            checks=["health_check.checks.Database", "health_check.checks.Storage", "jobs.health.TaskQueue"]
        ),
        name="health",
    ),
]
