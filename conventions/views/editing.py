"""Writing a convention: creation, general information, perimeter, signatories, lifecycle, avenants."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from core.deletion import deletion_consequences
from core.files import stored_file_response
from core.forms import add_service_errors
from core.locking import StaleEditError, save_if_unchanged
from territories.services import default_territory_name, territory_create, territory_update

from .. import services
from ..dossier.amendments import amendment_comparison, amendment_fingerprint, amendment_sign
from ..dossier.history import convention_history
from ..forms.convention import (
    AmendmentOpenForm,
    AmendmentSignForm,
    ConventionCreateForm,
    ConventionGeneralForm,
    CopilForm,
    PartyDeleteForm,
    PartyForm,
    PerimeterForm,
    RepresentativeFormSet,
    SignForm,
    TerminateForm,
    perimeter_initial,
)
from ..lifecycle import (
    MOVES,
    TransitionRefused,
    amendment_open,
    convention_moves,
    convention_transition,
    signature_checklist,
)
from ..models import Convention, Party, SupportedEquipment
from ..perms import (
    can_create_convention,
    convention_view,
    get_editable_convention,
    get_text_editable_convention,
    get_visible_convention,
)
from ..services import convention_create, party_move, row_save

# Fields of a signed convention that still change: the legality control comes after the signature.
AFTER_SIGNATURE_FIELDS = ["prefecture_sent_on", "prefecture_received_on", "published_on", "act_id"]


def detail_url(convention: Convention, anchor: str = "") -> str:
    return reverse("conventions:detail", args=[convention.pk]) + (f"#{anchor}" if anchor else "")


def unique_reference(*, convention_caf, communes, year: int | None) -> str:
    departement = convention_caf.departement.code
    # Named after the first commune typed, as people name their CTG: « CTG-42-FIRMINY-2027 ».
    base = f"CTG-{departement}-{slugify(communes[0].name)[:30].upper()}"
    base = f"{base}-{year}" if year else base
    reference, n = base, 2
    while Convention.objects.filter(reference=reference).exists():
        reference, n = f"{base}-{n}", n + 1
    return reference


@login_required
@require_http_methods(["GET", "POST"])
def convention_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can_create_convention(user):
        raise PermissionDenied("Seul·es les conseiller·ères territoriaux·ales Caf créent des conventions.")
    form = ConventionCreateForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid() and not form.preview_only:
        data = form.cleaned_data
        communes = data["commune_list"]
        start = data["start_date"]
        with transaction.atomic():
            territory = territory_create(
                name=data["territory_name"] or default_territory_name(communes, data["epci_object"]),
                article=data["territory_article"],
                communes=communes,
                epci=data["epci_object"],
                sub_perimeters=data["sub_perimeter_list"],
            )
            reference = data["reference"] or unique_reference(
                convention_caf=data["caf"], communes=communes, year=start.year if start else None
            )
            convention = convention_create(
                reference=reference,
                title=data["title"],
                caf=data["caf"],
                territory=territory,
                edition=data["edition"],
                start_date=start,
                starts_on_signature=data["starts_on_signature"] and not start,
                end_date=data["end_date"],
                domains=list(data["domains"]),
            )
        messages.success(request, f"Convention « {convention.title} » créée avec les articles du modèle.")
        return redirect(detail_url(convention))
    return render(request, "conventions/editing/new.html", {"form": form, "page_title": "Nouvelle convention"})


@convention_view(get_editable_convention, "GET", "POST")
def convention_edit(request: HttpRequest, convention: Convention) -> HttpResponse:
    form = ConventionGeneralForm(request.POST or None, instance=convention)
    if convention.is_text_locked:
        for name in list(form.fields):
            if name not in [*AFTER_SIGNATURE_FIELDS, "marker"]:
                del form.fields[name]
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                save_if_unchanged(instance=form.instance, marker=form.posted_marker, user=request.user)
                if "domains" in form.cleaned_data:
                    form.instance.domains.set(form.cleaned_data["domains"])
        except StaleEditError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Informations générales enregistrées.")
            return redirect(detail_url(convention, "synthese"))
    return render(
        request,
        "conventions/editing/general.html",
        {"form": form, "convention": convention, "page_title": "Informations générales"},
    )


@convention_view(get_text_editable_convention, "GET", "POST")
def perimeter_edit(request: HttpRequest, convention: Convention) -> HttpResponse:
    form = PerimeterForm(request.POST or None, initial=perimeter_initial(convention), convention=convention)
    if request.method == "POST" and form.is_valid() and not form.preview_only:
        data = form.cleaned_data
        territory_update(
            territory=convention.territory,
            name=data["territory_name"] or default_territory_name(data["commune_list"], data["epci_object"]),
            article=data["territory_article"],
            communes=data["commune_list"],
            epci=data["epci_object"],
            sub_perimeters=data["sub_perimeter_list"],
        )
        messages.success(request, "Périmètre enregistré.")
        return redirect(detail_url(convention, "perimetre"))
    return render(
        request,
        "conventions/editing/perimeter.html",
        {"form": form, "convention": convention, "page_title": "Périmètre"},
    )


def get_party(convention: Convention, party_pk: int) -> Party:
    return get_object_or_404(Party, pk=party_pk, convention=convention)


def party_form_page(request: HttpRequest, convention: Convention, party: Party | None) -> HttpResponse:
    instance = party or Party(convention=convention, order=convention.parties.count() + 1)
    form = PartyForm(request.POST or None, request.FILES or None, instance=instance, convention=convention)
    formset = RepresentativeFormSet(request.POST or None, instance=instance, prefix="representants")
    previous_file = party.deliberation_document.name if party else ""
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            with transaction.atomic():
                party = form.save(commit=False)
                row_save(instance=party, marker=form.posted_marker, user=request.user)
                formset.instance = party
                formset.save()
                if previous_file and previous_file != party.deliberation_document.name:  # replaced or removed
                    transaction.on_commit(lambda: services.deliberation_release(previous_file))
        except StaleEditError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Signataire « {party.name} » enregistré.")
            return redirect(detail_url(convention, "signataires"))
    context = {
        "form": form,
        "formset": formset,
        "convention": convention,
        "party": party,
        "page_title": f"Signataire : {party.name}" if party else "Ajouter un signataire",
    }
    return render(request, "conventions/editing/party.html", context)


@convention_view(get_text_editable_convention, "GET", "POST")
def party_add(request: HttpRequest, convention: Convention) -> HttpResponse:
    return party_form_page(request, convention, None)


@convention_view(get_text_editable_convention, "GET", "POST")
def party_edit(request: HttpRequest, convention: Convention, party_pk: int) -> HttpResponse:
    return party_form_page(request, convention, get_party(convention, party_pk))


@convention_view(get_text_editable_convention, "GET", "POST")
def party_delete(request: HttpRequest, convention: Convention, party_pk: int) -> HttpResponse:
    """A confirmation page listing what goes with the signatory and what is unlinked; the removal on its post."""
    party = get_party(convention, party_pk)
    form = PartyDeleteForm(request.POST if request.method == "POST" else None, party=party)
    if request.method == "POST" and form.is_valid():
        try:
            services.party_delete(
                party=party,
                user=request.user,
                equipment=form.cleaned_data.get("equipment", ""),
                transfer_to=form.cleaned_data.get("transfer_to"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Signataire « {party.name} » retiré.")
            return redirect(detail_url(convention, "signataires"))
    context = {
        "convention": convention,
        "party": party,
        "form": form,
        "consequences": deletion_consequences(party, shown_apart=(SupportedEquipment,)),
        "equipment": list(party.supported_equipment.select_related("equipment__commune")),
        "clauses": list(convention.clauses.filter(body__icontains=party.name).order_by("order", "pk")),
        "page_title": f"Retirer le signataire « {party.name} »",
    }
    return render(request, "conventions/editing/party_delete.html", context)


@convention_view(get_text_editable_convention, "POST")
def party_reorder(request: HttpRequest, convention: Convention, party_pk: int) -> HttpResponse:
    party = get_party(convention, party_pk)
    party_move(party=party, offset=-1 if request.POST.get("direction") == "up" else 1)
    return redirect(detail_url(convention, "signataires"))


@convention_view(get_visible_convention, "GET")
def deliberation_download(request: HttpRequest, convention: Convention, party_pk: int) -> HttpResponse:
    party = get_party(convention, party_pk)
    if not party.deliberation_document:
        raise Http404("Aucune délibération déposée.")
    filename = f"deliberation-{slugify(party.name)}.pdf"
    return stored_file_response(request, party.deliberation_document, filename=filename, content_type="application/pdf")


# The page a move with details asks them on (conventions.lifecycle.Move.details).
DETAIL_FORMS = {"copil": CopilForm, "signature": SignForm, "termination": TerminateForm}


@convention_view(get_editable_convention, "GET", "POST")
def convention_transition_view(request: HttpRequest, convention: Convention, target: str) -> HttpResponse:
    move = MOVES.get(target)
    if move is None:
        raise Http404("Étape inconnue.")
    form_class = DETAIL_FORMS.get(move.details)
    form = None
    if form_class is not None:
        initial = {"signature_place": convention.signature_place, "copil_date": timezone.localdate()}
        extra = {"convention": convention} if form_class is CopilForm else {}
        form = form_class(request.POST or None, initial=initial, **extra)
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            details = form.cleaned_data if form else {}
            convention_transition(convention=convention, target=target, user=request.user, **details)
        except TransitionRefused as exc:
            messages.error(request, f"{move.label} : refusé. " + " ".join(exc.reasons))
            if form is None and move.details != "checklist":
                return redirect(detail_url(convention, "synthese"))
            if form is not None:
                form.add_error(None, exc.reasons)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(detail_url(convention, "synthese"))
        else:
            convention.refresh_from_db()
            messages.success(request, f"Convention désormais « {convention.phase().label.lower()} ».")
            return redirect(detail_url(convention, "synthese"))
    if move.target not in convention_moves(convention):
        messages.error(request, f"{move.label} : cette étape n'est pas possible depuis ce statut.")
        return redirect(detail_url(convention, "synthese"))
    context = {
        "form": form,
        "convention": convention,
        "label": move.label,
        "page_title": move.label,
        "checklist": signature_checklist(convention=convention) if move.details in ("checklist", "signature") else [],
    }
    return render(request, "conventions/editing/transition.html", context)


@convention_view(get_editable_convention, "GET", "POST")
def amendment_new(request: HttpRequest, convention: Convention) -> HttpResponse:
    form = AmendmentOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            amendment = amendment_open(convention=convention, object=form.cleaned_data["object"])
        except TransitionRefused as exc:
            form.add_error(None, exc.reasons)
        else:
            messages.success(
                request, f"Avenant n° {amendment.number} ouvert : le texte et les annexes sont modifiables."
            )
            return redirect(detail_url(convention, "synthese"))
    context = {"form": form, "convention": convention, "amendment": None, "page_title": "Ouvrir un avenant"}
    return render(request, "conventions/editing/amendment.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def amendment_sign_view(request: HttpRequest, convention_pk: int, amendment_pk: int) -> HttpResponse:
    convention = get_editable_convention(request.user, convention_pk)
    amendment = get_object_or_404(convention.amendments, pk=amendment_pk)
    if amendment.signed_on:
        return redirect("conventions:versions", convention_pk=convention.pk)
    initial = {
        "signed_on": timezone.localdate(),
        "signed_at": convention.signature_place,
        "fingerprint": amendment_fingerprint(amendment=amendment),
    }
    form = AmendmentSignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            amendment_sign(amendment=amendment, user=request.user, **form.cleaned_data)
        except TransitionRefused as exc:
            form.add_error(None, exc.reasons)
        else:
            messages.success(request, f"Avenant n° {amendment.number} signé : le texte est de nouveau figé.")
            return redirect(detail_url(convention, "synthese"))
    context = {
        "form": form,
        "convention": convention,
        "amendment": amendment,
        "comparison": amendment_comparison(amendment=amendment),
        "page_title": f"Signer l'avenant n° {amendment.number}",
    }
    return render(request, "conventions/editing/amendment.html", context)


@convention_view(get_visible_convention, "GET")
def convention_history_view(request: HttpRequest, convention: Convention) -> HttpResponse:
    context = {
        "convention": convention,
        "entries": convention_history(convention=convention, limit=200),
    }
    return render(request, "conventions/history.html", context)
