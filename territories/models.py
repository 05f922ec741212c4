"""Reference data: départements, Cafs, EPCI, communes, perimeters and equipment."""

from django.db import models
from django.db.models import Sum

from .enums import EpciKind, TerritoryKind


class Departement(models.Model):
    code = models.CharField("code", max_length=3, unique=True)
    name = models.CharField("nom", max_length=100)

    class Meta:
        verbose_name = "département"
        verbose_name_plural = "départements"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} – {self.name}"


class Caf(models.Model):
    name = models.CharField("nom", max_length=150, unique=True, help_text="Par exemple « Caf de la Loire ».")
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, verbose_name="département")
    address = models.TextField("adresse", blank=True)

    class Meta:
        verbose_name = "Caf"
        verbose_name_plural = "Cafs"
        ordering = ["departement__code", "name"]

    def __str__(self):
        return self.name


class Epci(models.Model):
    siren = models.CharField("SIREN", max_length=9, unique=True)
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("nature", max_length=5, choices=EpciKind.choices, default=EpciKind.OTHER)
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, null=True, blank=True, verbose_name="département du siège"
    )

    class Meta:
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"
        ordering = ["name"]

    def __str__(self):
        return self.name


class CommuneQuerySet(models.QuerySet):
    def search(self, text: str):
        text = text.strip()
        if text.isdigit() or (len(text) == 5 and text[:2].upper() in {"2A", "2B"}):
            return self.filter(insee_code__startswith=text.upper())
        return self.filter(name__icontains=text)


class Commune(models.Model):
    insee_code = models.CharField("code INSEE", max_length=5, unique=True)
    name = models.CharField("nom", max_length=150)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, verbose_name="département")
    epci = models.ForeignKey(
        Epci, on_delete=models.SET_NULL, null=True, blank=True, related_name="communes", verbose_name="EPCI"
    )
    population = models.PositiveIntegerField("population", null=True, blank=True)
    population_year = models.PositiveSmallIntegerField("année de la population", null=True, blank=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = "commune"
        verbose_name_plural = "communes"
        ordering = ["name", "insee_code"]

    def __str__(self):
        return f"{self.name} ({self.insee_code})"


class Territory(models.Model):
    """A perimeter: the communes a convention covers, or a sub-perimeter of it."""

    name = models.CharField("nom", max_length=200)
    kind = models.CharField("nature", max_length=20, choices=TerritoryKind.choices, default=TerritoryKind.GROUPING)
    communes = models.ManyToManyField(Commune, related_name="territories", verbose_name="communes", blank=True)
    epci = models.ForeignKey(
        Epci, on_delete=models.SET_NULL, null=True, blank=True, related_name="territories", verbose_name="EPCI"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="périmètre parent",
    )
    code = models.CharField("code court", max_length=20, blank=True, help_text="Par exemple « P3 ».")

    class Meta:
        verbose_name = "périmètre"
        verbose_name_plural = "périmètres"
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def population(self) -> int:
        """Sum of the communes' populations (derived, never typed)."""
        if hasattr(self, "_prefetched_objects_cache") and "communes" in self._prefetched_objects_cache:
            return sum(c.population or 0 for c in self.communes.all())
        return self.communes.aggregate(total=Sum("population"))["total"] or 0


class EquipmentKind(models.Model):
    """Open list of equipment types (EAJE, RPE, ALSH…), extended by administrators."""

    code = models.SlugField("code", max_length=40, unique=True)
    label = models.CharField("libellé", max_length=150)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "type d'équipement"
        verbose_name_plural = "types d'équipement"
        ordering = ["order", "label"]

    def __str__(self):
        return self.label


class Equipment(models.Model):
    kind = models.ForeignKey(EquipmentKind, on_delete=models.PROTECT, verbose_name="type")
    name = models.CharField("nom", max_length=250)
    address = models.CharField("adresse", max_length=300, blank=True)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="equipment", verbose_name="commune")
    manager = models.CharField("gestionnaire", max_length=200, blank=True)
    capacity = models.PositiveIntegerField("capacité (places)", null=True, blank=True)

    class Meta:
        verbose_name = "équipement"
        verbose_name_plural = "équipements"
        ordering = ["commune__name", "kind__order", "name"]

    def __str__(self):
        return f"{self.name} – {self.commune.name}"
