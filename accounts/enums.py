from django.db import models


class Role(models.TextChoices):
    ADVISER = "conseiller", "Conseiller·ère territorial·e Caf"
    COOPERATION = "cooperation", "Chargé·e de coopération"
    COPIL = "copil", "Membre du COPIL"
    ADMIN = "administrateur", "Administrateur"
