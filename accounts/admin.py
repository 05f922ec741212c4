from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    show_full_result_count = False  # (issue 13: see core.admin.CountlessChangeListMixin)
    list_display = ["email", "first_name", "last_name", "role", "caf", "is_active"]
    list_filter = ["role", "caf", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    list_select_related = ["caf"]
    autocomplete_fields = ["caf"]
    readonly_fields = [
        "last_login",
        "date_joined",
    ]  # recorded by Django, not typed (and the split date widget has no label)
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Identité", {"fields": ("first_name", "last_name", "job_title")}),
        ("Rôle", {"fields": ("role", "caf")}),
        ("Droits", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "role", "caf", "password1", "password2")}),)
