from django.contrib import admin

from core.admin import ModelAdmin

from .models import Caf, Commune, Departement, Epci, Equipment, EquipmentKind, Territory


@admin.register(Departement)
class DepartementAdmin(ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Caf)
class CafAdmin(ModelAdmin):
    list_display = ["name", "code", "departement"]
    ordering = ["name"]
    search_fields = ["name", "code", "departement__name", "departement__code"]
    list_select_related = ["departement"]
    autocomplete_fields = ["departement", "departements"]
    fields = ["name", "departement", "departements", "address", "code", "reference_name"]
    readonly_fields = ["reference_name"]


@admin.register(Epci)
class EpciAdmin(ModelAdmin):
    list_display = ["name", "siren", "kind", "departement"]
    list_filter = ["kind", "departement"]
    search_fields = ["name", "siren"]
    list_select_related = ["departement"]
    autocomplete_fields = ["departement"]


@admin.register(Commune)
class CommuneAdmin(ModelAdmin):
    list_display = ["name", "insee_code", "departement", "epci", "population", "population_year"]
    list_filter = ["departement"]
    search_fields = ["name", "insee_code", "epci__name"]
    list_select_related = ["departement", "epci"]
    autocomplete_fields = ["departement", "epci"]


@admin.register(Territory)
class TerritoryAdmin(ModelAdmin):
    list_display = ["name", "code", "kind", "parent", "epci"]
    list_filter = ["kind"]
    search_fields = ["name", "code", "communes__name"]
    list_select_related = ["parent", "epci"]
    autocomplete_fields = ["communes", "parent", "epci"]


@admin.register(EquipmentKind)
class EquipmentKindAdmin(ModelAdmin):
    list_display = ["label", "code", "order"]
    list_editable = ["order"]
    search_fields = ["label", "code"]


@admin.register(Equipment)
class EquipmentAdmin(ModelAdmin):
    list_display = ["name", "kind", "commune", "address", "manager", "capacity"]
    ordering = ["commune_id", "name", "pk"]
    list_filter = ["kind"]
    search_fields = ["name", "address", "commune__name", "manager"]
    list_select_related = ["kind", "commune"]
    autocomplete_fields = ["commune"]
