"""Editing the text and annexes 1, 2 and 4 of a convention, while its text is open (draft, or avenant).

Every view loads the convention with `get_text_editable_convention` (404 for strangers, 403 for readers and
once signed). Every action works as a plain form (POST, then back to the convention's page at the section);
requests sent by htmx (inline rows of the tables) get the updated row instead of a redirect.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import add_service_errors
from core.htmx import is_htmx, retarget
from core.locking import StaleEditError, save_if_unchanged

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
from ..models import Clause, Committee, CommitteeMember, Convention, Diagnostic, Issue, KeyFigure, SupportedEquipment
from ..perms import convention_rights, get_text_editable_convention
from ..placeholders import PLACEHOLDERS, fill_placeholders
from ..services import (
    clause_create,
    clause_move,
    clause_reset,
    committee_delete,
    committee_member_move,
    diagnostic_row_append,
    placeholder_values,
    row_append,
    row_delete,
    row_save,
    supported_equipment_add,
)

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


def _data(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _back(convention: Convention, anchor: str) -> HttpResponseRedirect:
    return redirect(f"{reverse('conventions:detail', args=[convention.pk])}#{anchor}")


def _checked_save(request: HttpRequest, form) -> bool:
    try:
        row_save(instance=form.instance, marker=form.posted_marker, user=request.user)
    except ValidationError as error:
        add_service_errors(form, error)
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


def _fragment(request: HttpRequest, template: str, convention: Convention, **context) -> HttpResponse:
    # Fragments are only served to people who may edit the text: the row shows its edit links.
    return render(
        request, template, {"convention": convention, "rights": convention_rights(request.user, convention), **context}
    )


def _direction(request: HttpRequest) -> str | None:
    direction = request.POST.get("direction")
    return direction if direction in ("up", "down") else None


# Rows edited in place (key figures, issues, committee members) ----------------------------------------------
# Each kind has its own three small views below; they share only how the row's form is shown: in place of the
# row in its table (htmx), or on a page of its own without JavaScript.


def _row_form_page(
    request: HttpRequest, convention: Convention, form, *, row_id: str, action: str, legend: str, colspan: int, **page
) -> HttpResponse:
    anchor = page.pop("anchor")
    if is_htmx(request):
        inline = {"row_id": row_id, "action": action, "colspan": colspan, "legend": legend}
        return render(request, INLINE_FORM, {"convention": convention, "anchor": anchor, "form": form, **inline})
    return _form_page(request, convention=convention, form=form, anchor=anchor, **page)


# Text: visas, préambule, articles --------------------------------------------------------------------------


@login_required
@EDIT_METHODS
def convention_text_edit(request: HttpRequest, convention_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    values = placeholder_values(convention=convention)
    form = ConventionTextForm(_data(request), instance=convention, placeholders=values)
    if request.method == "POST" and form.is_valid():
        try:
            save_if_unchanged(
                instance=form.instance,
                marker=form.posted_marker,
                user=request.user,
                update_fields=["visas", "preamble"],
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
def clause_create_view(request: HttpRequest, convention_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
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
def clause_edit(request: HttpRequest, convention_pk: int, clause_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    clause = get_object_or_404(Clause, pk=clause_pk, convention=convention)
    heading = clause.heading
    values = placeholder_values(convention=convention)
    form = ClauseForm(_data(request), instance=clause, placeholders=values)
    if request.method == "POST" and form.is_valid() and _checked_save(request, form):
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
def clause_reset_view(request: HttpRequest, convention_pk: int, clause_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
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
def clause_delete(request: HttpRequest, convention_pk: int, clause_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    clause = get_object_or_404(Clause, pk=clause_pk, convention=convention)
    if request.method == "POST":
        row_delete(instance=clause, user=request.user)
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
def clause_move_view(request: HttpRequest, convention_pk: int, clause_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
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
def diagnostic_edit(request: HttpRequest, convention_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    form = DiagnosticForm(_data(request), instance=_diagnostic_or_new(convention))
    if request.method == "POST" and form.is_valid() and _checked_save(request, form):
        messages.success(request, "La synthèse du diagnostic est enregistrée.")
        return _back(convention, "diagnostic")
    return _form_page(
        request, convention=convention, form=form, title="Annexe 1 – synthèse du diagnostic", anchor="diagnostic"
    )


def _append_to_diagnostic(convention: Convention, row: KeyFigure | Issue) -> KeyFigure | Issue:
    return diagnostic_row_append(convention=convention, row=row)


KEY_FIGURE_ROW = "conventions/annexes/_key_figure_row.html"


def _key_figure(convention: Convention, key_figure_pk: int) -> KeyFigure:
    return get_object_or_404(KeyFigure, pk=key_figure_pk, diagnostic__convention=convention)


@login_required
@EDIT_METHODS
def key_figure_create(request: HttpRequest, convention_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    form = KeyFigureForm(_data(request), instance=KeyFigure(), prefix="chiffre-nouveau")
    if request.method == "POST" and form.is_valid():
        row = diagnostic_row_append(convention=convention, row=form.instance)
        if is_htmx(request):
            return _fragment(request, "conventions/annexes/_key_figure_created.html", convention, k=row)
        messages.success(request, f"Le chiffre clé « {row.label} » est ajouté.")
        return _back(convention, "diagnostic")
    return _row_form_page(
        request,
        convention,
        form,
        row_id="chiffre-nouveau",
        action=reverse("conventions:key_figure_create", args=[convention.pk]),
        legend="Nouveau chiffre clé",
        colspan=6,
        anchor="diagnostic",
        title="Ajouter un chiffre clé",
        submit_label="Ajouter",
    )


@login_required
@EDIT_METHODS
def key_figure_edit(request: HttpRequest, convention_pk: int, key_figure_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    row = _key_figure(convention, key_figure_pk)
    named = f"Modifier « {row.label} »"  # as read, before the form copies the posted values into the row
    form = KeyFigureForm(_data(request), instance=row, prefix=f"chiffre-{row.pk}")
    if request.method == "POST" and form.is_valid() and _checked_save(request, form):
        if is_htmx(request):
            return _fragment(request, KEY_FIGURE_ROW, convention, k=form.instance)
        messages.success(request, f"Le chiffre clé « {form.instance.label} » est enregistré.")
        return _back(convention, "diagnostic")
    return _row_form_page(
        request,
        convention,
        form,
        row_id=f"chiffre-{row.pk}",
        action=reverse("conventions:key_figure_edit", args=[convention.pk, row.pk]),
        legend=named,
        colspan=6,
        anchor="diagnostic",
        title=named,
    )


@login_required
@EDIT_METHODS
def key_figure_delete(request: HttpRequest, convention_pk: int, key_figure_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    row = _key_figure(convention, key_figure_pk)
    if request.method == "POST":
        row_delete(instance=row, user=request.user)
        if is_htmx(request):
            return HttpResponse("")  # htmx removes the row
        messages.success(request, f"Le chiffre clé « {row.label} » est supprimé.")
        return _back(convention, "diagnostic")
    return _confirm_page(
        request,
        convention=convention,
        title=f"Supprimer le chiffre clé « {row.label} »",
        question="Le chiffre clé sera retiré de l'annexe 1.",
        anchor="diagnostic",
        confirm_label="Supprimer le chiffre clé",
    )


ISSUE_ROW = "conventions/annexes/_issue_row.html"


def _issue(convention: Convention, issue_pk: int) -> Issue:
    return get_object_or_404(Issue.objects.select_related("domain"), pk=issue_pk, diagnostic__convention=convention)


@login_required
@EDIT_METHODS
def issue_create(request: HttpRequest, convention_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    form = IssueForm(_data(request), instance=Issue(), prefix="enjeu-nouveau")
    if request.method == "POST" and form.is_valid():
        row = diagnostic_row_append(convention=convention, row=form.instance)
        if is_htmx(request):
            return _fragment(request, "conventions/annexes/_issue_created.html", convention, issue=row)
        messages.success(request, "L'enjeu est ajouté.")
        return _back(convention, "diagnostic")
    return _row_form_page(
        request,
        convention,
        form,
        row_id="enjeu-nouveau",
        action=reverse("conventions:issue_create", args=[convention.pk]),
        legend="Nouvel enjeu",
        colspan=3,
        anchor="diagnostic",
        title="Ajouter un enjeu",
        submit_label="Ajouter",
    )


@login_required
@EDIT_METHODS
def issue_edit(request: HttpRequest, convention_pk: int, issue_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    row = _issue(convention, issue_pk)
    form = IssueForm(_data(request), instance=row, prefix=f"enjeu-{row.pk}")
    if request.method == "POST" and form.is_valid() and _checked_save(request, form):
        if is_htmx(request):
            return _fragment(request, ISSUE_ROW, convention, issue=form.instance)
        messages.success(request, "L'enjeu est enregistré.")
        return _back(convention, "diagnostic")
    return _row_form_page(
        request,
        convention,
        form,
        row_id=f"enjeu-{row.pk}",
        action=reverse("conventions:issue_edit", args=[convention.pk, row.pk]),
        legend="Modifier l'enjeu",
        colspan=3,
        anchor="diagnostic",
        title="Modifier un enjeu",
    )


@login_required
@EDIT_METHODS
def issue_delete(request: HttpRequest, convention_pk: int, issue_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    row = _issue(convention, issue_pk)
    if request.method == "POST":
        row_delete(instance=row, user=request.user)
        if is_htmx(request):
            return HttpResponse("")  # htmx removes the row
        messages.success(request, "L'enjeu est supprimé.")
        return _back(convention, "diagnostic")
    return _confirm_page(
        request,
        convention=convention,
        title="Supprimer un enjeu",
        question="Cet enjeu sera retiré de l'annexe 1 :",
        details=row.text,
        anchor="diagnostic",
        confirm_label="Supprimer l'enjeu",
    )


# Annexe 2: équipements ---------------------------------------------------------------------------------------


@login_required
@EDIT_METHODS
def supported_equipment_add_view(request: HttpRequest, convention_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
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
            add_service_errors(form, error)
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
def equipment_options(request: HttpRequest, convention_pk: int) -> HttpResponse:
    """The <option>s of the equipment select, filtered as the user types (htmx)."""
    convention = get_text_editable_convention(request.user, convention_pk)
    form = SupportedEquipmentAddForm(convention=convention, search=request.GET.get("q", ""))
    choices = list(form.fields["equipment"].choices)
    return render(request, "conventions/annexes/_equipment_options.html", {"choices": choices})


@login_required
@EDIT_METHODS
def supported_equipment_create(request: HttpRequest, convention_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
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
            add_service_errors(form, error)
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
def supported_equipment_edit(request: HttpRequest, convention_pk: int, supported_equipment_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    support = _support(convention, supported_equipment_pk)
    form = SupportedEquipmentForm(_data(request), instance=support, convention=convention)
    if request.method == "POST" and form.is_valid() and _checked_save(request, form):
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
def supported_equipment_remove(request: HttpRequest, convention_pk: int, supported_equipment_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    support = _support(convention, supported_equipment_pk)
    if request.method == "POST":
        row_delete(instance=support, user=request.user)  # the equipment stays in its commune
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
def committee_create(request: HttpRequest, convention_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
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
def committee_edit(request: HttpRequest, convention_pk: int, committee_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    committee = get_object_or_404(Committee, pk=committee_pk, convention=convention)
    name = committee.name
    form = CommitteeForm(_data(request), instance=committee)
    if request.method == "POST" and form.is_valid() and _checked_save(request, form):
        messages.success(request, f"L'instance « {form.instance.name} » est enregistrée.")
        return _back(convention, "pilotage")
    return _form_page(request, convention=convention, form=form, title=f"Modifier « {name} »", anchor="pilotage")


@login_required
@EDIT_METHODS
def committee_delete_view(request: HttpRequest, convention_pk: int, committee_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
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


def _member_rows(request: HttpRequest, convention: Convention, member: CommitteeMember) -> HttpResponse:
    """The whole list of a committee's members: positions (first, last) change when one row does."""
    committee_id = member.committee_id
    committee = Committee.objects.prefetch_related("members").get(pk=committee_id)
    response = _fragment(request, "conventions/annexes/_member_rows.html", convention, committee=committee)
    # The inline form targets its own row; the answer replaces the table body around it.
    return retarget(response, f"#membres-{committee_id}")


