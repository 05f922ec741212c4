"""Any page number in the address shows a page of the conventions list and of Mon suivi, never an error."""

import re

import pytest
from django.urls import reverse

from core.pagination import clamped_int
from tests.actions.factories import ActionSheetFactory
from tests.conventions.factories import ConventionFactory

PAGES = ["-1", "0", "abc", "1e3", "99999999999999999999999999", "", "%20", "2.5"]


def test_clamped_int():
    assert clamped_int("-1", low=1, high=3, default=1) == 1
    assert clamped_int("9" * 40, low=1, high=3, default=1) == 3
    assert clamped_int("abc", low=1, high=3, default=2) == 2
    assert clamped_int(None, low=1, high=3, default=2) == 2
    assert clamped_int(" 2 ", low=1, high=3, default=1) == 2


@pytest.fixture
def many(adviser, convention):
    """30 conventions of the adviser's Caf and 30 fiches: two pages of 25 each."""
    for _ in range(29):
        ConventionFactory(caf=convention.caf)
    for index in range(30):
        ActionSheetFactory(convention=convention, reference=f"P.{index}")
    return adviser


def shown_page(html: str) -> str:
    return re.search(r"page (\d+) sur (\d+)", html).group(0)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("name", ["conventions:list", "actions:my_follow_up"])
def test_bad_page_numbers_show_the_first_or_last_page(client, many, name, page):
    client.force_login(many)
    response = client.get(f"{reverse(name)}?page={page}")
    assert response.status_code == 200
    expected = "page 2 sur 2" if page.startswith("9") else "page 1 sur 2"  # too far: the last page
    assert shown_page(response.content.decode()) == expected


@pytest.mark.parametrize("per_page", ["-1", "0", "100000000", "abc"])
@pytest.mark.parametrize("name", ["conventions:list", "actions:my_follow_up"])
def test_page_size_from_the_address_is_bounded(client, many, name, per_page):
    client.force_login(many)
    response = client.get(f"{reverse(name)}?per_page={per_page}")
    assert response.status_code == 200
    rows = len(response.context["table"].page.object_list)
    assert 1 <= rows <= 30
