"""Rows that belong to a scope (a convention) and are read only through it; per-row counts as sub-queries."""

from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


class ScopedQuerySet(models.QuerySet):
    """`visible_to(user)`: the rows whose scope the user may read.

    `scope_path` is the lookup from a row to its scope (« convention », « diagnostic__convention »…); the app
    that owns the scope says which scopes a user sees by overriding `visible_scopes` (core knows no app).
    """

    scope_path = "convention"

    def visible_scopes(self, user) -> models.QuerySet:
        raise NotImplementedError("A scoped queryset says which scopes a user sees.")

    def visible_to(self, user):
        return self.filter(**{f"{self.scope_path}__in": self.visible_scopes(user)})


def count_of(queryset: models.QuerySet, *, key: str, outer: str = "pk") -> Coalesce:
    """A per-row count as a correlated sub-query on `key`'s index: a join of several reverse relations at once
    (`Count(distinct)` over fiches × communes) would multiply the rows before counting them."""
    counted = queryset.filter(**{key: OuterRef(outer)}).order_by().values(key).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
