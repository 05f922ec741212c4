from django.contrib import admin

from core.admin import ModelAdmin

from .models import Job


@admin.register(Job)
class JobAdmin(ModelAdmin):
    """Read-only: jobs are written by the services and the workers, never by hand."""

    list_display = ["kind", "key", "state", "requested_by", "attempts", "created_at", "finished_at"]
    list_filter = ["state", "kind"]
    search_fields = ["kind", "key", "error"]
    list_select_related = ["requested_by"]
    readonly_fields = [field.name for field in Job._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
