"""Editing the text and annexes 1, 2 and 4 of a convention, while its text is open (draft, or avenant).

Every view loads the convention with `get_text_editable_convention` (404 for strangers, 403 for readers and
once signed). Every action works as a plain form (POST, then back to the convention's page at the section);
requests sent by htmx (inline rows of the tables) get the updated row instead of a redirect.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..annexes_services import (
    clause_create,
    clause_move,
    clause_reset,
    committee_delete,
    committee_member_move,
    history_checked_save,
    row_append,
    supported_equipment_add,
)
from ..forms.annexes import (
    ClauseForm,
    CommitteeForm,
    CommitteeMemberForm,
    ConventionTextForm,
    DiagnosticForm,
    EquipmentCreateForm,
    IssueForm,
    KeyFigureForm,
    SupportedEquipmentAddForm,
    SupportedEquipmentForm,
)
from ..locking import StaleEditError, versioned_save
from ..models import Clause, Committee, CommitteeMember, Convention, Diagnostic, Issue, KeyFigure, SupportedEquipment
from ..perms import get_text_editable_convention
from ..services import placeholder_values
from ..text import PLACEHOLDERS, fill_placeholders

PLACEHOLDER_LABELS = {
    "caf": "la Caf, précédée de son article",
    "caf_nom": "le nom de la Caf",
    "collectivite": "la ou les collectivités signataires",
    "territoire": "le périmètre",
    "date_debut": "la date de début",
    "date_fin": "la date de fin",
    "periode": "la période, en années",
}
FORM_PAGE = "conventions/annexes/form_page.html"
CONFIRM_PAGE = "conventions/annexes/confirm.html"
INLINE_FORM = "conventions/annexes/_inline_form_row.html"
EDIT_METHODS = require_http_methods(["GET", "POST"])


# Helpers ----------------------------------------------------------------------------------------------------


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _data(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _back(convention: Convention, anchor: str) -> HttpResponseRedirect:
    return redirect(f"{reverse('conventions:detail', args=[convention.pk])}#{anchor}")


def _add_errors(form, error: ValidationError) -> None:
    """A service's refusal, shown next to the field it names (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _checked_save(form) -> bool:
    try:
        history_checked_save(instance=form.instance, expected_marker=form.expected_marker)
    except ValidationError as error:
        _add_errors(form, error)
        return False
    return True


def _placeholder_help(values: dict[str, str]) -> list[dict[str, str]]:
    return [
        {"code": f"{{{key}}}", "label": PLACEHOLDER_LABELS.get(key, ""), "value": values.get(key, "")}
        for key in PLACEHOLDERS
    ]


def _form_page(
    request: HttpRequest, *, convention: Convention, form, title: str, anchor: str, template: str = FORM_PAGE, **extra
) -> HttpResponse:
    context = {
        "convention": convention,
        "form": form,
        "title": title,
        "anchor": anchor,
        "intro": "",
        "placeholders": [],
        "submit_label": "Enregistrer",
        **extra,
    }
    return render(request, template, context)


def _confirm_page(
    request: HttpRequest,
    *,
    convention: Convention,
    title: str,
    question: str,
    anchor: str,
    confirm_label: str,
    details: str = "",
    danger: bool = True,
    refused: str = "",
) -> HttpResponse:
    context = {
        "convention": convention,
        "title": title,
        "question": question,
        "anchor": anchor,
        "confirm_label": confirm_label,
        "details": details,
        "danger": danger,
        "refused": refused,
    }
    return render(request, CONFIRM_PAGE, context)


def _inline_form(
    request: HttpRequest,
    *,
    convention: Convention,
    form,
    row_id: str,
    action: str,
    colspan: int,
    legend: str,
    anchor: str,
) -> HttpResponse:
    context = {
        "convention": convention,
        "anchor": anchor,
        "form": form,
        "row_id": row_id,
        "action": action,
        "colspan": colspan,
        "legend": legend,
    }
    return render(request, INLINE_FORM, context)


def _fragment(request: HttpRequest, template: str, convention: Convention, **context) -> HttpResponse:
    # Fragments are only served to people who may edit: the row shows its edit links.
    return render(request, template, {"convention": convention, "can_edit": True, **context})


def _direction(request: HttpRequest) -> str | None:
    direction = request.POST.get("direction")
    return direction if direction in ("up", "down") else None


