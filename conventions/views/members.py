"""Members of a convention: the chargé·es de coopération and COPIL members who read and follow it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from ..forms.members import MemberAddForm
from ..models import Membership
from ..perms import get_editable_convention
from ..services import membership_add, membership_remove


@login_required
@require_http_methods(["GET", "POST"])
def members(request: HttpRequest, convention_pk: int) -> HttpResponse:
    # Not the text lock: people join and leave a convention after its signature too.
    convention = get_editable_convention(request.user, convention_pk)
    form = MemberAddForm(request.POST or None, convention=convention)
    if request.method == "POST" and form.is_valid():
        membership_add(convention=convention, user=form.user)
        messages.success(request, f"{form.user} est désormais membre de la convention.")
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


@login_required
@require_POST
def member_remove(request: HttpRequest, convention_pk: int, membership_pk: int) -> HttpResponse:
    convention = get_editable_convention(request.user, convention_pk)
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=membership_pk, convention=convention)
    membership_remove(membership=membership)
    messages.success(request, f"{membership.user} n'est plus membre de la convention.")
    return redirect(reverse("conventions:members", args=[convention.pk]))
