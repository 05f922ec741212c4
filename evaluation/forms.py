from django import forms
from django.utils import timezone

from conventions.models import Convention, Meeting
from core.forms import StyledFormMixin

from .enums import ReviewKind
from .models import Review
from .services import review_years


class ReviewCreateForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Type de bilan", choices=ReviewKind.choices, initial=ReviewKind.ANNUAL)
    year = forms.TypedChoiceField(label="Année", coerce=int)

    def __init__(self, *args, convention: Convention, **kwargs):
        super().__init__(*args, **kwargs)
        years = review_years(convention=convention)
        self.fields["year"].choices = [(year, str(year)) for year in years]
        # A bilan is usually written early in the next year: offer the last year that is over.
        self.fields["year"].initial = min(max(timezone.localdate().year - 1, years[0]), years[-1])


class ReviewNarrativeForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Review
        fields = ["summary", "decisions", "meeting"]
        labels = {"summary": "Synthèse de l'année", "decisions": "Décisions du comité", "meeting": "Présenté lors de"}
        help_texts = {
            "summary": "Ce que retient le comité : faits marquants, réussites, difficultés.",
            "decisions": "Une décision par ligne.",
            "meeting": "La réunion du comité de pilotage où le bilan est présenté.",
        }
        widgets = {"summary": forms.Textarea(attrs={"rows": 6}), "decisions": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = (
            Meeting.objects.filter(committee__convention_id=self.instance.convention_id)
            .select_related("committee")
            .order_by("-date", "pk")
        )
        self.fields["meeting"].empty_label = "Aucune réunion choisie"
