from django.urls import include, path

app_name = "evaluation"

# Each area keeps its own URL module; they share the "evaluation" namespace.
urlpatterns = [
    path("", include("evaluation.urls_tracking")),
    path("", include("evaluation.urls_reviews")),
    path("", include("evaluation.urls_indicators")),
]
