"""Annexe 5, evaluation: indicators, their values, and the bilans shown to the COPIL."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from conventions.models import ConventionRowQuerySet

from .enums import Direction, IndicatorKind, ReviewKind, ReviewStatus


class Indicator(models.Model):
    convention = models.ForeignKey(
        "conventions.Convention", on_delete=models.CASCADE, related_name="indicators", verbose_name="convention"
    )
    action = models.ForeignKey(
        "actions.ActionSheet",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name="fiche-action",
        help_text="Vide pour un indicateur de la convention.",
    )
    label = models.TextField("indicateur")
    kind = models.CharField("type", max_length=20, choices=IndicatorKind.choices, default=IndicatorKind.QUANTITATIVE)
    unit = models.CharField("unité", max_length=40, blank=True)
    baseline_value = models.DecimalField("valeur de référence", max_digits=14, decimal_places=2, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField("année de référence", null=True, blank=True)
    target_value = models.DecimalField("cible", max_digits=14, decimal_places=2, null=True, blank=True)
    target_year = models.PositiveSmallIntegerField("année cible", null=True, blank=True)
    direction = models.CharField("sens", max_length=20, choices=Direction.choices, blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    objects = ConventionRowQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "indicateur"
        verbose_name_plural = "indicateurs"
        ordering = ["convention", "action", "order", "pk"]

    def __str__(self):
        return self.label

    def clean(self):
        if self.action_id and self.convention_id and self.action.convention_id != self.convention_id:
            raise ValidationError({"action": "Cette fiche-action appartient à une autre convention."})


class MeasurementQuerySet(ConventionRowQuerySet):
    scope_path = "indicator__convention"


class Measurement(models.Model):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="measurements", verbose_name="indicateur"
    )
    year = models.PositiveSmallIntegerField("année")
    quarter = models.PositiveSmallIntegerField(
        "trimestre", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    value = models.DecimalField("valeur", max_digits=14, decimal_places=2, null=True, blank=True)
    text = models.TextField("texte", blank=True, help_text="Pour un indicateur qualitatif.")
    source = models.CharField("source", max_length=200, blank=True)
    comment = models.TextField("commentaire", blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="saisi par"
    )
    lock_version = models.PositiveIntegerField("version", default=0, editable=False)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = MeasurementQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "valeur d'indicateur"
        verbose_name_plural = "valeurs d'indicateur"
        ordering = ["indicator", "year", "quarter"]
        constraints = [
            # NULL quarters are distinct in SQL: one constraint for yearly values, one for quarterly ones.
            models.UniqueConstraint(
                fields=["indicator", "year"],
                condition=Q(quarter__isnull=True),
                name="measurement_unique_year",
                violation_error_message="Une valeur existe déjà pour cet indicateur et cette année.",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year", "quarter"],
                condition=Q(quarter__isnull=False),
                name="measurement_unique_quarter",
                violation_error_message="Une valeur existe déjà pour cet indicateur et ce trimestre.",
            ),
            models.CheckConstraint(
                name="measurement_quarter_1_4",
                condition=Q(quarter__isnull=True) | Q(quarter__gte=1, quarter__lte=4),
                violation_error_message="Le trimestre doit être compris entre 1 et 4.",
            ),
        ]

    def __str__(self):
        period = f"{self.year} T{self.quarter}" if self.quarter else str(self.year)
        return f"{self.indicator} – {period}"

    @property
    def period_label(self) -> str:
        return f"T{self.quarter} {self.year}" if self.quarter else str(self.year)


class Review(models.Model):
    convention = models.ForeignKey(
        "conventions.Convention", on_delete=models.CASCADE, related_name="reviews", verbose_name="convention"
    )
    kind = models.CharField("type", max_length=20, choices=ReviewKind.choices, default=ReviewKind.ANNUAL)
    year = models.PositiveSmallIntegerField("année")
    version = models.PositiveSmallIntegerField("version", default=1)
    meeting = models.ForeignKey(
        "conventions.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name="réunion",
    )
    status = models.CharField("statut", max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    summary = models.TextField("synthèse", blank=True)
    decisions = models.TextField("décisions", blank=True)
    snapshot = models.JSONField("chiffres figés", null=True, blank=True, editable=False)
    pdf = models.FileField("PDF figé", upload_to="bilans/%Y/", blank=True, editable=False)
    validated_at = models.DateTimeField("validé le", null=True, blank=True, editable=False)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="validé par",
        editable=False,
    )

    objects = ConventionRowQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "bilan"
        verbose_name_plural = "bilans"
        ordering = ["convention", "-year", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "kind", "year", "version"],
                name="review_unique_version",
                violation_error_message="Ce bilan existe déjà pour cette année (commencez une nouvelle version).",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year}" + (f" (v{self.version})" if self.version > 1 else "")
