from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("travaux/<slug:kind>/<str:key>/", views.job_status, name="status"),
    path("travaux/<slug:kind>/<str:key>/demander/", views.job_request_view, name="request"),
    path("travaux/<slug:kind>/<str:key>/telecharger/", views.job_download, name="download"),
]
