from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from conventions.admin import LockVersionAdminMixin
from core.admin import CountlessChangeListMixin, LabelledTabularInline, ModelAdmin

from .models import ActionSheet, Axis, BudgetLine, Methodology, Objective, Orientation, Priority, StatusUpdate


class AxisInline(LabelledTabularInline):
    model = Axis
    extra = 0


@admin.register(Orientation)
class OrientationAdmin(CountlessChangeListMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "convention", "order"]
    ordering = ["convention_id", "order", "pk"]
    list_select_related = ["convention"]
    search_fields = ["title", "convention__title"]
    autocomplete_fields = ["convention"]
    inlines = [AxisInline]


class ObjectiveInline(LabelledTabularInline):
    model = Objective
    extra = 0
    fields = ["order", "number", "title", "orientation"]


@admin.register(Axis)
class AxisAdmin(CountlessChangeListMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "orientation", "order"]
    ordering = ["orientation_id", "order", "pk"]
    list_select_related = ["orientation"]
    search_fields = ["title", "orientation__title"]
    autocomplete_fields = ["orientation"]
    inlines = [ObjectiveInline]


@admin.register(Objective)
class ObjectiveAdmin(CountlessChangeListMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "axis", "orientation"]
    ordering = ["orientation_id", "axis_id", "order", "pk"]
    list_select_related = ["axis", "orientation"]
    search_fields = ["title"]
    autocomplete_fields = ["orientation", "axis"]


@admin.register(Priority, Methodology)
class OpenListAdmin(ModelAdmin):
    list_display = ["label", "order"]
    list_editable = ["order"]
    search_fields = ["label"]


class StatusUpdateInline(LabelledTabularInline):
    model = StatusUpdate
    extra = 0
    fields = ["date", "status", "progress", "comment", "author"]
    autocomplete_fields = ["author"]


class BudgetLineInline(LabelledTabularInline):
    model = BudgetLine
    extra = 0


@admin.register(ActionSheet)
class ActionSheetAdmin(LockVersionAdminMixin, CountlessChangeListMixin, SimpleHistoryAdmin):
    list_display = ["reference", "title", "convention", "status", "progress", "kind", "level", "due_date"]
    ordering = ["convention_id", "order", "pk"]
    list_filter = ["status", "kind", "level", "domains", "priority"]
    search_fields = ["reference", "title", "lead", "convention__title"]
    list_select_related = ["convention"]
    autocomplete_fields = ["convention", "orientation", "axis", "objective", "target_communes", "meetings"]
    filter_horizontal = ["domains"]
    readonly_fields = ["lock_version", "updated_at"]
    inlines = [StatusUpdateInline, BudgetLineInline]  # evaluation/admin.py adds the indicators first
    fieldsets = (
        (None, {"fields": ("convention", "reference", "title", "orientation", "axis", "objective", "order")}),
        ("Nature", {"fields": ("kind", "level", "domains", "priority", "methodology")}),
        ("Cibles", {"fields": ("target_public", "target_territory", "target_communes")}),
        ("Acteurs", {"fields": ("lead", "pilots", "partners")}),
        ("Contenu", {"fields": ("context", "objectives", "implementation", "expected_results", "vigilance")}),
        ("Calendrier", {"fields": ("schedule", "start_year", "end_year", "due_date")}),
        ("Moyens", {"fields": ("budget_amount", "budget_text", "caf_means")}),
        ("Suivi", {"fields": ("status", "status_reason", "progress", "meetings", "lock_version", "updated_at")}),
    )


@admin.register(StatusUpdate)
class StatusUpdateAdmin(ModelAdmin):
    list_display = ["action", "date", "status", "progress", "author"]
    ordering = ["action_id", "-date", "-created_at", "pk"]
    list_select_related = ["action", "author"]
    list_filter = ["status"]
    search_fields = ["action__reference", "action__title", "comment"]
    autocomplete_fields = ["action", "author"]


@admin.register(BudgetLine)
class BudgetLineAdmin(CountlessChangeListMixin, SimpleHistoryAdmin):
    list_display = ["action", "year", "funder", "nature", "planned", "actual", "is_caf_means"]
    ordering = ["action_id", "year", "funder", "pk"]
    list_select_related = ["action"]
    list_filter = ["funder", "nature", "year", "is_caf_means"]
    search_fields = ["action__reference", "action__title", "funder_name"]
    autocomplete_fields = ["action"]
