"""Indicators added inside the fiche-action form (issue 14, item 5): a few blank rows under the fiche, saved with
it, so an adviser does not leave the fiche for each indicator.

The fiche belongs to actions, its indicators to evaluation: the whole-convention place joins the two.
"""

from django import forms
from django.db import transaction

from actions.models import ActionSheet
from evaluation.forms import IndicatorForm
from evaluation.models import Indicator
from evaluation.services.indicators import indicator_save

EXTRA_ROWS = 3
PREFIX = "indicateurs"


class FicheIndicatorForm(IndicatorForm):
    """One new indicator of the fiche: a row left blank is ignored."""

    class Meta(IndicatorForm.Meta):
        fields = ["label", "unit", "baseline_value", "baseline_year", "target_value", "target_year", "direction"]
        widgets = {"label": forms.TextInput}

    def __init__(self, *args, convention, **kwargs):
        super().__init__(*args, convention=convention, **kwargs)
        del self.fields["action"], self.fields["direction"]  # the fiche is this one; the direction, on its page
        self.fields["label"].widget.attrs["aria-label"] = "Intitulé de l'indicateur"


class BaseFicheIndicatorFormSet(forms.BaseFormSet):
    def __init__(self, data=None, *args, convention, **kwargs):
        self.convention = convention
        # A post without the rows (an older page, a script) adds no indicator rather than refusing the fiche.
        if data is not None and f"{PREFIX}-TOTAL_FORMS" not in data:
            data = None
        super().__init__(data, *args, prefix=PREFIX, **kwargs)

    def is_valid(self) -> bool:
        return not self.is_bound or super().is_valid()

    def get_form_kwargs(self, index):
        return {"convention": self.convention, "instance": Indicator(convention=self.convention)}

    @property
    def new_rows(self) -> list[FicheIndicatorForm]:
        return [form for form in self.forms if form.has_changed()] if self.is_bound else []


FicheIndicatorFormSet = forms.formset_factory(
    FicheIndicatorForm, formset=BaseFicheIndicatorFormSet, extra=EXTRA_ROWS, max_num=20, absolute_max=20
)


def fiche_indicators_create(*, action: ActionSheet, rows: list[FicheIndicatorForm], user) -> list[Indicator]:
    """The fiche's new indicators, in the order of the rows, after its existing ones (one transaction)."""
    created = []
    with transaction.atomic():
        for row in rows:
            indicator = row.save(commit=False)
            indicator.convention_id = action.convention_id
            indicator.action = action
            created.append(indicator_save(indicator=indicator, marker="", user=user))
    return created
