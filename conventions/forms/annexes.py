"""Forms of the text (visas, préambule, articles), of annexes 1, 2 and 4, and of the AO petite enfance competences."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from core.forms import FrenchDecimalField, MarkedModelForm, StyledFormMixin, constraint_message
from territories.models import Epci, Equipment

from ..models import (
    AoCompetence,
    Clause,
    Committee,
    CommitteeMember,
    Convention,
    Diagnostic,
    Issue,
    KeyFigure,
    SupportedEquipment,
)
from ..placeholders import fill_placeholders


class PlaceholderMixin:
    """Fills {caf}, {territoire}… in the listed fields when the form is saved."""

    placeholder_fields: tuple[str, ...] = ()

    def __init__(self, *args, placeholders: dict[str, str], **kwargs):
        self.placeholders = placeholders
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        for name in self.placeholder_fields:
            if cleaned.get(name):
                cleaned[name] = fill_placeholders(cleaned[name], self.placeholders)
        return cleaned


class ConventionTextForm(PlaceholderMixin, MarkedModelForm):
    placeholder_fields = ("visas", "preamble")

    class Meta:
        model = Convention
        fields = ["visas", "preamble"]
        widgets = {"visas": forms.Textarea(attrs={"rows": 8}), "preamble": forms.Textarea(attrs={"rows": 16})}


class ClauseForm(PlaceholderMixin, MarkedModelForm):
    placeholder_fields = ("title", "body")

    class Meta:
        model = Clause
        fields = ["number", "title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 18})}
        help_texts = {"number": "Vide pour un texte sans numéro. Par exemple « 3 » ou « 3 bis »."}


class DiagnosticForm(MarkedModelForm):
    class Meta:
        model = Diagnostic
        fields = ["summary", "documents"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 10}), "documents": forms.Textarea(attrs={"rows": 4})}


class KeyFigureForm(MarkedModelForm):
    value = FrenchDecimalField(
        label="Valeur", required=False, max_digits=16, decimal_places=2, help_text="Une virgule avant les décimales."
    )
    year = forms.IntegerField(label="Année", required=False, min_value=1900, max_value=2100)

    class Meta:
        model = KeyFigure
        fields = ["theme", "label", "value", "value_text", "unit", "year", "source", "comparison"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("value") is not None and cleaned.get("value_text"):
            self.add_error("value_text", "Indiquez soit une valeur chiffrée, soit une valeur en texte, pas les deux.")
        return cleaned


class IssueForm(MarkedModelForm):
    class Meta:
        model = Issue
        fields = ["domain", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class EquipmentChoiceField(forms.ModelChoiceField):
    already: frozenset[int] | set[int] = frozenset()

    def label_from_instance(self, obj: Equipment) -> str:
        label = f"{obj.commune.name} – {obj.kind.label} – {obj.name}"
        return f"{label} (déjà à l'annexe 2)" if obj.pk in self.already else label


def perimeter_equipment(convention: Convention, search: str = ""):
    equipment = Equipment.objects.filter(commune__territories=convention.territory_id).select_related("kind", "commune")
    if search.strip():
        text = search.strip()
        equipment = equipment.filter(
            Q(name__icontains=text) | Q(commune__name__icontains=text) | Q(kind__label__icontains=text)
        )
    return equipment.order_by("commune__name", "kind__order", "kind__label", "name")


class SupportedByMixin:
    """« Soutenu par »: one of the convention's signatories."""

    def limit_supported_by(self, convention: Convention) -> None:
        field = self.fields["supported_by"]
        field.queryset = convention.parties.all()
        field.empty_label = "– aucun signataire –"
        field.error_messages["invalid_choice"] = "Choisissez un signataire de cette convention."


