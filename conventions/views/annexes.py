"""Editing the text and annexes 1, 2 and 4 of a convention, while its text is open (draft, or avenant).

Every view loads the convention with `get_text_editable_convention` (404 for strangers, 403 for readers and
once signed). Every action works as a plain form (POST, then back to the convention's page at the section);
requests sent by htmx (inline rows of the tables) get the updated row instead of a redirect.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import add_service_errors
from core.htmx import is_htmx, retarget
from core.locking import StaleEditError, save_if_unchanged

from ..annexes_services import (
    clause_create,
    clause_move,
    clause_reset,
    committee_delete,
    committee_member_move,
    row_append,
    row_save,
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
from ..models import Clause, Committee, CommitteeMember, Convention, Diagnostic, Issue, KeyFigure, SupportedEquipment
from ..perms import convention_rights, get_text_editable_convention
from ..placeholders import PLACEHOLDERS, fill_placeholders
from ..services import placeholder_values

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


@dataclass(frozen=True)
class InlineRow:
    """A kind of row that its table edits in place (htmx), or on a page of its own without JavaScript.

    Texts are `str.format` templates over the row (`{row.label}`); the edit titles name the row as it was read.
    """

    url_name: str  # the views are "<url_name>_create" and "<url_name>_edit"
    form_class: type[forms.ModelForm]
    rows: QuerySet
    scope: str  # the lookup from a row to its convention
    append: Callable[[Convention, Model], Model]
    id_prefix: str  # of the table rows' ids and of the forms' prefixes
    new_id: str
    columns: int
    anchor: str
    new_legend: str
    new_title: str
    added: str
    edit_legend: str
    edit_title: str
    saved: str
    deleted: str
    delete_title: str
    delete_question: str
    delete_label: str
    delete_details: str = ""
    # An empty row, built from the pk of its parent in the URL (when the URL names one).
    new: Callable[[Convention, int | None], Model] | None = None
    form_takes_convention: bool = False
    # What htmx swaps in: the whole list when `refresh` is set (the other rows' positions change), else the
    # created or saved row (`row_var` in the fragment), or nothing once the row is deleted.
    refresh: Callable[[HttpRequest, Convention, Model], HttpResponse] | None = None
    created_template: str = ""
    row_template: str = ""
    row_var: str = ""


def _row(kind: InlineRow, convention: Convention, row_pk: int) -> Model:
    return get_object_or_404(kind.rows, pk=row_pk, **{kind.scope: convention})


def _row_form(
    request: HttpRequest, kind: InlineRow, convention: Convention, row: Model, prefix: str
) -> forms.ModelForm:
    extra = {"convention": convention} if kind.form_takes_convention else {}
    return kind.form_class(_data(request), instance=row, prefix=prefix, **extra)


def _row_answer(
    request: HttpRequest, kind: InlineRow, convention: Convention, row: Model, template: str | None
) -> HttpResponse:
    if kind.refresh:
        return kind.refresh(request, convention, row)
    if template is None:
        return HttpResponse("")  # htmx removes the deleted row
    return _fragment(request, template, convention, **{kind.row_var: row})


def _row_form_page(
    request: HttpRequest, kind: InlineRow, convention: Convention, form, row_id: str, action: str, legend: str, **page
) -> HttpResponse:
    """The row's form, in place of the row in its table (htmx) or on a page of its own."""
    if is_htmx(request):
        inline = {"row_id": row_id, "action": action, "colspan": kind.columns, "legend": legend}
        return render(request, INLINE_FORM, {"convention": convention, "anchor": kind.anchor, "form": form, **inline})
    return _form_page(request, convention=convention, form=form, anchor=kind.anchor, **page)


def _row_create(request: HttpRequest, pk: int, kind: InlineRow, parent_pk: int | None = None) -> HttpResponse:
    convention = get_text_editable_convention(request.user, pk)
    row = kind.new(convention, parent_pk) if kind.new else kind.rows.model()
    row_id = kind.new_id.format(row=row)
    form = _row_form(request, kind, convention, row, row_id)
    if request.method == "POST" and form.is_valid():
        row = kind.append(convention, form.instance)
        if is_htmx(request):
            return _row_answer(request, kind, convention, row, kind.created_template)
        messages.success(request, kind.added.format(row=row))
        return _back(convention, kind.anchor)
    args = [convention.pk] if parent_pk is None else [convention.pk, parent_pk]
    action = reverse(f"conventions:{kind.url_name}_create", args=args)
    legend, title = kind.new_legend.format(row=row), kind.new_title.format(row=row)
    return _row_form_page(request, kind, convention, form, row_id, action, legend, title=title, submit_label="Ajouter")


