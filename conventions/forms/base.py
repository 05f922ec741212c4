"""Form helpers shared by every screen: Bootstrap classes, accessible errors, the lock version."""

from django import forms

from ..locking import stale_message


class StyledFormMixin:
    """Bootstrap classes on every widget, `is-invalid` and `aria-describedby` on fields in error.

    Errors are marked after validation (full_clean), never in __init__: subclasses still set querysets there.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            elif isinstance(widget, forms.HiddenInput):
                continue
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        # Errors are known only now: mark the widgets so the page shows them next to the fields.
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                described = [f"{self.add_prefix(name)}-erreurs"]
                if self.fields[name].help_text:
                    described.append(f"{self[name].auto_id}_helptext")  # the id Django gives help texts
                widget.attrs["aria-describedby"] = " ".join(described)
                widget.attrs["aria-invalid"] = "true"


class VersionedModelForm(StyledFormMixin, forms.ModelForm):
    """A model form carrying the version it was read at; a stale post is refused in clean()."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["lock_version"].initial = self.instance.lock_version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            posted = cleaned.get("lock_version")
            current = (
                type(self.instance).objects.filter(pk=self.instance.pk).values_list("lock_version", flat=True).first()
            )
            if posted is None or posted != current:
                raise forms.ValidationError(
                    stale_message(type(self.instance).objects.get(pk=self.instance.pk)), code="stale"
                )
        return cleaned

    @property
    def expected_version(self) -> int:
        return self.cleaned_data["lock_version"] or 0


class DateInput(forms.DateInput):
    """Browser date picker; the value travels as AAAA-MM-JJ, the page shows JJ/MM/AAAA."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
