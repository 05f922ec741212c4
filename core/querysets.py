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


class Searchable(models.Func):
    """A text as free-text search compares it: upper case, and on PostgreSQL without accents too (the immutable
    `ctg_unaccent` of migration territories 0005_scale_indexes), so that the trigram GIN indexes on the same
    expression serve `Searchable(column) LIKE '%' || Searchable(text) || '%'` (see `contains_text`). SQLite
    compares in upper case (its LIKE ignores ASCII case), as `icontains` does."""

    function = "UPPER"
    output_field = models.TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="UPPER(ctg_unaccent((%(expressions)s)::text))")


def contains_text(field: str, text: str) -> models.Q:
    """`field` contains `text`, ignoring case (and accents on PostgreSQL), in the form the trigram indexes serve.
    The queryset must carry the alias `searchable(field)` (`.alias(**searchable(field))`)."""
    return models.Q(**{f"{field}_searchable__contains": Searchable(Value(text))})


def searchable(*fields: str) -> dict:
    """The aliases `contains_text` compares, for `.alias(**searchable("title", "reference"))`."""
    return {f"{field}_searchable": Searchable(field) for field in fields}