def _row_edit(request: HttpRequest, pk: int, kind: InlineRow, row_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, pk)
    row = _row(kind, convention, row_pk)
    # Named before the form copies the posted values into the row.
    legend, title = kind.edit_legend.format(row=row), kind.edit_title.format(row=row)
    row_id = f"{kind.id_prefix}-{row.pk}"
    form = _row_form(request, kind, convention, row, row_id)
    if request.method == "POST" and form.is_valid() and _checked_save(request, form):
        if is_htmx(request):
            return _row_answer(request, kind, convention, form.instance, kind.row_template)
        messages.success(request, kind.saved.format(row=form.instance))
        return _back(convention, kind.anchor)
    action = reverse(f"conventions:{kind.url_name}_edit", args=[convention.pk, row.pk])
    return _row_form_page(request, kind, convention, form, row_id, action, legend, title=title)


def _row_delete(request: HttpRequest, pk: int, kind: InlineRow, row_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, pk)
    row = _row(kind, convention, row_pk)
    if request.method == "POST":
        row.delete()
        if is_htmx(request):
            return _row_answer(request, kind, convention, row, None)
        messages.success(request, kind.deleted.format(row=row))
        return _back(convention, kind.anchor)
    return _confirm_page(
        request,
        convention=convention,
        title=kind.delete_title.format(row=row),
        question=kind.delete_question.format(row=row),
        details=kind.delete_details.format(row=row),
        anchor=kind.anchor,
        confirm_label=kind.delete_label,
    )


# Text: visas, préambule, articles --------------------------------------------------------------------------


@login_required
@EDIT_METHODS
def convention_text_edit(request: HttpRequest, pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, pk)
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
    if request.method == "POST" and form.is_valid() and _checked_save(request, form):
        messages.success(request, "La synthèse du diagnostic est enregistrée.")
        return _back(convention, "diagnostic")
    return _form_page(
        request, convention=convention, form=form, title="Annexe 1 – synthèse du diagnostic", anchor="diagnostic"
    )


def _append_to_diagnostic(convention: Convention, row: KeyFigure | Issue) -> KeyFigure | Issue:
    # The diagnostic is created with its first row.
    with transaction.atomic():
        diagnostic, _ = Diagnostic.objects.get_or_create(convention=convention)
        row.diagnostic = diagnostic
        return row_append(instance=row, siblings=type(row).objects.filter(diagnostic=diagnostic))


KEY_FIGURE = InlineRow(
    url_name="key_figure",
    form_class=KeyFigureForm,
    rows=KeyFigure.objects.all(),
    scope="diagnostic__convention",
    append=_append_to_diagnostic,
    id_prefix="chiffre",
    new_id="chiffre-nouveau",
    columns=6,
    anchor="diagnostic",
    new_legend="Nouveau chiffre clé",
    new_title="Ajouter un chiffre clé",
    added="Le chiffre clé « {row.label} » est ajouté.",
    edit_legend="Modifier « {row.label} »",
    edit_title="Modifier « {row.label} »",
    saved="Le chiffre clé « {row.label} » est enregistré.",
    deleted="Le chiffre clé « {row.label} » est supprimé.",
    delete_title="Supprimer le chiffre clé « {row.label} »",
    delete_question="Le chiffre clé sera retiré de l'annexe 1.",
    delete_label="Supprimer le chiffre clé",
    created_template="conventions/annexes/_key_figure_created.html",
    row_template="conventions/annexes/_key_figure_row.html",
    row_var="k",
)


@login_required
@EDIT_METHODS
def key_figure_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _row_create(request, pk, KEY_FIGURE)


@login_required
@EDIT_METHODS
def key_figure_edit(request: HttpRequest, pk: int, key_figure_pk: int) -> HttpResponse:
    return _row_edit(request, pk, KEY_FIGURE, key_figure_pk)


@login_required
@EDIT_METHODS
def key_figure_delete(request: HttpRequest, pk: int, key_figure_pk: int) -> HttpResponse:
    return _row_delete(request, pk, KEY_FIGURE, key_figure_pk)


