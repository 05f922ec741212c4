"""Forms of the plan d'actions: tree nodes, fiches-action, and their follow-up (status, budget, meetings)."""

from django import forms
from django.utils import timezone
from django.utils.text import Truncator

from conventions.models import Committee, Convention, Domain, Meeting
from core.forms import DateInput, FrenchDecimalField, MarkedModelForm, StyledFormMixin, constraint_message, marker_field
from core.locking import expected_marker

from .due import parse_due
from .enums import STATUSES_NEEDING_REASON, ActionStatus, Funder
from .levels import OUTSIDE_ORIENTATIONS, PlanLevels, level_of, plan_levels
from .models import ActionSheet, Axis, BudgetLine, Objective, Orientation
from .plan import PlanTree

INDENT = "\u2003"  # an em space per level, so the select reads as a tree


def place_key(node: Orientation | Axis | Objective | None) -> str:
    return f"{level_of(node).slug}-{node.pk}" if node is not None else ""


def action_place_key(action: ActionSheet) -> str:
    """The key of the lowest node a fiche sits under, from its ids alone (no query)."""
    if action.objective_id:
        return f"objectif-{action.objective_id}"
    if action.axis_id:
        return f"axe-{action.axis_id}"
    if action.orientation_id:
        return f"orientation-{action.orientation_id}"
    return ""


def _label(node, depth: int, levels: PlanLevels) -> str:
    number = f" {node.number}" if node.number else ""
    return f"{INDENT * depth}{levels.of(node).label}{number} : {Truncator(node.title).chars(90)}"


def place_options(tree: PlanTree) -> list[tuple[str, str, Orientation | Axis | Objective | None]]:
    """Every node of the plan in reading order: (key, indented label, node)."""
    options: list = [("", OUTSIDE_ORIENTATIONS, None)]
    for step in tree.walk(actions=False):
        options.append((place_key(step.item), _label(step.item, step.depth, tree.levels), step.item))
    return options


class PlanNodeForm(StyledFormMixin, forms.Form):
    """Number and title of an orientation, an axis or an objective."""

    number = forms.CharField(
        label="Numéro", max_length=20, required=False, help_text="Tel qu'écrit dans la convention, par exemple « 1.2 »."
    )
    title = forms.CharField(
        label="Intitulé", max_length=1000, error_messages={"required": "Indiquez l'intitulé."}, widget=forms.TextInput
    )


class PlanLevelsForm(StyledFormMixin, forms.Form):
    """The names of the plan's three levels, as the convention writes them."""

    orientation_label = forms.CharField(
        label="Nom du 1er niveau",
        max_length=60,
        help_text="Par défaut « Orientation ».",
        error_messages={"required": "Indiquez le nom de ce niveau."},
    )
    axis_label = forms.CharField(
        label="Nom du 2e niveau",
        max_length=60,
        help_text="Par défaut « Axe ».",
        error_messages={"required": "Indiquez le nom de ce niveau."},
    )
    objective_label = forms.CharField(
        label="Nom du 3e niveau",
        max_length=60,
        help_text="Par défaut « Objectif ».",
        error_messages={"required": "Indiquez le nom de ce niveau."},
    )


class PlanOutlineForm(StyledFormMixin, forms.Form):
    """A plan pasted as text: one line per element, numbered or indented by level."""

    outline = forms.CharField(
        label="Plan à coller",
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
        max_length=200_000,
        error_messages={"required": "Collez au moins une ligne du plan."},
        help_text="Une ligne par élément, numérotée (« 1 », « 1.1 », « 1.1.1 ») ou indentée selon son niveau.",
    )


