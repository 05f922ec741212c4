from django.urls import include, path

from .views import pages

app_name = "conventions"

# Each area keeps its own URL module; they share the "conventions" namespace.
urlpatterns = [
    path("", pages.home, name="home"),
    path("conventions/<int:pk>/", pages.convention_detail, name="detail"),
    path("", include("conventions.urls_lists")),
    path("", include("conventions.urls_editing")),
    path("", include("conventions.urls_annexes")),
    path("", include("conventions.urls_documents")),
    path("", include("conventions.urls_members")),
]
