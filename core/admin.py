"""Admin building blocks shared by the apps."""

from django.contrib import admin


class LabelledTabularInline(admin.TabularInline):
    """A tabular inline whose inputs are named (axe `label`, `select-name`): the column header is not a label."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None:
            widget = getattr(formfield.widget, "widget", formfield.widget)  # under RelatedFieldWidgetWrapper
            widget.attrs.setdefault("aria-label", str(formfield.label))
        return formfield

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class LabelledFormSet(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                if "DELETE" in form.fields:
                    row = f" la ligne {index + 1}" if index is not None else ""
                    form.fields["DELETE"].widget.attrs["aria-label"] = f"Supprimer{row}"

        return LabelledFormSet


class CountlessChangeListMixin:
    """Changelists at national size (issue 13): no second COUNT(*) of the whole table under a search or a filter
    (« 12 résultats (afficher tout) » instead of « sur 1 000 000 »). Each admin also names in `list_select_related`
    the relations its columns print, and orders by its own indexed columns (`convention_id`, not `convention`,
    which would pull the convention's ordering and sort the whole table)."""

    show_full_result_count = False


class ModelAdmin(CountlessChangeListMixin, admin.ModelAdmin):
    pass
