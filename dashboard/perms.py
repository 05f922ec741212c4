"""Who sees which Caf's dashboard: advisers their own Caf, administrators any Caf and the whole country."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.enums import Role
from territories.models import Caf

COUNTRY = "france"


def can_see_dashboard(user) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_administrator or (user.role == Role.ADVISER and user.caf_id is not None))
    )


def dashboard_caf(user, requested: str | None) -> Caf | None:
    """The Caf whose dashboard `user` reads (None: the whole country, administrators only).

    Advisers read their Caf's: asking for another one is a 404, as for any row outside their scope. Others
    (chargé·es de coopération, COPIL members) have no dashboard: 403."""
    if not can_see_dashboard(user):
        raise PermissionDenied("Le tableau de bord est réservé aux conseiller·ères des Caf et aux administrateurs.")
    if not user.is_administrator:
        if requested and requested != str(user.caf_id):
            raise Http404("Caf introuvable.")
        return Caf.objects.select_related("departement").get(pk=user.caf_id)
    if not requested or requested == COUNTRY:
        return None
    try:
        return Caf.objects.select_related("departement").get(pk=int(requested))
    except (ValueError, Caf.DoesNotExist):
        raise Http404("Caf introuvable.") from None
