"""Autorité organisatrice petite enfance: the competences of the perimeter's communes, edited and printed."""

import html
import subprocess

import pytest
from django.urls import reverse

from conventions.ao import ao_obligations
from conventions.dossier.pdf import render_convention_pdf
from conventions.enums import AoExercise
from conventions.models import AoCompetence
from tests.territories.factories import CommuneFactory, EpciFactory, TerritoryFactory


def url(name: str, *args) -> str:
    return reverse(f"conventions:{name}", args=args)


@pytest.fixture
def communes(db):
    return {
        "small": CommuneFactory(name="Saint-Genest-Lerpt", population=2_900),
        "middle": CommuneFactory(name="Unieux", population=8_400),
        "large": CommuneFactory(name="Firminy", population=16_800),
    }


@pytest.fixture
def convention(db, communes):
    from tests.conventions.factories import ConventionFactory

    return ConventionFactory(territory=TerritoryFactory(communes=list(communes.values())))


@pytest.fixture
def logged(client, adviser):
    client.force_login(adviser)
    return client


def section(response) -> str:
    """The AO section of the convention page, spaces as a reader sees them."""
    page = response.content.decode().replace("\xa0", " ").replace("\u202f", " ")
    return page[page.index('id="petite-enfance"') :]


def post_data(commune, **changes):
    data = {
        "commune": commune.pk if commune else "",
        "epci": "",
        "population": "",
        "census": AoExercise.EXERCISED,
        "inform": AoExercise.EXERCISED,
        "plan": AoExercise.NOT_EXERCISED,
        "quality": AoExercise.TRANSFERRED,
        "transfer_detail": "",
        "marker": "",
    }
    return data | changes


def test_the_law_by_population():
    assert ao_obligations(2_900) == "Recenser les besoins et l'offre, informer et accompagner les familles"
    assert "planifier" in ao_obligations(3_501) and "schéma" not in ao_obligations(3_501)
    assert "planifier" not in ao_obligations(3_500)  # « plus de 3 500 habitants »
    assert ao_obligations(10_001).endswith("schéma pluriannuel et relais petite enfance")
    assert "schéma" not in ao_obligations(10_000)


def test_the_page_lists_every_commune_with_what_the_law_asks(logged, convention, communes):
    section_ = section(logged.get(reverse("conventions:section", args=[convention.pk, "petite-enfance"])))
    assert section_.count("Non renseigné") == 3
    assert "16 800" in section_ and "schéma pluriannuel" in section_
    assert f"{url('ao_competence_create', convention.pk)}?commune={communes['large'].pk}" in section_


def test_an_adviser_records_a_commune_with_its_legal_population(logged, convention, communes):
    response = logged.post(url("ao_competence_create", convention.pk), post_data(communes["large"], has_rpe="on"))
    assert response.status_code == 302
    competence = AoCompetence.objects.get(convention=convention)
    assert competence.commune == communes["large"] and competence.population == 16_800 and competence.has_rpe
    assert competence.history.count() == 1
    section_ = section(logged.get(reverse("conventions:section", args=[convention.pk, "petite-enfance"])))
    assert "Exercée" in section_ and "Transférée" in section_ and section_.count("Non renseigné") == 2


def test_a_commune_outside_the_perimeter_or_twice_is_refused_with_nothing_written(logged, convention, communes):
    outside = CommuneFactory(name="Lyon")
    response = logged.post(url("ao_competence_create", convention.pk), post_data(outside))
    assert response.status_code == 200
    assert "Choisissez une commune du périmètre de la convention." in response.content.decode()
    AoCompetence.objects.create(convention=convention, commune=communes["small"])
    response = logged.post(url("ao_competence_create", convention.pk), post_data(communes["small"]))
    assert "Les compétences de Saint-Genest-Lerpt sont déjà renseignées." in response.content.decode()
    response = logged.post(url("ao_competence_create", convention.pk), post_data(None))
    assert "Choisissez la commune (ou l'EPCI) qui exerce ces compétences." in html.unescape(response.content.decode())
    assert AoCompetence.objects.filter(convention=convention).count() == 1


