import datetime
import html
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conventions.dossier.pdf import render_convention_html
from conventions.enums import ConventionStatus
from conventions.lifecycle import TransitionRefused, convention_transition, signature_blockers
from conventions.models import Amendment, CommitteeMember, Convention, Party
from conventions.services import editions_load
from tests.accounts.factories import UserFactory
from tests.conventions.factories import (
    ClauseFactory,
    CommitteeFactory,
    ConventionFactory,
    PartyFactory,
    RepresentativeFactory,
)
from tests.core.pdfs import plain_pdf
from tests.evaluation.factories import IndicatorFactory
from tests.pages import text
from tests.territories.factories import CommuneFactory, EpciFactory

EDITIONS = Path(__file__).resolve().parents[3] / "fixtures" / "reference" / "editions.json"
PDF = plain_pdf()


@pytest.fixture
def editions(db):
    editions_load(path=EDITIONS)


def create_data(**changes):
    data = {
        "edition": "",
        "title": "Convention territoriale globale des Trois Vallées",
        "reference": "",
        "communes": "Aval, 99002\nMontval (99003)",
        "epci": "",
        "territory_name": "",
        "sub_perimeters": "",
        "start_date": "2027-01-01",
        "end_date": "2031-12-31",
    }
    data.update(changes)
    return data


@pytest.fixture
def three_communes(db):
    return [
        CommuneFactory(insee_code="99001", name="Aval"),
        CommuneFactory(insee_code="99002", name="Amont"),
        CommuneFactory(insee_code="99003", name="Montval"),
    ]


def test_adviser_creates_a_convention_for_three_communes(client, editions, three_communes):
    from conventions.models import Edition

    adviser = UserFactory(adviser=True)
    client.force_login(adviser)
    assert client.get(reverse("conventions:create")).status_code == 200
    response = client.post(
        reverse("conventions:create"),
        create_data(caf=adviser.caf_id, edition=Edition.objects.get(code="2025").pk),
    )
    convention = Convention.objects.get(title="Convention territoriale globale des Trois Vallées")
    assert response.status_code == 302
    assert response["Location"] == reverse("conventions:detail", args=[convention.pk])
    assert convention.caf == adviser.caf
    assert sorted(convention.territory.communes.values_list("insee_code", flat=True)) == ["99001", "99002", "99003"]
    assert convention.clauses.count() == 15
    assert convention.reference.startswith(f"CTG-{adviser.caf.departement.code}-")
    assert "1er janvier 2027" in convention.clauses.get(title__startswith="Durée").body


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"communes": "Aval, Villefantôme"}, "communes", "Commune inconnue : « Villefantôme »"),
        ({"communes": "Aval, 98765"}, "communes", "Commune inconnue : code INSEE « 98765 »."),
        ({"start_date": "2031-01-01", "end_date": "2027-12-31"}, "end_date", "La date de fin doit être postérieure"),
        ({"start_date": ""}, "start_date", "Indiquez une date de début ou cochez"),
        ({"sub_perimeters": "P1 : Ailleurs (99009)"}, "sub_perimeters", "hors du périmètre"),
    ],
)
def test_create_refuses_bad_input_next_to_the_field(client, editions, three_communes, changes, field, message):
    from conventions.models import Edition

    CommuneFactory(insee_code="99009", name="Ailleurs")
    adviser = UserFactory(adviser=True)
    client.force_login(adviser)
    response = client.post(
        reverse("conventions:create"),
        create_data(caf=adviser.caf_id, edition=Edition.objects.get(code="2022").pk, **changes),
    )
    assert response.status_code == 200
    assert message in text(response)
    assert f'id="{field}-erreurs"' in text(response)
    assert Convention.objects.count() == 0


def test_create_takes_every_commune_of_an_epci(client, editions):
    from conventions.models import Edition

    epci = EpciFactory(siren="200000001", name="CC des Monts")
    communes = CommuneFactory.create_batch(6, epci=epci)
    adviser = UserFactory(adviser=True)
    client.force_login(adviser)
    client.post(
        reverse("conventions:create"),
        create_data(caf=adviser.caf_id, edition=Edition.objects.get(code="2022").pk, communes="", epci="200000001"),
    )
    convention = Convention.objects.get()
    assert convention.territory.communes.count() == len(communes)
    assert convention.territory.kind == "epci"
    assert convention.territory.name == "CC des Monts"


