from conventions.models import Membership

from . import EDIT, Route, convention_pk


def own_membership(victim):
    membership = Membership.objects.get(convention=victim["convention"], user=victim["own_copil"])
    return {"convention_pk": victim["convention"].pk, "membership_pk": membership.pk}


ROUTES = {
    "conventions:members": Route(EDIT, convention_pk),
    "conventions:member_remove": Route(EDIT, own_membership),
}
