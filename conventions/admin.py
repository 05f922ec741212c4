from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin import UserAdmin
from accounts.models import User
from core.admin import CountlessChangeListMixin, LabelledTabularInline, ModelAdmin
from core.locking import advance_version

from .models import (
    Amendment,
    AoCompetence,
    Clause,
    ClauseTemplate,
    Committee,
    CommitteeMember,
    Convention,
    ConventionVersion,
    Diagnostic,
    Domain,
    Edition,
    Issue,
    KeyFigure,
    Meeting,
    Membership,
    Party,
    Representative,
    SupportedEquipment,
)


class LockVersionAdminMixin:
    """Every save through the admin counts as a new version, like a save through the app."""

    def save_model(self, request, obj, form, change):
        if change:
            advance_version(obj)
        super().save_model(request, obj, form, change)


@admin.register(Domain)
class DomainAdmin(ModelAdmin):
    list_display = ["label", "code", "order"]
    list_editable = ["order"]
    search_fields = ["label"]
    prepopulated_fields = {"code": ["label"]}


class ClauseTemplateInline(admin.StackedInline):
    model = ClauseTemplate
    extra = 0


@admin.register(Edition)
class EditionAdmin(ModelAdmin):
    list_display = ["name", "code", "year"]
    inlines = [ClauseTemplateInline]


@admin.register(ClauseTemplate)
class ClauseTemplateAdmin(ModelAdmin):
    list_display = ["edition", "order", "number", "title"]
    ordering = ["edition_id", "order"]
    list_filter = ["edition"]
    search_fields = ["title", "body"]


class PartyInline(LabelledTabularInline):
    model = Party
    extra = 0
    fields = ["order", "kind", "name", "designation", "deliberation_body", "deliberation_date"]
    show_change_link = True


class ClauseInline(admin.StackedInline):
    model = Clause
    extra = 0
    fields = ["order", "number", "title", "body"]


class SupportedEquipmentInline(LabelledTabularInline):
    model = SupportedEquipment
    extra = 0
    autocomplete_fields = ["equipment"]
    fields = ["order", "equipment", "supported_by", "financing_note"]


class CommitteeInline(LabelledTabularInline):
    model = Committee
    extra = 0
    fields = ["order", "kind", "name", "frequency"]
    show_change_link = True


