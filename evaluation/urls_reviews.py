"""Bilans of a convention (annuel, intermédiaire, final), included by evaluation/urls.py."""

from django.urls import path

from . import views_reviews as views

urlpatterns = [
    path("conventions/<int:pk>/bilans/", views.review_list, name="reviews"),
    path("conventions/<int:pk>/bilans/nouveau/", views.review_create, name="review_create"),
    path("conventions/<int:pk>/bilans/<int:review_pk>/", views.review_detail, name="review_detail"),
    path("conventions/<int:pk>/bilans/<int:review_pk>/modifier/", views.review_edit, name="review_edit"),
    path("conventions/<int:pk>/bilans/<int:review_pk>/valider/", views.review_validate, name="review_validate"),
    path(
        "conventions/<int:pk>/bilans/<int:review_pk>/nouvelle-version/",
        views.review_new_version,
        name="review_new_version",
    ),
    path("conventions/<int:pk>/bilans/<int:review_pk>/bilan.pdf", views.review_pdf, name="review_pdf"),
    path("conventions/<int:pk>/bilans/<int:review_pk>/bilan.xlsx", views.review_xlsx, name="review_xlsx"),
]
