"""The agreement: conventions, parties, text, annexes 1, 2 and 4, amendments, AO competences."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from accounts.enums import Role
from core.querysets import ScopedQuerySet
from territories.grammar import ARTICLE_HELP, Article

from .enums import AoExercise, CommitteeKind, ConventionPhase, ConventionStatus, PartyKind, VersionKind

SIGNED_STATUSES = (ConventionStatus.SIGNED, ConventionStatus.TERMINATED, ConventionStatus.RENEWED)


class Domain(models.Model):
    """Champ d'intervention: an open list that plans extend (culture et loisirs, santé…)."""

    code = models.SlugField("code", max_length=60, unique=True)
    label = models.CharField("libellé", max_length=150, unique=True)
    order = models.PositiveSmallIntegerField("ordre", default=100)

    class Meta:
        verbose_name = "champ d'intervention"
        verbose_name_plural = "champs d'intervention"
        ordering = ["order", "label"]

    def __str__(self):
        return self.label


class Edition(models.Model):
    """An edition of the national model text (2022, 2025…)."""

    code = models.SlugField("code", max_length=20, unique=True)
    name = models.CharField("nom", max_length=150)
    year = models.PositiveSmallIntegerField("année")
    visas = models.TextField("visas", blank=True, help_text="Un « Vu … » par ligne.")

    class Meta:
        verbose_name = "modèle de convention"
        verbose_name_plural = "modèles de convention"
        ordering = ["year"]

    def __str__(self):
        return self.name


class ClauseTemplate(models.Model):
    """An article of an edition's model text; placeholders such as {territoire} are filled in."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="clauses", verbose_name="modèle")
    number = models.CharField("numéro", max_length=20, blank=True, help_text="Vide pour le préambule.")
    title = models.CharField("titre", max_length=250)
    body = models.TextField("texte")
    order = models.PositiveSmallIntegerField("ordre")

    class Meta:
        verbose_name = "modèle d'article"
        verbose_name_plural = "modèles d'article"
        ordering = ["edition", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "order"],
                name="clause_template_unique_order",
                violation_error_message="Deux articles du même modèle ne peuvent avoir le même ordre.",
            )
        ]

    def __str__(self):
        return f"{self.edition} – {self.heading}"

    @property
    def heading(self) -> str:
        return f"Article {self.number} – {self.title}" if self.number else self.title


def phase_condition(phase: ConventionPhase, today: date) -> Q:
    """Convention.phase() as a condition on the row (kept next to it: change both together)."""
    if phase not in (ConventionPhase.SIGNED, ConventionPhase.IN_FORCE, ConventionPhase.EXPIRED):
        return Q(status=phase.value)
    signed = Q(status=ConventionStatus.SIGNED)
    if phase == ConventionPhase.EXPIRED:
        return signed & Q(end_date__lt=today)
    # Convention.effective_start: the start date, else the signature date when it starts on signature.
    starts_later = Q(start_date__gt=today) | Q(
        start_date__isnull=True, starts_on_signature=True, signature_date__gt=today
    )
    started = Q(start_date__lte=today) | (
        Q(start_date__isnull=True)
        & (Q(starts_on_signature=False) | Q(signature_date__isnull=True) | Q(signature_date__lte=today))
    )
    running = signed & Q(end_date__gte=today)
    return running & (starts_later if phase == ConventionPhase.SIGNED else started)


class ConventionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The conventions a user may read: the only way views load conventions."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_administrator:
            return self
        if user.role == Role.ADVISER:
            return self.filter(caf_id=user.caf_id) if user.caf_id else self.none()
        return self.filter(memberships__user=user).distinct()

    def editable_by(self, user):
        """The conventions whose text and annexes a user may write."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_administrator:
            return self
        if user.role == Role.ADVISER and user.caf_id:
            return self.filter(caf_id=user.caf_id)
        return self.none()

    def in_phase(self, phase: ConventionPhase, today: date | None = None):
        """The conventions in a phase, as SQL: the same rules as Convention.phase(), for filtering."""
        return self.filter(phase_condition(phase, today or timezone.localdate()))

    def with_phase_rank(self, today: date | None = None):
        """`phase_rank`: the phase's place in the lifecycle (brouillon first), to sort by status."""
        today = today or timezone.localdate()
        rank = Case(
            *(When(phase_condition(phase, today), then=Value(n)) for n, phase in enumerate(ConventionPhase)),
            output_field=IntegerField(),
        )
        return self.annotate(phase_rank=rank)

    def ending_within(self, days: int):
        today = timezone.localdate()
        return self.filter(end_date__gte=today, end_date__lte=today + timezone.timedelta(days=days))


