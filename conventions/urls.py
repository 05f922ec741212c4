"""Every URL of the conventions app, grouped by area (one module, one namespace)."""

from django.urls import path

from .views import annexes, documents, editing, imports, lists, members, pages, renewal, signatories, versions

app_name = "conventions"

C = "conventions/<int:convention_pk>/"

home_and_lists = [
    path("", pages.home, name="home"),
    path("conventions/", lists.convention_list, name="list"),
    path("conventions/export/", lists.convention_list_export, name="list_export"),
    path(f"{C}", pages.convention_detail, name="detail"),
    path(f"{C}sections/<slug:section>/", pages.convention_section, name="section"),
]

# Writing a convention: creation, general information, perimeter, signatories, lifecycle, avenants.
editing_urls = [
    path("conventions/nouvelle/", editing.convention_new, name="create"),
    path("conventions/importer/", imports.convention_import_view, name="import"),
    path("conventions/importer/travail/", imports.convention_import_job, name="import_job"),
    path(f"{C}informations/", editing.convention_edit, name="edit"),
    path(f"{C}perimetre/", editing.perimeter_edit, name="perimeter_edit"),
    path(f"{C}signataires/ajouter/", editing.party_add, name="party_add"),
    path(f"{C}signataires/perimetre/", signatories.parties_from_perimeter_view, name="parties_from_perimeter"),
    path(f"{C}signataires/grille/", signatories.signatories_grid, name="signatories_grid"),
    path(f"{C}signataires/<int:party_pk>/", editing.party_edit, name="party_edit"),
    path(f"{C}signataires/<int:party_pk>/supprimer/", editing.party_delete, name="party_delete"),
    path(f"{C}signataires/<int:party_pk>/deplacer/", editing.party_reorder, name="party_reorder"),
    path(
        f"{C}signataires/<int:party_pk>/deliberation.pdf",
        editing.deliberation_download,
        name="deliberation_download",
    ),
    path(f"{C}etape/<str:target>/", editing.convention_transition_view, name="transition"),
    path(f"{C}avenants/nouveau/", editing.amendment_new, name="amendment_create"),
    path(f"{C}avenants/<int:amendment_pk>/signer/", editing.amendment_sign_view, name="amendment_sign"),
    path(f"{C}historique/", editing.convention_history_view, name="history"),
    # Frozen versions (signed original, avenants, consolidated versions) and their scanned signed originals.
    path(f"{C}versions/", versions.version_list, name="versions"),
    path(f"{C}versions/comparer/", versions.version_compare, name="version_compare"),
    path(f"{C}avenants/<int:number>/avenant.pdf", versions.amendment_pdf, name="amendment_pdf"),
    path(f"{C}versions/<int:number>/document.pdf", versions.version_pdf, name="version_pdf"),
    path(f"{C}versions/<int:number>/original/", versions.version_scan_upload, name="version_scan_upload"),
    path(f"{C}versions/<int:number>/original.pdf", versions.version_scan, name="version_scan"),
    path(f"{C}renouvellement/", renewal.convention_renewal, name="renew"),
]

