from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from actions.admin import ActionSheetAdmin
from actions.models import ActionSheet
from conventions.admin import LockVersionAdminMixin
from core.admin import CountlessChangeListMixin, LabelledTabularInline

from .models import Indicator, Measurement, Review


class MeasurementInline(LabelledTabularInline):
    model = Measurement
    extra = 0
    fields = ["year", "quarter", "value", "text", "source", "comment", "author"]
    autocomplete_fields = ["author"]


@admin.register(Indicator)
class IndicatorAdmin(CountlessChangeListMixin, SimpleHistoryAdmin):
    list_display = ["label", "convention", "action", "kind", "unit", "baseline_value", "target_value", "direction"]
    ordering = ["convention_id", "action_id", "order", "pk"]
    list_filter = ["kind", "direction"]
    search_fields = ["label", "action__reference", "convention__title"]
    list_select_related = ["convention", "action"]
    autocomplete_fields = ["convention", "action"]
    inlines = [MeasurementInline]


@admin.register(Measurement)
class MeasurementAdmin(LockVersionAdminMixin, CountlessChangeListMixin, SimpleHistoryAdmin):
    list_display = ["indicator", "year", "quarter", "value", "author"]
    ordering = ["indicator_id", "year", "quarter", "pk"]
    list_select_related = ["indicator", "author"]
    list_filter = ["year", "quarter"]
    search_fields = ["indicator__label", "comment"]
    autocomplete_fields = ["indicator", "author"]
    readonly_fields = ["lock_version"]


@admin.register(Review)
class ReviewAdmin(CountlessChangeListMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "convention", "status", "validated_at"]
    ordering = ["convention_id", "-year", "kind", "-version"]
    list_select_related = ["convention"]
    list_filter = ["kind", "status", "year"]
    search_fields = ["convention__title", "summary"]
    autocomplete_fields = ["convention", "meeting"]
    readonly_fields = ["snapshot", "validated_at", "validated_by"]


class IndicatorInline(LabelledTabularInline):
    model = Indicator
    extra = 0
    fields = ["label", "kind", "unit", "baseline_value", "baseline_year", "target_value", "target_year", "direction"]
    fk_name = "action"
    show_change_link = True


class ActionSheetWithIndicatorsAdmin(ActionSheetAdmin):
    """The fiche's admin page with its indicators: annexe 5 sits above the plan, so it adds itself here."""

    inlines = [IndicatorInline, *ActionSheetAdmin.inlines]


admin.site.unregister(ActionSheet)
admin.site.register(ActionSheet, ActionSheetWithIndicatorsAdmin)
