"""Rows that belong to a scope (a convention) and are read only through it."""

from django.db import models


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