def test_an_adviser_cannot_create_for_another_caf(client, editions, three_communes, other_adviser, convention):
    client.force_login(other_adviser)
    response = client.post(reverse("conventions:create"), create_data(caf=convention.caf_id))
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in text(response)
    assert Convention.objects.count() == 1


def test_copil_member_cannot_create(client, copil):
    client.force_login(copil)
    assert client.get(reverse("conventions:create")).status_code == 403


def general_data(convention, **changes):
    data = {
        "title": convention.title,
        "reference": convention.reference,
        "start_date": "2022-01-01",
        "end_date": "2026-12-31",
        "marker": convention.lock_version,
    }
    data.update(changes)
    return data


def test_general_edit_saves_and_bumps_the_version(client, convention, adviser):
    client.force_login(adviser)
    response = client.post(reverse("conventions:edit", args=[convention.pk]), general_data(convention, title="Titre"))
    assert response.status_code == 302
    convention.refresh_from_db()
    assert (convention.title, convention.lock_version) == ("Titre", 1)


def test_a_stale_form_is_refused_naming_who_changed_it(client, convention, adviser):
    stale = general_data(convention, title="Ma version")
    colleague = UserFactory(adviser=True, caf=convention.caf, first_name="Claire", last_name="Vidal")
    client.force_login(colleague)
    client.post(reverse("conventions:edit", args=[convention.pk]), general_data(convention, title="Sa version"))
    client.force_login(adviser)
    response = client.post(reverse("conventions:edit", args=[convention.pk]), stale)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Modifié par Claire Vidal le " in body
    convention.refresh_from_db()
    assert convention.title == "Sa version"


def test_general_edit_refuses_reversed_dates(client, convention, adviser):
    client.force_login(adviser)
    response = client.post(
        reverse("conventions:edit", args=[convention.pk]), general_data(convention, end_date="2021-12-31")
    )
    assert "La date de fin doit être postérieure à la date de début." in text(response)
    convention.refresh_from_db()
    assert convention.end_date == datetime.date(2026, 12, 31)


def test_perimeter_edit_replaces_communes_and_sub_perimeters(client, convention, adviser):
    a, b = CommuneFactory(name="Alpha"), CommuneFactory(name="Bêta")
    client.force_login(adviser)
    response = client.post(
        reverse("conventions:perimeter_edit", args=[convention.pk]),
        {"communes": f"{a.insee_code}, {b.insee_code}", "sub_perimeters": f"P1 : {a.insee_code}", "epci": ""},
    )
    assert response.status_code == 302
    territory = convention.territory
    assert set(territory.communes.all()) == {a, b}
    assert [(c.code, list(c.communes.all())) for c in territory.children.all()] == [("P1", [a])]


def party_data(**changes):
    data = {
        "kind": "autre",
        "name": "Mutualité sociale agricole",
        "designation": "la MSA",
        "deliberation_body": "conseil d'administration",
        "deliberation_date": "2022-11-30",
        "representants-TOTAL_FORMS": "1",
        "representants-INITIAL_FORMS": "0",
        "representants-0-civility": "Madame",
        "representants-0-name": "Anne LEROY",
        "representants-0-title": "Directrice",
    }
    data.update(changes)
    return data


