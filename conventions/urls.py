from django.urls import path

from . import views

app_name = "conventions"

urlpatterns = [
    path("", views.home, name="home"),
    path("conventions/<int:pk>/", views.convention_detail, name="detail"),
]
