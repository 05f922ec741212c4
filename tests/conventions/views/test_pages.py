from django.urls import reverse

from tests.actions.factories import ActionSheetFactory, AxisFactory, ObjectiveFactory, OrientationFactory
from tests.conventions.factories import ConventionFactory, PartyFactory, RepresentativeFactory
from tests.evaluation.factories import IndicatorFactory, MeasurementFactory
from tests.pages import count_queries, whole_convention_page
from tests.territories.factories import CommuneFactory, EquipmentFactory


def test_home_requires_login(client):
    response = client.get(reverse("conventions:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_home_lists_only_the_conventions_of_the_users_scope(client, convention, adviser, other_adviser):
    elsewhere = ConventionFactory(title="Convention d'une autre Caf")
    client.force_login(adviser)
    body = client.get(reverse("conventions:home")).content.decode()
    assert convention.title in body
    assert elsewhere.title not in body


def test_login_with_email_and_password(client, adviser):
    response = client.post(reverse("accounts:login"), {"username": adviser.email, "password": "mot-de-passe-de-test"})
    assert response.status_code == 302
    assert response["Location"] == reverse("conventions:home")


def test_login_refused_with_a_french_message(client, adviser):
    response = client.post(reverse("accounts:login"), {"username": adviser.email, "password": "faux"})
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect." in response.content.decode()


def test_detail_shows_parties_perimeter_text_and_plan(client, convention, copil):
    party = PartyFactory(convention=convention, name="Commune de Belleville")
    RepresentativeFactory(party=party, name="Jeanne DUPONT", title="Maire")
    objective = ObjectiveFactory(
        axis=AxisFactory(orientation=OrientationFactory(convention=convention, title="Soutenir les jeunes"))
    )
    ActionSheetFactory(convention=convention, reference="2.3", title="Créer un conseil de jeunes", place=objective)
    client.force_login(copil)
    body = whole_convention_page(client, convention.pk)
    for text in ("Commune de Belleville", "Jeanne DUPONT", "Soutenir les jeunes", "2.3", "Créer un conseil de jeunes"):
        assert text in body
    assert convention.territory.communes.first().name in body


def test_detail_formats_numbers_and_dates_the_french_way(client, convention, adviser):
    commune = convention.territory.communes.first()
    commune.population = 37070
    commune.save()
    client.force_login(adviser)
    body = whole_convention_page(client, convention.pk)
    assert "37\xa0070" in body
    assert "31/12/2026" in body
    assert "(2021)" in body  # a year is never written « 2 021 »


def build_convention(n_actions: int):
    convention = ConventionFactory()
    convention.territory.communes.add(*CommuneFactory.create_batch(3))
    for _ in range(2):
        RepresentativeFactory(party=PartyFactory(convention=convention))
    orientations = OrientationFactory.create_batch(3, convention=convention)
    for i in range(n_actions):
        orientation = orientations[i % 3]
        objective = ObjectiveFactory(axis=AxisFactory(orientation=orientation))
        action = ActionSheetFactory(convention=convention, place=objective)
        MeasurementFactory(indicator=IndicatorFactory(convention=convention, action=action))
    for commune in convention.territory.communes.all():
        equipment = EquipmentFactory(commune=commune)
        convention.supported_equipment.create(equipment=equipment)
    return convention


def test_detail_query_count_is_the_same_with_5_and_60_fiches(client, db):
    from tests.accounts.factories import UserFactory

    small, large = build_convention(5), build_convention(60)
    client.force_login(UserFactory(administrator=True))
    small_count = count_queries(client, reverse("conventions:detail", args=[small.pk]))
    large_count = count_queries(client, reverse("conventions:detail", args=[large.pk]))
    assert small_count == large_count <= 26  # 25, and the administrator's second-factor device (django-otp)
    # The first view leaves the plan and the evaluation to their sections (loaded on demand), each constant too.
    first_view = client.get(reverse("conventions:detail", args=[large.pk])).content.decode()
    assert 'class="action-ref"' not in first_view
    assert f'hx-get="{reverse("conventions:section", args=[large.pk, "plan"])}"' in first_view
    for section in ("texte", "diagnostic", "equipements", "petite-enfance", "plan", "pilotage", "evaluation"):
        urls = [reverse("conventions:section", args=[c.pk, section]) for c in (small, large)]
        assert count_queries(client, urls[0]) == count_queries(client, urls[1]) <= 16, section
    body = whole_convention_page(client, large.pk)
    assert body.count('class="action-ref"') == 60 * 2  # plan + évaluation


def test_a_section_is_a_printable_page_of_its_own_and_unknown_sections_are_404(client, convention, copil):
    ActionSheetFactory(convention=convention, reference="2.3", title="Créer un conseil de jeunes")
    client.force_login(copil)
    page = client.get(reverse("conventions:section", args=[convention.pk, "plan"])).content.decode()
    assert "<html" in page and "Créer un conseil de jeunes" in page and convention.title in page
    fragment = client.get(reverse("conventions:section", args=[convention.pk, "plan"]), HTTP_HX_REQUEST="true")
    assert "<html" not in fragment.content.decode() and 'id="plan"' in fragment.content.decode()
    assert client.get(reverse("conventions:section", args=[convention.pk, "inconnue"])).status_code == 404


def test_home_query_count_is_the_same_with_2_and_20_conventions(client, db):
    from tests.accounts.factories import UserFactory

    client.force_login(UserFactory(administrator=True))
    for _ in range(2):
        build_convention(2)
    small_count = count_queries(client, reverse("conventions:home"))
    for _ in range(28):
        build_convention(2)
    # 30 conventions: two pages of 25, each page the same queries (the counts are sub-queries of the page's rows).
    assert count_queries(client, reverse("conventions:home")) == small_count <= 5
    assert count_queries(client, reverse("conventions:home") + "?page=2") == small_count
    body = client.get(reverse("conventions:home")).content.decode()
    assert "30 conventions visibles — page 1 sur 2" in body
    assert body.count("<tr>") == 25 + 1  # the header row and one page of conventions


def test_the_json_exchange_export_is_offered_to_the_cafs_advisers_only(client, convention, adviser, cooperation, copil):
    url = reverse("evaluation:convention_json", args=[convention.pk])
    offered = {}
    for who, user in (("adviser", adviser), ("cooperation", cooperation), ("copil", copil)):
        client.force_login(user)
        body = whole_convention_page(client, convention.pk)
        offered[who] = f'href="{url}"' in body and "Exporter la convention (format d'échange JSON)" in body
    assert offered == {"adviser": True, "cooperation": False, "copil": False}