# Text: visas, préambule, articles --------------------------------------------------------------------------


@login_required
@EDIT_METHODS
def convention_text_edit(request: HttpRequest, pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, pk)
    values = placeholder_values(convention=convention)
    form = ConventionTextForm(_data(request), instance=convention, placeholders=values)
    if request.method == "POST" and form.is_valid():
        try:
            versioned_save(
                instance=form.instance, expected_version=form.expected_version, update_fields=["visas", "preamble"]
            )
        except StaleEditError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Les visas et le préambule sont enregistrés.")
            return _back(convention, "texte")
    return _form_page(
        request,
        convention=convention,
        form=form,
        title="Visas et préambule",
        anchor="texte",
        placeholders=_placeholder_help(values),
    )


@login_required
@EDIT_METHODS
def clause_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, pk)
    values = placeholder_values(convention=convention)
    form = ClauseForm(_data(request), instance=Clause(convention=convention), placeholders=values)
    if request.method == "POST" and form.is_valid():
        clause = clause_create(
            convention=convention,
            number=form.cleaned_data["number"],
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
        )
        messages.success(request, f"L'article « {clause.heading} » est ajouté à la fin du texte.")
        return _back(convention, "texte")
    return _form_page(
        request,
        convention=convention,
        form=form,
        title="Ajouter un article",
        anchor="texte",
        submit_label="Ajouter l'article",
        placeholders=_placeholder_help(values),
    )


@login_required
@EDIT_METHODS
def clause_edit(request: HttpRequest, pk: int, clause_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, pk)
    clause = get_object_or_404(Clause, pk=clause_pk, convention=convention)
    heading = clause.heading
    values = placeholder_values(convention=convention)
    form = ClauseForm(_data(request), instance=clause, placeholders=values)
    if request.method == "POST" and form.is_valid() and _checked_save(form):
        messages.success(request, f"L'article « {form.instance.heading} » est enregistré.")
        return _back(convention, "texte")
    return _form_page(
        request,
        convention=convention,
        form=form,
        title=f"Modifier « {heading} »",
        anchor="texte",
        placeholders=_placeholder_help(values),
    )


@login_required
@EDIT_METHODS
def clause_reset_view(request: HttpRequest, pk: int, clause_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, pk)
    clause = get_object_or_404(Clause.objects.select_related("template"), pk=clause_pk, convention=convention)
    if clause.template is None:
        messages.error(request, f"« {clause.heading} » n'a pas de modèle : il n'y a pas de texte à rétablir.")
        return _back(convention, "texte")
    if request.method == "POST":
        clause_reset(clause=clause)
        messages.success(request, f"Le texte du modèle est rétabli pour « {clause.heading} ».")
        return _back(convention, "texte")
    return _confirm_page(
        request,
        convention=convention,
        title=f"Rétablir le texte du modèle – {clause.heading}",
        question=(
            "Le texte actuel de l'article sera remplacé par celui du modèle ci-dessous, "
            "complété avec les informations de la convention. Les changements faits sur cet article seront perdus."
        ),
        details=fill_placeholders(clause.template.body, placeholder_values(convention=convention)),
        anchor="texte",
        confirm_label="Rétablir le texte du modèle",
    )


@login_required
@EDIT_METHODS
def clause_delete(request: HttpRequest, pk: int, clause_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, pk)
    clause = get_object_or_404(Clause, pk=clause_pk, convention=convention)
    if request.method == "POST":
        clause.delete()
        messages.success(request, f"L'article « {clause.heading} » est supprimé.")
        return _back(convention, "texte")
    return _confirm_page(
        request,
        convention=convention,
        title=f"Supprimer « {clause.heading} »",
        question="L'article sera retiré du texte de la convention. Les autres articles ne sont pas renumérotés.",
        anchor="texte",
        confirm_label="Supprimer l'article",
    )


@login_required
@require_POST
def clause_move_view(request: HttpRequest, pk: int, clause_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, pk)
    clause = get_object_or_404(Clause, pk=clause_pk, convention=convention)
    direction = _direction(request)
    if direction and clause_move(clause=clause, direction=direction):
        messages.success(request, f"« {clause.title} » est {'remonté' if direction == 'up' else 'descendu'} d'un rang.")
    return _back(convention, "texte")


