from django.contrib import admin

from core.admin import ModelAdmin

from .models import DigestSent


@admin.register(DigestSent)
class DigestSentAdmin(ModelAdmin):
    """Which weekly digests went out (read only: the periodic job writes them)."""

    list_display = ["period", "user", "item_count", "sent_at"]
    list_select_related = ["user"]
    list_filter = ["period"]
    search_fields = ["user__email", "user__last_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
