from django.db import models


class ConventionStatus(models.TextChoices):
    DRAFT = "brouillon", "Brouillon"
    COPIL_VALIDATED = "validee_copil", "Validée en COPIL"
    IN_SIGNATURE = "en_signature", "En signature"
    SIGNED = "signee", "Signée"
    TERMINATED = "resiliee", "Résiliée"
    RENEWED = "renouvelee", "Renouvelée"


class ConventionPhase(models.TextChoices):
    """What a reader sees: the stored status, refined by today's date once signed."""

    DRAFT = "brouillon", "Brouillon"
    COPIL_VALIDATED = "validee_copil", "Validée en COPIL"
    IN_SIGNATURE = "en_signature", "En signature"
    SIGNED = "signee", "Signée (pas encore en vigueur)"
    IN_FORCE = "en_vigueur", "En vigueur"
    EXPIRED = "echue", "Échue"
    TERMINATED = "resiliee", "Résiliée"
    RENEWED = "renouvelee", "Renouvelée"


class PartyKind(models.TextChoices):
    CAF = "caf", "Caf"
    COMMUNE = "commune", "Commune"
    EPCI = "epci", "EPCI"
    DEPARTEMENT = "departement", "Département"
    STATE = "etat", "État"
    OTHER = "autre", "Autre partenaire"


class CommitteeKind(models.TextChoices):
    COPIL = "copil", "Comité de pilotage (COPIL)"
    COTECH = "cotech", "Comité technique (COTECH)"
    STRATEGIC = "strategique", "Comité stratégique"
    WORKING_GROUP = "groupe_travail", "Groupe de travail"
    OTHER = "autre", "Autre instance"


class AoExercise(models.TextChoices):
    EXERCISED = "exercee", "Exercée"
    TRANSFERRED = "transferee", "Transférée"
    NOT_EXERCISED = "non_exercee", "Non exercée"
    UNKNOWN = "inconnu", "Non renseigné"


class EquipmentFate(models.TextChoices):
    """What becomes of the annex 2 equipment a removed signatory supports."""

    UNLINK = "detacher", "Les garder à l'annexe 2, sans signataire qui les soutient"
    TRANSFER = "transferer", "Les rattacher à un autre signataire"
    REMOVE = "retirer", "Les retirer de l'annexe 2 (ils restent dans le référentiel de leur commune)"


class VersionKind(models.TextChoices):
    SIGNED = "signee", "convention signée"
    AMENDMENT = "avenant", "avenant"
    CONSOLIDATED = "consolidee", "version consolidée"
