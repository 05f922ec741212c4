import pytest
from django.urls import reverse

from conventions.models import Membership
from tests.accounts.factories import UserFactory
from tests.conventions.factories import MembershipFactory
from tests.pages import text


def members_url(convention) -> str:
    return reverse("conventions:members", args=[convention.pk])


def remove_url(membership) -> str:
    return reverse("conventions:member_remove", args=[membership.convention_id, membership.pk])


def test_anonymous_is_sent_to_login(client, convention):
    response = client.get(members_url(convention))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_adviser_sees_the_members_with_their_role_and_a_link_from_the_convention(client, adviser, cooperation, copil):
    client.force_login(adviser)
    convention = cooperation.memberships.get().convention
    detail = text(client.get(reverse("conventions:detail", args=[convention.pk])))
    assert members_url(convention) in detail
    page = text(client.get(members_url(convention)))
    assert cooperation.email in page and "Chargé·e de coopération" in page
    assert copil.email in page and "Membre du COPIL" in page
    assert remove_url(copil.memberships.get()) in page


def test_adviser_adds_a_cooperation_officer_by_email_who_then_sees_the_convention(client, adviser, convention):
    newcomer = UserFactory(cooperation=True, email="nouvelle@exemple.fr")
    client.force_login(newcomer)
    assert client.get(reverse("conventions:detail", args=[convention.pk])).status_code == 404

    client.force_login(adviser)
    response = client.post(members_url(convention), {"email": " Nouvelle@Exemple.fr "})
    assert response.status_code == 302
    assert response["Location"] == members_url(convention)
    assert Membership.objects.filter(convention=convention, user=newcomer).exists()

    client.force_login(newcomer)
    assert client.get(reverse("conventions:detail", args=[convention.pk])).status_code == 200


def test_administrator_adds_a_copil_member(client, convention):
    client.force_login(UserFactory(administrator=True))
    member = UserFactory(copil=True)
    assert client.post(members_url(convention), {"email": member.email}).status_code == 302
    assert Membership.objects.filter(convention=convention, user=member).exists()


@pytest.mark.parametrize(
    "who, message",
    [
        ("inactive", "Ce compte est désactivé"),  # an address without account is invited (tests/accounts)
        ("adviser", "Ce compte a le rôle « Conseiller·ère territorial·e Caf »"),
        ("administrator", "Ce compte a le rôle « Administrateur »"),
        ("member", "Cette personne est déjà membre de la convention."),
        ("invalid", "Saisissez une adresse de courriel valide."),
    ],
)
def test_bad_email_is_refused_next_to_the_field_and_nothing_is_written(client, adviser, copil, who, message):
    convention = copil.memberships.get().convention
    email = {
        "unknown": "personne@inconnue.fr",
        "inactive": UserFactory(cooperation=True, is_active=False).email,
        "adviser": UserFactory(adviser=True, caf=convention.caf).email,
        "administrator": UserFactory(administrator=True).email,
        "member": copil.email,
        "invalid": "pas-une-adresse",
    }[who]
    before = list(Membership.objects.values_list("pk", "convention_id", "user_id"))
    client.force_login(adviser)
    response = client.post(members_url(convention), {"email": email})
    assert response.status_code == 200
    page = text(response)
    assert 'id="email-erreurs"' in page
    assert message in page
    assert list(Membership.objects.values_list("pk", "convention_id", "user_id")) == before


def test_adviser_removes_a_member_who_then_loses_access(client, adviser, cooperation):
    membership = cooperation.memberships.get()
    convention = membership.convention
    client.force_login(adviser)
    response = client.post(remove_url(membership))
    assert response.status_code == 302
    assert response["Location"] == members_url(convention)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    client.force_login(cooperation)
    assert client.get(reverse("conventions:detail", args=[convention.pk])).status_code == 404


def test_remove_asks_for_confirmation_on_get(client, adviser, copil):
    client.force_login(adviser)
    membership = copil.memberships.get()
    assert client.get(remove_url(membership)).status_code == 200  # the confirmation page
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_membership_of_another_convention_is_not_found(client, adviser, convention):
    elsewhere = MembershipFactory()
    client.force_login(adviser)
    url = reverse("conventions:member_remove", args=[convention.pk, elsewhere.pk])
    assert client.post(url).status_code == 404
    assert Membership.objects.filter(pk=elsewhere.pk).exists()


def managing_answers(client, convention, *, add, remove) -> set[int]:
    """The status codes of each way to manage members: the page, adding `add`, removing `remove`."""
    return {
        client.get(members_url(convention)).status_code,
        client.post(members_url(convention), {"email": add.email}).status_code,
        client.post(remove_url(remove.memberships.get())).status_code,
    }


def test_members_of_the_convention_may_not_manage_members(client, convention, cooperation, copil):
    outsider = UserFactory(copil=True)
    for user in (copil, cooperation):
        client.force_login(user)
        assert managing_answers(client, convention, add=outsider, remove=copil) == {403}
    assert not Membership.objects.filter(user=outsider).exists()
    assert Membership.objects.filter(user=copil, convention=convention).exists()


def test_adviser_of_another_caf_gets_404_and_changes_nothing(client, other_adviser, convention, copil):
    outsider = UserFactory(copil=True)
    client.force_login(other_adviser)
    assert managing_answers(client, convention, add=outsider, remove=copil) == {404}
    assert not Membership.objects.filter(user=outsider).exists()
    assert Membership.objects.filter(user=copil, convention=convention).exists()


def test_members_are_managed_after_signature_too(client, adviser, convention):
    convention.status = "signee"
    convention.signature_date = convention.start_date
    convention.save()
    member = UserFactory(copil=True)
    client.force_login(adviser)
    assert client.post(members_url(convention), {"email": member.email}).status_code == 302
    assert Membership.objects.filter(convention=convention, user=member).exists()


def test_members_page_runs_a_fixed_number_of_queries(client, adviser, convention, django_assert_max_num_queries):
    client.force_login(adviser)
    MembershipFactory(convention=convention)
    with django_assert_max_num_queries(12):
        client.get(members_url(convention))
    for _ in range(10):
        MembershipFactory(convention=convention)
    with django_assert_max_num_queries(12):
        client.get(members_url(convention))
