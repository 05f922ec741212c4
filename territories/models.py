"""Reference data: départements, Cafs, EPCI, communes, perimeters and equipment."""

from django.db import models
from django.db.models import Sum

from .collation import FRENCH_COLLATION
from .enums import EpciKind, TerritoryKind
from .grammar import ARTICLE_HELP, Article
from .names import epci_key, search_key, with_preposition


class Departement(models.Model):
    code = models.CharField("code", max_length=3, unique=True)
    name = models.CharField("nom", max_length=100, db_collation=FRENCH_COLLATION)

    class Meta:
        verbose_name = "département"
        verbose_name_plural = "départements"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} – {self.name}"


class Caf(models.Model):
    name = models.CharField(
        "nom",
        max_length=150,
        unique=True,
        db_collation=FRENCH_COLLATION,
        help_text="Par exemple « Caf de la Loire ».",
    )
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, verbose_name="département du siège")
    departements = models.ManyToManyField(
        Departement,
        related_name="covering_cafs",
        blank=True,
        verbose_name="départements couverts",
        help_text="En tout ou partie. Les communes de ces départements sont proposées en premier.",
    )
    address = models.TextField("adresse", blank=True)
    code = models.CharField(
        "code du référentiel",
        max_length=20,
        unique=True,
        null=True,
        blank=True,
        help_text="Vide pour une Caf ajoutée à la main ; par exemple « 42 » ou « 64-PAYS-BASQUE ».",
    )
    # The name the reference file gave it when last loaded: a later load renames the Caf only
    # while nobody has renamed it (name == reference_name).
    reference_name = models.CharField("nom dans le référentiel", max_length=150, blank=True, editable=False)

    class Meta:
        verbose_name = "Caf"
        verbose_name_plural = "Cafs"
        ordering = ["departement__code", "name"]

    def __str__(self):
        return self.name

    def departement_codes(self) -> list[str]:
        """The départements whose communes this Caf serves first: those covered, else its seat's."""
        codes = sorted(d.code for d in self.departements.all())
        return codes or [self.departement.code]


class Epci(models.Model):
    siren = models.CharField("SIREN", max_length=9, unique=True)
    name = models.CharField("nom", max_length=200, db_collation=FRENCH_COLLATION)
    kind = models.CharField("nature", max_length=5, choices=EpciKind.choices, default=EpciKind.OTHER)
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, null=True, blank=True, verbose_name="département du siège"
    )
    search_name = models.CharField("nom normalisé", max_length=200, blank=True, editable=False)

    class Meta:
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # A derived column (see territories/names.py), kept with the name it comes from.
        self.search_name = epci_key(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)


class CommuneQuerySet(models.QuerySet):
    def search(self, text: str):
        """Communes whose INSEE code starts with the text, or whose name contains it (as typed, or
        without accents, hyphens, "St" abbreviated… through the normalised name)."""
        text = text.strip()
        if text.isdigit() or (len(text) == 5 and text[:2].upper() in {"2A", "2B"}):
            return self.filter(insee_code__startswith=text.upper())
        key = search_key(text)
        if not key:
            return self.filter(name__icontains=text)
        return self.filter(models.Q(name__icontains=text) | models.Q(search_name__contains=key))


class Commune(models.Model):
    insee_code = models.CharField("code INSEE", max_length=5, unique=True)
    name = models.CharField("nom", max_length=150, db_collation=FRENCH_COLLATION)
    # search_key(name): no case, accents, hyphens, apostrophes or leading article (territories/names.py).
    search_name = models.CharField("nom normalisé", max_length=150, db_index=True, blank=True, editable=False)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, verbose_name="département")
    epci = models.ForeignKey(
        Epci, on_delete=models.SET_NULL, null=True, blank=True, related_name="communes", verbose_name="EPCI"
    )
    population = models.PositiveIntegerField("population", null=True, blank=True)
    population_year = models.PositiveSmallIntegerField("année de la population", null=True, blank=True)
    name_type = models.PositiveSmallIntegerField(
        "type de nom (TNCC de l'INSEE)",
        null=True,
        blank=True,
        help_text="0 « de », 1 « d' », 2 « du », 3 « de la », 4 « des », 5 « de l' »… ; vide : déduit du nom.",
    )

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = "commune"
        verbose_name_plural = "communes"
        ordering = ["name", "insee_code"]

    def __str__(self):
        return f"{self.name} ({self.insee_code})"

    @property
    def name_with_preposition(self) -> str:
        """ "du Chambon-Feugerolles", "de Firminy", "d'Unieux": for "Commune …", "Ville …"."""
        return with_preposition(self.name, self.name_type)

    def save(self, *args, **kwargs):
        # A derived column, kept with the name it comes from; bulk loads set it themselves.
        self.search_name = search_key(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)


class Territory(models.Model):
    """A perimeter: the communes a convention covers, or a sub-perimeter of it."""

    name = models.CharField("nom", max_length=200, db_collation=FRENCH_COLLATION)
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
    article = models.CharField(
        "article du nom", max_length=8, choices=Article.choices, blank=True, help_text=ARTICLE_HELP
    )

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
    name = models.CharField("nom", max_length=250, db_collation=FRENCH_COLLATION)
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