class Convention(models.Model):
    reference = models.CharField("référence", max_length=60, unique=True)
    title = models.CharField("intitulé", max_length=300)
    caf = models.ForeignKey("territories.Caf", on_delete=models.PROTECT, related_name="conventions", verbose_name="Caf")
    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.PROTECT, related_name="conventions", verbose_name="périmètre"
    )
    edition = models.ForeignKey(
        Edition, on_delete=models.PROTECT, null=True, blank=True, related_name="conventions", verbose_name="modèle"
    )
    status = models.CharField("statut", max_length=20, choices=ConventionStatus.choices, default=ConventionStatus.DRAFT)
    start_date = models.DateField(
        "date de début", null=True, blank=True, help_text="Vide si la convention court à compter de sa signature."
    )
    starts_on_signature = models.BooleanField("à compter de la date de signature", default=False)
    end_date = models.DateField("date de fin")
    domains = models.ManyToManyField(
        Domain, related_name="conventions", verbose_name="champs d'intervention", blank=True
    )
    visas = models.TextField("visas", blank=True, help_text="Un « Vu … » par ligne.")
    preamble = models.TextField("préambule", blank=True)
    signature_place = models.CharField("fait à", max_length=150, blank=True)
    signature_date = models.DateField("date de signature", null=True, blank=True)
    copil_validated_on = models.DateField("validée en COPIL le", null=True, blank=True)
    copil_meeting = models.ForeignKey(
        "Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="validated_conventions",
        verbose_name="réunion du COPIL qui l'a validée",
    )
    prefecture_sent_on = models.DateField("envoyée en préfecture le", null=True, blank=True)
    prefecture_received_on = models.DateField("reçue en préfecture le", null=True, blank=True)
    published_on = models.DateField("publiée le", null=True, blank=True)
    act_id = models.CharField("identifiant de l'acte", max_length=100, blank=True)
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name="convention précédente",
    )
    terminated_on = models.DateField("résiliée le", null=True, blank=True)
    termination_reason = models.TextField("motif de la résiliation", blank=True)
    # The names of the plan's three levels as this convention writes them (actions/levels.py reads them).
    orientation_label = models.CharField("nom du 1er niveau du plan", max_length=60, default="Orientation")
    axis_label = models.CharField("nom du 2e niveau du plan", max_length=60, default="Axe")
    objective_label = models.CharField("nom du 3e niveau du plan", max_length=60, default="Objectif")
    lock_version = models.PositiveIntegerField("version", default=0, editable=False)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = ConventionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "convention territoriale globale"
        verbose_name_plural = "conventions territoriales globales"
        ordering = ["-end_date", "title"]
        constraints = [
            models.CheckConstraint(
                name="convention_end_after_start",
                condition=Q(start_date__isnull=True) | Q(end_date__gt=F("start_date")),
                violation_error_message="La date de fin doit être postérieure à la date de début.",
            ),
            models.CheckConstraint(
                name="convention_start_known_or_on_signature",
                condition=Q(start_date__isnull=False) | Q(starts_on_signature=True),
                violation_error_message=("Indiquez une date de début ou cochez « à compter de la date de signature »."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_signed(self) -> bool:
        return self.status in SIGNED_STATUSES

    @cached_property
    def open_amendment(self) -> "Amendment | None":
        """The avenant being prepared (not signed yet), if any: it reopens the text of a signed convention."""
        return self.amendments.filter(signed_on__isnull=True).order_by("number").first()

    @property
    def is_text_locked(self) -> bool:
        """Signed text is read-only, except through an avenant being prepared on a convention in force."""
        return self.is_signed and not (self.status == ConventionStatus.SIGNED and self.open_amendment is not None)

    @property
    def draft_mark(self) -> str:
        """What printed documents must say across every page, or "" for the signed text."""
        if not self.is_signed:
            return "PROJET"
        if not self.is_text_locked:
            return "PROJET D'AVENANT"
        return ""

    @property
    def effective_start(self) -> date | None:
        return self.start_date or (self.signature_date if self.starts_on_signature else None)

    def phase(self, today: date | None = None) -> ConventionPhase:
        """The status as a reader understands it: a signed convention is in force, or expired.

        The same rules in SQL: `phase_condition` (ConventionQuerySet.in_phase / with_phase_rank)."""
        if self.status != ConventionStatus.SIGNED:
            return ConventionPhase(self.status)
        today = today or timezone.localdate()
        if today > self.end_date:
            return ConventionPhase.EXPIRED
        start = self.effective_start
        if start and today < start:
            return ConventionPhase.SIGNED
        return ConventionPhase.IN_FORCE

    @property
    def period_label(self) -> str:
        start = self.start_date.year if self.start_date else "signature"
        return f"{start} – {self.end_date.year}"


class Membership(models.Model):
    """A chargé·e de coopération or a COPIL member assigned to a convention."""

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="memberships", verbose_name="convention"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name="utilisateur"
    )

    class Meta:
        verbose_name = "membre de la convention"
        verbose_name_plural = "membres de la convention"
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "user"],
                name="membership_unique",
                violation_error_message="Cette personne est déjà membre de la convention.",
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.convention}"


