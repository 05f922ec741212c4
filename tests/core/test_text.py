"""core.text: French numbers typed and shown, folding, long dates."""

from datetime import date
from decimal import Decimal

import pytest

from core.text import NBSP, fold, french_long_date, french_number, parse_french_number


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("37070"), f"37{NBSP}070"),
        (Decimal("25.10"), "25,1"),
        (Decimal("-0.3"), "-0,3"),
        (Decimal("100.00"), "100"),
        (1234567, f"1{NBSP}234{NBSP}567"),
        (None, ""),
        ("n.c.", "n.c."),
    ],
)
def test_french_number_groups_thousands_and_writes_a_decimal_comma(value, shown):
    assert french_number(value) == shown


def test_french_number_for_a_field_uses_a_plain_space_and_rounds_for_charts():
    assert french_number(Decimal("1250.50"), thousands=" ") == "1 250,5"
    assert french_number(Decimal("12.4"), decimals=0) == "12"


@pytest.mark.parametrize(
    ("typed", "number"),
    [("37 070", Decimal("37070")), ("25,1", Decimal("25.1")), ("1.234,5", Decimal("1234.5")), (f"1{NBSP}000", 1000)],
)
def test_parse_french_number_reads_what_people_type(typed, number):
    assert parse_french_number(typed) == number


@pytest.mark.parametrize("typed", ["", "douze", "1e5", "NaN", "1,2,3"])
def test_parse_french_number_refuses_what_is_not_a_number(typed):
    assert parse_french_number(typed) is None


def test_every_french_number_shown_in_a_field_reads_back():
    for value in (Decimal("37070"), Decimal("25.1"), Decimal("-1234.56"), Decimal("0.5")):
        assert parse_french_number(french_number(value, thousands=" ")) == value


def test_fold_ignores_case_accents_and_spaces():
    assert fold("  Parentalité ") == fold("parentalite") == "parentalite"
    assert fold("Accès  aux droits") == "acces aux droits"


def test_french_long_date():
    assert french_long_date(date(2022, 1, 1)) == "1er janvier 2022"
    assert french_long_date(date(2022, 12, 13)) == "13 décembre 2022"
    assert french_long_date(None) == ""