# Annexe 1: diagnostic ------------------------------------------------------------------------------------


def _diagnostic_or_new(convention: Convention) -> Diagnostic:
    return Diagnostic.objects.filter(convention=convention).first() or Diagnostic(convention=convention)


@login_required
@EDIT_METHODS
def diagnostic_edit(request: HttpRequest, pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, pk)
    form = DiagnosticForm(_data(request), instance=_diagnostic_or_new(convention))
    if request.method == "POST" and form.is_valid() and _checked_save(form):
        messages.success(request, "La synthèse du diagnostic est enregistrée.")
        return _back(convention, "diagnostic")
    return _form_page(
        request, convention=convention, form=form, title="Annexe 1 – synthèse du diagnostic", anchor="diagnostic"
    )


KEY_FIGURE_COLUMNS = 6


@login_required
@EDIT_METHODS
def key_figure_create(request: HttpRequest, pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, pk)
    form = KeyFigureForm(_data(request), prefix="chiffre-nouveau")
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            diagnostic, _ = Diagnostic.objects.get_or_create(convention=convention)
            form.instance.diagnostic = diagnostic
            key_figure = row_append(instance=form.instance, siblings=diagnostic.key_figures.all())
        if _is_htmx(request):
            return _fragment(request, "conventions/annexes/_key_figure_created.html", convention, k=key_figure)
        messages.success(request, f"Le chiffre clé « {key_figure.label} » est ajouté.")
        return _back(convention, "diagnostic")
    if _is_htmx(request):
        return _inline_form(
            request,
            convention=convention,
            form=form,
            row_id="chiffre-nouveau",
            action=reverse("conventions:key_figure_create", args=[convention.pk]),
            colspan=KEY_FIGURE_COLUMNS,
            anchor="diagnostic",
            legend="Nouveau chiffre clé",
        )
    return _form_page(
        request,
        convention=convention,
        form=form,
        title="Ajouter un chiffre clé",
        anchor="diagnostic",
        submit_label="Ajouter",
    )


@login_required
@EDIT_METHODS
def key_figure_edit(request: HttpRequest, pk: int, key_figure_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, pk)
    key_figure = get_object_or_404(KeyFigure, pk=key_figure_pk, diagnostic__convention=convention)
    label = key_figure.label
    form = KeyFigureForm(_data(request), instance=key_figure, prefix=f"chiffre-{key_figure.pk}")
    if request.method == "POST" and form.is_valid() and _checked_save(form):
        if _is_htmx(request):
            return _fragment(request, "conventions/annexes/_key_figure_row.html", convention, k=form.instance)
        messages.success(request, f"Le chiffre clé « {form.instance.label} » est enregistré.")
        return _back(convention, "diagnostic")
    if _is_htmx(request):
        return _inline_form(
            request,
            convention=convention,
            form=form,
            row_id=f"chiffre-{key_figure.pk}",
            action=reverse("conventions:key_figure_edit", args=[convention.pk, key_figure.pk]),
            colspan=KEY_FIGURE_COLUMNS,
            anchor="diagnostic",
            legend=f"Modifier « {label} »",
        )
    return _form_page(request, convention=convention, form=form, title=f"Modifier « {label} »", anchor="diagnostic")


@login_required
@EDIT_METHODS
def key_figure_delete(request: HttpRequest, pk: int, key_figure_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, pk)
    key_figure = get_object_or_404(KeyFigure, pk=key_figure_pk, diagnostic__convention=convention)
    if request.method == "POST":
        key_figure.delete()
        if _is_htmx(request):
            return HttpResponse("")
        messages.success(request, f"Le chiffre clé « {key_figure.label} » est supprimé.")
        return _back(convention, "diagnostic")
    return _confirm_page(
        request,
        convention=convention,
        title=f"Supprimer le chiffre clé « {key_figure.label} »",
        question="Le chiffre clé sera retiré de l'annexe 1.",
        anchor="diagnostic",
        confirm_label="Supprimer le chiffre clé",
    )


ISSUE_COLUMNS = 3