class ConventionRowQuerySet(ScopedQuerySet):
    """Rows that belong to a convention, scoped through it (`scope_path` leads from the row to it)."""

    def visible_scopes(self, user):
        return Convention.objects.visible_to(user)


class Party(models.Model):
    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="parties", verbose_name="convention"
    )
    kind = models.CharField("nature", max_length=20, choices=PartyKind.choices)
    name = models.CharField("organisme", max_length=250, help_text="Par exemple « Commune de Firminy ».")
    designation = models.CharField(
        "ci-après dénommé·e", max_length=250, blank=True, help_text="Par exemple « la Caf »."
    )
    article = models.CharField(
        "article du nom", max_length=8, choices=Article.choices, blank=True, help_text=ARTICLE_HELP
    )
    commune = models.ForeignKey(
        "territories.Commune", on_delete=models.PROTECT, null=True, blank=True, verbose_name="commune"
    )
    epci = models.ForeignKey("territories.Epci", on_delete=models.PROTECT, null=True, blank=True, verbose_name="EPCI")
    deliberation_body = models.CharField(
        "instance délibérante", max_length=200, blank=True, help_text="Par exemple « conseil municipal »."
    )
    deliberation_date = models.DateField("date de la délibération", null=True, blank=True)
    deliberation_reference = models.CharField("référence de la délibération", max_length=120, blank=True)
    deliberation_document = models.FileField("délibération (PDF)", upload_to="deliberations/%Y/", blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    objects = ConventionRowQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "signataire"
        verbose_name_plural = "signataires"
        ordering = ["convention", "order", "pk"]

    def __str__(self):
        return self.name


class RepresentativeQuerySet(ConventionRowQuerySet):
    scope_path = "party__convention"


class Representative(models.Model):
    """A person who signs for a party (the Caf often signs by its director and its president)."""

    party = models.ForeignKey(
        Party, on_delete=models.CASCADE, related_name="representatives", verbose_name="signataire"
    )
    civility = models.CharField("civilité", max_length=20, blank=True, help_text="Madame, Monsieur…")
    name = models.CharField("nom", max_length=200)
    title = models.CharField("qualité", max_length=200, help_text="Par exemple « Maire », « Directrice ».")
    signed_on = models.DateField("signé le", null=True, blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    objects = RepresentativeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "représentant·e"
        verbose_name_plural = "représentant·es"
        ordering = ["party", "order", "pk"]

    def __str__(self):
        return f"{self.civility} {self.name}, {self.title}".strip()


class Clause(models.Model):
    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="clauses", verbose_name="convention"
    )
    template = models.ForeignKey(
        ClauseTemplate, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="modèle d'article"
    )
    number = models.CharField("numéro", max_length=20, blank=True)
    title = models.CharField("titre", max_length=250)
    body = models.TextField("texte", blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    objects = ConventionRowQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "article"
        verbose_name_plural = "articles"
        ordering = ["convention", "order", "pk"]

    def __str__(self):
        return self.heading

    @property
    def heading(self) -> str:
        return f"Article {self.number} – {self.title}" if self.number else self.title


class Diagnostic(models.Model):
    """Annexe 1: the shared diagnostic."""

    convention = models.OneToOneField(
        Convention, on_delete=models.CASCADE, related_name="diagnostic", verbose_name="convention"
    )
    summary = models.TextField("synthèse", blank=True)
    documents = models.TextField("documents joints", blank=True, help_text="Un document par ligne.")

    objects = ConventionRowQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "diagnostic partagé"
        verbose_name_plural = "diagnostics partagés"

    def __str__(self):
        return f"Diagnostic – {self.convention}"


class DiagnosticChildQuerySet(ConventionRowQuerySet):
    scope_path = "diagnostic__convention"


class KeyFigure(models.Model):
    diagnostic = models.ForeignKey(
        Diagnostic, on_delete=models.CASCADE, related_name="key_figures", verbose_name="diagnostic"
    )
    theme = models.CharField("thème", max_length=100, blank=True, help_text="Population, emploi, logement…")
    label = models.CharField("libellé", max_length=250)
    value = models.DecimalField("valeur", max_digits=16, decimal_places=2, null=True, blank=True)
    value_text = models.CharField(
        "valeur (texte)", max_length=100, blank=True, help_text="Si la valeur n'est pas un nombre."
    )
    unit = models.CharField("unité", max_length=40, blank=True)
    year = models.PositiveSmallIntegerField("année", null=True, blank=True)
    source = models.CharField("source", max_length=200, blank=True)
    comparison = models.CharField(
        "comparaison", max_length=300, blank=True, help_text="Département, métropole, France…"
    )
    order = models.PositiveSmallIntegerField("ordre", default=0)

    objects = DiagnosticChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "chiffre clé"
        verbose_name_plural = "chiffres clés"
        ordering = ["diagnostic", "order", "pk"]

    def __str__(self):
        return self.label


class Issue(models.Model):
    """Enjeu: a stake of the diagnostic, per champ d'intervention."""

    diagnostic = models.ForeignKey(
        Diagnostic, on_delete=models.CASCADE, related_name="issues", verbose_name="diagnostic"
    )
    domain = models.ForeignKey(
        Domain, on_delete=models.PROTECT, null=True, blank=True, verbose_name="champ d'intervention"
    )
    text = models.TextField("enjeu")
    order = models.PositiveSmallIntegerField("ordre", default=0)

    objects = DiagnosticChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "enjeu"
        verbose_name_plural = "enjeux"
        ordering = ["diagnostic", "order", "pk"]

    def __str__(self):
        return self.text[:80]


class SupportedEquipment(models.Model):
    """Annexe 2: an equipment or service of the perimeter and the signatory that supports it."""

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="supported_equipment", verbose_name="convention"
    )
    equipment = models.ForeignKey(
        "territories.Equipment", on_delete=models.PROTECT, related_name="supports", verbose_name="équipement"
    )
    supported_by = models.ForeignKey(
        Party,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supported_equipment",
        verbose_name="soutenu par",
    )
    financing_note = models.TextField("financement", blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    objects = ConventionRowQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "équipement soutenu"
        verbose_name_plural = "équipements soutenus"
        ordering = ["convention", "equipment__commune__name", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "equipment"],
                name="supported_equipment_unique",
                violation_error_message="Cet équipement figure déjà à l'annexe 2 de la convention.",
            )
        ]

    def __str__(self):
        return str(self.equipment)


