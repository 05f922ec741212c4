from django.db import models


class IndicatorKind(models.TextChoices):
    QUANTITATIVE = "quantitatif", "Quantitatif"
    QUALITATIVE = "qualitatif", "Qualitatif"


class Direction(models.TextChoices):
    UP = "hausse", "Hausse"
    DOWN = "baisse", "Baisse"
    STEADY = "maintien", "Maintien"


class ReviewKind(models.TextChoices):
    ANNUAL = "annuel", "Bilan annuel"
    INTERMEDIATE = "intermediaire", "Bilan intermédiaire"
    FINAL = "final", "Bilan final"


class ReviewStatus(models.TextChoices):
    DRAFT = "brouillon", "Brouillon"
    VALIDATED = "valide", "Validé"
