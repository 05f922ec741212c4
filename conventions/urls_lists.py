"""URL patterns of one area of the conventions app, included (same namespace) by conventions/urls.py."""

from django.urls import path

from .views import lists

urlpatterns: list = [
    path("conventions/", lists.convention_list, name="list"),
    path("conventions/export/", lists.convention_list_export, name="list_export"),
]