class Committee(models.Model):
    """Annexe 4: COPIL, COTECH, working groups."""

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="committees", verbose_name="convention"
    )
    kind = models.CharField("nature", max_length=20, choices=CommitteeKind.choices, default=CommitteeKind.COPIL)
    name = models.CharField("nom", max_length=200)
    missions = models.TextField("missions", blank=True)
    frequency = models.CharField("fréquence des réunions", max_length=200, blank=True)
    composition = models.TextField(
        "composition",
        blank=True,
        help_text="Telle que la convention l'écrit, par exemple « un représentant de chaque commune » ; "
        "les membres nommés s'ajoutent ci-dessous, s'il y en a.",
    )
    order = models.PositiveSmallIntegerField("ordre", default=0)

    objects = ConventionRowQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "instance de pilotage"
        verbose_name_plural = "instances de pilotage"
        ordering = ["convention", "order", "pk"]

    def __str__(self):
        return self.name


class CommitteeChildQuerySet(ConventionRowQuerySet):
    scope_path = "committee__convention"


class CommitteeMember(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members", verbose_name="instance")
    person = models.CharField(
        "personne", max_length=200, blank=True, help_text="Facultatif si la fonction ou l'organisme est indiqué."
    )
    organisation = models.CharField("organisme", max_length=200, blank=True)
    role = models.CharField("fonction", max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="compte utilisateur"
    )
    order = models.PositiveSmallIntegerField("ordre", default=0)

    objects = CommitteeChildQuerySet.as_manager()

    class Meta:
        verbose_name = "membre de l'instance"
        verbose_name_plural = "membres de l'instance"
        ordering = ["committee", "order", "pk"]

    def __str__(self):
        """The person, else what the row names: « Directeur·rice, Caf de la Loire »."""
        return self.person or ", ".join(part for part in (self.role, self.organisation) if part) or "membre"

    def clean(self):
        if not (self.person.strip() or self.role.strip() or self.organisation.strip()):
            raise ValidationError({"person": "Indiquez la personne, ou au moins sa fonction ou son organisme."})


class Meeting(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="meetings", verbose_name="instance")
    date = models.DateField("date")
    place = models.CharField("lieu", max_length=200, blank=True)
    attendees = models.TextField("participants", blank=True)
    agenda = models.TextField("ordre du jour", blank=True)
    minutes = models.TextField("compte rendu", blank=True)
    decisions = models.TextField("décisions", blank=True)
    # `meeting.actions`, the fiches its decisions concern, is declared on ActionSheet.meetings (the plan points
    # to the convention's meetings; the convention knows nothing of the plan).

    objects = CommitteeChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "réunion"
        verbose_name_plural = "réunions"
        ordering = ["committee", "-date"]

    def __str__(self):
        return f"{self.committee} du {self.date:%d/%m/%Y}"


class Amendment(models.Model):
    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="amendments", verbose_name="convention"
    )
    number = models.PositiveSmallIntegerField("numéro")
    signed_on = models.DateField("signé le", null=True, blank=True)
    object = models.TextField("objet")
    changes = models.TextField("modifications", blank=True)
    snapshot = models.JSONField("état de la convention", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    objects = ConventionRowQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "avenant"
        verbose_name_plural = "avenants"
        ordering = ["convention", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "number"],
                name="amendment_unique_number",
                violation_error_message="Un avenant porte déjà ce numéro pour cette convention.",
            )
        ]

    def __str__(self):
        return f"Avenant n° {self.number}"


