"""Access harness: every URL of the project, tried by people who must not get in.

Each URL pattern is tried with GET and POST, anonymously, as an adviser of another Caf, and as a chargé·e
de coopération and a COPIL member of another convention. Nobody may see the victim convention's data or
change anything. A URL that this file does not know fails the suite: a new screen must say here how it is
reached and what a stranger gets.
"""

import datetime
import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.enums import Role
from actions.models import BudgetLine
from conventions.models import (
    Amendment,
    AoCompetence,
    CommitteeMember,
    ConventionVersion,
    Meeting,
    SupportedEquipment,
)
from evaluation.models import Review
from tests import access_routes
from tests.access_routes import ADVISERS, EDIT, FOLLOW_UP, PUBLIC, SCOPED, SECRET, Route
from tests.accounts.factories import UserFactory
from tests.actions.factories import (
    ActionSheetFactory,
    AxisFactory,
    ObjectiveFactory,
    OrientationFactory,
    StatusUpdateFactory,
)
from tests.conventions.factories import (
    ClauseFactory,
    CommitteeFactory,
    ConventionFactory,
    PartyFactory,
    RepresentativeFactory,
    member,
)
from tests.evaluation.factories import IndicatorFactory, MeasurementFactory
from tests.pages import snapshot
from tests.territories.factories import EquipmentFactory

ROUTES: dict[str, Route] = {}
for module in pkgutil.iter_modules(access_routes.__path__):
    ROUTES.update(importlib.import_module(f"tests.access_routes.{module.name}").ROUTES)


def iter_patterns(resolvers, namespace=""):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from iter_patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


ALL_PATTERNS = dict(iter_patterns(get_resolver().url_patterns))
ADMIN_NAMES = sorted(name for name in ALL_PATTERNS if name.startswith("admin:"))
APP_NAMES = sorted(name for name in ALL_PATTERNS if not name.startswith("admin:"))


def test_every_url_pattern_is_known_to_the_harness():
    unknown = set(APP_NAMES) - set(ROUTES)
    assert not unknown, f"URL sans règle d'accès dans tests/test_access.py : {sorted(unknown)}"
    assert not set(ROUTES) - set(APP_NAMES), "Règle d'accès pour une URL qui n'existe plus."
    # Django's admin has unnamed redirects (e.g. <object_id>/ to the change page); ours may not.
    ours = [p for p in get_resolver().url_patterns if getattr(p, "app_name", None) != "admin"]
    unnamed = [str(p.pattern) for p in iter_unnamed(ours)]
    assert not unnamed, f"URL sans nom (le harnais ne peut pas la tester) : {unnamed}"


def iter_unnamed(resolvers):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            yield from iter_unnamed(entry.url_patterns)
        elif not entry.name:
            yield entry


@pytest.fixture
def victim(db):
    return build_victim()


def build_victim() -> dict:
    """A convention with one of everything, in the Caf of nobody who attacks it (tests/test_fuzz.py too)."""
    convention = ConventionFactory(title="Convention secrète de Villevictime")
    party = PartyFactory(convention=convention, name="Commune de Villevictime")
    objective = ObjectiveFactory(axis=AxisFactory(orientation=OrientationFactory(convention=convention)))
    action = ActionSheetFactory(convention=convention, reference="V.1", place=objective)
    indicator = IndicatorFactory(convention=convention, action=action)
    committee = CommitteeFactory(convention=convention)
    equipment = EquipmentFactory(commune=convention.territory.communes.first())
    cooperation, copil = member(convention, cooperation=True), member(convention, copil=True)
    return {
        "convention": convention,
        "party": party,
        "representative": RepresentativeFactory(party=party),
        "clause": ClauseFactory(convention=convention),
        "key_figure": convention.diagnostic.key_figures.create(label="Habitants", value=1000),
        "issue": convention.diagnostic.issues.create(text="Enjeu de Villevictime"),
        "supported_equipment": SupportedEquipment.objects.create(convention=convention, equipment=equipment),
        "ao_competence": AoCompetence.objects.create(convention=convention, commune=equipment.commune),
        "committee": committee,
        "committee_member": CommitteeMember.objects.create(committee=committee, person="Maire de Villevictime"),
        "meeting": Meeting.objects.create(committee=committee, date=datetime.date(2024, 3, 1)),
        "orientation": objective.orientation,
        "axis": objective.axis,
        "objective": objective,
        "action": action,
        "indicator": indicator,
        "measurement": MeasurementFactory(indicator=indicator),
        "amendment": Amendment.objects.create(convention=convention, number=1, object="Avenant de Villevictime"),
        "version": ConventionVersion.objects.create(
            convention=convention,
            number=1,
            kind="signee",
            signed_on=datetime.date(2022, 12, 13),
            snapshot={},
            source="-",
        ),
        "review": Review.objects.create(convention=convention, year=2024),
        "status_update": StatusUpdateFactory(action=action),
        "budget_line": BudgetLine.objects.create(action=action, year=2024, funder="caf"),
        "own_cooperation": cooperation,
        "own_copil": copil,
    }


