"""URL patterns of one area of the conventions app, included (same namespace) by conventions/urls.py."""

from django.urls import path

from .views import documents

urlpatterns = [
    path("conventions/<int:pk>/documents/", documents.documents, name="documents"),
    path("conventions/<int:pk>/convention.pdf", documents.convention_pdf, name="pdf"),
    path("conventions/<int:pk>/fiches/<int:action_pk>/fiche.pdf", documents.action_pdf, name="action_pdf"),
]
