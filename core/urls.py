from django.urls import path

from .views import PublicPage

app_name = "core"

urlpatterns = [
    path("accessibilite/", PublicPage.as_view(template_name="core/accessibility.html"), name="accessibility"),
    path("mentions-legales/", PublicPage.as_view(template_name="core/legal.html"), name="legal"),
    path("contact/", PublicPage.as_view(template_name="core/contact.html"), name="contact"),
]
