"""URL patterns of annexe 5's indicators and values grid, included by evaluation/urls.py."""

from django.urls import path

from . import views_indicators

INDICATORS = "conventions/<int:convention_pk>/indicateurs/"

urlpatterns = [
    path(f"{INDICATORS}valeurs/", views_indicators.values, name="values"),
    path(f"{INDICATORS}ajouter/", views_indicators.indicator_create, name="indicator_create"),
    path(f"{INDICATORS}<int:pk>/modifier/", views_indicators.indicator_edit, name="indicator_edit"),
    path(f"{INDICATORS}<int:pk>/supprimer/", views_indicators.indicator_delete, name="indicator_delete"),
]
