import pytest
from django.test import Client

from tests.accounts.factories import UserFactory
from tests.accounts.twofactor import verified_force_login
from tests.conventions.factories import ConventionFactory, MembershipFactory, member
from tests.demo import loaded_demo


@pytest.fixture
def convention(db):
    return ConventionFactory()


@pytest.fixture
def adviser(convention):
    """An adviser of the convention's Caf: may read and write it."""
    return UserFactory(adviser=True, caf=convention.caf)


@pytest.fixture
def other_adviser(db):
    """An adviser of another Caf: must not even learn that the convention exists."""
    return UserFactory(adviser=True)


@pytest.fixture
def cooperation(convention):
    return member(convention, cooperation=True)


@pytest.fixture
def copil(convention):
    return member(convention, copil=True)


@pytest.fixture
def outsider_member(db):
    """A chargé·e de coopération of another convention."""
    user = UserFactory(cooperation=True)
    MembershipFactory(user=user)
    return user


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo conventions by reference: loaded once for the module that asks, rolled back afterwards."""
    with loaded_demo(django_db_blocker) as conventions:
        yield conventions


@pytest.fixture
def demo_conventions(demo, db):
    return demo


@pytest.fixture(autouse=True)
def _administrators_verified(monkeypatch):
    """Administrators must give a second factor (accounts/twofactor.py); a test that force-logs one in gets a
    session that has given it, as a real administrator's would. tests/accounts/test_twofactor.py checks the
    hold itself with the plain login."""
    monkeypatch.setattr(Client, "force_login", verified_force_login(Client.force_login))
