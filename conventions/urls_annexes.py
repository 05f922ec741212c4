"""URL patterns of one area of the conventions app, included (same namespace) by conventions/urls.py.

Editing the text (visas, préambule, articles) and annexes 1 (diagnostic), 2 (équipements) and 4 (pilotage).
"""

from django.urls import path

from .views import annexes as views

P = "conventions/<int:pk>/"

urlpatterns = [
    # Texte
    path(f"{P}texte/visas-preambule/", views.convention_text_edit, name="convention_text_edit"),
    path(f"{P}texte/articles/ajouter/", views.clause_create_view, name="clause_create"),
    path(f"{P}texte/articles/<int:clause_pk>/modifier/", views.clause_edit, name="clause_edit"),
    path(f"{P}texte/articles/<int:clause_pk>/retablir/", views.clause_reset_view, name="clause_reset"),
    path(f"{P}texte/articles/<int:clause_pk>/supprimer/", views.clause_delete, name="clause_delete"),
    path(f"{P}texte/articles/<int:clause_pk>/deplacer/", views.clause_move_view, name="clause_move"),
    # Annexe 1 – diagnostic
    path(f"{P}diagnostic/modifier/", views.diagnostic_edit, name="diagnostic_edit"),
    path(f"{P}diagnostic/chiffres-cles/ajouter/", views.key_figure_create, name="key_figure_create"),
    path(f"{P}diagnostic/chiffres-cles/<int:key_figure_pk>/modifier/", views.key_figure_edit, name="key_figure_edit"),
    path(
        f"{P}diagnostic/chiffres-cles/<int:key_figure_pk>/supprimer/",
        views.key_figure_delete,
        name="key_figure_delete",
    ),
    path(f"{P}diagnostic/enjeux/ajouter/", views.issue_create, name="issue_create"),
    path(f"{P}diagnostic/enjeux/<int:issue_pk>/modifier/", views.issue_edit, name="issue_edit"),
    path(f"{P}diagnostic/enjeux/<int:issue_pk>/supprimer/", views.issue_delete, name="issue_delete"),
    # Annexe 2 – équipements
    path(f"{P}equipements/ajouter/", views.supported_equipment_add_view, name="supported_equipment_add"),
    path(f"{P}equipements/creer/", views.supported_equipment_create, name="supported_equipment_create"),
    path(f"{P}equipements/choix/", views.equipment_options, name="equipment_options"),
    path(
        f"{P}equipements/<int:supported_equipment_pk>/modifier/",
        views.supported_equipment_edit,
        name="supported_equipment_edit",
    ),
    path(
        f"{P}equipements/<int:supported_equipment_pk>/retirer/",
        views.supported_equipment_remove,
        name="supported_equipment_remove",
    ),
    # Annexe 4 – pilotage
    path(f"{P}pilotage/instances/ajouter/", views.committee_create, name="committee_create"),
    path(f"{P}pilotage/instances/<int:committee_pk>/modifier/", views.committee_edit, name="committee_edit"),
    path(f"{P}pilotage/instances/<int:committee_pk>/supprimer/", views.committee_delete_view, name="committee_delete"),
    path(
        f"{P}pilotage/instances/<int:committee_pk>/membres/ajouter/",
        views.committee_member_create,
        name="committee_member_create",
    ),
    path(
        f"{P}pilotage/membres/<int:committee_member_pk>/modifier/",
        views.committee_member_edit,
        name="committee_member_edit",
    ),
    path(
        f"{P}pilotage/membres/<int:committee_member_pk>/supprimer/",
        views.committee_member_delete,
        name="committee_member_delete",
    ),
    path(
        f"{P}pilotage/membres/<int:committee_member_pk>/deplacer/",
        views.committee_member_move_view,
        name="committee_member_move",
    ),
]
