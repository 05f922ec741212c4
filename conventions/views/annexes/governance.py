"""Annexe 4: committees and their members (edited in place)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from core.htmx import is_htmx, retarget

from ...forms.annexes import CommitteeForm, CommitteeMemberForm
from ...models import Committee, CommitteeMember, Convention
from ...services import committee_delete, committee_member_move, row_append
from .pages import (
    _back,
    _confirm_page,
    _data,
    _delete_or_confirm_page,
    _direction,
    _fragment,
    _inline,
    _save_or_form_page,
    text_edit_view,
)


def _appending(siblings):
    return lambda _, form: bool(row_append(instance=form.instance, siblings=siblings))


@text_edit_view
def committee_create(request: HttpRequest, convention: Convention) -> HttpResponse:
    form = CommitteeForm(_data(request), instance=Committee(convention=convention))
    return _save_or_form_page(
        request,
        convention,
        form,
        save=_appending(Committee.objects.filter(convention=convention)),
        saved="L'instance « {0.name} » est ajoutée.".format,
        anchor="pilotage",
        title="Annexe 4 – ajouter une instance de pilotage",
        submit_label="Ajouter",
    )


@text_edit_view
def committee_edit(request: HttpRequest, convention: Convention, committee_pk: int) -> HttpResponse:
    committee = get_object_or_404(Committee, pk=committee_pk, convention=convention)
    title = f"Modifier « {committee.name} »"
    form = CommitteeForm(_data(request), instance=committee)
    saved = "L'instance « {0.name} » est enregistrée.".format
    return _save_or_form_page(request, convention, form, saved=saved, anchor="pilotage", title=title)


@text_edit_view
def committee_delete_view(request: HttpRequest, convention: Convention, committee_pk: int) -> HttpResponse:
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


@text_edit_view
def committee_member_create(request: HttpRequest, convention: Convention, committee_pk: int) -> HttpResponse:
    committee = get_object_or_404(Committee, pk=committee_pk, convention=convention)
    row_id = f"membre-nouveau-{committee.pk}"
    new = CommitteeMember(committee=committee)
    form = CommitteeMemberForm(_data(request), instance=new, prefix=row_id, convention=convention)
    legend = f"Nouveau membre de « {committee.name} »"
    return _save_or_form_page(
        request,
        convention,
        form,
        save=_appending(committee.members.all()),
        fragment=lambda member: _member_rows(request, convention, member),
        saved=lambda member: f"{member} est ajouté·e à « {committee.name} ».",
        inline=_inline("conventions:committee_member_create", [convention.pk, committee.pk], row_id, legend, 4),
        anchor="pilotage",
        title=f"Ajouter un membre à « {committee.name} »",
        submit_label="Ajouter",
    )


@text_edit_view
def committee_member_edit(request: HttpRequest, convention: Convention, committee_member_pk: int) -> HttpResponse:
    member = _member(convention, committee_member_pk)
    named = f"Modifier {member}"  # as read, before the form copies the posted values into the row
    row_id = f"membre-{member.pk}"
    form = CommitteeMemberForm(_data(request), instance=member, prefix=row_id, convention=convention)
    return _save_or_form_page(
        request,
        convention,
        form,
        fragment=lambda saved: _member_rows(request, convention, saved),
        saved="{0} est enregistré·e.".format,
        inline=_inline("conventions:committee_member_edit", [convention.pk, member.pk], row_id, named, 4),
        anchor="pilotage",
        title=named,
    )


@text_edit_view
def committee_member_delete(request: HttpRequest, convention: Convention, committee_member_pk: int) -> HttpResponse:
    member = _member(convention, committee_member_pk)
    committee = member.committee.name
    return _delete_or_confirm_page(
        request,
        convention,
        member,
        fragment=lambda removed: _member_rows(request, convention, removed),
        done=f"{member} est retiré·e de « {committee} ».",
        anchor="pilotage",
        title=f"Retirer {member} de « {committee} »",
        question=f"{member} ne figurera plus parmi les membres de « {committee} ».",
        confirm_label="Retirer le membre",
    )


@text_edit_view(methods=["POST"])
def committee_member_move_view(request: HttpRequest, convention: Convention, committee_member_pk: int) -> HttpResponse:
    member = _member(convention, committee_member_pk)
    direction = _direction(request)
    if direction:
        committee_member_move(member=member, direction=direction)
    if is_htmx(request):
        return _member_rows(request, convention, member)
    return _back(convention, "pilotage")
