import csv
import datetime
import io
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conventions.enums import ConventionPhase
from conventions.models import Domain
from tests.accounts.factories import UserFactory
from tests.actions.factories import ActionSheetFactory
from tests.conventions.factories import ConventionFactory, MembershipFactory, PartyFactory
from tests.pages import count_queries
from tests.territories.factories import CafFactory, CommuneFactory, DepartementFactory, TerritoryFactory

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def url(name: str = "conventions:list", **params) -> str:
    return reverse(name) + (f"?{urlencode(params)}" if params else "")


def listed(client, **params) -> list[str]:
    """The references shown on the page, in their order."""
    response = client.get(url(**params))
    assert response.status_code == 200
    return [row.record.reference for row in response.context["table"].paginated_rows]


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


@pytest.fixture
def caf(db):
    return CafFactory(name="Caf de l'Hérault", departement=DepartementFactory(code="34", name="Hérault"))


@pytest.fixture
def adviser(caf):
    return UserFactory(adviser=True, caf=caf)


@pytest.fixture
def administrator(db):
    return UserFactory(administrator=True)


@pytest.mark.parametrize("name", ["conventions:list", "conventions:list_export"])
def test_anonymous_is_sent_to_the_login_page(client, db, name):
    response = client.get(url(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_list_is_linked_from_the_navigation_and_the_home_page(client, adviser, caf):
    ConventionFactory(caf=caf)
    client.force_login(adviser)
    body = client.get(reverse("conventions:home")).content.decode()
    assert f'href="{reverse("conventions:list")}"' in body
    assert "Voir la liste complète" in body


def test_adviser_sees_only_the_conventions_of_their_caf(client, adviser, caf):
    own = ConventionFactory(caf=caf, title="Convention de Montpellier – Béziers")
    other = ConventionFactory(title="Convention d'une autre Caf")
    client.force_login(adviser)
    response = client.get(url())
    body = response.content.decode()
    assert own.title in body
    assert f'href="{reverse("conventions:detail", args=[own.pk])}"' in body
    assert other.title not in body and other.reference not in body
    assert other.caf.name not in body  # not even among the Caf choices
    assert "<caption" in body and "1 convention" in body
    for text in ('<label class="form-label" for="id_caf">Caf</label>', ">Filtrer</button>", ">Réinitialiser</a>"):
        assert text in body


def test_filtering_by_another_cafs_id_shows_nothing(client, adviser, caf):
    ConventionFactory(caf=caf)
    other = ConventionFactory(title="Convention d'une autre Caf")
    client.force_login(adviser)
    response = client.get(url(caf=other.caf_id))
    body = response.content.decode()
    assert other.title not in body
    assert list(response.context["table"].paginated_rows) == []
    assert "Sélectionnez un choix valide" in body
    for export_format in ("csv", "xlsx"):
        content = client.get(url("conventions:list_export", caf=other.caf_id, format=export_format)).content
        if export_format == "csv":
            assert other.reference.encode() not in content
        else:
            sheet = load_workbook(io.BytesIO(content)).active
            assert sheet.max_row == 1  # the header only


def test_exports_hold_only_the_conventions_of_the_users_caf(client, adviser, caf):
    own = ConventionFactory(caf=caf)
    other = ConventionFactory()
    client.force_login(adviser)
    rows = csv_rows(client.get(url("conventions:list_export", format="csv")))
    assert [row[0] for row in rows[1:]] == [own.reference]
    sheet = load_workbook(io.BytesIO(client.get(url("conventions:list_export", format="xlsx")).content)).active
    references = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert references == [own.reference]
    assert other.reference not in references


def test_a_cooperation_member_sees_only_their_conventions(client, db):
    mine, _ = ConventionFactory(), ConventionFactory()
    user = UserFactory(cooperation=True)
    MembershipFactory(convention=mine, user=user)
    client.force_login(user)
    assert listed(client) == [mine.reference]


@pytest.fixture
def conventions_in_every_phase(caf):
    """One convention per phase (two in force), dated around today so the test never ages."""
    make = ConventionFactory
    return {
        "draft": make(caf=caf, status="brouillon", start_date=TODAY, end_date=TODAY + 900 * DAY),
        "copil": make(caf=caf, status="validee_copil", start_date=TODAY, end_date=TODAY + 900 * DAY),
        "in_signature": make(
            caf=caf, status="en_signature", start_date=None, starts_on_signature=True, end_date=TODAY + 900 * DAY
        ),
        "in_force": make(caf=caf, signed=True, start_date=TODAY - 400 * DAY, end_date=TODAY + 400 * DAY),
        "in_force_since_signature": make(
            caf=caf,
            signed=True,
            start_date=None,
            starts_on_signature=True,
            signature_date=TODAY - 5 * DAY,
            end_date=TODAY + 700 * DAY,
        ),
        "ends_today": make(caf=caf, signed=True, start_date=TODAY - 900 * DAY, end_date=TODAY),
        "not_started": make(caf=caf, signed=True, start_date=TODAY + 10 * DAY, end_date=TODAY + 900 * DAY),
        "signed_starts_on_later_signature": make(
            caf=caf,
            signed=True,
            start_date=None,
            starts_on_signature=True,
            signature_date=TODAY + 3 * DAY,
            end_date=TODAY + 900 * DAY,
        ),
        "expired": make(caf=caf, signed=True, start_date=TODAY - 1500 * DAY, end_date=TODAY - DAY),
        "terminated": make(caf=caf, status="resiliee", start_date=TODAY - 900 * DAY, end_date=TODAY + 90 * DAY),
        "renewed": make(caf=caf, status="renouvelee", start_date=TODAY - 1500 * DAY, end_date=TODAY - 30 * DAY),
    }


def test_status_filter_uses_the_derived_phases(client, adviser, conventions_in_every_phase):
    c = conventions_in_every_phase
    client.force_login(adviser)
    assert set(listed(client, statut="en_vigueur")) == {
        c["in_force"].reference,
        c["in_force_since_signature"].reference,
        c["ends_today"].reference,
    }
    assert listed(client, statut="echue") == [c["expired"].reference]
    assert set(listed(client, statut="signee")) == {
        c["not_started"].reference,
        c["signed_starts_on_later_signature"].reference,
    }
    assert listed(client, statut="brouillon") == [c["draft"].reference]


@pytest.mark.parametrize("phase", ConventionPhase)
def test_status_filter_agrees_with_convention_phase(client, adviser, conventions_in_every_phase, phase):
    expected = {c.reference for c in conventions_in_every_phase.values() if c.phase() == phase}
    client.force_login(adviser)
    response = client.get(url(statut=phase.value))
    assert {row.record.reference for row in response.context["table"].paginated_rows} == expected
    body = response.content.decode()
    if expected:
        assert f'<span class="badge badge-status phase-{phase.value}">{phase.label}</span>' in body


def test_sorting_by_status_follows_the_lifecycle(client, adviser, conventions_in_every_phase):
    client.force_login(adviser)
    response = client.get(url(sort="status"))
    phases = [row.record.phase() for row in response.context["table"].paginated_rows]
    order = list(ConventionPhase)
    assert [order.index(p) for p in phases] == sorted(order.index(p) for p in phases)


def test_caf_and_departement_filters(client, administrator):
    loire = CafFactory(name="Caf de la Loire", departement=DepartementFactory(code="42", name="Loire"))
    loiret = CafFactory(name="Caf du Loiret", departement=DepartementFactory(code="45", name="Loiret"))
    firminy, ruelle = ConventionFactory(caf=loire), ConventionFactory(caf=loiret)
    client.force_login(administrator)
    assert listed(client, caf=loire.pk) == [firminy.reference]
    assert listed(client, departement=loiret.departement_id) == [ruelle.reference]
    assert listed(client, caf=loire.pk, departement=loiret.departement_id) == []


def test_domain_filter(client, adviser, caf):
    youth = Domain.objects.create(code="jeunesse", label="Jeunesse")
    parenting = Domain.objects.create(code="parentalite", label="Parentalité")
    both, only_youth = ConventionFactory(caf=caf), ConventionFactory(caf=caf)
    both.domains.set([youth, parenting])
    only_youth.domains.set([youth])
    ConventionFactory(caf=caf)
    client.force_login(adviser)
    assert listed(client, champ=parenting.pk) == [both.reference]
    assert set(listed(client, champ=youth.pk)) == {both.reference, only_youth.reference}
    assert "Jeunesse, Parentalité" in client.get(url(champ=parenting.pk)).content.decode()


def test_year_filter_keeps_the_conventions_whose_period_covers_the_year(client, adviser, caf):
    old = ConventionFactory(caf=caf, start_date=datetime.date(2018, 1, 1), end_date=datetime.date(2021, 12, 31))
    current = ConventionFactory(caf=caf, start_date=datetime.date(2022, 1, 1), end_date=datetime.date(2026, 12, 31))
    signed_in_2024 = ConventionFactory(
        caf=caf,
        signed=True,
        start_date=None,
        starts_on_signature=True,
        signature_date=datetime.date(2024, 3, 1),
        end_date=datetime.date(2027, 12, 31),
    )
    # Starts on a signature that has not happened: it may cover any year up to its end.
    unsigned = ConventionFactory(
        caf=caf, start_date=None, starts_on_signature=True, end_date=datetime.date(2027, 12, 31)
    )
    client.force_login(adviser)
    assert set(listed(client, annee=2021)) == {old.reference, unsigned.reference}
    assert set(listed(client, annee=2022)) == {current.reference, unsigned.reference}
    assert set(listed(client, annee=2024)) == {current.reference, signed_in_2024.reference, unsigned.reference}
    assert set(listed(client, annee=2027)) == {signed_in_2024.reference, unsigned.reference}
    assert listed(client, annee=2028) == []


def test_invalid_year_shows_a_french_error(client, adviser, caf):
    ConventionFactory(caf=caf)
    client.force_login(adviser)
    response = client.get(url(annee="deux mille"))
    assert "Saisissez un nombre entier." in response.content.decode()
    assert list(response.context["table"].paginated_rows) == []


def test_ending_within_twelve_months(client, adviser, caf):
    soon = ConventionFactory(caf=caf, start_date=TODAY - 900 * DAY, end_date=TODAY + 100 * DAY)
    ConventionFactory(caf=caf, start_date=TODAY - 900 * DAY, end_date=TODAY + 400 * DAY)
    ConventionFactory(caf=caf, start_date=TODAY - 900 * DAY, end_date=TODAY - DAY)
    client.force_login(adviser)
    assert listed(client, fin_proche="on") == [soon.reference]
    assert len(listed(client)) == 3


def test_free_text_finds_a_commune_insee_code_once(client, adviser, caf):
    territory = TerritoryFactory(
        name="Ondaine",
        communes=[
            CommuneFactory(insee_code="42095", name="Firminy"),
            CommuneFactory(insee_code="42044", name="Le Chambon-Feugerolles"),
        ],
    )
    firminy = ConventionFactory(caf=caf, territory=territory)
    PartyFactory(convention=firminy, name="Commune de Firminy")
    PartyFactory(convention=firminy, name="Ville de Firminy")
    ConventionFactory(caf=caf)
    client.force_login(adviser)
    assert listed(client, q="42095") == [firminy.reference]
    response = client.get(url(q="firminy"))
    assert [row.record.reference for row in response.context["table"].paginated_rows] == [firminy.reference]
    assert "2 communes" in response.content.decode()  # the search does not change the counts


def test_free_text_finds_a_party_name(client, adviser, caf):
    with_msa = ConventionFactory(caf=caf)
    PartyFactory(convention=with_msa, kind="autre", name="Mutualité sociale agricole Languedoc")
    ConventionFactory(caf=caf)
    client.force_login(adviser)
    assert listed(client, q="sociale agricole") == [with_msa.reference]
    assert listed(client, q="introuvable") == []


def test_sorting_by_end_date(client, adviser, caf):
    ends = [datetime.date(2025, 12, 31), datetime.date(2027, 12, 31), datetime.date(2026, 12, 31)]
    by_end = {
        ConventionFactory(caf=caf, start_date=datetime.date(2022, 1, 1), end_date=end).reference: end for end in ends
    }
    client.force_login(adviser)
    ascending = listed(client, sort="period")
    assert [by_end[r] for r in ascending] == sorted(ends)
    assert [by_end[r] for r in listed(client, sort="-period")] == sorted(ends, reverse=True)
    exported = csv_rows(client.get(url("conventions:list_export", format="csv", sort="-period")))
    assert [row[0] for row in exported[1:]] == listed(client, sort="-period")  # the export keeps the page's order
    body = client.get(url(sort="period")).content.decode()
    assert 'aria-sort="ascending"' in body
    assert "01/01/2022 – 31/12/2025" in body


def test_pagination_shows_25_per_page(client, adviser, caf):
    ConventionFactory.create_batch(30, caf=caf)
    client.force_login(adviser)
    response = client.get(url())
    assert len(list(response.context["table"].paginated_rows)) == 25
    body = response.content.decode()
    assert "30 conventions" in body and "page 1 sur 2" in body
    assert len(listed(client, page=2)) == 5


def test_export_links_keep_the_filters(client, adviser, caf):
    ConventionFactory(caf=caf)
    client.force_login(adviser)
    body = client.get(url(statut="echue", q="Hérault", page=1)).content.decode()
    export = reverse("conventions:list_export")
    assert f'href="{export}?statut=echue&amp;q=H%C3%A9rault&amp;format=csv"' in body
    assert f'href="{export}?statut=echue&amp;q=H%C3%A9rault&amp;format=xlsx"' in body


@pytest.fixture
def accented_convention(caf):
    convention = ConventionFactory(
        caf=caf,
        reference="CTG-34-2022-01",
        title="Convention de Béziers – Hérault",
        territory=TerritoryFactory(name="Béziers Méditerranée", communes=CommuneFactory.create_batch(2)),
        signed=True,
        start_date=datetime.date(2022, 1, 1),
        end_date=TODAY + 100 * DAY,
    )
    convention.domains.set([Domain.objects.create(code="petite-enfance", label="Petite enfance")])
    ActionSheetFactory.create_batch(3, convention=convention)
    return convention


def test_csv_export(client, adviser, accented_convention):
    ConventionFactory(caf=adviser.caf, status="brouillon", reference="CTG-34-BROUILLON")
    client.force_login(adviser)
    response = client.get(url("conventions:list_export", format="csv", statut="en_vigueur"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="conventions-{TODAY:%Y-%m-%d}.csv"'
    assert b";" in response.content.splitlines()[0]
    header, *rows = csv_rows(response)
    assert header == [
        "Référence",
        "Intitulé",
        "Caf",
        "Département",
        "Périmètre",
        "Communes",
        "Début",
        "Fin",
        "Statut",
        "Champs d'intervention",
        "Fiches-action",
    ]
    assert rows == [
        [
            "CTG-34-2022-01",
            "Convention de Béziers – Hérault",
            "Caf de l'Hérault",
            "34 – Hérault",
            "Béziers Méditerranée",
            "2",
            "01/01/2022",
            (TODAY + 100 * DAY).strftime("%d/%m/%Y"),
            "En vigueur",
            "Petite enfance",
            "3",
        ]
    ]


def test_xlsx_export(client, adviser, accented_convention):
    client.force_login(adviser)
    response = client.get(url("conventions:list_export", format="xlsx"))
    assert response["Content-Disposition"] == f'attachment; filename="conventions-{TODAY:%Y-%m-%d}.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Référence" and sheet["A1"].font.bold
    assert sheet["B2"].value == "Convention de Béziers – Hérault"
    assert sheet["G2"].value == datetime.datetime(2022, 1, 1)
    assert sheet["G2"].number_format == "DD/MM/YYYY"
    assert sheet["K2"].value == 3


def test_unknown_export_format_is_refused(client, adviser):
    client.force_login(adviser)
    assert client.get(url("conventions:list_export", format="pdf")).status_code == 400


def build_conventions(caf, count: int):
    domains = [Domain.objects.get_or_create(code=code, label=code.title())[0] for code in ("enfance", "jeunesse")]
    for _ in range(count):
        convention = ConventionFactory(caf=caf, territory=TerritoryFactory(communes=CommuneFactory.create_batch(2)))
        convention.domains.set(domains)
        PartyFactory(convention=convention)
        ActionSheetFactory.create_batch(2, convention=convention)


QUERY_COUNT_URLS = [
    url(),
    url(sort="status", q="Convention"),
    url("conventions:list_export", format="csv"),
    url("conventions:list_export", format="xlsx", sort="-period"),
]


def test_query_count_is_the_same_with_3_and_30_conventions(client, adviser, caf):
    client.force_login(adviser)
    build_conventions(caf, 3)
    small = [count_queries(client, address) for address in QUERY_COUNT_URLS]
    build_conventions(caf, 27)
    large = [count_queries(client, address) for address in QUERY_COUNT_URLS]
    assert small == large
    assert max(small) <= 8


def test_query_count_is_the_same_with_5_and_60_fiches(client, adviser, caf):
    client.force_login(adviser)
    convention = ConventionFactory(caf=caf)
    ActionSheetFactory.create_batch(5, convention=convention)
    small = [count_queries(client, address) for address in QUERY_COUNT_URLS]
    ActionSheetFactory.create_batch(55, convention=convention)
    large = [count_queries(client, address) for address in QUERY_COUNT_URLS]
    assert small == large
    assert "60" in client.get(url()).content.decode()