def test_adviser_adds_a_party_with_its_deliberation_pdf(client, convention, adviser, copil):
    client.force_login(adviser)
    upload = SimpleUploadedFile("deliberation.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("conventions:party_add", args=[convention.pk]), party_data(deliberation_document=upload)
    )
    assert response.status_code == 302
    party = convention.parties.get(name="Mutualité sociale agricole")
    assert [r.name for r in party.representatives.all()] == ["Anne LEROY"]
    client.force_login(copil)
    download = client.get(reverse("conventions:deliberation_download", args=[convention.pk, party.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("deliberation.pdf", b"MZ\x90\x00 not a pdf", "Ce fichier n'est pas un PDF valide."),
        ("deliberation.docx", PDF, "Le fichier doit être un PDF"),
        ("grosse.pdf", PDF + b"0" * (10 * 1024 * 1024), "Le fichier dépasse 10 Mo."),
    ],
    ids=["not-a-pdf", "wrong-extension", "over-10-mb"],
)
def test_a_bad_deliberation_upload_is_refused_and_nothing_written(client, convention, adviser, name, content, message):
    client.force_login(adviser)
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client.post(
        reverse("conventions:party_add", args=[convention.pk]), party_data(deliberation_document=upload)
    )
    assert response.status_code == 200
    assert message in text(response)
    assert not convention.parties.exists()


def test_another_conventions_party_is_not_found(client, convention, adviser):
    foreign = PartyFactory(convention=ConventionFactory(caf=convention.caf))
    client.force_login(adviser)
    response = client.post(reverse("conventions:party_delete", args=[convention.pk, foreign.pk]))
    assert response.status_code == 404
    assert Party.objects.filter(pk=foreign.pk).exists()


def test_parties_reorder(client, convention, adviser):
    first, second, third = (PartyFactory(convention=convention, order=i) for i in (1, 2, 3))
    client.force_login(adviser)
    client.post(reverse("conventions:party_reorder", args=[convention.pk, third.pk]), {"direction": "up"})
    assert list(convention.parties.order_by("order").values_list("pk", flat=True)) == [first.pk, third.pk, second.pk]


def ready_to_sign(convention):
    caf = PartyFactory(convention=convention, kind="caf", name="Caf", deliberation_date=None)
    RepresentativeFactory(party=caf, name="Marie DIRECTRICE", title="Directrice")
    commune = PartyFactory(convention=convention, name="Commune de Belleville", deliberation_date=None)
    RepresentativeFactory(party=commune, name="Jean MAIRE")
    ClauseFactory(convention=convention)  # a text without articles is not signed
    return commune


@pytest.mark.parametrize(
    ("source", "target", "allowed"),
    [
        ("brouillon", "validee_copil", True),
        ("brouillon", "en_signature", False),
        ("brouillon", "signee", False),
        ("validee_copil", "en_signature", True),
        ("validee_copil", "brouillon", True),
        ("en_signature", "signee", True),
        ("en_signature", "validee_copil", False),
        ("signee", "resiliee", True),
        ("signee", "brouillon", False),
        ("resiliee", "signee", False),
    ],
)
def test_lifecycle_moves(db, source, target, allowed):
    convention = ConventionFactory(status=source)
    commune = ready_to_sign(convention)
    commune.deliberation_date = datetime.date(2022, 12, 5)
    commune.save()
    extra = {
        "signee": {"signature_date": datetime.date(2022, 12, 13), "signature_place": "Belleville"},
        "resiliee": {"terminated_on": datetime.date(2024, 6, 30), "termination_reason": "Fusion de communes"},
        "validee_copil": {"copil_date": datetime.date(2022, 11, 23)},
    }.get(target, {})
    if allowed:
        convention_transition(convention=convention, target=target, **extra)
        convention.refresh_from_db()
        assert convention.status == target
    else:
        with pytest.raises(TransitionRefused):
            convention_transition(convention=convention, target=target, **extra)
        convention.refresh_from_db()
        assert convention.status == source


def test_signature_is_refused_until_every_deliberation_date_is_filled(client, adviser, convention):
    convention.status = ConventionStatus.COPIL_VALIDATED
    convention.save()
    commune = ready_to_sign(convention)
    client.force_login(adviser)
    response = client.post(reverse("conventions:transition", args=[convention.pk, "en_signature"]), follow=True)
    assert "Commune de Belleville : la date de la délibération n'est pas renseignée." in text(response)
    convention.refresh_from_db()
    assert convention.status == ConventionStatus.COPIL_VALIDATED
    commune.deliberation_date = datetime.date(2022, 12, 5)
    commune.save()
    client.post(reverse("conventions:transition", args=[convention.pk, "en_signature"]))
    convention.refresh_from_db()
    assert convention.status == ConventionStatus.IN_SIGNATURE


def test_the_move_to_signature_shows_a_checklist_and_refuses_every_blank(client, adviser, convention):
    """Issue 12, item 2: each blank named with its article; each incomplete item of the checklist listed."""
    convention.status = ConventionStatus.COPIL_VALIDATED
    convention.preamble = "Le territoire : [À compléter : caractéristiques territoriales issues du diagnostic partagé.]"
    convention.save()
    commune = ready_to_sign(convention)
    ClauseFactory(convention=convention, number="3", title="Engagements", body="Pour {collectivite} : (à compléter)")
    RepresentativeFactory(party=commune, name="(à compléter)")
    client.force_login(adviser)
    url = reverse("conventions:transition", args=[convention.pk, "en_signature"])
    page = " ".join(re.sub(r"<[^>]+>", " ", text(client.get(url))).split())
    assert "✓ La Caf et au moins une collectivité signent (complet)" in page
    assert "✗ Chaque collectivité a la date de sa délibération (incomplet)" in page
    refused = text(client.post(url))
    assert "Le préambule : « [À compléter : caractéristiques territoriales" in refused
    assert "Article 3 – Engagements : « {collectivite} » reste à compléter." in refused
    assert "Article 3 – Engagements : « (à compléter) » reste à compléter." in refused
    assert "Commune de Belleville : indiquez le nom de son représentant ou de sa représentante." in refused
    assert "Commune de Belleville : la date de la délibération n'est pas renseignée." in refused
    convention.refresh_from_db()
    assert convention.status == ConventionStatus.COPIL_VALIDATED


def test_the_annexes_fill_article_6_and_the_preamble_blanks(db):
    convention = ConventionFactory(status=ConventionStatus.COPIL_VALIDATED)
    commune = ready_to_sign(convention)
    commune.deliberation_date = datetime.date(2022, 12, 5)
    commune.save()
    ClauseFactory(
        convention=convention, title="Comité de pilotage",
        body="Membres :\n[À compléter : membres du comité de pilotage (nom, fonction et organisme de chacun).]",
    )  # fmt: skip
    with pytest.raises(TransitionRefused, match="membres du comité de pilotage"):
        convention_transition(convention=convention, target=ConventionStatus.IN_SIGNATURE)
    copil = CommitteeFactory(convention=convention)
    CommitteeMember.objects.create(committee=copil, person="Marie Martin", role="Maire", organisation="Belleville")
    assert signature_blockers(convention=convention) == []
    html = render_convention_html(convention=convention)
    assert "Marie Martin, Maire, Belleville" in html and "membres du comité de pilotage (nom" not in html
    convention_transition(convention=convention, target=ConventionStatus.IN_SIGNATURE)


def test_signing_fixes_a_start_on_signature_and_renews_the_previous(client, adviser, convention):
    previous = ConventionFactory(caf=convention.caf, signed=True)
    convention.status = ConventionStatus.IN_SIGNATURE
    convention.start_date = None
    convention.starts_on_signature = True
    convention.previous = previous
    convention.save()
    commune = ready_to_sign(convention)
    commune.deliberation_date = datetime.date(2022, 12, 5)
    commune.save()
    client.force_login(adviser)
    url = reverse("conventions:transition", args=[convention.pk, "signee"])
    refused = client.post(url, {"signature_date": "", "signature_place": "Belleville"})
    assert "Ce champ est obligatoire." in text(refused)
    client.post(url, {"signature_date": "2023-03-15", "signature_place": "Belleville"})
    convention.refresh_from_db()
    previous.refresh_from_db()
    assert (convention.status, convention.start_date) == ("signee", datetime.date(2023, 3, 15))
    assert previous.status == ConventionStatus.RENEWED


def test_signed_text_is_read_only_until_an_amendment_is_opened(client, adviser):
    convention = ConventionFactory(signed=True, caf=adviser.caf)
    client.force_login(adviser)
    url = reverse("conventions:perimeter_edit", args=[convention.pk])
    refused = client.get(url)
    assert refused.status_code == 403
    assert "ne changent que par un avenant" in text(refused)
    client.post(reverse("conventions:amendment_create", args=[convention.pk]), {"object": "Ajout d'une commune"})
    amendment = Amendment.objects.get(convention=convention)
    assert (amendment.number, amendment.signed_on) == (1, None)
    assert client.get(url).status_code == 200
    client.post(
        reverse("conventions:amendment_sign", args=[convention.pk, amendment.pk]),
        {"signed_on": "2024-02-01", "changes": "Article 1 et annexe 2 : ajout de la commune d'Aval."},
    )
    amendment.refresh_from_db()
    assert amendment.signed_on == datetime.date(2024, 2, 1)
    assert amendment.snapshot["convention"]["reference"] == convention.reference
    assert client.get(url).status_code == 403


def test_history_page_shows_who_changed_what(client, convention, adviser, copil):
    client.force_login(adviser)
    client.post(reverse("conventions:edit", args=[convention.pk]), general_data(convention, title="Titre révisé"))
    client.force_login(copil)
    body = client.get(reverse("conventions:history", args=[convention.pk])).content.decode()
    assert "Titre révisé" in body
    assert str(adviser) in body


def test_commune_search_suggests_names_with_codes(client, copil):
    CommuneFactory(name="Firminy", insee_code="42095")
    client.force_login(copil)
    body = client.get(reverse("territories:commune_search"), {"q": "firm"}).content.decode()
    assert 'value="Firminy (42095)"' in body
    assert "Firminy (42095)" in client.get(reverse("territories:commune_search"), {"q": "4209"}).content.decode()


def test_cooperation_member_cannot_edit_parties(client, convention, cooperation):
    client.force_login(cooperation)
    assert client.post(reverse("conventions:party_add", args=[convention.pk]), party_data()).status_code == 403
    assert not convention.parties.exists()


def test_termination_is_refused_while_an_avenant_is_open_and_text_stays_locked_after(adviser):
    convention = ConventionFactory(signed=True, caf=adviser.caf)
    Amendment.objects.create(convention=convention, number=1, object="Ajout d'une commune")
    with pytest.raises(TransitionRefused) as excinfo:
        convention_transition(
            convention=convention,
            target="resiliee",
            terminated_on=datetime.date(2024, 6, 30),
            termination_reason="Fusion",
        )
    assert "L'avenant n° 1 est en préparation" in excinfo.value.reasons[0]
    convention.status = "resiliee"  # even if it were terminated another way, its text stays read-only
    assert convention.is_text_locked
    assert convention.draft_mark == ""


def test_draft_mark_of_printed_documents():
    unsigned = ConventionFactory.build(status="en_signature")
    assert unsigned.draft_mark == "PROJET"


def test_an_open_avenant_prints_as_a_draft(adviser):
    from conventions.dossier.pdf import render_convention_html

    convention = ConventionFactory(signed=True, caf=adviser.caf)
    assert convention.draft_mark == ""
    Amendment.objects.create(convention=convention, number=1, object="Ajout d'une commune")
    convention = Convention.objects.get(pk=convention.pk)
    assert convention.draft_mark == "PROJET D'AVENANT"
    assert "PROJET D'AVENANT" in html.unescape(render_convention_html(convention=convention))


def test_history_shows_labels_and_french_dates(client, convention, adviser):
    client.force_login(adviser)
    client.post(
        reverse("conventions:edit", args=[convention.pk]),
        general_data(convention, end_date="2027-12-31", starts_on_signature="on"),
    )
    body = text(client.get(reverse("conventions:history", args=[convention.pk])))
    assert "31/12/2026 → 31/12/2027" in body
    assert "non → oui" in body


def test_a_commune_still_used_cannot_leave_the_perimeter(client, convention, adviser):
    kept = convention.territory.communes.get()
    leaving = CommuneFactory(name="Châteauneuf")
    convention.territory.communes.add(leaving)
    PartyFactory(convention=convention, name="Commune de Châteauneuf", commune=leaving)
    client.force_login(adviser)
    response = client.post(
        reverse("conventions:perimeter_edit", args=[convention.pk]), {"communes": kept.insee_code, "epci": ""}
    )
    assert response.status_code == 200
    assert "Châteauneuf ne peut pas quitter le périmètre : signataire « Commune de Châteauneuf »." in text(response)
    assert convention.territory.communes.filter(pk=leaving.pk).exists()


def test_a_stale_party_form_is_refused_and_the_newer_data_kept(client, convention, adviser):
    party = PartyFactory(convention=convention, name="Commune de Belleville")
    RepresentativeFactory(party=party)
    url = reverse("conventions:party_edit", args=[convention.pk, party.pk])
    client.force_login(adviser)
    marker = client.get(url).context["form"]["marker"].value()
    colleague = UserFactory(adviser=True, caf=convention.caf, first_name="Inès", last_name="Martin")
    party.name = "Commune de Belleville-sur-Loire"
    party._history_user = colleague
    party.save()
    data = party_data(kind="commune", name="Ma version", marker=marker, **{"representants-TOTAL_FORMS": "0"})
    data["commune"] = convention.territory.communes.first().pk
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Modifié par Inès Martin le " in text(response)
    party.refresh_from_db()
    assert party.name == "Commune de Belleville-sur-Loire"


def test_history_prints_numbers_the_french_way(client, convention, adviser):
    indicator = IndicatorFactory(convention=convention, target_value=Decimal("12500.50"))
    indicator.target_value = Decimal("129.00")
    indicator.save()
    client.force_login(adviser)
    body = text(client.get(reverse("conventions:history", args=[convention.pk])))
    assert "12\u00a0500,5 → 129" in body
    assert "129.00" not in body
