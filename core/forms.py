"""Form helpers shared by every screen: Bootstrap classes, accessible errors, the stale-edit marker, French
numbers and dates, and the service's refusals shown on the form."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from .locking import expected_marker
from .text import CONTROL_CHARACTERS, french_number, parse_french_number

CONTROL_CHARACTER_MESSAGE = (
    "Ce texte contient un caractère de contrôle invisible (souvent venu d'un copier-coller) : "
    "retirez-le ou retapez le texte."
)


def refuse_control_characters(value) -> None:
    """A text holding a NUL byte or another control character is refused (tab and line breaks are text)."""
    if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
        raise ValidationError(CONTROL_CHARACTER_MESSAGE, code="control_character")


class StyledFormMixin:
    """Bootstrap classes on every widget, `is-invalid` and `aria-describedby` on fields in error.

    Errors are marked after validation (full_clean), never in __init__: subclasses still set querysets there.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in list(self.fields.items()):
            if type(field) is forms.DecimalField:  # every amount is typed the French way ("12 500,50")
                self.fields[name] = FrenchDecimalField.replacing(field)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and refuse_control_characters not in field.validators:
                field.validators.append(refuse_control_characters)
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


class MarkedModelForm(StyledFormMixin, forms.ModelForm):
    """A model form carrying the marker of the row it displays (core.locking); the service checks it."""

    marker = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["marker"].initial = expected_marker(self.instance)

    @property
    def posted_marker(self) -> str:
        return self.cleaned_data.get("marker") or ""


def marker_field() -> forms.CharField:
    """The hidden marker of a plain form (not a model form): set its initial with core.locking."""
    return forms.CharField(widget=forms.HiddenInput, required=False)


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's refusal on the form: next to the field when it names one, above the form otherwise."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def constraint_message(model, name: str) -> str:
    """The French message of a model's named constraint, for a form that checks it before the database."""
    return next(c.violation_error_message for c in model._meta.constraints if c.name == name)


class DateInput(forms.DateInput):
    """Browser date picker; the value travels as AAAA-MM-JJ, the page shows JJ/MM/AAAA."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class FrenchDecimalField(forms.DecimalField):
    """A number typed the French way: spaces between thousands, a comma before the decimals."""

    widget = forms.TextInput
    default_error_messages = {"invalid": "Saisissez un nombre, par exemple « 37 070 » ou « 25,1 »."}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    @classmethod
    def replacing(cls, field: forms.DecimalField) -> "FrenchDecimalField":
        """The same field (label, bounds, validators of its model field) read the French way."""
        french = cls(
            required=field.required,
            label=field.label,
            help_text=field.help_text,
            initial=field.initial,
            max_digits=field.max_digits,
            decimal_places=field.decimal_places,
        )
        french.validators = list(field.validators)
        return french

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        number = parse_french_number(str(value))
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number

    def prepare_value(self, value):
        return french_number(value, thousands=" ") if isinstance(value, Decimal) else value