class MembershipInline(LabelledTabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class AmendmentInline(LabelledTabularInline):
    model = Amendment
    extra = 0
    fields = ["number", "signed_on", "object"]


class AoCompetenceInline(admin.StackedInline):
    model = AoCompetence
    extra = 0
    autocomplete_fields = ["commune", "epci"]


@admin.register(Convention)
class ConventionAdmin(LockVersionAdminMixin, CountlessChangeListMixin, SimpleHistoryAdmin):
    list_display = ["reference", "title", "caf", "status", "start_date", "end_date"]
    list_filter = ["status", "caf", "edition", "domains"]
    search_fields = ["reference", "title", "territory__name", "territory__communes__name"]
    list_select_related = ["caf"]
    date_hierarchy = "end_date"
    autocomplete_fields = ["caf", "territory", "previous"]
    filter_horizontal = ["domains"]
    # The lifecycle's fields change only through conventions.lifecycle, whose guards the admin would bypass.
    readonly_fields = [
        "status",
        "signature_date",
        "terminated_on",
        "termination_reason",
        "lock_version",
        "created_at",
        "updated_at",
    ]
    inlines = [
        PartyInline,
        ClauseInline,
        SupportedEquipmentInline,
        CommitteeInline,
        MembershipInline,
        AmendmentInline,
        AoCompetenceInline,
    ]
    fieldsets = (
        (None, {"fields": ("reference", "title", "caf", "territory", "edition", "status", "domains", "previous")}),
        ("Durée", {"fields": ("start_date", "starts_on_signature", "end_date")}),
        ("Texte", {"fields": ("visas", "preamble")}),
        (
            "Signature et contrôle de légalité",
            {
                "fields": (
                    "signature_place",
                    "signature_date",
                    "prefecture_sent_on",
                    "prefecture_received_on",
                    "published_on",
                    "act_id",
                )
            },
        ),
        ("Résiliation", {"fields": ("terminated_on", "termination_reason")}),
        ("Suivi", {"fields": ("lock_version", "created_at", "updated_at")}),
    )


class RepresentativeInline(LabelledTabularInline):
    model = Representative
    extra = 0


@admin.register(Party)
class PartyAdmin(CountlessChangeListMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "convention", "deliberation_date"]
    ordering = ["convention_id", "order", "pk"]
    list_filter = ["kind"]
    search_fields = ["name", "convention__title", "representatives__name"]
    list_select_related = ["convention"]
    autocomplete_fields = ["convention", "commune", "epci"]
    inlines = [RepresentativeInline]


@admin.register(Clause)
class ClauseAdmin(CountlessChangeListMixin, SimpleHistoryAdmin):
    list_display = ["convention", "order", "number", "title"]
    ordering = ["convention_id", "order", "pk"]
    search_fields = ["title", "body", "convention__title"]
    list_select_related = ["convention"]
    autocomplete_fields = ["convention"]


class KeyFigureInline(LabelledTabularInline):
    model = KeyFigure
    extra = 0


class IssueInline(LabelledTabularInline):
    model = Issue
    extra = 0


@admin.register(Diagnostic)
class DiagnosticAdmin(CountlessChangeListMixin, SimpleHistoryAdmin):
    list_display = ["convention"]
    ordering = ["-pk"]
    list_select_related = ["convention"]
    search_fields = ["convention__title"]
    autocomplete_fields = ["convention"]
    inlines = [KeyFigureInline, IssueInline]


@admin.register(KeyFigure)
class KeyFigureAdmin(CountlessChangeListMixin, SimpleHistoryAdmin):
    list_display = ["label", "value", "value_text", "unit", "year", "source", "diagnostic"]
    ordering = ["diagnostic_id", "order", "pk"]
    list_select_related = ["diagnostic__convention"]
    search_fields = ["label", "theme"]
    list_filter = ["year"]


@admin.register(Issue)
class IssueAdmin(CountlessChangeListMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "domain", "diagnostic"]
    ordering = ["diagnostic_id", "order", "pk"]
    list_select_related = ["domain", "diagnostic__convention"]
    list_filter = ["domain"]
    search_fields = ["text"]


@admin.register(SupportedEquipment)
class SupportedEquipmentAdmin(CountlessChangeListMixin, SimpleHistoryAdmin):
    list_display = ["equipment", "convention", "supported_by"]
    ordering = ["convention_id", "order", "pk"]
    search_fields = ["equipment__name", "convention__title"]
    list_select_related = ["equipment__commune", "convention", "supported_by"]
    autocomplete_fields = ["convention", "equipment"]


class CommitteeMemberInline(LabelledTabularInline):
    model = CommitteeMember
    extra = 0
    autocomplete_fields = ["user"]


class MeetingInline(admin.StackedInline):
    model = Meeting
    extra = 0


@admin.register(Committee)
class CommitteeAdmin(CountlessChangeListMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "convention"]
    ordering = ["convention_id", "order", "pk"]
    list_select_related = ["convention"]
    list_filter = ["kind"]
    search_fields = ["name", "convention__title"]
    autocomplete_fields = ["convention"]
    inlines = [CommitteeMemberInline, MeetingInline]


@admin.register(Meeting)
class MeetingAdmin(CountlessChangeListMixin, SimpleHistoryAdmin):
    list_display = ["committee", "date", "place"]
    ordering = ["-date", "pk"]
    list_select_related = ["committee"]
    date_hierarchy = "date"
    search_fields = ["committee__name", "agenda", "decisions"]
    autocomplete_fields = ["committee"]


@admin.register(Amendment)
class AmendmentAdmin(CountlessChangeListMixin, SimpleHistoryAdmin):
    list_display = ["convention", "number", "signed_on", "object"]
    ordering = ["convention_id", "number"]
    list_select_related = ["convention"]
    search_fields = ["object", "convention__title"]
    autocomplete_fields = ["convention"]


@admin.register(AoCompetence)
class AoCompetenceAdmin(CountlessChangeListMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "convention", "population", "census", "inform", "plan", "quality"]
    ordering = ["convention_id", "pk"]
    list_select_related = ["convention", "commune", "epci"]
    autocomplete_fields = ["convention", "commune", "epci"]


@admin.register(Membership)
class MembershipAdmin(ModelAdmin):
    list_display = ["user", "convention"]
    ordering = ["convention_id", "pk"]
    list_select_related = ["user", "convention"]
    search_fields = ["user__email", "convention__title"]
    autocomplete_fields = ["user", "convention"]


class UserMembershipInline(LabelledTabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["convention"]
    verbose_name = "convention suivie"
    verbose_name_plural = "conventions suivies (chargé·e de coopération, membre du COPIL)"


class UserWithMembershipsAdmin(UserAdmin):
    """The user's admin page with the conventions they follow (accounts sits below conventions)."""

    inlines = [UserMembershipInline]


admin.site.unregister(User)
admin.site.register(User, UserWithMembershipsAdmin)


@admin.register(ConventionVersion)
class ConventionVersionAdmin(CountlessChangeListMixin, admin.ModelAdmin):
    """A frozen version is a record: readable here, never added, changed or deleted (dossier/versions.py)."""

    ordering = ["convention_id", "number"]
    list_select_related = ["convention"]

    list_display = ["convention", "number", "kind", "signed_on", "sha256", "created_at"]
    list_filter = ["kind"]
    search_fields = ["convention__reference", "sha256"]
    exclude = ["source", "snapshot"]
    readonly_fields = ["convention", "number", "kind", "amendment", "signed_on", "signed_at", "pdf", "sha256"]
    readonly_fields += ["scan", "scan_sha256", "created_by", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
