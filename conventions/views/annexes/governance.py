"""Annexe 4: committees and their members (edited in place)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.htmx import is_htmx, retarget

from ...forms.annexes import (
    CommitteeForm,
    CommitteeMemberForm,
)
from ...models import Committee, CommitteeMember, Convention
from ...perms import get_text_editable_convention
from ...services import (
    committee_delete,
    committee_member_move,
    row_append,
    row_delete,
)
from .pages import (
    EDIT_METHODS,
    _back,
    _checked_save,
    _confirm_page,
    _data,
    _direction,
    _form_page,
    _fragment,
    _row_form_page,
)


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
        messages.success(request, f"{member} est ajouté·e à « {committee.name} ».")
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
    named = f"Modifier {member}"  # as read, before the form copies the posted values into the row
    form = CommitteeMemberForm(_data(request), instance=member, prefix=f"membre-{member.pk}", convention=convention)
    if request.method == "POST" and form.is_valid() and _checked_save(request, form):
        if is_htmx(request):
            return _member_rows(request, convention, form.instance)
        messages.success(request, f"{form.instance} est enregistré·e.")
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
        messages.success(request, f"{member} est retiré·e de « {member.committee.name} ».")
        return _back(convention, "pilotage")
    return _confirm_page(
        request,
        convention=convention,
        title=f"Retirer {member} de « {member.committee.name} »",
        question=f"{member} ne figurera plus parmi les membres de « {member.committee.name} ».",
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
