from django.db import models


class ActionKind(models.TextChoices):
    CONSOLIDATE = "a_conforter", "À conforter"
    TRY = "a_essayer", "À essayer"
    NEW = "nouvelle", "Nouvelle"


class DuePrecision(models.TextChoices):
    """How precise a fiche's échéance is (actions/due.py): the date stored is the last day of the period."""

    YEAR = "annee", "Année"
    SEMESTER = "semestre", "Semestre"
    MONTH = "mois", "Mois"
    DAY = "jour", "Date"


class ActionLevel(models.TextChoices):
    INTERMUNICIPAL = "intercommunal", "Intercommunal"
    SUB_PERIMETERS = "sous_perimetres", "Sous-périmètres"
    MUNICIPAL = "communal", "Communal"


class ActionStatus(models.TextChoices):
    TO_START = "a_lancer", "À lancer"
    IN_PROGRESS = "en_cours", "En cours"
    DONE = "realisee", "Réalisée"
    POSTPONED = "reportee", "Reportée"
    BLOCKED = "bloquee", "Bloquée"
    ABANDONED = "abandonnee", "Abandonnée"


# A reason is required to move a fiche into one of these.
STATUSES_NEEDING_REASON = (ActionStatus.POSTPONED, ActionStatus.BLOCKED, ActionStatus.ABANDONED)


class Funder(models.TextChoices):
    CAF = "caf", "Caf"
    COMMUNE = "commune", "Commune"
    EPCI = "epci", "EPCI"
    OTHER = "autre", "Autre"


class BudgetNature(models.TextChoices):
    INVESTMENT = "investissement", "Investissement"
    OPERATING = "fonctionnement", "Fonctionnement"