@pytest.fixture
def attackers(db):
    other = ConventionFactory(title="Autre convention")
    cooperation, copil = member(other, cooperation=True), member(other, copil=True)
    return {
        "anonyme": None,
        "conseiller d'une autre Caf": UserFactory(adviser=True),
        "chargé de coopération d'une autre convention": cooperation,
        "membre du COPIL d'une autre convention": copil,
    }


def attacks(client, attackers: dict, url: str, data: dict):
    """Each attacker (logged in, or anonymous) tries `url` by GET then by POST of `data`:
    (who, user, method, response) for each try."""
    for who, user in attackers.items():
        client.logout()
        if user:
            client.force_login(user)
        for method in ("get", "post"):
            yield who, user, method, getattr(client, method)(url, data)


def victim_snapshot(victim) -> str:
    return snapshot(victim["convention"])


def assert_refused(response, *, anonymous: bool, name: str, who: str, method: str):
    """Anonymous: sent to the login page. Anyone else outside the convention: 404, as if it did not exist
    (405 only for a method the URL never accepts, whatever the convention: it says nothing about it)."""
    where = f"{method} {name} par {who}"
    if response.status_code in (301, 302):
        location = response["Location"]
        assert reverse("accounts:login") in location or "/admin/login/" in location, where
        return
    if response.status_code == 405:
        return
    assert not anonymous, f"{where} : {response.status_code} au lieu de la page de connexion"
    assert response.status_code == 404, f"{where} : {response.status_code} au lieu de 404"


@pytest.mark.parametrize("name", [n for n in APP_NAMES if ROUTES.get(n, Route(PUBLIC)).kind != PUBLIC])
def test_strangers_never_see_nor_change_a_convention(client, victim, attackers, name):
    route = ROUTES[name]
    url = reverse(name, kwargs=route.kwargs(victim))
    before = victim_snapshot(victim)
    for who, user, method, response in attacks(client, attackers, url, {"title": "piraté", "reference": "X"}):
        body = response.content.decode(errors="replace")
        assert "Villevictime" not in body, f"{method.upper()} {name} par {who} montre la convention."
        if route.kind == SECRET:
            assert response.status_code in (404, 405), f"{method.upper()} {name} par {who}"
        elif user is None or route.kind in (SCOPED, EDIT, FOLLOW_UP):
            assert_refused(response, anonymous=user is None, name=name, who=who, method=method.upper())
        elif route.kind == ADVISERS and user.role != Role.ADVISER:
            assert response.status_code == 403, f"{method.upper()} {name} par {who} : {response.status_code}"
        elif method == "get":  # 405: a POST-only URL (e.g. regenerate one's own calendar address)
            assert response.status_code in (200, 405), f"GET {name} par {who}"
    # Members of the convention itself: they read it, but only some may write.
    insiders = {EDIT: ["own_cooperation", "own_copil"], FOLLOW_UP: ["own_copil"]}.get(route.kind, [])
    for who in insiders:
        client.force_login(victim[who])
        for method in ("get", "post"):
            response = getattr(client, method)(url, {"title": "piraté", "reference": "X"})
            assert response.status_code in (403, 405), f"{method.upper()} {name} par {who} : {response.status_code}"
    assert victim_snapshot(victim) == before


@pytest.mark.parametrize("name", ADMIN_NAMES)
def test_admin_is_closed_to_everyone_but_administrators(client, victim, attackers, name):
    pattern = ALL_PATTERNS[name]
    values = {
        "object_id": str(victim["convention"].pk),
        "app_label": "conventions",
        "content_type_id": "1",
        "history_id": "1",
        "model_name": "convention",
        "url": "x",
    }
    named = list(pattern.pattern.converters) or list(pattern.pattern.regex.groupindex)
    if named or not pattern.pattern.regex.groups:
        url = reverse(name, kwargs={key: values.get(key, "1") for key in named})
    else:
        # Regex patterns (django-simple-history's): positional object id, then history id.
        url = reverse(name, args=[str(victim["convention"].pk)] + ["1"] * (pattern.pattern.regex.groups - 1))
    before = victim_snapshot(victim)
    for who, user, method, response in attacks(client, attackers, url, {"title": "piraté"}):
        body = response.content.decode(errors="replace")
        assert "Villevictime" not in body, f"{method.upper()} {name} par {who}"
        if name == "admin:logout" or (name == "admin:login" and response.status_code == 200):
            continue  # logging in or out is open to everyone and shows no data
        assert_refused(response, anonymous=user is None, name=name, who=who, method=method.upper())
    assert victim_snapshot(victim) == before


def test_public_pages_show_no_convention(client, victim):
    for name in (n for n in APP_NAMES if ROUTES[n].kind == PUBLIC):
        response = client.get(reverse(name, kwargs=ROUTES[name].kwargs(victim)))
        assert "Villevictime" not in response.content.decode()
