"""Forms of the convention itself: creation, general information, perimeter, signatories, lifecycle."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory

from core.forms import DateInput, MarkedModelForm, StyledFormMixin, constraint_message
from core.uploads import validate_pdf_upload
from territories.grammar import Article
from territories.matching import communes_match, epcis_match
from territories.models import Caf
from territories.perimeter import PerimeterRow, perimeter_rows
from territories.services import CommuneLookupError, sub_perimeters_parse

from ..dossier.perimeter import communes_still_used
from ..enums import EquipmentFate, PartyKind
from ..models import Convention, Domain, Edition, Meeting, Party, Representative
from ..perms import creatable_cafs


class PerimeterFieldsMixin(forms.Form):
    """Communes pasted as the convention prints them, an optional EPCI, optional sub-perimeters.

    The paste is read by ``territories.matching.communes_match`` (the Caf's départements first, then
    the EPCI's); ``perimeter_rows`` is what the preview shows, entry by entry. An ambiguous entry is
    settled by a radio « choix-<position> » among its candidates; an unknown or unsettled entry refuses
    the form (nothing written). The « Lire la liste » button only previews.
    """

    PREVIEW_BUTTON = "apercu"

    communes = forms.CharField(
        label="Communes du périmètre",
        widget=forms.Textarea(attrs={"rows": 4, "list": "communes-suggestions"}),
        required=False,
        help_text="Collez la liste telle que la convention l'imprime : noms séparés par des virgules, des retours "
        "à la ligne ou « et », codes INSEE ou « Nom (code) », par exemple « Firminy, 42044 et Ricamarie (La) ». "
        "Les accents, tirets, « St » et articles sont facultatifs.",
    )
    epci = forms.CharField(
        label="EPCI",
        required=False,
        help_text="SIREN, nom ou nom d'usage (« Monts du Pilat », « CC des Monts du Pilat »). Si aucune commune "
        "n'est indiquée, toutes les communes de l'EPCI sont reprises.",
    )
    territory_name = forms.CharField(
        label="Nom du périmètre", required=False, max_length=200, help_text="Par défaut : le nom des communes."
    )
    territory_article = forms.ChoiceField(
        label="Article du nom du périmètre",
        required=False,
        choices=[("", "Déduit du nom")] + Article.choices,
        help_text="Pour écrire « sur le territoire du Pays du Gier », « de la Communauté urbaine … ».",
    )
    sub_perimeters = forms.CharField(
        label="Sous-périmètres",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Un par ligne : « code : communes », par exemple « P1 : Saint-Chamond, L'Horme ».",
    )

    perimeter_rows: list[PerimeterRow] = []

    @property
    def preview_only(self) -> bool:
        """The adviser asked to read the list without saving."""
        return self.PREVIEW_BUTTON in self.data

    def clean_perimeter(self, cleaned: dict, *, caf: Caf | None) -> None:
        preferred = caf.departement_codes() if caf else ()
        epci = None
        if cleaned.get("epci"):
            match = epcis_match(cleaned["epci"], preferred_departements=preferred)
            epci = match.epci
            if epci is None:
                self.add_error("epci", match.message)
        report = communes_match(cleaned.get("communes", ""), preferred_departements=preferred, epci=epci)
        self.perimeter_rows = perimeter_rows(report, self.data)
        unsettled = [row for row in self.perimeter_rows if row.commune is None]
        if unsettled:
            self.add_error(
                "communes",
                f"{len(unsettled)} entrée(s) à préciser sur {len(self.perimeter_rows)} : "
                "voyez la liste lue ci-dessous.",
            )
            return
        communes = list(dict.fromkeys(row.commune for row in self.perimeter_rows))
        if not communes and epci:
            communes = list(epci.communes.all())
        if not communes and "epci" not in self.errors:
            self.add_error("communes", "Indiquez au moins une commune.")
            return
        try:
            cleaned["sub_perimeter_list"] = sub_perimeters_parse(cleaned.get("sub_perimeters", ""), within=communes)
        except CommuneLookupError as exc:
            self.add_error("sub_perimeters", exc.messages)
        cleaned["commune_list"] = communes
        cleaned["epci_object"] = epci


class ConventionCreateForm(StyledFormMixin, PerimeterFieldsMixin, forms.Form):
    caf = forms.ModelChoiceField(label="Caf", queryset=Caf.objects.none())
    edition = forms.ModelChoiceField(
        label="Modèle de convention",
        queryset=Edition.objects.all(),
        help_text="Les articles sont créés à partir du modèle.",
    )
    title = forms.CharField(label="Intitulé", max_length=300)
    reference = forms.CharField(
        label="Référence",
        max_length=60,
        required=False,
        help_text="Laissée vide, elle est calculée (CTG-département-périmètre-année).",
    )
    start_date = forms.DateField(label="Date de début", required=False, widget=DateInput)
    starts_on_signature = forms.BooleanField(label="À compter de la date de signature", required=False)
    end_date = forms.DateField(label="Date de fin", widget=DateInput)
    domains = forms.ModelMultipleChoiceField(
        label="Champs d'intervention",
        queryset=Domain.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    field_order = [
        "caf",
        "edition",
        "title",
        "reference",
        "communes",
        "epci",
        "territory_name",
        "territory_article",
        "sub_perimeters",
        "start_date",
        "starts_on_signature",
        "end_date",
        "domains",
    ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caf"].queryset = creatable_cafs(user)
        if not user.is_administrator and user.caf_id:
            self.fields["caf"].initial = user.caf_id
        self.fields["edition"].initial = Edition.objects.order_by("-year").first()
        self.fields["domains"].widget.attrs["class"] = ""

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip()
        if reference and Convention.objects.filter(reference=reference).exists():
            raise ValidationError("Une convention porte déjà cette référence.")
        return reference

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", constraint_message(Convention, "convention_end_after_start"))
        if not start and not cleaned.get("starts_on_signature"):
            self.add_error("start_date", constraint_message(Convention, "convention_start_known_or_on_signature"))
        self.clean_perimeter(cleaned, caf=cleaned.get("caf"))
        return cleaned


class ConventionGeneralForm(MarkedModelForm):
    class Meta:
        model = Convention
        fields = [
            "title",
            "reference",
            "start_date",
            "starts_on_signature",
            "end_date",
            "domains",
            "signature_place",
            "prefecture_sent_on",
            "prefecture_received_on",
            "published_on",
            "act_id",
        ]
        widgets = {
            "start_date": DateInput,
            "end_date": DateInput,
            "prefecture_sent_on": DateInput,
            "prefecture_received_on": DateInput,
            "published_on": DateInput,
            "domains": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domains"].widget.attrs["class"] = ""


class PerimeterForm(StyledFormMixin, PerimeterFieldsMixin, forms.Form):
    def __init__(self, *args, convention: Convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.convention = convention

    def clean(self):
        cleaned = super().clean()
        self.clean_perimeter(cleaned, caf=self.convention.caf)
        if "commune_list" in cleaned:
            kept = {c.pk for c in cleaned["commune_list"]}
            removed = self.convention.territory.communes.exclude(pk__in=kept)
            problems = communes_still_used(convention=self.convention, communes=removed)
            if problems:
                self.add_error("communes", problems)
        return cleaned


def perimeter_initial(convention: Convention) -> dict:
    territory = convention.territory
    communes = territory.communes.order_by("name")
    children = territory.children.prefetch_related("communes").order_by("code", "name")
    return {
        "communes": ", ".join(f"{c.name} ({c.insee_code})" for c in communes),
        "epci": f"{territory.epci.name} ({territory.epci.siren})" if territory.epci else "",
        "territory_name": territory.name,
        "territory_article": territory.article,
        "sub_perimeters": "\n".join(
            f"{child.code or child.name} : " + ", ".join(c.insee_code for c in child.communes.all())
            for child in children
        ),
    }


class PartyForm(MarkedModelForm):
    """A signatory; carries the marker it was read at, so that the service refuses a stale post."""

    class Meta:
        model = Party
        fields = [
            "kind",
            "name",
            "designation",
            "article",
            "commune",
            "epci",
            "deliberation_body",
            "deliberation_date",
            "deliberation_reference",
            "deliberation_document",
        ]
        widgets = {"deliberation_date": DateInput}

    def __init__(self, *args, convention: Convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.convention = convention
        communes = convention.territory.communes.order_by("name")
        self.fields["commune"].queryset = communes
        self.fields["commune"].help_text = "Pour une commune signataire : une commune du périmètre."
        epci_ids = set(communes.exclude(epci=None).values_list("epci", flat=True))
        if convention.territory.epci_id:
            epci_ids.add(convention.territory.epci_id)
        self.fields["epci"].queryset = self.fields["epci"].queryset.filter(pk__in=epci_ids)

    def clean_deliberation_document(self):
        upload = self.cleaned_data.get("deliberation_document")
        if upload and hasattr(upload, "content_type"):
            validate_pdf_upload(upload)  # a real PDF of at most 10 Mo, without active content
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == PartyKind.COMMUNE and not cleaned.get("commune"):
            self.add_error("commune", "Choisissez la commune signataire.")
        return cleaned


class RepresentativeForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Representative
        fields = ["civility", "name", "title", "signed_on"]
        widgets = {"signed_on": DateInput}


RepresentativeFormSet = inlineformset_factory(
    Party, Representative, form=RepresentativeForm, extra=1, can_delete=True, max_num=6
)


class SignForm(StyledFormMixin, forms.Form):
    signature_date = forms.DateField(label="Date de signature", widget=DateInput)
    signature_place = forms.CharField(label="Fait à", max_length=150)


class CopilForm(StyledFormMixin, forms.Form):
    copil_date = forms.DateField(label="Date du COPIL", widget=DateInput)
    copil_meeting = forms.ModelChoiceField(
        label="Réunion",
        queryset=Meeting.objects.none(),
        required=False,
        help_text="Laissée vide : la réunion de l'instance à cette date, si elle est enregistrée en annexe 4.",
    )

    def __init__(self, *args, convention: Convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copil_meeting"].queryset = Meeting.objects.filter(committee__convention=convention).select_related(
            "committee"
        )
        if not self.fields["copil_meeting"].queryset.exists():
            del self.fields["copil_meeting"]


class TerminateForm(StyledFormMixin, forms.Form):
    terminated_on = forms.DateField(label="Date de la résiliation", widget=DateInput)
    termination_reason = forms.CharField(label="Motif", widget=forms.Textarea(attrs={"rows": 3}))


class AmendmentOpenForm(StyledFormMixin, forms.Form):
    object = forms.CharField(label="Objet de l'avenant", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class AmendmentSignForm(StyledFormMixin, forms.Form):
    signed_on = forms.DateField(label="Signé le", widget=DateInput)
    signed_at = forms.CharField(label="Fait à", max_length=150, required=False)
    # The fingerprint of the comparison and PDF the adviser read: a signature over other data is refused.
    fingerprint = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)
    changes = forms.CharField(
        label="Modifications apportées",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Articles et annexes modifiés.",
    )


class PartyDeleteForm(StyledFormMixin, forms.Form):
    """The confirmation of a signatory's removal: what becomes of the equipment it supports, when it does."""

    equipment = forms.ChoiceField(
        label="Équipements de l'annexe 2 soutenus par ce signataire",
        choices=EquipmentFate.choices,
        widget=forms.RadioSelect,
    )
    transfer_to = forms.ModelChoiceField(
        label="Autre signataire", queryset=Party.objects.none(), required=False, empty_label="Choisir…"
    )

    def __init__(self, *args, party: Party, **kwargs):
        super().__init__(*args, **kwargs)
        self.party = party
        if not party.supported_equipment.exists():
            del self.fields["equipment"], self.fields["transfer_to"]
        else:
            self.fields["transfer_to"].queryset = party.convention.parties.exclude(pk=party.pk)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("equipment") == EquipmentFate.TRANSFER and not cleaned.get("transfer_to"):
            self.add_error("transfer_to", "Choisissez le signataire qui soutiendra ces équipements.")
        return cleaned


class VersionScanForm(StyledFormMixin, forms.Form):
    """The scanned signed original (paper signatures) of a frozen version."""

    scan = forms.FileField(
        label="Original signé numérisé (PDF)", help_text="PDF de 10 Mo au plus : il s'ajoute à la version figée."
    )

    def clean_scan(self):
        upload = self.cleaned_data["scan"]
        validate_pdf_upload(upload)
        return upload
