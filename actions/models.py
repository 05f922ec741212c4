"""Annexe 3, the plan d'actions: orientations > axes > objectives > fiches-action."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from conventions.models import ConventionRowQuerySet

from .due import format_due
from .enums import STATUSES_NEEDING_REASON, ActionKind, ActionLevel, ActionStatus, BudgetNature, DuePrecision, Funder


class PlanNodeFields(models.Model):
    """What every node of the plan has: a number (optional), a title, its order among its siblings."""

    number = models.CharField("numéro", max_length=20, blank=True)
    title = models.TextField("intitulé")
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        abstract = True


class Orientation(PlanNodeFields):
    convention = models.ForeignKey(
        "conventions.Convention", on_delete=models.CASCADE, related_name="orientations", verbose_name="convention"
    )

    objects = ConventionRowQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "orientation"
        verbose_name_plural = "orientations"
        ordering = ["convention", "order", "pk"]

    def __str__(self):
        return f"{self.number}. {self.title}" if self.number else self.title


class AxisQuerySet(ConventionRowQuerySet):
    scope_path = "orientation__convention"


class Axis(PlanNodeFields):
    orientation = models.ForeignKey(
        Orientation, on_delete=models.CASCADE, related_name="axes", verbose_name="orientation"
    )

    objects = AxisQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "axe"
        verbose_name_plural = "axes"
        ordering = ["orientation", "order", "pk"]

    def __str__(self):
        # The level's name is the convention's (actions/levels.py): the pages print it before.
        return f"{self.number} : {self.title}" if self.number else self.title


class Objective(PlanNodeFields):
    """Objectif opérationnel, under an axis or directly under an orientation."""

    orientation = models.ForeignKey(
        Orientation, on_delete=models.CASCADE, related_name="objectives", verbose_name="orientation"
    )
    axis = models.ForeignKey(
        Axis, on_delete=models.CASCADE, null=True, blank=True, related_name="objectives", verbose_name="axe"
    )

    objects = AxisQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "objectif opérationnel"
        verbose_name_plural = "objectifs opérationnels"
        ordering = ["orientation", "axis", "order", "pk"]

    def __str__(self):
        return f"{self.number} {self.title}".strip()

    def clean(self):
        if self.axis_id and self.orientation_id and self.axis.orientation_id != self.orientation_id:
            raise ValidationError({"axis": "Cet axe n'appartient pas à l'orientation choisie."})


class OpenListItem(models.Model):
    """An entry of a list each Caf extends (priorities, methodologies)."""

    label = models.CharField("libellé", max_length=100, unique=True)
    order = models.PositiveSmallIntegerField("ordre", default=100)

    class Meta:
        abstract = True
        ordering = ["order", "label"]

    def __str__(self):
        return self.label


class Priority(OpenListItem):
    class Meta(OpenListItem.Meta):
        verbose_name = "priorité"
        verbose_name_plural = "priorités"


class Methodology(OpenListItem):
    class Meta(OpenListItem.Meta):
        verbose_name = "méthodologie"
        verbose_name_plural = "méthodologies"


class ActionSheetQuerySet(ConventionRowQuerySet):
    def origin(self, convention, value: str | None):
        """The fiche a form was opened from (?fiche=…), to go back to it; None unless of this convention."""
        if not value or not str(value).isdigit():
            return None
        return self.filter(convention=convention, pk=int(value)).first()

    def late(self, today=None):
        today = today or timezone.localdate()
        return self.filter(due_date__lt=today).exclude(status__in=[ActionStatus.DONE, ActionStatus.ABANDONED])


class ActionSheet(models.Model):
    """Fiche-action."""

    convention = models.ForeignKey(
        "conventions.Convention", on_delete=models.CASCADE, related_name="actions", verbose_name="convention"
    )
    # The fiche sits under its lowest level; the upper levels are kept for filtering and checked in clean().
    orientation = models.ForeignKey(
        Orientation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name="orientation",
    )
    axis = models.ForeignKey(
        Axis, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions", verbose_name="axe"
    )
    objective = models.ForeignKey(
        Objective,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name="objectif opérationnel",
    )
    # Other objectives of the same convention the fiche serves too (« contribue aussi à »); it sits under one.
    also_objectives = models.ManyToManyField(
        Objective, related_name="contributing_actions", verbose_name="contribue aussi à", blank=True
    )
    reference = models.CharField("référence", max_length=30, help_text="Par exemple « 1.1 » ou « G47 ».")
    title = models.TextField("intitulé")
    kind = models.CharField("type", max_length=20, choices=ActionKind.choices, blank=True)
    level = models.CharField("échelon", max_length=20, choices=ActionLevel.choices, blank=True)
    domains = models.ManyToManyField(
        "conventions.Domain", related_name="actions", verbose_name="champs d'intervention", blank=True
    )
    target_public = models.TextField("public cible", blank=True)
    target_territory = models.TextField("territoire cible", blank=True)
    target_communes = models.ManyToManyField(
        "territories.Commune", related_name="actions", verbose_name="communes ciblées", blank=True
    )
    lead = models.CharField("porteur", max_length=250, blank=True)
    pilots = models.TextField("pilotes / responsables", blank=True)
    partners = models.TextField("partenaires", blank=True)
    context = models.TextField("contexte (diagnostic initial)", blank=True)
    objectives = models.TextField("objectifs", blank=True)
    implementation = models.TextField("modalités de mise en œuvre", blank=True)
    expected_results = models.TextField("résultats attendus", blank=True)
    schedule = models.CharField("calendrier", max_length=200, blank=True, help_text="Tel qu'écrit dans la convention.")
    start_year = models.PositiveSmallIntegerField("année de début", null=True, blank=True)
    end_year = models.PositiveSmallIntegerField("année de fin", null=True, blank=True)
    due_date = models.DateField("échéance", null=True, blank=True, help_text="Le dernier jour de la période.")
    due_precision = models.CharField(
        "précision de l'échéance", max_length=10, choices=DuePrecision.choices, default=DuePrecision.DAY
    )
    budget_amount = models.DecimalField("budget (€)", max_digits=12, decimal_places=2, null=True, blank=True)
    budget_text = models.TextField("budget (précisions)", blank=True)
    caf_means = models.TextField("moyens mobilisables par la Caf", blank=True)
    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, null=True, blank=True, verbose_name="priorité")
    methodology = models.ForeignKey(
        Methodology, on_delete=models.PROTECT, null=True, blank=True, verbose_name="méthodologie"
    )
    vigilance = models.TextField("points de vigilance", blank=True)
    status = models.CharField("statut", max_length=20, choices=ActionStatus.choices, default=ActionStatus.TO_START)
    status_reason = models.TextField("motif du statut", blank=True)
    progress = models.PositiveSmallIntegerField("avancement (%)", default=0, validators=[MaxValueValidator(100)])
    order = models.PositiveSmallIntegerField("ordre", default=0)
    lock_version = models.PositiveIntegerField("version", default=0, editable=False)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    # The meetings whose decisions concern the fiche (`meeting.actions`). The table keeps the name it had
    # when the link was declared on Meeting: no data moves.
    meetings = models.ManyToManyField(
        "conventions.Meeting",
        related_name="actions",
        verbose_name="réunions",
        blank=True,
        db_table="conventions_meeting_actions",
    )

    objects = ActionSheetQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "fiche-action"
        verbose_name_plural = "fiches-action"
        ordering = ["convention", "order", "pk"]
        # « Mon suivi » and the admin read a convention's fiches in plan order, a page at a time (issue 13).
        indexes = [models.Index(fields=["convention", "order", "id"], name="action_convention_order")]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "reference"],
                name="action_unique_reference",
                violation_error_message="Une fiche-action porte déjà cette référence dans la convention.",
            ),
            models.CheckConstraint(
                name="action_progress_0_100",
                condition=Q(progress__lte=100),
                violation_error_message="L'avancement doit être compris entre 0 et 100 %.",
            ),
            models.CheckConstraint(
                name="action_end_year_after_start",
                condition=Q(start_year__isnull=True) | Q(end_year__isnull=True) | Q(end_year__gte=F("start_year")),
                violation_error_message="L'année de fin doit être égale ou postérieure à l'année de début.",
            ),
        ]

    def __str__(self):
        return f"{self.reference} – {self.title}"

    def clean(self):
        errors = {}
        if self.objective_id:
            if self.axis_id != self.objective.axis_id:
                errors["objective"] = "Cet objectif n'appartient pas à l'axe choisi."
            elif self.orientation_id != self.objective.orientation_id:
                errors["objective"] = "Cet objectif n'appartient pas à l'orientation choisie."
        if self.axis_id and self.orientation_id != self.axis.orientation_id:
            errors["axis"] = "Cet axe n'appartient pas à l'orientation choisie."
        if self.orientation_id and self.convention_id and self.orientation.convention_id != self.convention_id:
            errors["orientation"] = "Cette orientation appartient à une autre convention."
        if self.status in STATUSES_NEEDING_REASON and not self.status_reason.strip():
            errors["status_reason"] = (
                f"Indiquez le motif : une fiche « {self.get_status_display().lower()} » doit dire pourquoi."
            )
        if errors:
            raise ValidationError(errors)

    def place_under(self, node) -> None:
        """Put the fiche under an orientation, an axis, an objective, or nowhere (None)."""
        self.objective = node if isinstance(node, Objective) else None
        self.axis = node if isinstance(node, Axis) else (node.axis if isinstance(node, Objective) else None)
        if isinstance(node, Orientation):
            self.orientation = node
        elif node is None:
            self.orientation = None
        else:
            self.orientation = node.orientation

    @property
    def due_label(self) -> str:
        """« 2025 », « 1er semestre 2025 », « mars 2025 », « 23/11/2026 »."""
        return format_due(self.due_date, self.due_precision)

    def is_late(self, today=None) -> bool:
        today = today or timezone.localdate()
        return bool(
            self.due_date and self.due_date < today and self.status not in (ActionStatus.DONE, ActionStatus.ABANDONED)
        )


class ActionChildQuerySet(ConventionRowQuerySet):
    scope_path = "action__convention"


class StatusUpdate(models.Model):
    """One line of a fiche's timeline."""

    action = models.ForeignKey(
        ActionSheet, on_delete=models.CASCADE, related_name="updates", verbose_name="fiche-action"
    )
    date = models.DateField("date")
    status = models.CharField("statut", max_length=20, choices=ActionStatus.choices)
    progress = models.PositiveSmallIntegerField("avancement (%)", validators=[MaxValueValidator(100)])
    comment = models.TextField("commentaire", blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="auteur"
    )
    created_at = models.DateTimeField("saisi le", auto_now_add=True)

    objects = ActionChildQuerySet.as_manager()

    class Meta:
        verbose_name = "point d'avancement"
        verbose_name_plural = "points d'avancement"
        ordering = ["action", "-date", "-created_at"]
        constraints = [
            models.CheckConstraint(
                name="status_update_progress_0_100",
                condition=Q(progress__lte=100),
                violation_error_message="L'avancement doit être compris entre 0 et 100 %.",
            )
        ]

    def __str__(self):
        return f"{self.action.reference} – {self.date:%d/%m/%Y} – {self.get_status_display()}"


class BudgetLine(models.Model):
    action = models.ForeignKey(
        ActionSheet, on_delete=models.CASCADE, related_name="budget_lines", verbose_name="fiche-action"
    )
    year = models.PositiveSmallIntegerField("année")
    funder = models.CharField("financeur", max_length=20, choices=Funder.choices)
    funder_name = models.CharField("nom du financeur", max_length=200, blank=True)
    nature = models.CharField("nature", max_length=20, choices=BudgetNature.choices, default=BudgetNature.OPERATING)
    planned = models.DecimalField("prévu (€)", max_digits=12, decimal_places=2, null=True, blank=True)
    actual = models.DecimalField("réalisé (€)", max_digits=12, decimal_places=2, null=True, blank=True)
    is_caf_means = models.BooleanField("moyens Caf", default=False)
    note = models.CharField("précision", max_length=300, blank=True)

    objects = ActionChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ligne budgétaire"
        verbose_name_plural = "lignes budgétaires"
        ordering = ["action", "year", "funder"]

    def __str__(self):
        return f"{self.action.reference} – {self.year} – {self.get_funder_display()}"
