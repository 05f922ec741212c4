from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path("tableau-de-bord/export/<slug:table>/", views.export, name="export"),
]
