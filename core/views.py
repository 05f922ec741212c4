"""The pages every visitor may read, logged in or not: accessibility statement, legal notices, contact."""

from django.conf import settings
from django.views.generic import TemplateView


class PublicPage(TemplateView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(contact_email=settings.CTG_CONTACT_EMAIL, **kwargs)