@login_required
@EDIT_METHODS
def issue_create(request: HttpRequest, pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, pk)
    form = IssueForm(_data(request), prefix="enjeu-nouveau")
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            diagnostic, _ = Diagnostic.objects.get_or_create(convention=convention)
            form.instance.diagnostic = diagnostic
            issue = row_append(instance=form.instance, siblings=diagnostic.issues.all())
        if _is_htmx(request):
            return _fragment(request, "conventions/annexes/_issue_created.html", convention, issue=issue)
        messages.success(request, "L'enjeu est ajouté.")
        return _back(convention, "diagnostic")
    if _is_htmx(request):
        return _inline_form(
            request,
            convention=convention,
            form=form,
            row_id="enjeu-nouveau",
            action=reverse("conventions:issue_create", args=[convention.pk]),
            colspan=ISSUE_COLUMNS,
            anchor="diagnostic",
            legend="Nouvel enjeu",
        )
    return _form_page(
        request, convention=convention, form=form, title="Ajouter un enjeu", anchor="diagnostic", submit_label="Ajouter"
    )


@login_required
@EDIT_METHODS
def issue_edit(request: HttpRequest, pk: int, issue_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, pk)
    issue = get_object_or_404(Issue.objects.select_related("domain"), pk=issue_pk, diagnostic__convention=convention)
    form = IssueForm(_data(request), instance=issue, prefix=f"enjeu-{issue.pk}")
    if request.method == "POST" and form.is_valid() and _checked_save(form):
        if _is_htmx(request):
            return _fragment(request, "conventions/annexes/_issue_row.html", convention, issue=form.instance)
        messages.success(request, "L'enjeu est enregistré.")
        return _back(convention, "diagnostic")
    if _is_htmx(request):
        return _inline_form(
            request,
            convention=convention,
            form=form,
            row_id=f"enjeu-{issue.pk}",
            action=reverse("conventions:issue_edit", args=[convention.pk, issue.pk]),
            colspan=ISSUE_COLUMNS,
            anchor="diagnostic",
            legend="Modifier l'enjeu",
        )
    return _form_page(request, convention=convention, form=form, title="Modifier un enjeu", anchor="diagnostic")


@login_required
@EDIT_METHODS
def issue_delete(request: HttpRequest, pk: int, issue_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, pk)
    issue = get_object_or_404(Issue, pk=issue_pk, diagnostic__convention=convention)
    if request.method == "POST":
        issue.delete()
        if _is_htmx(request):
            return HttpResponse("")
        messages.success(request, "L'enjeu est supprimé.")
        return _back(convention, "diagnostic")
    return _confirm_page(
        request,
        convention=convention,
        title="Supprimer un enjeu",
        question="Cet enjeu sera retiré de l'annexe 1 :",
        details=issue.text,
        anchor="diagnostic",
        confirm_label="Supprimer l'enjeu",
    )


# Annexe 2: équipements ---------------------------------------------------------------------------------------


