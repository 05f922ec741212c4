import datetime
import json
from pathlib import Path

import pytest

from conventions.dossier.exchange import ConventionFileError, convention_export, convention_import
from conventions.models import Convention, Edition
from conventions.services import convention_create, editions_load
from tests.territories.factories import CafFactory, CommuneFactory, TerritoryFactory

EDITIONS = Path(__file__).resolve().parents[2] / "fixtures" / "reference" / "editions.json"


@pytest.fixture
def editions(db):
    editions_load(path=EDITIONS)
    return {e.code: e for e in Edition.objects.all()}


def test_editions_load_is_idempotent(editions):
    counts = {code: e.clauses.count() for code, e in editions.items()}
    editions_load(path=EDITIONS)
    assert {e.code: e.clauses.count() for e in Edition.objects.all()} == counts
    assert counts["2022"] == 15  # préambule + 14 articles
    assert counts["2025"] > counts["2022"]


def test_convention_create_fills_the_articles_from_the_edition(editions):
    caf = CafFactory(name="Caf de la Loire")
    territory = TerritoryFactory(name="Firminy – La Ricamarie", communes=[CommuneFactory(), CommuneFactory()])
    convention = convention_create(
        reference="CTG-NEW",
        title="Nouvelle convention",
        caf=caf,
        territory=territory,
        edition=editions["2022"],
        start_date=datetime.date(2027, 1, 1),
        end_date=datetime.date(2031, 12, 31),
    )
    clauses = list(convention.clauses.all())
    assert [c.number for c in clauses] == [str(n) for n in range(1, 15)]
    duration = next(c for c in clauses if c.title.startswith("Durée"))
    assert "à compter du 1er janvier 2027 jusqu'au 31 décembre 2031" in duration.body
    assert "{" not in "".join(c.body for c in clauses)
    assert "Firminy – La Ricamarie" in convention.preamble + "".join(c.body for c in clauses)
    assert convention.visas.startswith("Vu ")
    assert convention.diagnostic is not None


def test_convention_create_starting_on_signature(editions):
    convention = convention_create(
        reference="CTG-SIGN",
        title="Convention à compter de la signature",
        caf=CafFactory(),
        territory=TerritoryFactory(),
        edition=editions["2025"],
        starts_on_signature=True,
        end_date=datetime.date(2029, 12, 31),
    )
    duration = convention.clauses.get(title__startswith="Durée")
    assert "à compter du jour de la signature jusqu'au 31 décembre 2029" in duration.body
    assert convention.clauses.filter(title__icontains="autorité organisatrice").exists()


def test_convention_create_refuses_a_reversed_period_and_writes_nothing(editions):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        convention_create(
            reference="CTG-BAD",
            title="Mauvaise période",
            caf=CafFactory(),
            territory=TerritoryFactory(),
            edition=editions["2022"],
            start_date=datetime.date(2027, 1, 1),
            end_date=datetime.date(2026, 12, 31),
        )
    assert not Convention.objects.filter(reference="CTG-BAD").exists()


DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo"


@pytest.fixture
def demo_reference(db, editions):
    from conventions.dossier.demo import FIXTURES, demo_users_create, lists_load
    from territories.reference import reference_data_load

    reference_data_load(departements=["42", "45"])
    lists_load(path=FIXTURES / "reference" / "lists.json")
    demo_users_create()


@pytest.mark.parametrize("name", sorted(p.name for p in DEMO.glob("*.json")))
def test_demo_convention_round_trips_through_json(demo_reference, name):
    data = json.loads((DEMO / name).read_text(encoding="utf-8"))
    convention, _ = convention_import(data=data)
    first = convention_export(convention=convention)
    convention.delete()
    again, _ = convention_import(data=first)
    assert convention_export(convention=again) == first


def test_import_refuses_a_bad_file_whole_and_names_each_problem(demo_reference):
    data = json.loads((DEMO / "firminy.json").read_text(encoding="utf-8"))
    data["convention"]["reference"] = "CTG-BROKEN"
    data["territory"]["communes"].append("99999")
    first_action = data["plan"]["orientations"][0]["axes"][0]["objectives"][0]["actions"][0]
    first_action["progress"] = 120
    data["plan"]["orientations"][1]["axes"][0]["objectives"][0]["actions"][0]["reference"] = first_action["reference"]
    with pytest.raises(ConventionFileError) as excinfo:
        convention_import(data=data)
    messages = "\n".join(excinfo.value.messages)
    assert "commune inconnue (code INSEE « 99999 »)" in messages
    assert f"fiche-action « {first_action['reference']} » : référence en double dans le fichier." in messages
    assert "inférieure ou égale à 100" in messages
    assert not Convention.objects.filter(reference="CTG-BROKEN").exists()


def test_round_trip_keeps_the_meeting_of_each_review_amendment_snapshots_and_validation(db):
    from conventions.models import Amendment, Meeting
    from evaluation.models import Review
    from tests.accounts.factories import UserFactory
    from tests.conventions.factories import CommitteeFactory, ConventionFactory

    convention = ConventionFactory(reference="CTG-ALLER-RETOUR")
    copil = CommitteeFactory(convention=convention, name="Comité de pilotage", order=1)
    cotech = CommitteeFactory(convention=convention, kind="cotech", name="Comité technique", order=2)
    same_day = datetime.date(2024, 5, 14)
    Meeting.objects.create(committee=copil, date=same_day, place="Salle A")
    Meeting.objects.create(committee=cotech, date=same_day, place="Salle B")
    validator = UserFactory(adviser=True, caf=convention.caf, email="valideuse@exemple.fr")
    Review.objects.create(
        convention=convention,
        kind="intermediaire",
        year=2024,
        status="valide",
        meeting=cotech.meetings.get(),
        snapshot={"review": {"summary": "Figé"}, "actions": {"total": 3}},
        validated_at=datetime.datetime(2024, 5, 20, 14, 30, 5, tzinfo=datetime.UTC),
        validated_by=validator,
    )
    Amendment.objects.create(
        convention=convention,
        number=1,
        signed_on=datetime.date(2024, 1, 15),
        object="Extension du périmètre",
        changes="Ajout d'une commune",
        snapshot={"convention": {"reference": "CTG-ALLER-RETOUR", "title": "avant l'avenant"}},
    )

    first = convention_export(convention=convention)
    assert first["reviews"][0]["meeting"] == {"committee": "Comité technique", "date": "2024-05-14"}
    assert first["reviews"][0]["validated_by"] == "valideuse@exemple.fr"
    assert first["amendments"][0]["snapshot"]["convention"]["title"] == "avant l'avenant"
    convention.delete()
    again, warnings = convention_import(data=json.loads(json.dumps(first)))
    assert warnings == []
    assert convention_export(convention=again) == first
    review = again.reviews.get()
    assert (review.meeting.committee.name, review.meeting.place) == ("Comité technique", "Salle B")
    assert review.validated_by == validator
    assert review.validated_at == datetime.datetime(2024, 5, 20, 14, 30, 5, tzinfo=datetime.UTC)
    assert again.amendments.get().snapshot == first["amendments"][0]["snapshot"]
