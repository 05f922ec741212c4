"""Every URL of the evaluation app, grouped by area (one module, one namespace)."""

from django.urls import path

from .views import indicators, reviews, tracking

app_name = "evaluation"

C = "conventions/<int:convention_pk>/"

# The tableau de suivi (.xlsx) export and import, and the Convention JSON download.
tracking_urls = [
    path(f"{C}suivi/tableau.xlsx", tracking.tracking_export, name="tracking_export"),
    path(f"{C}suivi/import/", tracking.tracking_import, name="tracking_import"),
    path(f"{C}suivi/modele.xlsx", tracking.tracking_template, name="tracking_template"),
    path(f"{C}suivi/import/travail/", tracking.tracking_import_job, name="tracking_import_job"),
    path(f"{C}suivi/convention.json", tracking.convention_json, name="convention_json"),
]

# Bilans (annuel, intermédiaire, final).
reviews_urls = [
    path(f"{C}bilans/", reviews.review_list, name="reviews"),
    path(f"{C}bilans/nouveau/", reviews.review_create, name="review_create"),
    path(f"{C}bilans/<int:review_pk>/", reviews.review_detail, name="review_detail"),
    path(f"{C}bilans/<int:review_pk>/modifier/", reviews.review_edit, name="review_edit"),
    path(f"{C}bilans/<int:review_pk>/valider/", reviews.review_validate, name="review_validate"),
    path(
        f"{C}bilans/<int:review_pk>/nouvelle-version/",
        reviews.review_new_version,
        name="review_new_version",
    ),
    path(f"{C}bilans/<int:review_pk>/bilan.pdf", reviews.review_pdf, name="review_pdf"),
    path(f"{C}bilans/<int:review_pk>/bilan.xlsx", reviews.review_xlsx, name="review_xlsx"),
]

# Annexe 5: indicators and the grid of their values.
indicators_urls = [
    path(f"{C}indicateurs/valeurs/", indicators.values, name="values"),
    path(f"{C}indicateurs/ajouter/", indicators.indicator_create, name="indicator_create"),
    path(f"{C}indicateurs/<int:pk>/modifier/", indicators.indicator_edit, name="indicator_edit"),
    path(f"{C}indicateurs/<int:pk>/supprimer/", indicators.indicator_delete, name="indicator_delete"),
]

urlpatterns = [*tracking_urls, *reviews_urls, *indicators_urls]