@login_required
@EDIT_METHODS
def supported_equipment_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, pk)
    search = request.GET.get("q", "")
    form = SupportedEquipmentAddForm(_data(request), convention=convention, search=search)
    if request.method == "POST" and form.is_valid():
        try:
            support = supported_equipment_add(
                convention=convention,
                equipment=form.cleaned_data["equipment"],
                supported_by=form.cleaned_data["supported_by"],
                financing_note=form.cleaned_data["financing_note"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"« {support.equipment.name} » est ajouté à l'annexe 2.")
            return _back(convention, "equipements")
    return _form_page(
        request,
        convention=convention,
        form=form,
        title="Annexe 2 – ajouter un équipement existant",
        anchor="equipements",
        submit_label="Ajouter à l'annexe 2",
        search=search,
        template="conventions/annexes/equipment_add.html",
    )


@login_required
@require_GET
def equipment_options(request: HttpRequest, pk: int) -> HttpResponse:
    """The <option>s of the equipment select, filtered as the user types (htmx)."""
    convention = get_text_editable_convention(request.user, pk)
    form = SupportedEquipmentAddForm(convention=convention, search=request.GET.get("q", ""))
    choices = list(form.fields["equipment"].choices)
    return render(request, "conventions/annexes/_equipment_options.html", {"choices": choices})


@login_required
@EDIT_METHODS
def supported_equipment_create(request: HttpRequest, pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, pk)
    form = EquipmentCreateForm(_data(request), convention=convention)
    if request.method == "POST" and form.is_valid():
        try:
            support = supported_equipment_add(
                convention=convention,
                equipment=form.instance,
                supported_by=form.cleaned_data["supported_by"],
                financing_note=form.cleaned_data["financing_note"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"« {support.equipment.name} » est créé et ajouté à l'annexe 2.")
            return _back(convention, "equipements")
    return _form_page(
        request,
        convention=convention,
        form=form,
        title="Annexe 2 – créer un équipement",
        anchor="equipements",
        intro="L'équipement est enregistré dans sa commune, puis ajouté à l'annexe 2 de la convention.",
        submit_label="Créer et ajouter à l'annexe 2",
    )


def _support(convention: Convention, supported_equipment_pk: int) -> SupportedEquipment:
    return get_object_or_404(
        SupportedEquipment.objects.select_related("equipment__commune", "equipment__kind"),
        pk=supported_equipment_pk,
        convention=convention,
    )


@login_required
@EDIT_METHODS
def supported_equipment_edit(request: HttpRequest, pk: int, supported_equipment_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, pk)
    support = _support(convention, supported_equipment_pk)
    form = SupportedEquipmentForm(_data(request), instance=support, convention=convention)
    if request.method == "POST" and form.is_valid() and _checked_save(form):
        messages.success(request, f"« {support.equipment.name} » est enregistré.")
        return _back(convention, "equipements")
    return _form_page(
        request,
        convention=convention,
        form=form,
        title=f"Annexe 2 – {support.equipment.name} ({support.equipment.commune.name})",
        anchor="equipements",
    )


@login_required
@EDIT_METHODS
def supported_equipment_remove(request: HttpRequest, pk: int, supported_equipment_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, pk)
    support = _support(convention, supported_equipment_pk)
    if request.method == "POST":
        support.delete()  # the equipment itself stays in the reference data of its commune
        messages.success(request, f"« {support.equipment.name} » est retiré de l'annexe 2.")
        return _back(convention, "equipements")
    return _confirm_page(
        request,
        convention=convention,
        title=f"Retirer « {support.equipment.name} » de l'annexe 2",
        question=(
            f"« {support.equipment.name} » ({support.equipment.kind.label}, {support.equipment.commune.name}) "
            "ne figurera plus à l'annexe 2. L'équipement reste enregistré dans sa commune."
        ),
        anchor="equipements",
        confirm_label="Retirer de l'annexe 2",
    )


# Annexe 4: pilotage ----------------------------------------------------------------------------------------


@login_required
@EDIT_METHODS
def committee_create(request: HttpRequest, pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, pk)
    form = CommitteeForm(_data(request), instance=Committee(convention=convention))
    if request.method == "POST" and form.is_valid():
        committee = row_append(instance=form.instance, siblings=Committee.objects.filter(convention=convention))
        messages.success(request, f"L'instance « {committee.name} » est ajoutée.")
        return _back(convention, "pilotage")
    return _form_page(
        request,
        convention=convention,
        form=form,
        title="Annexe 4 – ajouter une instance de pilotage",
        anchor="pilotage",
        submit_label="Ajouter",
    )


@login_required
@EDIT_METHODS
def committee_edit(request: HttpRequest, pk: int, committee_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, pk)
    committee = get_object_or_404(Committee, pk=committee_pk, convention=convention)
    name = committee.name
    form = CommitteeForm(_data(request), instance=committee)
    if request.method == "POST" and form.is_valid() and _checked_save(form):
        messages.success(request, f"L'instance « {form.instance.name} » est enregistrée.")
        return _back(convention, "pilotage")
    return _form_page(request, convention=convention, form=form, title=f"Modifier « {name} »", anchor="pilotage")


@login_required
@EDIT_METHODS
def committee_delete_view(request: HttpRequest, pk: int, committee_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, pk)
    committee = get_object_or_404(Committee, pk=committee_pk, convention=convention)
    if request.method == "POST":
        try:
            committee_delete(committee=committee)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"L'instance « {committee.name} » est supprimée.")
        return _back(convention, "pilotage")
    meetings, members = committee.meetings.count(), committee.members.count()
    return _confirm_page(
        request,
        convention=convention,
        title=f"Supprimer « {committee.name} »",
        question=f"L'instance et ses membres ({members}) seront retirés de l'annexe 4.",
        anchor="pilotage",
        confirm_label="Supprimer l'instance",
        refused=(
            f"« {committee.name} » s'est déjà réunie ({meetings} réunion{'s' if meetings > 1 else ''}) : "
            "une instance qui s'est réunie ne peut pas être supprimée, ses comptes rendus restent dans la convention."
            if meetings
            else ""
        ),
    )


MEMBER_COLUMNS = 4


def _member_rows(request: HttpRequest, convention: Convention, committee_id: int) -> HttpResponse:
    """The whole list of a committee's members: positions (first, last) change when one row does."""
    committee = Committee.objects.prefetch_related("members").get(pk=committee_id)
    response = _fragment(request, "conventions/annexes/_member_rows.html", convention, committee=committee)
    # The inline form targets its own row; the answer replaces the table body around it.
    response["HX-Retarget"] = f"#membres-{committee_id}"
    response["HX-Reswap"] = "outerHTML"
    return response


@login_required
@EDIT_METHODS
def committee_member_create(request: HttpRequest, pk: int, committee_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, pk)
    committee = get_object_or_404(Committee, pk=committee_pk, convention=convention)
    row_id = f"membre-nouveau-{committee.pk}"
    form = CommitteeMemberForm(
        _data(request), instance=CommitteeMember(committee=committee), convention=convention, prefix=row_id
    )
    if request.method == "POST" and form.is_valid():
        member = row_append(instance=form.instance, siblings=committee.members.all())
        if _is_htmx(request):
            return _member_rows(request, convention, committee.pk)
        messages.success(request, f"{member.person} est ajouté·e à « {committee.name} ».")
        return _back(convention, "pilotage")
    if _is_htmx(request):
        return _inline_form(
            request,
            convention=convention,
            form=form,
            row_id=row_id,
            action=reverse("conventions:committee_member_create", args=[convention.pk, committee.pk]),
            colspan=MEMBER_COLUMNS,
            anchor="pilotage",
            legend=f"Nouveau membre de « {committee.name} »",
        )
    return _form_page(
        request,
        convention=convention,
        form=form,
        title=f"Ajouter un membre à « {committee.name} »",
        anchor="pilotage",
        submit_label="Ajouter",
    )


def _member(convention: Convention, committee_member_pk: int) -> CommitteeMember:
    return get_object_or_404(
        CommitteeMember.objects.select_related("committee"), pk=committee_member_pk, committee__convention=convention
    )


@login_required
@EDIT_METHODS
def committee_member_edit(request: HttpRequest, pk: int, committee_member_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, pk)
    member = _member(convention, committee_member_pk)
    person = member.person
    row_id = f"membre-{member.pk}"
    form = CommitteeMemberForm(_data(request), instance=member, convention=convention, prefix=row_id)
    if request.method == "POST" and form.is_valid():
        member = form.save()
        if _is_htmx(request):
            return _member_rows(request, convention, member.committee_id)
        messages.success(request, f"{member.person} est enregistré·e.")
        return _back(convention, "pilotage")
    if _is_htmx(request):
        return _inline_form(
            request,
            convention=convention,
            form=form,
            row_id=row_id,
            action=reverse("conventions:committee_member_edit", args=[convention.pk, member.pk]),
            colspan=MEMBER_COLUMNS,
            anchor="pilotage",
            legend=f"Modifier {person}",
        )
    return _form_page(request, convention=convention, form=form, title=f"Modifier {person}", anchor="pilotage")


@login_required
@EDIT_METHODS
def committee_member_delete(request: HttpRequest, pk: int, committee_member_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, pk)
    member = _member(convention, committee_member_pk)
    if request.method == "POST":
        member.delete()
        if _is_htmx(request):
            return _member_rows(request, convention, member.committee_id)
        messages.success(request, f"{member.person} est retiré·e de « {member.committee.name} ».")
        return _back(convention, "pilotage")
    return _confirm_page(
        request,
        convention=convention,
        title=f"Retirer {member.person} de « {member.committee.name} »",
        question=f"{member.person} ne figurera plus parmi les membres de « {member.committee.name} ».",
        anchor="pilotage",
        confirm_label="Retirer le membre",
    )


@login_required
@require_POST
def committee_member_move_view(request: HttpRequest, pk: int, committee_member_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, pk)
    member = _member(convention, committee_member_pk)
    direction = _direction(request)
    if direction:
        committee_member_move(member=member, direction=direction)
    if _is_htmx(request):
        return _member_rows(request, convention, member.committee_id)
    return _back(convention, "pilotage")
