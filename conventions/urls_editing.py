"""Writing a convention: creation, general information, perimeter, signatories, lifecycle, avenants."""

from django.urls import path

from .views import editing

urlpatterns = [
    path("conventions/nouvelle/", editing.convention_new, name="create"),
    path("conventions/<int:pk>/informations/", editing.convention_edit, name="edit"),
    path("conventions/<int:pk>/perimetre/", editing.perimeter_edit, name="perimeter_edit"),
    path("conventions/<int:pk>/signataires/ajouter/", editing.party_add, name="party_add"),
    path("conventions/<int:pk>/signataires/<int:party_pk>/", editing.party_edit, name="party_edit"),
    path("conventions/<int:pk>/signataires/<int:party_pk>/supprimer/", editing.party_delete, name="party_delete"),
    path("conventions/<int:pk>/signataires/<int:party_pk>/deplacer/", editing.party_reorder, name="party_reorder"),
    path(
        "conventions/<int:pk>/signataires/<int:party_pk>/deliberation.pdf",
        editing.deliberation_download,
        name="deliberation_download",
    ),
    path("conventions/<int:pk>/etape/<str:target>/", editing.convention_transition_view, name="transition"),
    path("conventions/<int:pk>/avenants/nouveau/", editing.amendment_new, name="amendment_create"),
    path(
        "conventions/<int:pk>/avenants/<int:amendment_pk>/signer/", editing.amendment_sign_view, name="amendment_sign"
    ),
    path("conventions/<int:pk>/historique/", editing.convention_history_view, name="history"),
]
