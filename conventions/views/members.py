"""Members of a convention: the chargé·es de coopération and COPIL members who read and follow it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.enums import Role

from ..forms.members import MemberAddForm
from ..models import Convention, Membership
from ..perms import convention_view, get_editable_convention
from ..services import member_invite, membership_remove
from .annexes.pages import _confirm_page


@login_required
@require_http_methods(["GET", "POST"])
def members(request: HttpRequest, convention_pk: int) -> HttpResponse:
    # Not the text lock: people join and leave a convention after its signature too.
    convention = get_editable_convention(request.user, convention_pk)
    form = MemberAddForm(request.POST or None, convention=convention)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        membership, invited = member_invite(
            convention=convention,
            email=data["email"],
            role=data["role"] or Role.COPIL,
            first_name=data["first_name"],
            last_name=data["last_name"],
            invited_by=request.user,
        )
        note = " Une invitation à choisir son mot de passe lui est envoyée." if invited else ""
        messages.success(request, f"{membership.user} est désormais membre de la convention.{note}")
        return redirect("conventions:members", convention_pk=convention.pk)
    memberships = convention.memberships.select_related("user").order_by(
        "user__last_name", "user__first_name", "user__email"
    )
    context = {
        "form": form,
        "convention": convention,
        "memberships": memberships,
        "page_title": "Membres de la convention",
    }
    return render(request, "conventions/editing/members.html", context)


@convention_view(get_editable_convention, "GET", "POST")
def member_remove(request: HttpRequest, convention: Convention, membership_pk: int) -> HttpResponse:
    """GET: the confirmation page; POST (from it): the removal."""
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=membership_pk, convention=convention)
    members_url = reverse("conventions:members", args=[convention.pk])
    if request.method == "POST":
        membership_remove(membership=membership)
        messages.success(request, f"{membership.user} n'est plus membre de la convention.")
        return redirect(members_url)
    return _confirm_page(
        request,
        convention=convention,
        title=f"Retirer {membership.user} des membres",
        question=f"{membership.user} ne verra plus cette convention (son compte reste).",
        anchor="",
        confirm_label="Retirer ce membre",
        cancel_url=members_url,
    )