class AoCompetence(models.Model):
    """Autorité organisatrice petite enfance (since 2025): the four competences of a commune or EPCI."""

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="ao_competences", verbose_name="convention"
    )
    commune = models.ForeignKey(
        "territories.Commune", on_delete=models.PROTECT, null=True, blank=True, verbose_name="commune"
    )
    epci = models.ForeignKey("territories.Epci", on_delete=models.PROTECT, null=True, blank=True, verbose_name="EPCI")
    population = models.PositiveIntegerField("population", null=True, blank=True)
    census = models.CharField(
        "recenser les besoins et l'offre", max_length=20, choices=AoExercise.choices, default=AoExercise.UNKNOWN
    )
    inform = models.CharField(
        "informer et accompagner les familles", max_length=20, choices=AoExercise.choices, default=AoExercise.UNKNOWN
    )
    plan = models.CharField(
        "planifier le développement de l'offre", max_length=20, choices=AoExercise.choices, default=AoExercise.UNKNOWN
    )
    quality = models.CharField(
        "soutenir la qualité des modes d'accueil", max_length=20, choices=AoExercise.choices, default=AoExercise.UNKNOWN
    )
    transfer_detail = models.TextField(
        "précisions sur les transferts", blank=True, help_text="À qui et depuis quand une compétence est transférée."
    )
    has_schema = models.BooleanField("schéma petite enfance adopté", default=False)
    has_rpe = models.BooleanField("relais petite enfance (RPE)", default=False)

    objects = ConventionRowQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "compétence d'autorité organisatrice petite enfance"
        verbose_name_plural = "compétences d'autorité organisatrice petite enfance"
        constraints = [
            models.CheckConstraint(
                name="ao_competence_commune_xor_epci",
                condition=(Q(commune__isnull=False) & Q(epci__isnull=True))
                | (Q(commune__isnull=True) & Q(epci__isnull=False)),
                violation_error_message="Indiquez soit une commune, soit un EPCI.",
            )
        ]

    def __str__(self):
        return f"AO petite enfance – {self.commune or self.epci}"


