"""French collation: Python, and the database the suite runs on (SQLite, or PostgreSQL with DATABASE_URL)."""

import random

import pytest
from django.db import connection

from accounts.models import User
from territories.collation import french_order, french_sort_key
from territories.models import Caf, Commune, Epci
from territories.reference import reference_data_load
from tests.accounts.factories import UserFactory
from tests.territories.factories import CafFactory, CommuneFactory, DepartementFactory, EpciFactory

# As a French reader expects them: accents do not send "Écully" after "Tassin", "Le Chambon"
# sorts under L as printed, L' before La/Le, every "Saint-…" before "Sainte-…", Œ read as OE.
FRENCH_ORDER = [
    "Écully",
    "Eybens",
    "L'Étrat",
    "Le Chambon-Feugerolles",
    "Œuilly",
    "Saint-Étienne",
    "Sainte-Croix",
    "Tassin-la-Demi-Lune",
]

# Finer points of the rule, each list in the expected order.
DETAILS = [
    ["Cote", "Coté", "Côte", "Côté"],  # accents compared from the start of the word
    ["saint-étienne", "Saint-Étienne"],  # lower case first
    ["Saint Étienne", "Saint-Etienne"],  # a space before a hyphen, before accents count
    ["L'Horme", "La Talaudière", "Labé", "Le Breuil", "Lebreuil", "Lyon"],
    ["Saint-Zacharie", "Sainte-Agnès"],
    ["Oe", "Œuilly", "Oyonnax"],
    ["Lyon 10", "Lyon 2", "Lyona"],  # digits before letters, compared as characters (as ICU does)
]


def shuffled(names):
    names = list(names)
    random.Random(14).shuffle(names)
    return names


def test_python_sort_key_orders_names_the_french_way():
    assert sorted(shuffled(FRENCH_ORDER), key=french_sort_key) == FRENCH_ORDER
    for expected in DETAILS:
        assert sorted(shuffled(expected), key=french_sort_key) == expected
    # Binary order, what SQLite and a C-collated PostgreSQL do by default, gets it wrong.
    binary = sorted(FRENCH_ORDER)
    assert binary.index("Écully") > binary.index("Tassin-la-Demi-Lune")


def test_sort_key_never_ties_two_different_names():
    assert french_sort_key("Saint-Étienne") != french_sort_key("Saint-Etienne")
    assert french_sort_key(None) == french_sort_key("")


@pytest.mark.django_db
def test_name_columns_sort_the_french_way_by_default():
    departement = DepartementFactory(code="42")
    for name in shuffled(FRENCH_ORDER):
        CommuneFactory(name=name, departement=departement)
        EpciFactory(name=f"{name} Métropole")
    assert list(Commune.objects.values_list("name", flat=True)) == FRENCH_ORDER  # Meta.ordering
    assert list(Commune.objects.order_by("-name").values_list("name", flat=True)) == FRENCH_ORDER[::-1]
    assert list(Epci.objects.values_list("name", flat=True)) == [f"{name} Métropole" for name in FRENCH_ORDER]


@pytest.mark.django_db
def test_french_order_sorts_any_text_column():
    """The expression for columns outside territories (here a user's last name)."""
    for name in shuffled(set(FRENCH_ORDER + [n for names in DETAILS for n in names])):
        UserFactory(last_name=name)
    ordered = list(User.objects.order_by(french_order("last_name"), "pk").values_list("last_name", flat=True))
    assert ordered == sorted(ordered, key=french_sort_key)
    assert [n for n in ordered if n in FRENCH_ORDER] == FRENCH_ORDER
    for expected in DETAILS:
        assert [n for n in ordered if n in expected] == expected
    descending = User.objects.order_by(french_order("last_name", descending=True), "pk")
    assert list(descending.values_list("last_name", flat=True)) == ordered[::-1]


@pytest.mark.django_db
def test_database_and_python_agree_on_real_commune_names():
    """Every commune of a few départements (Loire, Corse-du-Sud, Bas-Rhin, La Réunion): same order in both."""
    reference_data_load(departements=["42", "2A", "67", "974"])
    from_database = list(Commune.objects.order_by("name", "insee_code").values_list("name", flat=True))
    assert len(from_database) > 900
    assert from_database == sorted(from_database, key=french_sort_key)
    caf_names = list(Caf.objects.values_list("name", flat=True).order_by("name"))
    assert caf_names == sorted(caf_names, key=french_sort_key)


@pytest.mark.django_db
def test_collation_keeps_equality_and_uniqueness_exact():
    CafFactory(name="Caf de la Loire")
    CafFactory(name="Caf de la loire")  # another string: allowed, as before
    assert Caf.objects.filter(name="Caf de la Loire").count() == 1
    assert Caf.objects.filter(name__in=["Caf de la Loire", "Caf de la Lôire"]).count() == 1


@pytest.mark.django_db
def test_postgresql_uses_its_icu_collation():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT collprovider FROM pg_collation WHERE collname = 'fr_natural'")
        assert cursor.fetchone() == ("i",)
