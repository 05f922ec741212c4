"""The reference data: the Caf network from fixtures/reference/cafs.csv, loaded by load_reference."""

import csv
import importlib
import shutil
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from territories.matching import MatchStatus, communes_match, epcis_match
from territories.models import Caf, Commune, Departement, Epci
from territories.reference import reference_data_load, reference_directory
from tests.territories.factories import CafFactory, DepartementFactory

CAFS_FILE = Path(__file__).resolve().parents[2] / "fixtures" / "reference" / "cafs.csv"


def caf_rows():
    with CAFS_FILE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_caf_file_covers_every_departement_of_the_network():
    rows = caf_rows()
    by_code = {row["code"]: row for row in rows}
    assert len(rows) == 102
    covered = {code for row in rows for code in row["departement_codes"].split(";")}
    with (CAFS_FILE.parent / "departements.csv").open(encoding="utf-8") as handle:
        departements = {row["code"] for row in csv.DictReader(handle)}
    # Every département has its Caf, except the collectivités d'outre-mer outside the network.
    assert departements - covered == {"975", "984", "986", "987", "988", "989"}
    # Names follow the département's official linking words…
    expected = {
        "01": "Caf de l'Ain",
        "13": "Caf des Bouches-du-Rhône",
        "28": "Caf d'Eure-et-Loir",
        "42": "Caf de la Loire",
        "45": "Caf du Loiret",
        "74": "Caf de la Haute-Savoie",
        "75": "Caf de Paris",
        "93": "Caf de la Seine-Saint-Denis",
        "2A": "Caf de la Corse-du-Sud",
        "2B": "Caf de la Haute-Corse",
        "974": "Caf de La Réunion",
    }
    assert {code: by_code[code]["name"] for code in expected} == expected
    # … except the known exceptions, marked as such.
    assert by_code["64-BEARN-SOULE"]["name"] == "Caf du Béarn et de la Soule"
    assert by_code["64-PAYS-BASQUE"]["name"] == "Caf du Pays Basque et du Seignanx"
    assert by_code["64-PAYS-BASQUE"]["departement_codes"] == "64;40"
    assert by_code["976"]["name"] == "Caisse de sécurité sociale de Mayotte"
    assert by_code["971"]["departement_codes"] == "971;977;978"
    assert "64" not in by_code
    assert {row["code"] for row in rows if row["name_source"] == "attested"} == {
        "64-BEARN-SOULE",
        "64-PAYS-BASQUE",
        "971",
        "976",
    }
    assert len({row["name"] for row in rows}) == len(rows)


@pytest.mark.django_db
def test_loading_creates_the_cafs_of_the_departements_loaded_with_what_they_cover():
    counts = reference_data_load(departements=["42", "64", "40", "971", "976"])
    assert counts["cafs"] == 6
    pays_basque = Caf.objects.get(code="64-PAYS-BASQUE")
    assert pays_basque.name == "Caf du Pays Basque et du Seignanx"
    assert pays_basque.departement.code == "64"
    assert pays_basque.departement_codes() == ["40", "64"]
    assert Caf.objects.get(code="40").name == "Caf des Landes"
    assert Caf.objects.get(code="971").departement_codes() == ["971", "977", "978"]
    assert Caf.objects.get(code="42").departement_codes() == ["42"]
    assert set(Caf.objects.values_list("name", flat=True)) == {
        "Caf de la Loire",
        "Caf du Béarn et de la Soule",
        "Caf du Pays Basque et du Seignanx",
        "Caf des Landes",
        "Caf de la Guadeloupe",
        "Caisse de sécurité sociale de Mayotte",
    }


@pytest.mark.django_db
def test_loading_twice_changes_nothing_and_keeps_what_administrators_did():
    reference_data_load(departements=["42", "45"])
    ids = dict(Caf.objects.values_list("code", "pk"))
    loire = Caf.objects.get(code="42")
    loire.name = "Caf Loire – siège de Saint-Étienne"  # renamed in the admin
    loire.save()
    loire.departements.add(DepartementFactory(code="43", name="Haute-Loire"))  # given one more

    reference_data_load(departements=["42", "45"])

    assert dict(Caf.objects.values_list("code", "pk")) == ids
    loire.refresh_from_db()
    assert loire.name == "Caf Loire – siège de Saint-Étienne"
    assert loire.departement_codes() == ["42", "43"]
    assert Caf.objects.get(code="45").name == "Caf du Loiret"


@pytest.mark.django_db
def test_a_name_corrected_in_the_reference_reaches_cafs_nobody_renamed(tmp_path):
    reference_data_load(departements=["42", "45"])
    loiret = Caf.objects.get(code="45")
    loiret.name = "Caf du Loiret (Orléans)"
    loiret.save()
    directory = tmp_path / "reference"
    shutil.copytree(reference_directory(), directory)
    text = (directory / "cafs.csv").read_text(encoding="utf-8")
    text = text.replace("42,Caf de la Loire,", "42,Caf de la Loire (corrigée),").replace(
        "45,Caf du Loiret,", "45,Caf du Loiret (corrigée),"
    )
    (directory / "cafs.csv").write_text(text, encoding="utf-8")

    reference_data_load(directory=directory, departements=["42", "45"])

    assert Caf.objects.get(code="42").name == "Caf de la Loire (corrigée)"
    assert Caf.objects.get(code="45").name == "Caf du Loiret (Orléans)"  # the administrator's name stays