class SupportedEquipmentAddForm(SupportedByMixin, StyledFormMixin, forms.ModelForm):
    """Picks an existing equipment of a commune of the perimeter."""

    class Meta:
        model = SupportedEquipment
        fields = ["equipment", "supported_by", "financing_note"]
        field_classes = {"equipment": EquipmentChoiceField}
        widgets = {"financing_note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, convention: Convention, search: str = "", **kwargs):
        self.convention = convention
        self.already = set(convention.supported_equipment.values_list("equipment_id", flat=True))
        super().__init__(*args, **kwargs)
        field = self.fields["equipment"]
        field.already = self.already
        field.queryset = perimeter_equipment(convention, "" if self.is_bound else search)
        field.error_messages["invalid_choice"] = "Choisissez un équipement d'une commune du périmètre de la convention."
        field.help_text = "Les équipements des communes du périmètre."
        field.empty_label = "– choisissez un équipement –"
        self.limit_supported_by(convention)

    def clean_equipment(self):
        equipment = self.cleaned_data["equipment"]
        if equipment is not None and equipment.pk in self.already:
            raise forms.ValidationError(constraint_message(SupportedEquipment, "supported_equipment_unique"))
        return equipment


class EquipmentCreateForm(SupportedByMixin, StyledFormMixin, forms.ModelForm):
    """Creates an equipment in a commune of the perimeter and puts it in annex 2."""

    supported_by = forms.ModelChoiceField(label="Soutenu par", queryset=None, required=False)
    financing_note = forms.CharField(label="Financement", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    class Meta:
        model = Equipment
        fields = ["kind", "name", "address", "commune", "manager", "capacity"]

    def __init__(self, *args, convention: Convention, **kwargs):
        super().__init__(*args, **kwargs)
        commune = self.fields["commune"]
        commune.queryset = convention.territory.communes.order_by("name")
        commune.error_messages["invalid_choice"] = "Choisissez une commune du périmètre de la convention."
        self.limit_supported_by(convention)


class SupportedEquipmentForm(SupportedByMixin, MarkedModelForm):
    class Meta:
        model = SupportedEquipment
        fields = ["supported_by", "financing_note"]
        widgets = {"financing_note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, convention: Convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_supported_by(convention)


class CommitteeForm(MarkedModelForm):
    class Meta:
        model = Committee
        fields = ["kind", "name", "missions", "composition", "frequency"]
        widgets = {"missions": forms.Textarea(attrs={"rows": 5}), "composition": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"frequency": "Par exemple « deux fois par an »."}


class MemberUserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj} ({obj.get_role_display()})"


class CommitteeMemberForm(MarkedModelForm):
    class Meta:
        model = CommitteeMember
        fields = ["person", "role", "organisation", "user"]
        field_classes = {"user": MemberUserChoiceField}
        help_texts = {"user": "Facultatif : une personne ayant accès à la convention dans l'application."}

    def __init__(self, *args, convention: Convention, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.fields["user"]
        user.queryset = (
            get_user_model().objects.filter(memberships__convention=convention).order_by("last_name", "first_name")
        )
        user.empty_label = "– aucun compte –"
        user.error_messages["invalid_choice"] = "Choisissez une personne membre de cette convention."


class AoCompetenceForm(MarkedModelForm):
    """The autorité organisatrice competences of a commune of the perimeter, or of an EPCI it transferred them to."""

    class Meta:
        model = AoCompetence
        fields = [
            "commune",
            "epci",
            "population",
            "census",
            "inform",
            "plan",
            "quality",
            "transfer_detail",
            "has_schema",
            "has_rpe",
        ]
        widgets = {"transfer_detail": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "population": "Vide : la population légale de la commune est reprise.",
            "epci": "Seulement si les compétences sont exercées par l'EPCI plutôt que par une commune.",
        }

    def __init__(self, *args, convention: Convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.convention = convention
        communes = convention.territory.communes.select_related("epci").order_by("name")
        commune = self.fields["commune"]
        commune.queryset = communes
        commune.empty_label = "– aucune (compétences d'un EPCI) –"
        commune.error_messages["invalid_choice"] = "Choisissez une commune du périmètre de la convention."
        epci = self.fields["epci"]
        epci.queryset = Epci.objects.filter(communes__in=communes).distinct().order_by("name")
        epci.empty_label = "– aucun –"
        epci.error_messages["invalid_choice"] = "Choisissez un EPCI d'une commune du périmètre."

    def clean(self):
        cleaned = super().clean()
        commune, epci = cleaned.get("commune"), cleaned.get("epci")
        if commune and epci:
            self.add_error("epci", "Indiquez soit une commune, soit un EPCI, pas les deux.")
        elif not commune and not epci and not self.has_error("commune") and not self.has_error("epci"):
            self.add_error("commune", "Choisissez la commune (ou l'EPCI) qui exerce ces compétences.")
        taken = self.convention.ao_competences.exclude(pk=self.instance.pk)
        if commune and taken.filter(commune=commune).exists():
            self.add_error("commune", f"Les compétences de {commune.name} sont déjà renseignées.")
        if epci and taken.filter(epci=epci).exists():
            self.add_error("epci", f"Les compétences de {epci.name} sont déjà renseignées.")
        if commune and cleaned.get("population") is None:
            cleaned["population"] = commune.population
        return cleaned
