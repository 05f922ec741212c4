"""Paginated tables whose page number comes from the address: any value shows a page, never an error.

`?page=-1`, `?page=0`, `?page=abc` or a huge number show the first or the last page; `?per_page=` from the
address is bounded (1 to MAX_PER_PAGE) rather than trusted.
"""

from django.core.paginator import Paginator
from django_tables2 import RequestConfig, SingleTableMixin

MAX_PER_PAGE = 100


def clamped_int(raw: str | None, *, low: int, high: int, default: int) -> int:
    """An integer read from the address, brought within [low, high]; `default` when it is not a number."""
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        return default
    return min(max(value, low), high)


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
        paginator = Paginator(table.rows, per_page)
        page = clamped_int(self.request.GET.get(table.prefixed_page_field), low=1, high=paginator.num_pages, default=1)
        return table.paginate(per_page=per_page, page=page)