class ConventionVersion(models.Model):
    """A frozen document of a signed convention: the original as signed, an avenant, a consolidated version.

    Written once by conventions/dossier/versions.py (the source HTML and the Convention JSON at signature, then
    the PDF bytes and their sha256 by a job); never changed afterwards, and kept while the convention exists."""

    convention = models.ForeignKey(
        Convention, on_delete=models.PROTECT, related_name="versions", verbose_name="convention"
    )
    number = models.PositiveSmallIntegerField("numéro", editable=False)
    kind = models.CharField("nature", max_length=12, choices=VersionKind.choices, editable=False)
    amendment = models.ForeignKey(
        Amendment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="versions",
        verbose_name="avenant",
        editable=False,
    )
    signed_on = models.DateField("signée le", editable=False)
    signed_at = models.CharField("fait à", max_length=150, blank=True, editable=False)
    snapshot = models.JSONField("état de la convention", editable=False)
    source = models.TextField("document source (HTML)", editable=False)
    pdf = models.FileField("PDF figé", upload_to="versions/%Y/", blank=True, editable=False)
    sha256 = models.CharField("empreinte SHA-256", max_length=64, blank=True, editable=False)
    scan = models.FileField("original signé numérisé", upload_to="versions/originaux/%Y/", blank=True, editable=False)
    scan_sha256 = models.CharField("empreinte de l'original numérisé", max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="figée par",
        editable=False,
    )
    created_at = models.DateTimeField("figée le", auto_now_add=True)

    objects = ConventionRowQuerySet.as_manager()

    class Meta:
        verbose_name = "version figée"
        verbose_name_plural = "versions figées"
        ordering = ["convention", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "number"],
                name="version_unique_number",
                violation_error_message="Une version porte déjà ce numéro pour cette convention.",
            ),
            models.UniqueConstraint(
                fields=["convention"],
                condition=Q(kind="signee"),
                name="version_one_signed_original",
                violation_error_message="La convention signée est déjà figée.",
            ),
            models.UniqueConstraint(
                fields=["amendment", "kind"],
                name="version_one_per_amendment_and_kind",
                violation_error_message="Cet avenant est déjà figé.",
            ),
        ]

    def __str__(self):
        if self.kind == VersionKind.SIGNED:
            return "Convention signée"
        if self.kind == VersionKind.AMENDMENT:
            return f"Avenant n° {self.amendment.number}"
        return f"Version consolidée intégrant l'avenant n° {self.amendment.number}"

    @property
    def short_sha256(self) -> str:
        return self.sha256[:12]