class ActionSheetForm(MarkedModelForm):
    """Every field of a fiche-action, grouped as on a printed fiche."""

    fieldsets = (
        (
            "Identification",
            ("reference", "title", "also_objectives", "kind", "level", "domains", "priority", "methodology"),
        ),
        ("Public et territoire", ("target_public", "target_territory", "target_communes")),
        ("Porteur, pilotes et partenaires", ("lead", "pilots", "partners")),
        ("Contenu de la fiche", ("context", "objectives", "implementation", "expected_results", "vigilance")),
        ("Échéances", ("schedule", "start_year", "end_year", "due")),
        ("Moyens", ("budget_amount", "budget_text", "caf_means")),
        ("Suivi", ("status", "status_reason", "progress")),
    )

    also_objectives = forms.ModelMultipleChoiceField(
        label="Contribue aussi à",
        queryset=Objective.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="D'autres objectifs de la convention que cette fiche sert aussi ; elle reste rangée à sa place.",
    )
    due = forms.CharField(
        label="Échéance",
        required=False,
        max_length=40,
        help_text="Une année (« 2025 »), un semestre (« 1er semestre 2025 »), un mois (« mars 2025 ») ou une date "
        "(« 23/11/2026 »).",
    )
    start_year = forms.IntegerField(label="Année de début", required=False, min_value=1990, max_value=2100)
    end_year = forms.IntegerField(label="Année de fin", required=False, min_value=1990, max_value=2100)
    progress = forms.IntegerField(
        label="Avancement (%)",
        min_value=0,
        max_value=100,
        initial=0,
        error_messages={
            # Validator messages are %-formatted with their limit: "%%" for the percent sign.
            "max_value": "L'avancement ne peut pas dépasser %(limit_value)s %%.",
            "min_value": "L'avancement ne peut pas être négatif.",
            "required": "Indiquez l'avancement (0 si la fiche n'a pas commencé).",
        },
    )

    class Meta:
        model = ActionSheet
        fields = [
            "reference",
            "title",
            "kind",
            "level",
            "domains",
            "priority",
            "methodology",
            "target_public",
            "target_territory",
            "target_communes",
            "lead",
            "pilots",
            "partners",
            "context",
            "objectives",
            "implementation",
            "expected_results",
            "vigilance",
            "schedule",
            "start_year",
            "end_year",
            "budget_amount",
            "budget_text",
            "caf_means",
            "status",
            "status_reason",
            "progress",
        ]
        labels = {
            "target_public": "Public visé",
            "lead": "Porteur / responsable de l'action",
            "pilots": "Pilotes et services mobilisés",
            "partners": "Partenaires sollicités",
            "context": "Diagnostic initial – constats",
            "objectives": "Objectifs opérationnels",
            "implementation": "Modalités de mise en œuvre / descriptif de l'action",
            "expected_results": "Résultats attendus",
            "schedule": "Échéances de réalisation (calendrier)",
        }
        help_texts = {
            "status_reason": "Obligatoire si la fiche est reportée, bloquée ou abandonnée.",
            "budget_amount": "En euros, par exemple « 12 500,50 ».",
        }
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "domains": forms.CheckboxSelectMultiple,
            "target_communes": forms.CheckboxSelectMultiple,
            "target_public": forms.Textarea(attrs={"rows": 2}),
            "target_territory": forms.Textarea(attrs={"rows": 2}),
            "pilots": forms.Textarea(attrs={"rows": 2}),
            "partners": forms.Textarea(attrs={"rows": 2}),
            "context": forms.Textarea(attrs={"rows": 4}),
            "objectives": forms.Textarea(attrs={"rows": 4}),
            "implementation": forms.Textarea(attrs={"rows": 5}),
            "expected_results": forms.Textarea(attrs={"rows": 3}),
            "vigilance": forms.Textarea(attrs={"rows": 3}),
            "budget_text": forms.Textarea(attrs={"rows": 2}),
            "caf_means": forms.Textarea(attrs={"rows": 3}),
            "status_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, convention: Convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.convention = convention
        self.fields["domains"].queryset = Domain.objects.order_by("order", "label")
        # Only the communes of the convention's perimeter may be targeted.
        self.fields["target_communes"].queryset = convention.territory.communes.order_by("name")
        self.fields["priority"].empty_label = "Non précisée"
        self.fields["methodology"].empty_label = "Non précisée"
        self.fields["kind"].choices = [("", "Non précisé"), *self.fields["kind"].choices[1:]]
        self.fields["level"].choices = [("", "Non précisé"), *self.fields["level"].choices[1:]]
        self.initial.setdefault("due", self.instance.due_label)
        levels = plan_levels(convention)
        also = self.fields["also_objectives"]
        also.label = f"Contribue aussi à ({levels.objective.plural})"
        also.queryset = Objective.objects.filter(orientation__convention=convention).order_by(
            "orientation__order", "orientation__pk", "axis__order", "axis__pk", "order", "pk"
        )
        also.label_from_instance = lambda objective: _label(objective, 0, levels)
        if self.instance.pk:
            self.initial.setdefault("also_objectives", [o.pk for o in self.instance.also_objectives.all()])

    def grouped_fields(self):
        """(legend, bound fields) per fieldset, for the template."""
        return [(legend, [self[name] for name in names if name in self.fields]) for legend, names in self.fieldsets]

    def clean_reference(self) -> str:
        reference = self.cleaned_data["reference"].strip()
        duplicates = ActionSheet.objects.filter(convention=self.convention, reference=reference)
        if self.instance.pk:
            duplicates = duplicates.exclude(pk=self.instance.pk)
        if duplicates.exists():
            raise forms.ValidationError(constraint_message(ActionSheet, "action_unique_reference"), code="unique")
        return reference

    def clean_due(self) -> str:
        self.instance.due_date, self.instance.due_precision = parse_due(self.cleaned_data["due"])
        return self.cleaned_data["due"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_year"), cleaned.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", constraint_message(ActionSheet, "action_end_year_after_start"))
        return cleaned