@pytest.mark.django_db
def test_a_caf_created_by_hand_under_the_reference_name_is_adopted_not_duplicated():
    loire = DepartementFactory(code="42", name="Loire")
    by_hand = CafFactory(name="Caf de la Loire", departement=loire, address="3 avenue Émile-Loubet")
    other = CafFactory(name="Caf de test", departement=loire)
    reference_data_load(departements=["42"])
    by_hand.refresh_from_db()
    assert by_hand.code == "42"
    assert by_hand.address == "3 avenue Émile-Loubet"
    assert Caf.objects.filter(name__startswith="Caf de la Loire").count() == 1
    other.refresh_from_db()
    assert other.code is None  # a Caf the reference does not know is left alone


@pytest.mark.django_db
def test_load_reference_command_reports_the_cafs():
    out = StringIO()
    call_command("load_reference", "--departements", "42", stdout=out)
    assert "1 Cafs" in out.getvalue()
    assert Commune.objects.filter(departement__code="42").exclude(search_name="").count() > 300
    assert not Commune.objects.filter(search_name="").exists()
    # The official name type comes with each commune: what "Commune …" needs.
    names = {c.insee_code: c.name_with_preposition for c in Commune.objects.filter(insee_code__in=NAME_TYPES)}
    assert names == NAME_TYPES


NAME_TYPES = {
    "42044": "du Chambon-Feugerolles",
    "42183": "de la Ricamarie",
    "42110": "de l'Horme",
    "42316": "d'Unieux",
    "42095": "de Firminy",
}


@pytest.mark.django_db
def test_migration_fills_the_search_names_of_rows_already_there():
    departement = DepartementFactory(code="42")
    # bulk_create bypasses save(): rows as they were before the migration.
    Commune.objects.bulk_create(
        [
            Commune(insee_code="42218", name="Saint-Étienne", departement=departement, search_name=""),
            Commune(insee_code="42044", name="Le Chambon-Feugerolles", departement=departement, search_name=""),
        ]
    )
    Epci.objects.bulk_create([Epci(siren="244200770", name="Saint-Étienne Métropole", search_name="")])
    CafFactory(name="Caf ancienne", departement=departement)
    migration = importlib.import_module("territories.migrations.0003_caf_network_search_names")
    migration.fill_derived_columns(apps, SimpleNamespace(connection=connection))
    assert dict(Commune.objects.values_list("insee_code", "search_name")) == {
        "42218": "saint etienne",
        "42044": "chambon feugerolles",
    }
    assert Epci.objects.get().search_name == "saint etienne metropole"
    assert Caf.objects.get().departement_codes() == ["42"]


@pytest.mark.django_db
def test_saving_a_commune_or_epci_keeps_its_search_name():
    commune = Commune.objects.create(insee_code="42218", name="Saint-Étienne", departement=DepartementFactory())
    assert commune.search_name == "saint etienne"
    commune.name = "Ste-Croix-en-Jarez"
    commune.save(update_fields=["name"])
    commune.refresh_from_db()
    assert commune.search_name == "sainte croix en jarez"


# Départements where the homonyms of Saint-Étienne Métropole's communes are (Villars, Sorbiers…).
HOMONYM_DEPARTEMENTS = ["42", "05", "21", "24", "28", "30", "34", "46", "50", "71", "73", "84", "85", "972", "974"]

# 20 communes of Saint-Étienne Métropole as a convention prints them: the 7 whose name exists elsewhere
# in France, names without accents or hyphens, "St", articles after the name, "et".
PRINTED_PERIMETER = """Chamboeuf, Chateauneuf, Fontanes, La Fouillouse, Saint-Joseph, Sorbiers, Villars,
Saint Etienne, St Jean Bonnefonds, Saint Genest Lerpt, Sainte Croix en Jarez, Roche la Moliere,
Chambon-Feugerolles (Le), Ricamarie (La), L'Etrat, L Horme, Firminy, Unieux, Rive de Gier et Genilac"""


@pytest.mark.django_db
def test_the_issue_perimeter_pasted_as_printed_on_the_real_reference(django_assert_max_num_queries):
    reference_data_load(departements=HOMONYM_DEPARTEMENTS)
    preferred = Caf.objects.get(code="42").departement_codes()
    epci = epcis_match("Saint-Étienne Métropole", preferred_departements=preferred).epci
    assert epci is not None and epci.siren == "244200770"

    with django_assert_max_num_queries(1):
        report = communes_match(PRINTED_PERIMETER, preferred_departements=preferred, epci=epci)

    assert [entry.status for entry in report.entries] == [MatchStatus.MATCHED] * 20
    assert len(report.communes) == 20
    assert {commune.epci_id for commune in report.communes} == {epci.pk}
    villars = report.entries[6].commune
    assert (villars.name, villars.insee_code) == ("Villars", "42330")
    assert Commune.objects.filter(name="Villars").count() > 1
    assert report.entries[7].commune.name == "Saint-Étienne"
    assert report.entries[12].commune.name == "Le Chambon-Feugerolles"
    # Without the Caf's département, the homonyms need a choice, except "La Fouillouse", told from
    # "Fouillouse" (Hautes-Alpes) by its article.
    blind = communes_match(PRINTED_PERIMETER)
    assert [entry.text for entry in blind.ambiguous] == [
        "Chamboeuf",
        "Chateauneuf",
        "Fontanes",
        "Saint-Joseph",
        "Sorbiers",
        "Villars",
    ]
    assert blind.entries[3].commune.insee_code == "42097"
    assert Departement.objects.filter(code__in=HOMONYM_DEPARTEMENTS).count() == len(HOMONYM_DEPARTEMENTS)