def _member(convention: Convention, committee_member_pk: int) -> CommitteeMember:
    return get_object_or_404(
        CommitteeMember.objects.select_related("committee"), pk=committee_member_pk, committee__convention=convention
    )


@login_required
@EDIT_METHODS
def committee_member_create(request: HttpRequest, convention_pk: int, committee_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    committee = get_object_or_404(Committee, pk=committee_pk, convention=convention)
    row_id = f"membre-nouveau-{committee.pk}"
    form = CommitteeMemberForm(
        _data(request), instance=CommitteeMember(committee=committee), prefix=row_id, convention=convention
    )
    if request.method == "POST" and form.is_valid():
        member = row_append(instance=form.instance, siblings=committee.members.all())
        if is_htmx(request):
            return _member_rows(request, convention, member)
        messages.success(request, f"{member.person} est ajouté·e à « {committee.name} ».")
        return _back(convention, "pilotage")
    return _row_form_page(
        request,
        convention,
        form,
        row_id=row_id,
        action=reverse("conventions:committee_member_create", args=[convention.pk, committee.pk]),
        legend=f"Nouveau membre de « {committee.name} »",
        colspan=4,
        anchor="pilotage",
        title=f"Ajouter un membre à « {committee.name} »",
        submit_label="Ajouter",
    )


@login_required
@EDIT_METHODS
def committee_member_edit(request: HttpRequest, convention_pk: int, committee_member_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    member = _member(convention, committee_member_pk)
    named = f"Modifier {member.person}"  # as read, before the form copies the posted values into the row
    form = CommitteeMemberForm(_data(request), instance=member, prefix=f"membre-{member.pk}", convention=convention)
    if request.method == "POST" and form.is_valid() and _checked_save(request, form):
        if is_htmx(request):
            return _member_rows(request, convention, form.instance)
        messages.success(request, f"{form.instance.person} est enregistré·e.")
        return _back(convention, "pilotage")
    return _row_form_page(
        request,
        convention,
        form,
        row_id=f"membre-{member.pk}",
        action=reverse("conventions:committee_member_edit", args=[convention.pk, member.pk]),
        legend=named,
        colspan=4,
        anchor="pilotage",
        title=named,
    )


@login_required
@EDIT_METHODS
def committee_member_delete(request: HttpRequest, convention_pk: int, committee_member_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    member = _member(convention, committee_member_pk)
    if request.method == "POST":
        row_delete(instance=member, user=request.user)
        if is_htmx(request):
            return _member_rows(request, convention, member)
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
def committee_member_move_view(request: HttpRequest, convention_pk: int, committee_member_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    member = _member(convention, committee_member_pk)
    direction = _direction(request)
    if direction:
        committee_member_move(member=member, direction=direction)
    if is_htmx(request):
        return _member_rows(request, convention, member)
    return _back(convention, "pilotage")
