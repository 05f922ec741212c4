"""« Préparer le renouvellement »: choose what becomes of each fiche, then create the successor draft."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..dossier.renewal import RenewalRefused, convention_renew, next_period, renewal_actions, renewal_blockers
from ..forms.renewal import RenewalForm
from ..perms import get_editable_convention


@require_http_methods(["GET", "POST"])
@login_required
def convention_renewal(request: HttpRequest, convention_pk: int) -> HttpResponse:
    convention = get_editable_convention(request.user, convention_pk)
    form = RenewalForm(request.POST or None, actions=renewal_actions(convention=convention))
    blockers = renewal_blockers(convention=convention)
    if request.method == "POST" and not blockers and form.is_valid():
        try:
            successor = convention_renew(convention=convention, choices=form.choices(), user=request.user)
        except RenewalRefused as refused:
            blockers = refused.reasons
        else:
            messages.success(
                request,
                f"Le projet de convention « {successor.title} » est créé. Vérifiez ses signataires et faites "
                "reprendre les délibérations.",
            )
            return redirect("conventions:detail", convention_pk=successor.pk)
    start, end = next_period(convention)
    context = {"convention": convention, "form": form, "blockers": blockers, "start": start, "end": end}
    return render(request, "conventions/renewal.html", context, status=400 if request.method == "POST" else 200)
