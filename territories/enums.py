from django.db import models


class EpciKind(models.TextChoices):
    CC = "CC", "Communauté de communes"
    CA = "CA", "Communauté d'agglomération"
    CU = "CU", "Communauté urbaine"
    METRO = "METRO", "Métropole"
    OTHER = "AUTRE", "Autre"


class TerritoryKind(models.TextChoices):
    COMMUNE = "commune", "Commune"
    GROUPING = "regroupement", "Regroupement de communes"
    EPCI = "epci", "EPCI"
    LIVING_AREA = "bassin_de_vie", "Bassin de vie"
    SUB_PERIMETER = "sous_perimetre", "Sous-périmètre"
