"""The Caf's dashboard: coverage, phases, communes not covered or covered twice, renewals, delays, exports."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from conventions.models import AoCompetence, SupportedEquipment
from core.text import NBSP
from territories.models import Commune
from tests.accounts.factories import UserFactory
from tests.actions.factories import ActionSheetFactory
from tests.conventions.factories import ConventionFactory
from tests.territories.factories import (
    CafFactory,
    CommuneFactory,
    DepartementFactory,
    EquipmentFactory,
    EquipmentKindFactory,
    TerritoryFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def in_force(caf, communes, **kwargs):
    kwargs.setdefault("end_date", TODAY + relativedelta(years=2))
    return ConventionFactory(
        caf=caf,
        signed=True,
        start_date=datetime.date(2022, 1, 1),
        territory=TerritoryFactory(communes=communes),
        **kwargs,
    )


@pytest.fixture
def loire():
    departement = DepartementFactory(code="42", name="Loire")
    caf = CafFactory(name="Caf de la Loire", departement=departement)
    communes = {
        name: CommuneFactory(name=name, departement=departement, population=population, insee_code=code)
        for name, population, code in [
            ("Firminy", 16_500, "42095"),
            ("Fraisses", 4_000, "42099"),
            ("Unieux", 8_700, "42316"),
            ("Roche-la-Molière", 10_300, "42189"),
            ("=HYPERLINK(1)", 40, "42999"),
        ]
    }
    elsewhere = CommuneFactory(name="Lyon", departement=DepartementFactory(code="69", name="Rhône"), population=500_000)
    first = in_force(caf, [communes["Firminy"], communes["Fraisses"]], reference="CTG-FIRMINY", title="CTG de Firminy")
    second = in_force(
        caf,
        [communes["Fraisses"], communes["Unieux"]],
        reference="CTG-ONDAINE",
        title="CTG de l'Ondaine",
        end_date=TODAY + relativedelta(months=5),
    )
    # Not in force: a draft, an expired one; and another Caf's convention in force: none of them covers.
    ConventionFactory(caf=caf, territory=TerritoryFactory(communes=[communes["Roche-la-Molière"]]))
    ConventionFactory(
        caf=caf,
        signed=True,
        start_date=datetime.date(2018, 1, 1),
        end_date=TODAY - datetime.timedelta(days=1),
        territory=TerritoryFactory(communes=[communes["Roche-la-Molière"]]),
    )
    in_force(CafFactory(), [communes["Roche-la-Molière"], elsewhere])
    ActionSheetFactory(convention=second, reference="2.3", due_date=TODAY - datetime.timedelta(days=5))
    return {"caf": caf, "communes": communes, "first": first, "second": second}


def test_coverage_is_the_population_of_communes_in_force_once_each_over_the_departement(client, loire):
    adviser = UserFactory(adviser=True, caf=loire["caf"])
    client.force_login(adviser)
    response = client.get(reverse("dashboard:dashboard"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<title>Tableau de bord – Caf de la Loire – Conventions territoriales globales</title>" in body
    assert body.count('id="autorites"') == 1

    covered = Commune.objects.filter(territories__conventions__in=[loire["first"], loire["second"]]).distinct()
    covered_population = sum(commune.population for commune in covered)
    total = Commune.objects.filter(departement__code="42").aggregate(total=Sum("population"))["total"]
    assert covered_population == 16_500 + 4_000 + 8_700, "Fraisses, in both conventions, counts once"
    assert total == 16_500 + 4_000 + 8_700 + 10_300 + 40
    share = f"{covered_population * 100 / total:.1f}".replace(".", ",")
    expected = f"29{NBSP}200 habitants sur 39{NBSP}540 ({share} %)"
    assert share == "73,8"
    assert expected in body
    assert response.context["figures"].coverage.label == expected


def test_lists_communes_not_covered_and_covered_twice(client, loire):
    client.force_login(UserFactory(adviser=True, caf=loire["caf"]))
    figures = client.get(reverse("dashboard:dashboard")).context["figures"]
    assert [c.name for c in figures.uncovered] == ["Roche-la-Molière", "=HYPERLINK(1)"]
    assert [(d.commune.name, [c.reference for c in d.conventions]) for d in figures.doubles] == [
        ("Fraisses", ["CTG-FIRMINY", "CTG-ONDAINE"])
    ]
    assert [c.reference for c in figures.ending] == ["CTG-ONDAINE"]
    dues = {d.convention.reference: d for d in figures.dues}
    assert dues["CTG-ONDAINE"].late_fiches == 1
    end_year = loire["second"].end_date.year
    late_years = [str(y) for y in range(2022, end_year) if datetime.date(y + 1, 3, 31) < TODAY]
    assert dues["CTG-ONDAINE"].bilans_due == late_years
    counts = {phase.value: n for phase, n in figures.phases}
    assert counts["en_vigueur"] == 2 and counts["brouillon"] == 1 and counts["echue"] == 1


def test_a_successor_takes_a_convention_off_the_renewal_list(client, loire):
    ConventionFactory(caf=loire["caf"], previous=loire["second"])
    client.force_login(UserFactory(adviser=True, caf=loire["caf"]))
    assert client.get(reverse("dashboard:dashboard")).context["figures"].ending == []


def test_csv_export_lists_every_commune_not_covered_and_neutralises_formulas(client, loire):
    client.force_login(UserFactory(adviser=True, caf=loire["caf"]))
    url = reverse("dashboard:export", kwargs={"table": "communes-non-couvertes"})
    response = client.get(url, {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "Code INSEE;Commune;Département;Population;Année de la population"
    assert "42189;Roche-la-Molière;42 – Loire;10300;2021" in text
    assert "42999;'=HYPERLINK(1);" in text
    xlsx = client.get(url, {"format": "xlsx"})
    assert xlsx.content[:2] == b"PK"
    assert client.get(url, {"format": "pdf"}).status_code == 400
    assert client.get(reverse("dashboard:export", kwargs={"table": "inconnu"})).status_code == 404


def test_an_adviser_sees_only_their_caf(client, loire):
    other = UserFactory(adviser=True)
    client.force_login(other)
    body = client.get(reverse("dashboard:dashboard")).content.decode()
    assert "CTG de Firminy" not in body and "Fraisses" not in body
    assert client.get(reverse("dashboard:dashboard"), {"caf": loire["caf"].pk}).status_code == 404
    export = reverse("dashboard:export", kwargs={"table": "communes-en-double"})
    assert client.get(export, {"caf": loire["caf"].pk}).status_code == 404


@pytest.mark.parametrize("role", ["cooperation", "copil"])
def test_members_have_no_dashboard(client, loire, role):
    client.force_login(UserFactory(**{role: True}))
    assert client.get(reverse("dashboard:dashboard")).status_code == 403


def test_an_administrator_picks_a_caf_or_the_country(client, loire):
    client.force_login(UserFactory(administrator=True))
    national = client.get(reverse("dashboard:dashboard"))
    assert "Toute la France" in national.content.decode()
    # The country: every commune, every convention in force (the other Caf's covers Roche-la-Molière and Lyon).
    assert national.context["figures"].coverage.covered_population == 29_200 + 10_300 + 500_000
    departements = {row.code: row for row in national.context["figures"].departements}
    # The country counts every Caf's conventions: the other Caf's covers Roche-la-Molière.
    assert departements["42"].coverage.label == f"39{NBSP}500 habitants sur 39{NBSP}540 (99,9 %)"
    assert departements["69"].coverage.percent == 100
    body = national.content.decode()
    assert f"<title>42 – Loire : 39{NBSP}500 habitants sur 39{NBSP}540 (99,9 %)</title>" in body
    assert body.count("<path ") == 96, "every metropolitan département is drawn"
    export = client.get(reverse("dashboard:export", kwargs={"table": "departements"}), {"caf": "france"})
    assert "42;Loire;39500;39540;99,9" in export.content.decode("utf-8-sig")
    one = client.get(reverse("dashboard:dashboard"), {"caf": loire["caf"].pk})
    assert "Couverture par département" not in one.content.decode()
    assert one.context["figures"].coverage.covered_population == 29_200
    assert client.get(reverse("dashboard:dashboard"), {"caf": "x"}).status_code == 404


def test_query_count_does_not_grow_with_conventions(client, django_assert_num_queries):
    departement = DepartementFactory(code="43", name="Haute-Loire")
    caf = CafFactory(departement=departement)
    adviser = UserFactory(adviser=True, caf=caf)
    client.force_login(adviser)

    def add():
        communes = [CommuneFactory(departement=departement) for _ in range(3)]
        convention = in_force(caf, communes, end_date=TODAY + relativedelta(months=4))
        ActionSheetFactory(convention=convention, due_date=TODAY - datetime.timedelta(days=1))
        CommuneFactory(departement=departement)  # not covered

    add()
    with django_assert_num_queries(16) as one:
        response = client.get(reverse("dashboard:dashboard"))
    assert len(response.context["figures"].ending) == 1
    for _ in range(4):
        add()
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("dashboard:dashboard"))
    assert len(response.context["figures"].ending) == 5
    assert len(response.context["figures"].dues) == 5


def test_autorites_organisatrices_obligations_and_what_conventions_record(client, loire):
    firminy = loire["communes"]["Firminy"]
    AoCompetence.objects.create(
        convention=loire["first"],
        commune=firminy,
        census="exercee",
        inform="exercee",
        plan="transferee",
        quality="inconnu",
        has_schema=True,
    )
    rpe = EquipmentFactory(kind=EquipmentKindFactory(code="rpe", label="RPE"), commune=firminy, name="RPE de Firminy")
    SupportedEquipment.objects.create(convention=loire["first"], equipment=rpe)
    client.force_login(UserFactory(adviser=True, caf=loire["caf"]))
    response = client.get(reverse("dashboard:dashboard"))
    rows = {row.commune.name: row for row in response.context["figures"].ao}
    assert list(rows) == ["Firminy", "Unieux", "Fraisses"], "above 3 500 and covered, most populated first"
    assert rows["Firminy"].needs_schema and rows["Firminy"].exercised == 3
    assert rows["Firminy"].has_schema and rows["Firminy"].has_rpe
    assert rows["Unieux"].exercised is None and not rows["Unieux"].needs_schema
    export = client.get(reverse("dashboard:export", kwargs={"table": "autorites-organisatrices"}), {"format": "csv"})
    lines = export.content.decode("utf-8-sig").splitlines()
    assert (
        lines[1]
        == "42095;Firminy;42 – Loire;16500;4 compétences, schéma pluriannuel, relais petite enfance;3/4;oui;oui"
    )
    assert lines[3].endswith(";non renseignées;non requis;non requis")
