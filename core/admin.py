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