ISSUE = InlineRow(
    url_name="issue",
    form_class=IssueForm,
    rows=Issue.objects.select_related("domain"),
    scope="diagnostic__convention",
    append=_append_to_diagnostic,
    id_prefix="enjeu",
    new_id="enjeu-nouveau",
    columns=3,
    anchor="diagnostic",
    new_legend="Nouvel enjeu",
    new_title="Ajouter un enjeu",
    added="L'enjeu est ajouté.",
    edit_legend="Modifier l'enjeu",
    edit_title="Modifier un enjeu",
    saved="L'enjeu est enregistré.",
    deleted="L'enjeu est supprimé.",
    delete_title="Supprimer un enjeu",
    delete_question="Cet enjeu sera retiré de l'annexe 1 :",
    delete_details="{row.text}",
    delete_label="Supprimer l'enjeu",
    created_template="conventions/annexes/_issue_created.html",
    row_template="conventions/annexes/_issue_row.html",
    row_var="issue",
)


@login_required
@EDIT_METHODS
def issue_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _row_create(request, pk, ISSUE)


@login_required
@EDIT_METHODS
def issue_edit(request: HttpRequest, pk: int, issue_pk: int) -> HttpResponse:
    return _row_edit(request, pk, ISSUE, issue_pk)


@login_required
@EDIT_METHODS
def issue_delete(request: HttpRequest, pk: int, issue_pk: int) -> HttpResponse:
    return _row_delete(request, pk, ISSUE, issue_pk)


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
def supported_equipment_edit(request: HttpRequest, pk: int, supported_equipment_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, pk)
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
    if request.method == "POST" and form.is_valid() and _checked_save(request, form):
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


def _member_rows(request: HttpRequest, convention: Convention, member: CommitteeMember) -> HttpResponse:
    """The whole list of a committee's members: positions (first, last) change when one row does."""
    committee_id = member.committee_id
    committee = Committee.objects.prefetch_related("members").get(pk=committee_id)
    response = _fragment(request, "conventions/annexes/_member_rows.html", convention, committee=committee)
    # The inline form targets its own row; the answer replaces the table body around it.
    return retarget(response, f"#membres-{committee_id}")


def _new_member(convention: Convention, committee_pk: int | None) -> CommitteeMember:
    return CommitteeMember(committee=get_object_or_404(Committee, pk=committee_pk, convention=convention))


def _append_to_committee(convention: Convention, member: CommitteeMember) -> CommitteeMember:
    return row_append(instance=member, siblings=member.committee.members.all())


MEMBER = InlineRow(
    url_name="committee_member",
    form_class=CommitteeMemberForm,
    rows=CommitteeMember.objects.select_related("committee"),
    scope="committee__convention",
    append=_append_to_committee,
    id_prefix="membre",
    new_id="membre-nouveau-{row.committee_id}",
    columns=4,
    anchor="pilotage",
    new_legend="Nouveau membre de « {row.committee.name} »",
    new_title="Ajouter un membre à « {row.committee.name} »",
    added="{row.person} est ajouté·e à « {row.committee.name} ».",
    edit_legend="Modifier {row.person}",
    edit_title="Modifier {row.person}",
    saved="{row.person} est enregistré·e.",
    deleted="{row.person} est retiré·e de « {row.committee.name} ».",
    delete_title="Retirer {row.person} de « {row.committee.name} »",
    delete_question="{row.person} ne figurera plus parmi les membres de « {row.committee.name} ».",
    delete_label="Retirer le membre",
    new=_new_member,
    form_takes_convention=True,
    refresh=_member_rows,
)


@login_required
@EDIT_METHODS
def committee_member_create(request: HttpRequest, pk: int, committee_pk: int) -> HttpResponse:
    return _row_create(request, pk, MEMBER, committee_pk)


@login_required
@EDIT_METHODS
def committee_member_edit(request: HttpRequest, pk: int, committee_member_pk: int) -> HttpResponse:
    return _row_edit(request, pk, MEMBER, committee_member_pk)


@login_required
@EDIT_METHODS
def committee_member_delete(request: HttpRequest, pk: int, committee_member_pk: int) -> HttpResponse:
    return _row_delete(request, pk, MEMBER, committee_member_pk)


@login_required
@require_POST
def committee_member_move_view(request: HttpRequest, pk: int, committee_member_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, pk)
    member = _row(MEMBER, convention, committee_member_pk)
    direction = _direction(request)
    if direction:
        committee_member_move(member=member, direction=direction)
    if is_htmx(request):
        return _member_rows(request, convention, member)
    return _back(convention, "pilotage")
