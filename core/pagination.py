"""Paginated tables whose page number comes from the address: any value shows a page, never an error.

`?page=-1`, `?page=0`, `?page=abc` or a huge number show the first or the last page; `?per_page=` from the
address is bounded (1 to MAX_PER_PAGE) rather than trusted.

A page costs what it shows, whatever the number of rows (issue 13): the count is one COUNT(*), the page's rows are
found by their primary keys first (the per-row sub-queries of the table's columns run on the page's rows only,
not on every skipped row), and a page past the middle is read from the other end (a small offset on the reversed
order, which the same indexes serve).
"""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django_tables2 import RequestConfig, SingleTableMixin
from django_tables2.rows import BoundRows

MAX_PER_PAGE = 100
TIE_BREAKERS = {"pk", "-pk", "id", "-id"}


def clamped_int(raw: str | None, *, low: int, high: int, default: int) -> int:
    """An integer read from the address, brought within [low, high]; `default` when it is not a number."""
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        return default
    return min(max(value, low), high)


def totally_ordered(queryset: QuerySet) -> QuerySet:
    """The queryset in its order with the primary key last: pages neither overlap nor skip rows on ties, and the
    reversed order is exactly the order read backwards."""
    ordering = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    if not ordering or str(ordering[-1]) not in TIE_BREAKERS:
        ordering.append("pk")
    return queryset.order_by(*ordering)


def page_of(queryset: QuerySet, *, bottom: int, top: int, count: int) -> list:
    """The rows [bottom, top) of `queryset`: past the first page, their keys in one query (from the nearer end),
    then the rows."""
    ordered = totally_ordered(queryset)
    if bottom == 0:  # the first page skips nothing: its rows at once
        return list(ordered[:top])
    keys = ordered.values_list("pk", flat=True)
    if bottom > count // 2:
        page_keys = list(keys.reverse()[count - top : count - bottom])[::-1]
    else:
        page_keys = list(keys[bottom:top])
    if not page_keys:
        return []
    by_key = {row.pk: row for row in queryset.order_by().filter(pk__in=page_keys)}
    return [by_key[key] for key in page_keys if key in by_key]


class TablePaginator(Paginator):
    """A paginator of a django-tables2 table (its BoundRows) on a queryset: one COUNT(*), the page's rows by key."""

    @cached_property
    def count(self) -> int:
        queryset = self.queryset
        return queryset.count() if queryset is not None else super().count

    @property
    def queryset(self) -> QuerySet | None:
        data = getattr(getattr(self.object_list, "data", None), "data", None)
        return data if isinstance(data, QuerySet) else None

    def page(self, number):
        number = self.validate_number(number)
        queryset = self.queryset
        if queryset is None:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        rows = page_of(queryset, bottom=bottom, top=top, count=self.count)
        return self._get_page(BoundRows(rows, table=self.object_list.table), number, self)


class ClampedPaginationMixin(SingleTableMixin):
    """SingleTableMixin whose page and page size are read from the address and clamped, never refused."""

    def get_table(self, **kwargs):
        table = self.get_table_class()(data=self.get_table_data(), **kwargs)
        RequestConfig(self.request, paginate=False).configure(table)  # the order (« sort ») only
        per_page = clamped_int(
            self.request.GET.get(table.prefixed_per_page_field),
            low=1,
            high=MAX_PER_PAGE,
            default=self.get_paginate_by(table.data) or table._meta.per_page,
        )
        table.paginator = paginator = TablePaginator(table.rows, per_page)
        page = clamped_int(self.request.GET.get(table.prefixed_page_field), low=1, high=paginator.num_pages, default=1)
        table.page = paginator.page(page)
        return table
