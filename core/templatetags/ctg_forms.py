"""The summary of a failed submit, rendered once by base.html for whatever forms the page shows (issue 16)."""

import dataclasses

from django import forms, template
from django.forms.formsets import BaseFormSet

register = template.Library()


@dataclasses.dataclass(frozen=True)
class FieldError:
    message: str
    label: str = ""
    anchor: str = ""  # the id of the field to jump to; empty for an error of the whole form


def form_errors(form: forms.BaseForm) -> list[FieldError]:
    # Only forms already validated by the view: reading `errors` would validate the others.
    if not form.is_bound or not getattr(form, "_errors", None):
        return []
    found = []
    for name, messages in form.errors.items():
        field = form.fields.get(name)
        for message in messages:
            if field is None or field.widget.is_hidden:
                found.append(FieldError(message=message))
            else:
                bound = form[name]
                found.append(FieldError(message=message, label=bound.label, anchor=bound.id_for_label or bound.auto_id))
    return found


def formset_errors(formset: BaseFormSet) -> list[FieldError]:
    if not formset.is_bound or getattr(formset, "_errors", None) is None:
        return []
    found = [FieldError(message=m) for m in formset.non_form_errors()]
    for form in formset.forms:
        found += form_errors(form)
    return found


@register.simple_tag(takes_context=True)
def page_form_errors(context) -> list[FieldError]:
    """Every error of every form and formset of the page's context, each form once, in the context's order."""
    found, seen = [], set()
    for value in context.flatten().values():
        if id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, forms.BaseForm):
            found += form_errors(value)
        elif isinstance(value, BaseFormSet):
            found += formset_errors(value)
    return found