class ActionSheetCreateForm(ActionSheetForm):
    """The fiche form plus where the new fiche goes in the plan."""

    place = forms.ChoiceField(label="Place dans le plan", required=False)

    fieldsets = (
        (
            "Identification",
            ("reference", "title", "place", "also_objectives", "kind", "level", "domains", "priority", "methodology"),
        ),
        *ActionSheetForm.fieldsets[1:],
    )

    def __init__(self, *args, tree: PlanTree, **kwargs):
        super().__init__(*args, **kwargs)
        options = place_options(tree)
        self.places = {key: node for key, _label, node in options}
        self.fields["place"].choices = [(key, label) for key, label, _node in options]

    def clean_place(self) -> Orientation | Axis | Objective | None:
        return self.places[self.cleaned_data.get("place") or ""]


class ActionSheetMoveForm(StyledFormMixin, forms.Form):
    """Only used to render the select: the view looks the posted node up itself (404 if foreign)."""

    place = forms.ChoiceField(label="Nouvelle place dans le plan", required=False)

    def __init__(self, *args, tree: PlanTree, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [(key, label) for key, label, _node in place_options(tree)]


# -- follow-up: status, bulk status, budget, meetings ----------------------------------------------------

PROGRESS_ERRORS = {
    "max_value": "L'avancement ne peut pas dépasser %(limit_value)s %%.",
    "min_value": "L'avancement ne peut pas être négatif.",
    "required": "Indiquez l'avancement (0 si la fiche n'a pas commencé).",
    "invalid": "Indiquez l'avancement en pourcentage, par exemple « 40 ».",
}


def reason_missing_message(status: str) -> str:
    """The same words as ActionSheet.clean(), for a form that checks before the service does."""
    return f"Indiquez le motif : une fiche « {ActionStatus(status).label.lower()} » doit dire pourquoi."


class StatusUpdateForm(StyledFormMixin, forms.Form):
    """A point d'avancement: the fiche's new status and progress, and a dated comment for its timeline."""

    status = forms.ChoiceField(label="Statut", choices=ActionStatus.choices)
    progress = forms.IntegerField(label="Avancement (%)", min_value=0, max_value=100, error_messages=PROGRESS_ERRORS)
    date = forms.DateField(
        label="Date du point",
        widget=DateInput(),
        error_messages={"required": "Indiquez la date du point.", "invalid": "Saisissez une date valide."},
    )
    comment = forms.CharField(label="Commentaire", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    status_reason = forms.CharField(
        label="Motif",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Obligatoire si la fiche est reportée, bloquée ou abandonnée ; effacé pour les autres statuts.",
    )
    marker = marker_field()

    def __init__(self, *args, action: ActionSheet, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        self.initial.setdefault("status", action.status)
        self.initial.setdefault("progress", action.progress)
        self.initial.setdefault("date", timezone.localdate())
        self.initial.setdefault("status_reason", action.status_reason)
        self.initial.setdefault("marker", expected_marker(action))

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise forms.ValidationError("La date du point ne peut pas être dans le futur.")
        return value

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status in STATUSES_NEEDING_REASON and not (cleaned.get("status_reason") or "").strip():
            self.add_error("status_reason", reason_missing_message(status))
        return cleaned

    @property
    def posted_marker(self) -> str:
        return self.cleaned_data.get("marker") or ""


class FollowedActionChoiceField(forms.ModelMultipleChoiceField):
    """Checked fiches: any id outside the queryset (another convention, read only) refuses the whole form."""

    def label_from_instance(self, obj: ActionSheet) -> str:
        return f"{obj.reference} – {obj.title}"


class BulkStatusForm(StyledFormMixin, forms.Form):
    fiches = FollowedActionChoiceField(
        label="Fiches sélectionnées",
        queryset=ActionSheet.objects.none(),
        widget=forms.MultipleHiddenInput,
        error_messages={
            "required": "Cochez au moins une fiche dans le tableau.",
            "invalid_choice": (
                "Vous ne pouvez pas changer le statut d'une des fiches cochées (fiche d'une convention dont vous "
                "n'assurez pas le suivi) : aucun statut n'a été modifié."
            ),
            "invalid_pk_value": "Sélection de fiches invalide : aucun statut n'a été modifié.",
        },
    )
    status = forms.ChoiceField(
        label="Nouveau statut",
        choices=[("", "Choisir un statut"), *ActionStatus.choices],
        error_messages={"required": "Choisissez le nouveau statut."},
    )
    reason = forms.CharField(
        label="Motif",
        required=False,
        max_length=2000,
        help_text=(
            "Obligatoire pour « reportée », « bloquée » et « abandonnée » ; noté dans l'historique de chaque fiche."
        ),
    )

    def __init__(self, *args, followed, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiches"].queryset = followed

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status in STATUSES_NEEDING_REASON and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", reason_missing_message(status))
        return cleaned


class BudgetLineForm(StyledFormMixin, forms.ModelForm):
    year = forms.IntegerField(
        label="Année",
        min_value=1990,
        max_value=2100,
        error_messages={"required": "Indiquez l'année.", "invalid": "Saisissez une année, par exemple « 2024 »."},
    )
    planned = FrenchDecimalField(label="Prévu (€)", required=False, max_digits=12, decimal_places=2, min_value=0)
    actual = FrenchDecimalField(label="Réalisé (€)", required=False, max_digits=12, decimal_places=2, min_value=0)

    class Meta:
        model = BudgetLine
        fields = ["year", "funder", "funder_name", "nature", "planned", "actual", "is_caf_means", "note"]
        labels = {"funder_name": "Nom du financeur", "note": "Précision"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funder"].error_messages["required"] = "Choisissez le financeur."
        self.fields["funder"].choices = [("", "Choisir…"), *Funder.choices]
        self.fields["funder"].widget.attrs["style"] = "min-width:8rem"
        self.fields["nature"].widget.attrs["style"] = "min-width:11rem"
        self.fields["year"].widget.attrs.update({"inputmode": "numeric", "style": "width:6rem"})
        for name in ("planned", "actual"):
            self.fields[name].error_messages["min_value"] = "Un montant ne peut pas être négatif."
            self.fields[name].widget.attrs["style"] = "width:8rem"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("funder") == Funder.OTHER and not (cleaned.get("funder_name") or "").strip():
            self.add_error("funder_name", "Précisez le nom du financeur.")
        if cleaned.get("planned") is None and cleaned.get("actual") is None and not cleaned.get("note"):
            self.add_error("planned", "Indiquez un montant prévu ou réalisé, ou une précision.")
        return cleaned


class BaseBudgetFormSet(forms.BaseInlineFormSet):
    """The budget lines of one fiche, by year then financeur."""

    def get_queryset(self):
        # Cached: the formset asks for it once per form, and a new queryset would query each time.
        if not hasattr(self, "_ordered_queryset"):
            self._ordered_queryset = super().get_queryset().order_by("year", "funder", "pk")
        return self._ordered_queryset

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Supprimer"
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"


BudgetFormSet = forms.inlineformset_factory(
    ActionSheet,
    BudgetLine,
    form=BudgetLineForm,
    formset=BaseBudgetFormSet,
    extra=2,
    can_delete=True,
)


class ConventionActionsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: ActionSheet) -> str:
        return f"{obj.reference} – {Truncator(obj.title).chars(90)}"


class MeetingForm(MarkedModelForm):
    """A meeting of one of the convention's committees, and the fiches its decisions concern."""

    actions = ConventionActionsField(
        label="Fiches-action concernées par les décisions",
        queryset=ActionSheet.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Cette fiche-action n'appartient pas à la convention : choisissez-en une."},
    )

    class Meta:
        model = Meeting
        fields = ["committee", "date", "place", "attendees", "agenda", "minutes", "decisions", "actions"]
        labels = {"committee": "Instance", "attendees": "Participants"}
        widgets = {
            "date": DateInput(),
            "attendees": forms.Textarea(attrs={"rows": 3}),
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "minutes": forms.Textarea(attrs={"rows": 6}),
            "decisions": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"attendees": "Une personne par ligne, avec son organisme."}

    def __init__(self, *args, convention: Convention, **kwargs):
        super().__init__(*args, **kwargs)
        committee = self.fields["committee"]
        committee.queryset = Committee.objects.filter(convention=convention).order_by("order", "pk")
        committee.empty_label = None if committee.queryset.exists() else "Aucune instance de pilotage"
        committee.error_messages["invalid_choice"] = "Choisissez une instance de pilotage de cette convention."
        committee.error_messages["required"] = "Choisissez l'instance qui s'est réunie."
        self.fields["date"].error_messages["required"] = "Indiquez la date de la réunion."
        self.fields["actions"].queryset = ActionSheet.objects.filter(convention=convention).order_by("order", "pk")
        if self.instance.pk and "actions" not in self.initial:
            # A reverse link (ActionSheet.meetings): the model form does not read it by itself.
            self.initial["actions"] = list(self.instance.actions.values_list("pk", flat=True))