def test_an_epci_of_the_perimeter_may_hold_them_but_not_with_a_commune(logged, convention, communes):
    epci = EpciFactory(name="Saint-Étienne Métropole")
    communes["middle"].epci = epci
    communes["middle"].save()
    both = post_data(communes["middle"], epci=epci.pk)
    response = logged.post(url("ao_competence_create", convention.pk), both)
    assert "Indiquez soit une commune, soit un EPCI, pas les deux." in response.content.decode()
    assert not AoCompetence.objects.exists()
    response = logged.post(
        url("ao_competence_create", convention.pk), post_data(None, epci=epci.pk, population="404 000")
    )
    assert response.status_code == 200  # « 404 000 » is not a whole number for this field: said, not stored
    assert not AoCompetence.objects.exists()
    response = logged.post(
        url("ao_competence_create", convention.pk), post_data(None, epci=epci.pk, population="404000")
    )
    assert response.status_code == 302
    assert AoCompetence.objects.get().epci == epci


def test_a_stale_edit_is_refused_and_naming_who_changed_it(logged, convention, communes, adviser):
    competence = AoCompetence.objects.create(convention=convention, commune=communes["middle"], population=8_400)
    page = url("ao_competence_edit", convention.pk, competence.pk)
    marker = logged.get(page).context["form"]["marker"].value()
    competence.plan = AoExercise.EXERCISED
    competence._history_user = adviser
    competence.save()
    response = logged.post(page, post_data(communes["middle"], marker=marker, plan=AoExercise.TRANSFERRED))
    assert response.status_code == 200 and "Modifié par" in response.content.decode()
    competence.refresh_from_db()
    assert competence.plan == AoExercise.EXERCISED


def test_removing_asks_first_then_removes(logged, convention, communes):
    competence = AoCompetence.objects.create(convention=convention, commune=communes["small"])
    page = url("ao_competence_delete", convention.pk, competence.pk)
    assert "ne figureront plus dans la convention" in logged.get(page).content.decode()
    assert AoCompetence.objects.exists()
    assert logged.post(page).status_code == 302
    assert not AoCompetence.objects.exists()


def test_readers_see_the_table_without_edit_links(client, convention, communes, copil):
    AoCompetence.objects.create(convention=convention, commune=communes["large"], has_schema=True)
    client.force_login(copil)
    section_ = section(client.get(reverse("conventions:section", args=[convention.pk, "petite-enfance"])))
    assert "Firminy" in section_ and url("ao_competence_create", convention.pk) not in section_
    assert client.post(url("ao_competence_create", convention.pk), post_data(communes["small"])).status_code == 403
    assert AoCompetence.objects.count() == 1


def test_the_convention_pdf_prints_the_recorded_competences(convention, communes, tmp_path):
    AoCompetence.objects.create(
        convention=convention,
        commune=communes["large"],
        population=16_800,
        census=AoExercise.EXERCISED,
        plan=AoExercise.TRANSFERRED,
        has_rpe=True,
        transfer_detail="Planification confiée à la communauté de communes depuis le 1er janvier 2025.",
    )
    pdf = tmp_path / "convention.pdf"
    pdf.write_bytes(render_convention_pdf(convention=convention))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    text = text.replace("\xa0", " ").replace("\u202f", " ")
    assert "Autorité organisatrice de l'accueil du jeune enfant" in text
    line = next(row for row in text.splitlines() if "Firminy" in row and "Exercée" in row)
    assert "16 800" in line and "Transférée" in line
    assert "Planification confiée à la communauté de communes" in text
    assert "Unieux" not in text.split("Autorité organisatrice de l'accueil du jeune enfant")[1].split("Annexe 3")[0]