# The text (visas, préambule, articles) and annexes 1 (diagnostic), 2 (équipements) and 4 (pilotage).
annexes_urls = [
    # Texte
    path(f"{C}texte/visas-preambule/", annexes.convention_text_edit, name="convention_text_edit"),
    path(f"{C}texte/articles/ajouter/", annexes.clause_create_view, name="clause_create"),
    path(f"{C}texte/articles/<int:clause_pk>/modifier/", annexes.clause_edit, name="clause_edit"),
    path(f"{C}texte/articles/<int:clause_pk>/retablir/", annexes.clause_reset_view, name="clause_reset"),
    path(f"{C}texte/articles/<int:clause_pk>/supprimer/", annexes.clause_delete, name="clause_delete"),
    path(f"{C}texte/articles/<int:clause_pk>/deplacer/", annexes.clause_move_view, name="clause_move"),
    # Annexe 1 – diagnostic
    path(f"{C}diagnostic/modifier/", annexes.diagnostic_edit, name="diagnostic_edit"),
    path(f"{C}diagnostic/chiffres-cles/ajouter/", annexes.key_figure_create, name="key_figure_create"),
    path(f"{C}diagnostic/chiffres-cles/<int:key_figure_pk>/modifier/", annexes.key_figure_edit, name="key_figure_edit"),
    path(
        f"{C}diagnostic/chiffres-cles/<int:key_figure_pk>/supprimer/",
        annexes.key_figure_delete,
        name="key_figure_delete",
    ),
    path(f"{C}diagnostic/enjeux/ajouter/", annexes.issue_create, name="issue_create"),
    path(f"{C}diagnostic/enjeux/<int:issue_pk>/modifier/", annexes.issue_edit, name="issue_edit"),
    path(f"{C}diagnostic/enjeux/<int:issue_pk>/supprimer/", annexes.issue_delete, name="issue_delete"),
    # Annexe 2 – équipements
    path(f"{C}equipements/ajouter/", annexes.supported_equipment_add_view, name="supported_equipment_add"),
    path(f"{C}equipements/creer/", annexes.supported_equipment_create, name="supported_equipment_create"),
    path(f"{C}equipements/choix/", annexes.equipment_options, name="equipment_options"),
    path(
        f"{C}equipements/<int:supported_equipment_pk>/modifier/",
        annexes.supported_equipment_edit,
        name="supported_equipment_edit",
    ),
    path(
        f"{C}equipements/<int:supported_equipment_pk>/retirer/",
        annexes.supported_equipment_remove,
        name="supported_equipment_remove",
    ),
    # Autorité organisatrice petite enfance (article or annex of the 2025 model)
    path(f"{C}petite-enfance/ajouter/", annexes.ao_competence_create, name="ao_competence_create"),
    path(f"{C}petite-enfance/<int:ao_competence_pk>/modifier/", annexes.ao_competence_edit, name="ao_competence_edit"),
    path(
        f"{C}petite-enfance/<int:ao_competence_pk>/retirer/",
        annexes.ao_competence_delete,
        name="ao_competence_delete",
    ),
    # Annexe 4 – pilotage
    path(f"{C}pilotage/instances/ajouter/", annexes.committee_create, name="committee_create"),
    path(f"{C}pilotage/instances/<int:committee_pk>/modifier/", annexes.committee_edit, name="committee_edit"),
    path(
        f"{C}pilotage/instances/<int:committee_pk>/supprimer/", annexes.committee_delete_view, name="committee_delete"
    ),
    path(
        f"{C}pilotage/instances/<int:committee_pk>/membres/ajouter/",
        annexes.committee_member_create,
        name="committee_member_create",
    ),
    path(
        f"{C}pilotage/membres/<int:committee_member_pk>/modifier/",
        annexes.committee_member_edit,
        name="committee_member_edit",
    ),
    path(
        f"{C}pilotage/membres/<int:committee_member_pk>/supprimer/",
        annexes.committee_member_delete,
        name="committee_member_delete",
    ),
    path(
        f"{C}pilotage/membres/<int:committee_member_pk>/deplacer/",
        annexes.committee_member_move_view,
        name="committee_member_move",
    ),
]

# Documents: the PDF to sign, one PDF per fiche-action.
documents_urls = [
    path(f"{C}documents/", documents.documents, name="documents"),
    path(f"{C}convention.pdf", documents.convention_pdf, name="pdf"),
    path(f"{C}fiches/<int:action_pk>/fiche.pdf", documents.action_pdf, name="action_pdf"),
]

# Members: chargé·es de coopération and COPIL members.
members_urls = [
    path(f"{C}membres/", members.members, name="members"),
    path(f"{C}membres/<int:membership_pk>/retirer/", members.member_remove, name="member_remove"),
]

urlpatterns = [*home_and_lists, *editing_urls, *annexes_urls, *documents_urls, *members_urls]
