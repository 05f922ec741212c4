"""URL patterns of one area of the evaluation app, included by evaluation/urls.py."""

from django.urls import path

from . import views_tracking

urlpatterns = [
    path("conventions/<int:pk>/suivi/tableau.xlsx", views_tracking.tracking_export, name="tracking_export"),
    path("conventions/<int:pk>/suivi/import/", views_tracking.tracking_import, name="tracking_import"),
    path("conventions/<int:pk>/suivi/convention.json", views_tracking.convention_json, name="convention_json"),
]
