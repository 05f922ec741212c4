"""Editing the text and annexes 1, 2 and 4 of a convention (conventions/views/annexes.py)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conventions.models import (
    Amendment,
    Clause,
    ClauseTemplate,
    Committee,
    CommitteeMember,
    Domain,
    Edition,
    Issue,
    KeyFigure,
    Meeting,
    SupportedEquipment,
)
from territories.grammar import name_of
from territories.models import Equipment
from tests.accounts.factories import UserFactory
from tests.conventions.factories import ClauseFactory, CommitteeFactory, ConventionFactory, PartyFactory
from tests.pages import HTMX, whole_convention_page
from tests.territories.factories import CommuneFactory, EquipmentFactory, EquipmentKindFactory


def url(name: str, *args) -> str:
    return reverse(f"conventions:{name}", args=args)


def detail(convention, anchor: str) -> str:
    return f"{url('detail', convention.pk)}#{anchor}"


def marker(client, page: str) -> str:
    """The history marker an edit form was read at, as the browser would post it back."""
    return client.get(page).context["form"]["marker"].value()


@pytest.fixture
def logged(client, adviser):
    client.force_login(adviser)
    return client


@pytest.fixture
def clause(convention):
    return ClauseFactory(convention=convention, number="1", title="Objet", body="Texte d'origine.", order=1)


# The convention's page --------------------------------------------------------------------------------------


def test_detail_shows_edit_links_to_the_caf_advisers_only(client, convention, adviser, copil, clause):
    client.force_login(adviser)
    body = whole_convention_page(client, convention.pk)
    for link in (
        url("convention_text_edit", convention.pk),
        url("clause_edit", convention.pk, clause.pk),
        url("diagnostic_edit", convention.pk),
        url("key_figure_create", convention.pk),
        url("supported_equipment_add", convention.pk),
        url("committee_create", convention.pk),
    ):
        assert link in body
    client.force_login(copil)
    body = whole_convention_page(client, convention.pk)
    assert url("convention_text_edit", convention.pk) not in body
    assert url("clause_edit", convention.pk, clause.pk) not in body


def test_detail_hides_edit_links_once_signed_and_shows_them_with_an_open_avenant(client, adviser):
    convention = ConventionFactory(caf=adviser.caf, signed=True)
    client.force_login(adviser)
    body = whole_convention_page(client, convention.pk)
    assert url("convention_text_edit", convention.pk) not in body
    assert "ne changent que par un avenant" in body
    Amendment.objects.create(convention=convention, number=1, object="Ajout d'une commune")
    body = whole_convention_page(client, convention.pk)
    assert url("convention_text_edit", convention.pk) in body


def test_detail_lists_equipment_by_commune_then_by_type(client, convention, adviser):
    commune = convention.territory.communes.first()
    alsh = EquipmentKindFactory(code="alsh", label="ALSH", order=2)
    eaje = EquipmentKindFactory(code="eaje", label="EAJE", order=1)
    for kind, name in ((alsh, "Centre de loisirs"), (eaje, "Crèche A"), (alsh, "Accueil du mercredi")):
        convention.supported_equipment.create(equipment=EquipmentFactory(commune=commune, kind=kind, name=name))
    client.force_login(adviser)
    body = whole_convention_page(client, convention.pk)
    assert body.index("Crèche A") < body.index("Centre de loisirs") < body.index("Accueil du mercredi")


# Visas, préambule and articles ------------------------------------------------------------------------------


def test_text_edit_shows_the_placeholders_and_saves_visas_and_preamble(logged, convention):
    response = logged.get(url("convention_text_edit", convention.pk))
    body = response.content.decode()
    assert "{territoire}" in body and convention.territory.name in body
    response = logged.post(
        url("convention_text_edit", convention.pk),
        {
            "visas": "Vu le code de l'action sociale",
            "preamble": "Sur le territoire de {territoire}.",
            "marker": 0,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == detail(convention, "texte")
    convention.refresh_from_db()
    assert convention.visas == "Vu le code de l'action sociale"
    # « Périmètre 3 » takes « le »: the contraction is territories.grammar's (tests/territories/test_grammar.py).
    assert convention.preamble == f"Sur le territoire {name_of(convention.territory).de}."
    assert convention.lock_version == 1


def test_text_edit_over_a_newer_version_is_refused(logged, convention):
    convention.preamble = "Version d'une collègue"
    convention.lock_version = 3
    convention.save()
    response = logged.post(
        url("convention_text_edit", convention.pk), {"visas": "", "preamble": "Ma version", "marker": 2}
    )
    assert response.status_code == 200
    assert "Modifié par" in response.content.decode()
    convention.refresh_from_db()
    assert convention.preamble == "Version d'une collègue"


def test_clause_edit_saves_and_fills_placeholders(logged, convention, clause):
    response = logged.get(url("clause_edit", convention.pk, clause.pk))
    assert "Texte d&#x27;origine." in response.content.decode()
    read_at = response.context["form"]["marker"].value()
    response = logged.post(
        url("clause_edit", convention.pk, clause.pk),
        {
            "number": "1",
            "title": "Objet",
            "body": "Convention de {territoire} jusqu'au {date_fin}.",
            "marker": read_at,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == detail(convention, "texte")
    clause.refresh_from_db()
    assert clause.body == f"Convention {name_of(convention.territory).de} jusqu'au 31 décembre 2026."


def test_clause_edit_without_title_shows_the_error_next_to_the_field(logged, convention, clause):
    page = url("clause_edit", convention.pk, clause.pk)
    response = logged.post(page, {"number": "1", "title": "", "body": "Nouveau", "marker": marker(logged, page)})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="title-erreurs"' in body and "Ce champ est obligatoire." in body
    assert "Modifié par" not in body
    clause.refresh_from_db()
    assert clause.body == "Texte d'origine."


def test_stale_clause_edit_is_refused_naming_who_changed_it(client, convention, adviser, clause):
    colleague = UserFactory(adviser=True, caf=convention.caf, first_name="Camille", last_name="Durand")
    client.force_login(adviser)
    stale_marker = marker(client, url("clause_edit", convention.pk, clause.pk))
    client.force_login(colleague)
    response = client.post(
        url("clause_edit", convention.pk, clause.pk),
        {"number": "1", "title": "Objet", "body": "Texte de Camille.", "marker": stale_marker},
    )
    assert response.status_code == 302
    client.force_login(adviser)
    response = client.post(
        url("clause_edit", convention.pk, clause.pk),
        {"number": "1", "title": "Objet", "body": "Mon texte.", "marker": stale_marker},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Modifié par Camille Durand le " in body
    clause.refresh_from_db()
    assert clause.body == "Texte de Camille."


def test_clause_create_appends_an_article(logged, convention, clause):
    response = logged.post(
        url("clause_create", convention.pk),
        {"number": "2", "title": "Durée", "body": "Quatre ans.", "marker": ""},
    )
    assert response.status_code == 302
    added = convention.clauses.get(number="2")
    assert added.title == "Durée" and added.order == clause.order + 1


def test_clause_delete_asks_for_confirmation(logged, convention, clause):
    response = logged.get(url("clause_delete", convention.pk, clause.pk))
    assert response.status_code == 200
    assert "Supprimer l&#x27;article" in response.content.decode()
    assert Clause.objects.filter(pk=clause.pk).exists()
    response = logged.post(url("clause_delete", convention.pk, clause.pk))
    assert response["Location"] == detail(convention, "texte")
    assert not Clause.objects.filter(pk=clause.pk).exists()


def test_clause_move_swaps_positions_and_plain_numbers(logged, convention):
    first, second, third = (
        ClauseFactory(convention=convention, number=str(n), title=f"Article {n}", order=n) for n in (1, 2, 3)
    )
    response = logged.post(url("clause_move", convention.pk, third.pk), {"direction": "up"})
    assert response["Location"] == detail(convention, "texte")
    assert [(c.title, c.number) for c in convention.clauses.all()] == [
        ("Article 1", "1"),
        ("Article 3", "2"),
        ("Article 2", "3"),
    ]
    logged.post(url("clause_move", convention.pk, first.pk), {"direction": "up"})  # already first: nothing moves
    assert [c.title for c in convention.clauses.all()] == ["Article 1", "Article 3", "Article 2"]


def test_clause_move_refuses_get(logged, convention, clause):
    assert logged.get(url("clause_move", convention.pk, clause.pk)).status_code == 405


@pytest.fixture
def templated_clause(convention):
    edition = Edition.objects.create(code="2022", name="Modèle 2022", year=2022)
    template = ClauseTemplate.objects.create(
        edition=edition,
        number="3",
        title="Durée",
        body="Conclue pour {territoire} du {date_debut} au {date_fin}.",
        order=3,
    )
    return ClauseFactory(convention=convention, template=template, number="3", title="Durée", body="Modifié à la main.")


def test_clause_reset_restores_the_model_text_with_placeholders_filled(logged, convention, templated_clause):
    expected = f"Conclue pour {name_of(convention.territory).nominal} du 1er janvier 2022 au 31 décembre 2026."
    response = logged.get(url("clause_reset", convention.pk, templated_clause.pk))
    assert expected in response.content.decode()
    templated_clause.refresh_from_db()
    assert templated_clause.body == "Modifié à la main."  # a GET only asks for confirmation
    response = logged.post(url("clause_reset", convention.pk, templated_clause.pk))
    assert response["Location"] == detail(convention, "texte")
    templated_clause.refresh_from_db()
    assert templated_clause.body == expected


def test_clause_reset_without_a_model_changes_nothing(logged, convention, clause):
    response = logged.post(url("clause_reset", convention.pk, clause.pk), follow=True)
    assert "n&#x27;a pas de modèle" in response.content.decode()
    clause.refresh_from_db()
    assert clause.body == "Texte d'origine."


@pytest.mark.parametrize("name", ["clause_edit", "clause_delete", "clause_reset", "clause_move"])
def test_an_article_of_another_convention_answers_404(logged, convention, name):
    foreign = ClauseFactory(body="Texte d'ailleurs.")
    assert logged.get(url(name, convention.pk, foreign.pk)).status_code in (404, 405)
    assert logged.post(url(name, convention.pk, foreign.pk), {"direction": "up", "title": "x"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.body == "Texte d'ailleurs."


# Annexe 1 ------------------------------------------------------------------------------------------------------


def test_diagnostic_edit_saves_summary_and_documents(logged, convention):
    page = url("diagnostic_edit", convention.pk)
    response = logged.post(
        page,
        {"summary": "Une population jeune.", "documents": "Portrait 2021", "marker": marker(logged, page)},
    )
    assert response["Location"] == detail(convention, "diagnostic")
    convention.diagnostic.refresh_from_db()
    assert convention.diagnostic.summary == "Une population jeune."


def key_figure_data(prefix: str, **values) -> dict:
    data = {"label": "Habitants", "value": "", "value_text": "", "unit": "", "year": "2021", "source": "Insee"}
    data.update(values)
    return {f"{prefix}-{key}": value for key, value in data.items()}


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("37 070", Decimal("37070")),
        ("37\xa0070", Decimal("37070")),
        ("37\u202f070", Decimal("37070")),
        ("25,1", Decimal("25.1")),
        ("1 234,50", Decimal("1234.5")),
        ("-3,5", Decimal("-3.5")),
        ("12.5", Decimal("12.5")),
    ],
)
def test_key_figure_value_is_typed_the_french_way(logged, convention, typed, expected):
    response = logged.post(url("key_figure_create", convention.pk), key_figure_data("chiffre-nouveau", value=typed))
    assert response.status_code == 302
    assert response["Location"] == detail(convention, "diagnostic")
    assert KeyFigure.objects.get(diagnostic__convention=convention).value == expected


@pytest.mark.parametrize("typed", ["abc", "12,5,3", "1e5", "NaN"])
def test_key_figure_with_a_bad_number_shows_a_french_error_and_writes_nothing(logged, convention, typed):
    response = logged.post(url("key_figure_create", convention.pk), key_figure_data("chiffre-nouveau", value=typed))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="chiffre-nouveau-value-erreurs"' in body
    assert "Saisissez un nombre, par exemple « 37 070 » ou « 25,1 »." in body
    assert not KeyFigure.objects.exists()


def test_key_figure_inline_edit_with_htmx(logged, convention):
    figure = convention.diagnostic.key_figures.create(label="Habitants", value=Decimal("37070.00"), year=2021)
    response = logged.get(url("key_figure_edit", convention.pk, figure.pk), **HTMX)
    body = response.content.decode()
    assert body.startswith(f'<tr id="chiffre-{figure.pk}"')
    assert 'value="37 070"' in body  # shown the way it is typed
    read_at = response.context["form"]["marker"].value()
    response = logged.post(
        url("key_figure_edit", convention.pk, figure.pk),
        {
            **key_figure_data(f"chiffre-{figure.pk}", label="Habitants (RP)", value="37 100"),
            f"chiffre-{figure.pk}-marker": read_at,
        },
        **HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Habitants (RP)" in body and "37\xa0100" in body and "<form" not in body
    figure.refresh_from_db()
    assert figure.value == Decimal("37100")


def test_key_figure_inline_add_returns_the_new_row_and_a_fresh_add_link(logged, convention):
    response = logged.get(url("key_figure_create", convention.pk), **HTMX)
    assert 'id="chiffre-nouveau"' in response.content.decode() and "<form" in response.content.decode()
    response = logged.post(
        url("key_figure_create", convention.pk), key_figure_data("chiffre-nouveau", value="25,1", unit="%"), **HTMX
    )
    body = response.content.decode()
    figure = KeyFigure.objects.get()
    assert f'id="chiffre-{figure.pk}"' in body and "Ajouter un chiffre clé" in body


def test_key_figure_invalid_inline_post_returns_the_form_with_its_error(logged, convention):
    response = logged.post(
        url("key_figure_create", convention.pk), key_figure_data("chiffre-nouveau", value="abc"), **HTMX
    )
    body = response.content.decode()
    assert body.startswith('<tr id="chiffre-nouveau"') and "Saisissez un nombre" in body
    assert not KeyFigure.objects.exists()


def test_key_figure_delete(logged, convention):
    figure = convention.diagnostic.key_figures.create(label="Habitants", value=1000)
    assert logged.get(url("key_figure_delete", convention.pk, figure.pk)).status_code == 200
    assert KeyFigure.objects.filter(pk=figure.pk).exists()
    response = logged.post(url("key_figure_delete", convention.pk, figure.pk), **HTMX)
    assert response.status_code == 200 and response.content == b""
    assert not KeyFigure.objects.filter(pk=figure.pk).exists()


def test_key_figure_of_another_convention_answers_404(logged, convention):
    other = ConventionFactory()
    figure = other.diagnostic.key_figures.create(label="Ailleurs", value=1)
    assert (
        logged.post(
            url("key_figure_edit", convention.pk, figure.pk), key_figure_data(f"chiffre-{figure.pk}")
        ).status_code
        == 404
    )
    assert logged.post(url("key_figure_delete", convention.pk, figure.pk)).status_code == 404
    assert KeyFigure.objects.get(pk=figure.pk).label == "Ailleurs"


def test_issues_are_added_edited_and_deleted(logged, convention):
    domain = Domain.objects.create(code="jeunesse", label="Jeunesse")
    response = logged.post(
        url("issue_create", convention.pk),
        {"enjeu-nouveau-domain": domain.pk, "enjeu-nouveau-text": "Lieux pour les ados"},
    )
    assert response["Location"] == detail(convention, "diagnostic")
    issue = Issue.objects.get(diagnostic__convention=convention)
    assert issue.domain == domain
    read_at = marker(logged, url("issue_edit", convention.pk, issue.pk))
    prefix = f"enjeu-{issue.pk}"
    response = logged.post(
        url("issue_edit", convention.pk, issue.pk),
        {f"{prefix}-domain": "", f"{prefix}-text": "Mobilité des jeunes", f"{prefix}-marker": read_at},
        **HTMX,
    )
    assert "Mobilité des jeunes" in response.content.decode()
    issue.refresh_from_db()
    assert issue.text == "Mobilité des jeunes" and issue.domain is None
    logged.post(url("issue_delete", convention.pk, issue.pk))
    assert not Issue.objects.exists()


def test_an_issue_without_text_is_refused(logged, convention):
    response = logged.post(url("issue_create", convention.pk), {"enjeu-nouveau-domain": "", "enjeu-nouveau-text": ""})
    assert 'id="enjeu-nouveau-text-erreurs"' in response.content.decode()
    assert not Issue.objects.exists()


# Annexe 2 -------------------------------------------------------------------------------------------------------


@pytest.fixture
def party(convention):
    return PartyFactory(convention=convention, name="Commune de Belleville")


@pytest.fixture
def equipment(convention):
    return EquipmentFactory(commune=convention.territory.communes.first(), name="Crèche Les Lutins")


def test_add_page_lists_only_equipment_of_the_perimeter(logged, convention, equipment):
    elsewhere = EquipmentFactory(name="Crèche d'ailleurs")
    body = logged.get(url("supported_equipment_add", convention.pk)).content.decode()
    assert "Crèche Les Lutins" in body and elsewhere.name not in body.replace("&#x27;", "'")


def test_equipment_options_are_filtered_by_the_search(logged, convention, equipment):
    EquipmentFactory(commune=convention.territory.communes.first(), name="Ludothèque")
    EquipmentFactory(name="Ludothèque d'ailleurs")
    body = logged.get(url("equipment_options", convention.pk), {"q": "ludo"}, **HTMX).content.decode()
    assert "Ludothèque" in body and "Crèche Les Lutins" not in body and "ailleurs" not in body
    body = logged.get(url("equipment_options", convention.pk), {"q": "piscine"}, **HTMX).content.decode()
    assert "Aucun équipement ne correspond" in body


def test_add_an_existing_equipment_of_the_perimeter(logged, convention, equipment, party):
    response = logged.post(
        url("supported_equipment_add", convention.pk),
        {"equipment": equipment.pk, "supported_by": party.pk, "financing_note": "PSU"},
    )
    assert response["Location"] == detail(convention, "equipements")
    support = SupportedEquipment.objects.get(convention=convention)
    assert (support.equipment, support.supported_by, support.financing_note) == (equipment, party, "PSU")


def test_add_refuses_an_equipment_outside_the_perimeter(logged, convention, party):
    elsewhere = EquipmentFactory(name="Crèche d'ailleurs")
    response = logged.post(
        url("supported_equipment_add", convention.pk), {"equipment": elsewhere.pk, "supported_by": party.pk}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="equipment-erreurs"' in body and "Choisissez un équipement d&#x27;une commune du périmètre" in body
    assert not SupportedEquipment.objects.exists()


def test_add_refuses_the_same_equipment_twice(logged, convention, equipment):
    convention.supported_equipment.create(equipment=equipment)
    response = logged.post(url("supported_equipment_add", convention.pk), {"equipment": equipment.pk})
    body = response.content.decode()
    assert 'id="equipment-erreurs"' in body and "Cet équipement figure déjà à l&#x27;annexe 2 de la convention." in body
    assert SupportedEquipment.objects.count() == 1


def test_add_refuses_a_party_of_another_convention(logged, convention, equipment):
    foreign_party = PartyFactory(name="Commune étrangère")
    response = logged.post(
        url("supported_equipment_add", convention.pk), {"equipment": equipment.pk, "supported_by": foreign_party.pk}
    )
    body = response.content.decode()
    assert 'id="supported_by-erreurs"' in body and "Choisissez un signataire de cette convention." in body
    assert "Commune étrangère" not in body
    assert not SupportedEquipment.objects.exists()


def test_create_an_equipment_in_a_commune_of_the_perimeter(logged, convention, party):
    kind = EquipmentKindFactory(code="rpe", label="RPE")
    commune = convention.territory.communes.first()
    response = logged.post(
        url("supported_equipment_create", convention.pk),
        {
            "kind": kind.pk,
            "name": "Relais petite enfance",
            "address": "2 rue de la Mairie",
            "commune": commune.pk,
            "manager": "Commune",
            "capacity": "",
            "supported_by": party.pk,
            "financing_note": "",
        },
    )
    assert response["Location"] == detail(convention, "equipements")
    support = SupportedEquipment.objects.select_related("equipment").get(convention=convention)
    assert support.equipment.name == "Relais petite enfance" and support.equipment.commune == commune


def test_create_refuses_a_commune_outside_the_perimeter(logged, convention):
    kind = EquipmentKindFactory(code="rpe", label="RPE")
    response = logged.post(
        url("supported_equipment_create", convention.pk),
        {"kind": kind.pk, "name": "Relais", "commune": CommuneFactory().pk},
    )
    assert "Choisissez une commune du périmètre de la convention." in response.content.decode()
    assert not Equipment.objects.exists() and not SupportedEquipment.objects.exists()


def test_edit_and_remove_an_equipment_from_the_annex_keeps_the_equipment(logged, convention, equipment, party):
    support = convention.supported_equipment.create(equipment=equipment)
    page = url("supported_equipment_edit", convention.pk, support.pk)
    response = logged.post(
        page, {"supported_by": party.pk, "financing_note": "Bonus territoire", "marker": marker(logged, page)}
    )
    assert response["Location"] == detail(convention, "equipements")
    support.refresh_from_db()
    assert support.supported_by == party and support.financing_note == "Bonus territoire"
    assert (
        "Retirer de l&#x27;annexe 2"
        in logged.get(url("supported_equipment_remove", convention.pk, support.pk)).content.decode()
    )
    response = logged.post(url("supported_equipment_remove", convention.pk, support.pk))
    assert response["Location"] == detail(convention, "equipements")
    assert not SupportedEquipment.objects.exists()
    assert Equipment.objects.filter(pk=equipment.pk).exists()


# Annexe 4 ------------------------------------------------------------------------------------------------------


def test_committees_are_added_edited_and_deleted(logged, convention):
    response = logged.post(
        url("committee_create", convention.pk),
        {"kind": "cotech", "name": "Comité technique", "missions": "Préparer le COPIL", "frequency": "Trimestrielle"},
    )
    assert response["Location"] == detail(convention, "pilotage")
    committee = Committee.objects.get(convention=convention)
    read_at = marker(logged, url("committee_edit", convention.pk, committee.pk))
    logged.post(
        url("committee_edit", convention.pk, committee.pk),
        {"kind": "cotech", "name": "COTECH", "missions": "", "frequency": "", "marker": read_at},
    )
    committee.refresh_from_db()
    assert committee.name == "COTECH"
    logged.post(url("committee_delete", convention.pk, committee.pk))
    assert not Committee.objects.exists()


def test_a_committee_that_has_met_cannot_be_deleted(logged, convention):
    committee = CommitteeFactory(convention=convention)
    Meeting.objects.create(committee=committee, date=datetime.date(2024, 3, 1))
    assert (
        "ne peut pas être supprimée"
        in logged.get(url("committee_delete", convention.pk, committee.pk)).content.decode()
    )
    response = logged.post(url("committee_delete", convention.pk, committee.pk), follow=True)
    assert "ne peut pas être supprimée" in response.content.decode()
    assert Committee.objects.filter(pk=committee.pk).exists()


def member_data(prefix: str, **values) -> dict:
    data = {"person": "Jeanne Dupont", "role": "Maire", "organisation": "Commune", "user": ""}
    data.update(values)
    return {f"{prefix}-{key}": value for key, value in data.items()}


def test_members_are_added_with_an_optional_user_among_the_conventions_members(logged, convention, copil):
    committee = CommitteeFactory(convention=convention)
    prefix = f"membre-nouveau-{committee.pk}"
    response = logged.post(
        url("committee_member_create", convention.pk, committee.pk), member_data(prefix, user=copil.pk)
    )
    assert response["Location"] == detail(convention, "pilotage")
    assert CommitteeMember.objects.get(committee=committee).user == copil
    stranger = UserFactory(copil=True)
    response = logged.post(
        url("committee_member_create", convention.pk, committee.pk), member_data(prefix, user=stranger.pk)
    )
    assert "Choisissez une personne membre de cette convention." in response.content.decode()
    assert CommitteeMember.objects.count() == 1


def test_members_are_edited_moved_and_deleted_inline(logged, convention):
    committee = CommitteeFactory(convention=convention)
    first, second = (
        CommitteeMember.objects.create(committee=committee, person=name, order=n)
        for n, name in enumerate(["Anne", "Bruno"], 1)
    )
    response = logged.post(
        url("committee_member_edit", convention.pk, first.pk),
        member_data(f"membre-{first.pk}", person="Anne Martin"),
        **HTMX,
    )
    assert response["HX-Retarget"] == f"#membres-{committee.pk}"
    assert response.content.decode().startswith(f'<tbody id="membres-{committee.pk}">')
    first.refresh_from_db()
    assert first.person == "Anne Martin"
    response = logged.post(url("committee_member_move", convention.pk, second.pk), {"direction": "up"}, **HTMX)
    body = response.content.decode()
    assert body.index("Bruno") < body.index("Anne Martin")
    assert list(committee.members.values_list("person", flat=True)) == ["Bruno", "Anne Martin"]
    response = logged.post(url("committee_member_move", convention.pk, second.pk), {"direction": "down"})
    assert response["Location"] == detail(convention, "pilotage")
    assert list(committee.members.values_list("person", flat=True)) == ["Anne Martin", "Bruno"]
    logged.post(url("committee_member_delete", convention.pk, second.pk))
    assert list(committee.members.values_list("person", flat=True)) == ["Anne Martin"]


def test_a_member_of_another_conventions_committee_answers_404(logged, convention):
    foreign = CommitteeMember.objects.create(committee=CommitteeFactory(), person="Ailleurs")
    assert (
        logged.post(
            url("committee_member_edit", convention.pk, foreign.pk), member_data(f"membre-{foreign.pk}")
        ).status_code
        == 404
    )
    assert logged.post(url("committee_member_delete", convention.pk, foreign.pk)).status_code == 404
    assert logged.post(url("committee_member_create", convention.pk, foreign.committee.pk), {}).status_code == 404
    assert logged.post(url("committee_edit", convention.pk, foreign.committee.pk), {"name": "x"}).status_code == 404
    assert CommitteeMember.objects.get(pk=foreign.pk).person == "Ailleurs"


def test_an_equipment_line_of_another_convention_answers_404(logged, convention):
    foreign = SupportedEquipment.objects.create(convention=ConventionFactory(), equipment=EquipmentFactory())
    assert logged.post(url("supported_equipment_remove", convention.pk, foreign.pk)).status_code == 404
    assert logged.post(url("supported_equipment_edit", convention.pk, foreign.pk), {}).status_code == 404
    assert SupportedEquipment.objects.filter(pk=foreign.pk).exists()


# Who may edit, and when ----------------------------------------------------------------------------------------


def write_requests(convention, clause):
    return [
        ("convention_text_edit", (convention.pk,), {"preamble": "piraté", "marker": 0}),
        ("clause_edit", (convention.pk, clause.pk), {"number": "1", "title": "Objet", "body": "piraté"}),
        ("clause_reset", (convention.pk, clause.pk), {}),
        ("clause_move", (convention.pk, clause.pk), {"direction": "down"}),
        ("key_figure_create", (convention.pk,), key_figure_data("chiffre-nouveau", value="1")),
        ("committee_create", (convention.pk,), {"kind": "copil", "name": "piraté"}),
    ]


def test_a_signed_convention_is_read_only(client, adviser):
    convention = ConventionFactory(caf=adviser.caf, signed=True)
    clause = ClauseFactory(convention=convention, body="Texte signé.")
    client.force_login(adviser)
    for name, args, data in write_requests(convention, clause):
        if name != "clause_move":
            assert client.get(url(name, *args)).status_code == 403, name
        assert client.post(url(name, *args), data).status_code == 403, name
    clause.refresh_from_db()
    assert clause.body == "Texte signé."
    assert not KeyFigure.objects.exists() and not Committee.objects.exists()


def test_an_open_avenant_reopens_the_text(client, adviser):
    convention = ConventionFactory(caf=adviser.caf, signed=True)
    clause = ClauseFactory(convention=convention, body="Texte signé.")
    Amendment.objects.create(convention=convention, number=1, object="Nouvelle action", signed_on=None)
    client.force_login(adviser)
    read_at = marker(client, url("clause_edit", convention.pk, clause.pk))
    response = client.post(
        url("clause_edit", convention.pk, clause.pk),
        {"number": "1", "title": "Objet", "body": "Texte de l'avenant.", "marker": read_at},
    )
    assert response.status_code == 302
    clause.refresh_from_db()
    assert clause.body == "Texte de l'avenant."


def test_a_signed_avenant_does_not_reopen_the_text(client, adviser):
    convention = ConventionFactory(caf=adviser.caf, signed=True)
    Amendment.objects.create(convention=convention, number=1, object="Déjà signé", signed_on=datetime.date(2024, 1, 5))
    client.force_login(adviser)
    assert client.get(url("convention_text_edit", convention.pk)).status_code == 403


@pytest.mark.parametrize("who", ["copil", "cooperation"])
def test_members_of_the_convention_may_not_edit(request, client, convention, clause, who):
    client.force_login(request.getfixturevalue(who))
    for name, args, data in write_requests(convention, clause):
        assert client.post(url(name, *args), data).status_code == 403, name
    clause.refresh_from_db()
    assert clause.body == "Texte d'origine."


def test_an_adviser_of_another_caf_gets_404(client, convention, other_adviser, clause):
    client.force_login(other_adviser)
    for name, args, data in write_requests(convention, clause):
        assert client.post(url(name, *args), data).status_code == 404, name
    clause.refresh_from_db()
    assert clause.body == "Texte d'origine."


def fill_annexes(convention, n: int, copil) -> None:
    commune = convention.territory.communes.first()
    for i in range(n):
        ClauseFactory(convention=convention, order=i)
        convention.diagnostic.key_figures.create(label=f"Chiffre {i}", value=i, year=2021)
        convention.diagnostic.issues.create(
            text=f"Enjeu {i}", domain=Domain.objects.get_or_create(code=f"d{i}", label=f"Champ {i}")[0]
        )
        convention.supported_equipment.create(
            equipment=EquipmentFactory(commune=commune), supported_by=PartyFactory(convention=convention)
        )
        committee = CommitteeFactory(convention=convention)
        CommitteeMember.objects.create(committee=committee, person=f"Personne {i}", user=copil)


def test_edit_controls_add_no_query_per_row(client, db):
    counts = []
    for n in (2, 30):
        convention = ConventionFactory()
        adviser = UserFactory(adviser=True, caf=convention.caf)
        fill_annexes(convention, n, UserFactory(copil=True))
        client.force_login(adviser)
        with CaptureQueriesContext(connection) as context:
            body = whole_convention_page(client, convention.pk)
        assert body.count('id="chiffre-') == n + 1  # the rows and the « Ajouter » row
        assert body.count('id="membre-') == 2 * n  # one member and one « Ajouter un membre » row per committee
        counts.append(len(context))
    assert counts[0] == counts[1] <= 95, counts  # the first view and the seven sections it loads (93)
