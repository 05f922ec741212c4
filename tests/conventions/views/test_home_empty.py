"""Empty states that fit each role (issue 14, item 9): an adviser without convention is offered to create one."""

import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.pages import text


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ({"adviser": True}, "Créer une convention"),
        ({"cooperation": True}, "Demandez au ou à la conseiller·ère territorial·e de votre Caf"),
        ({"administrator": True}, "vous gérez les données de référence"),
    ],
)
def test_the_empty_home_page_says_what_to_do_for_each_role(client, db, role, expected):
    user = UserFactory(**role)
    client.force_login(user)
    page = text(client.get(reverse("conventions:home")))
    assert expected in page
    assert ("Demandez" in page) == ("cooperation" in role)
