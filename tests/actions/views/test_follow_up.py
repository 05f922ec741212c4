"""The follow-up of a plan d'actions: « Mon suivi », status updates, budgets and committee meetings."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.models import ActionSheet, BudgetLine, StatusUpdate
from actions.services import action_status_update, budget_marker
from conventions.models import Committee, Domain, Meeting
from conventions.perms import can_follow_up, followed_conventions
from evaluation.models import Review
from tests.accounts.factories import UserFactory
from tests.actions.factories import ActionSheetFactory, AxisFactory, ObjectiveFactory, OrientationFactory
from tests.conventions.factories import CommitteeFactory, ConventionFactory
from tests.pages import count_queries, error_next_to, snapshot, text, tried

TODAY = timezone.localdate()


@pytest.fixture
def action(convention):
    orientation = OrientationFactory(convention=convention, number="1", title="Accompagner les familles")
    objective = ObjectiveFactory(axis=AxisFactory(orientation=orientation, number="1", title="Parentalité"))
    action = ActionSheetFactory(
        convention=convention,
        reference="1.1",
        title="Développer le relais petite enfance",
        lead="Centre social Jean-Macé",
        status="en_cours",
        progress=40,
        due_date=datetime.date(2025, 6, 30),
        place=objective,
    )
    return action


@pytest.fixture
def committee(convention):
    return CommitteeFactory(convention=convention, name="Comité de pilotage CTG")


@pytest.fixture
def meeting(committee, action):
    meeting = Meeting.objects.create(committee=committee, date=datetime.date(2024, 3, 12), place="Mairie")
    meeting.actions.add(action)
    return meeting


@pytest.fixture
def foreign_action(db):
    """A fiche of a convention that none of the fixtures' users follows."""
    return ActionSheetFactory(reference="X.9", title="Fiche de Villeailleurs")


def status_data(action, **overrides) -> dict:
    data = {
        "status": "bloquee",
        "progress": "55",
        "date": TODAY.isoformat(),
        "comment": "Le local n'est pas disponible avant l'été.",
        "status_reason": "Travaux du local reportés par la commune.",
        "marker": str(action.lock_version),
    }
    data.update(overrides)
    return data


def budget_data(action, rows: list[dict], existing: list[BudgetLine] = (), **extra) -> dict:
    data = {
        "marker": budget_marker(action=action),
        "lignes-TOTAL_FORMS": str(len(existing) + len(rows)),
        "lignes-INITIAL_FORMS": str(len(existing)),
        "lignes-MIN_NUM_FORMS": "0",
        "lignes-MAX_NUM_FORMS": "1000",
    }
    for index, line in enumerate(existing):
        for name in ("year", "funder", "funder_name", "nature", "note"):
            data[f"lignes-{index}-{name}"] = getattr(line, name)
        data[f"lignes-{index}-planned"] = "" if line.planned is None else str(line.planned).replace(".", ",")
        data[f"lignes-{index}-actual"] = "" if line.actual is None else str(line.actual).replace(".", ",")
        if line.is_caf_means:
            data[f"lignes-{index}-is_caf_means"] = "on"
        data[f"lignes-{index}-id"] = str(line.pk)
        data[f"lignes-{index}-action"] = str(action.pk)
    for offset, row in enumerate(rows, start=len(existing)):
        for name, value in row.items():
            data[f"lignes-{offset}-{name}"] = value
        data[f"lignes-{offset}-action"] = str(action.pk)
    data.update(extra)
    return data


def meeting_data(committee, actions=(), **overrides) -> dict:
    data = {
        "committee": str(committee.pk),
        "date": "2024-06-20",
        "place": "Salle du conseil",
        "attendees": "Mme la maire\nM. le directeur de la Caf",
        "agenda": "Bilan annuel 2023",
        "minutes": "Le comité a examiné le bilan.",
        "decisions": "Reporter l'ouverture du LAEP.",
        "actions": [str(a.pk) for a in actions],
    }
    data.update(overrides)
    return data


# -- who may do what: every follow-up view --------------------------------------------------------------


def follow_up_requests(convention, action, committee, meeting) -> dict:
    """Each follow-up view with a valid POST: what a stranger or a COPIL member must not be able to do."""
    return {
        "actions:status_update": (
            reverse("actions:status_update", args=[convention.pk, action.pk]),
            status_data(action),
        ),
        "actions:budget": (
            reverse("actions:budget", args=[convention.pk, action.pk]),
            budget_data(action, [{"year": "2024", "funder": "caf", "nature": "fonctionnement", "planned": "1000"}]),
        ),
        "actions:meeting_create": (
            reverse("actions:meeting_create", args=[convention.pk]),
            meeting_data(committee, [action]),
        ),
        "actions:meeting_edit": (
            reverse("actions:meeting_edit", args=[convention.pk, meeting.pk]),
            meeting_data(committee, [action], place="Ailleurs"),
        ),
        "actions:meeting_delete": (reverse("actions:meeting_delete", args=[convention.pk, meeting.pk]), {}),
    }


VIEWS = [
    "actions:status_update",
    "actions:budget",
    "actions:meeting_create",
    "actions:meeting_edit",
    "actions:meeting_delete",
]


@pytest.mark.parametrize("name", VIEWS)
def test_anonymous_is_sent_to_login(client, convention, action, committee, meeting, name):
    url, data = follow_up_requests(convention, action, committee, meeting)[name]
    for response in tried(client, url, data, convention=convention):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", VIEWS)
@pytest.mark.parametrize("who", ["other_adviser", "outsider_member"])
def test_strangers_get_404_and_change_nothing(client, request, convention, action, committee, meeting, name, who):
    url, data = follow_up_requests(convention, action, committee, meeting)[name]
    client.force_login(request.getfixturevalue(who))
    assert [response.status_code for response in tried(client, url, data, convention=convention)] == [404, 404]


@pytest.mark.parametrize("name", VIEWS)
def test_copil_members_get_403_and_change_nothing(client, copil, convention, action, committee, meeting, name):
    url, data = follow_up_requests(convention, action, committee, meeting)[name]
    client.force_login(copil)
    assert [response.status_code for response in tried(client, url, data, convention=convention)] == [403, 403]


def test_cooperation_cannot_edit_the_text_nor_the_parties(client, cooperation, convention):
    client.force_login(cooperation)
    before = snapshot(convention)
    for url in (
        reverse("conventions:party_add", args=[convention.pk]),
        reverse("conventions:edit", args=[convention.pk]),
    ):
        assert client.get(url).status_code == 403
        assert client.post(url, {"title": "Changé", "name": "Commune pirate"}).status_code == 403
    assert snapshot(convention) == before


def test_cooperation_never_sees_a_convention_they_are_not_a_member_of(client, cooperation, foreign_action):
    client.force_login(cooperation)
    other = foreign_action.convention
    assert client.get(reverse("conventions:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("actions:detail", args=[other.pk, foreign_action.pk])).status_code == 404
    assert client.get(reverse("actions:status_update", args=[other.pk, foreign_action.pk])).status_code == 404
    assert "Villeailleurs" not in text(client.get(reverse("actions:my_follow_up")))


def test_followed_conventions_match_can_follow_up(
    convention, adviser, other_adviser, cooperation, copil, outsider_member
):
    others = [ConventionFactory(), ConventionFactory(caf=convention.caf)]
    for user in (adviser, other_adviser, cooperation, copil, outsider_member, UserFactory(administrator=True)):
        followed = set(followed_conventions(user).values_list("pk", flat=True))
        for candidate in [convention, *others]:
            assert (candidate.pk in followed) == can_follow_up(user, candidate), (user.role, candidate)


# -- Mon suivi ------------------------------------------------------------------------------------------


def test_my_follow_up_requires_login(client):
    response = client.get(reverse("actions:my_follow_up"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_navbar_links_to_my_follow_up(client, cooperation):
    client.force_login(cooperation)
    assert f'href="{reverse("actions:my_follow_up")}">Mon suivi</a>' in text(client.get(reverse("conventions:home")))


def test_my_follow_up_lists_the_fiches_of_the_users_conventions_only(client, cooperation, action, foreign_action):
    client.force_login(cooperation)
    response = client.get(reverse("actions:my_follow_up"))
    body = text(response)
    assert response.status_code == 200
    assert "Développer le relais petite enfance" in body
    assert "Centre social Jean-Macé" in body
    assert "30/06/2025" in body and "En retard" in body
    assert f'name="fiches" value="{action.pk}"' in body
    assert "Changer le statut des fiches cochées" in body
    assert "Villeailleurs" not in body
    assert reverse("evaluation:values", args=[action.convention_id]) in body


def test_copil_members_read_my_follow_up_without_bulk_change(client, copil, action):
    client.force_login(copil)
    body = text(client.get(reverse("actions:my_follow_up")))
    assert "Développer le relais petite enfance" in body
    assert 'name="fiches"' not in body
    assert "Changer le statut des fiches cochées" not in body


@pytest.fixture
def fiches(convention, action):
    """Four more fiches of the convention, different in every filtered column."""
    second = OrientationFactory(convention=convention, number="2", title="Jeunesse")
    jeunesse = Domain.objects.create(code="jeunesse-test", label="Jeunesse (test)")
    done = ActionSheetFactory(
        convention=convention,
        reference="2.1",
        title="Ouvrir un accueil jeunes",
        status="realisee",
        progress=100,
        place=second,
    )
    done.domains.add(jeunesse)
    late_done = ActionSheetFactory(
        convention=convention,
        reference="2.2",
        title="Fiche réalisée en retard",
        status="realisee",
        due_date=datetime.date(2020, 1, 1),
    )
    future = ActionSheetFactory(
        convention=convention, reference="2.3", title="Fiche à venir", due_date=TODAY + datetime.timedelta(days=30)
    )
    blocked = ActionSheetFactory(
        convention=convention,
        reference="2.4",
        title="Fiche bloquée",
        status="bloquee",
        status_reason="Pas de local",
        lead="Mairie annexe",
    )
    return {
        "action": action,
        "done": done,
        "late_done": late_done,
        "future": future,
        "blocked": blocked,
        "orientation": second,
        "domain": jeunesse,
    }


def listed(client, **params) -> set[str]:
    response = client.get(reverse("actions:my_follow_up"), params)
    assert response.status_code == 200
    return {a.reference for a in response.context["table"].page.object_list.data}


def test_my_follow_up_filters(client, cooperation, fiches, foreign_action):
    client.force_login(cooperation)
    everything = {"1.1", "2.1", "2.2", "2.3", "2.4"}
    assert listed(client) == everything
    assert listed(client, convention=fiches["action"].convention_id) == everything
    assert listed(client, statut="realisee") == {"2.1", "2.2"}
    assert listed(client, en_retard="on") == {"1.1"}
    assert listed(client, porteur="mairie") == {"2.4"}
    assert listed(client, orientation=fiches["orientation"].pk) == {"2.1"}
    assert listed(client, champ=fiches["domain"].pk) == {"2.1"}
    # Another convention's id is not a choice: nothing rather than its fiches.
    assert listed(client, convention=foreign_action.convention_id) == set()


def test_my_follow_up_orientations_are_those_of_the_chosen_convention(client, adviser, fiches):
    other = OrientationFactory(
        convention=ConventionFactory(caf=fiches["action"].convention.caf), title="Orientation voisine"
    )
    client.force_login(adviser)
    choices = client.get(reverse("actions:my_follow_up")).context["filter"].form.fields["orientation"].queryset
    assert other in choices
    response = client.get(reverse("actions:my_follow_up"), {"convention": fiches["action"].convention_id})
    choices = response.context["filter"].form.fields["orientation"].queryset
    assert other not in choices and fiches["orientation"] in choices


def test_my_follow_up_options_stay_bounded_beyond_the_limit(client, adviser, fiches, monkeypatch):
    """Past CHOICES_SHOWN conventions, the convention is typed by its reference and the orientations listed are
    those of the chosen convention only; any visible id still filters."""
    monkeypatch.setattr("actions.filters.CHOICES_SHOWN", 2)  # the convention has 2 orientations; 3 conventions
    convention = fiches["action"].convention
    other = ConventionFactory(caf=convention.caf)
    ConventionFactory(caf=convention.caf)
    OrientationFactory(convention=other, title="Orientation voisine")
    client.force_login(adviser)
    form = client.get(reverse("actions:my_follow_up")).context["filter"].form
    assert form["convention"].as_widget().startswith('<input type="search"')
    assert "Orientation voisine" not in str(form["orientation"])
    assert "Choisissez d&#x27;abord une convention" in str(form["orientation"])
    response = client.get(reverse("actions:my_follow_up"), {"convention": convention.reference.lower()})
    assert {a.convention_id for a in response.context["table"].page.object_list.data} == {convention.pk}
    assert f'value="{convention.reference.lower()}"' in text(response)  # the reference as typed, not an id
    assert fiches["orientation"].title in str(response.context["filter"].form["orientation"])
    by_id = client.get(reverse("actions:my_follow_up"), {"convention": convention.pk})
    assert f'value="{convention.reference}"' in text(by_id)
    unknown = client.get(reverse("actions:my_follow_up"), {"convention": "CTG-INCONNUE"})
    assert list(unknown.context["table"].page.object_list.data) == []
    assert "Aucune de vos conventions n'a cette référence." in text(unknown)


def test_my_follow_up_lists_12_followed_conventions_and_a_link_to_all(client, adviser, fiches):
    for _ in range(12):
        ConventionFactory(caf=fiches["action"].convention.caf)
    client.force_login(adviser)
    response = client.get(reverse("actions:my_follow_up"))
    assert len(response.context["followed_conventions"]) == 12 and response.context["more_followed"]
    assert "Toutes mes conventions" in text(response)


def test_my_follow_up_sorts_by_a_column(client, cooperation, fiches):
    client.force_login(cooperation)
    response = client.get(reverse("actions:my_follow_up"), {"sort": "-progress"})
    references = [a.reference for a in response.context["table"].page.object_list.data]
    assert references[0] == "2.1"
    assert 'aria-sort="descending"' in text(response)


def test_my_follow_up_paginates(client, cooperation, convention):
    ActionSheet.objects.bulk_create(
        ActionSheet(convention=convention, reference=f"P.{n}", title=f"Fiche {n}", order=n) for n in range(30)
    )
    client.force_login(cooperation)
    response = client.get(reverse("actions:my_follow_up"), {"page": 2})
    assert len(response.context["table"].page.object_list) == 5
    assert "page 2 sur 2" in text(response)


def make_fiches(convention, count: int, domain: Domain) -> None:
    orientation = OrientationFactory(convention=convention)
    start = ActionSheet.objects.count()
    created = ActionSheet.objects.bulk_create(
        ActionSheet(
            convention=convention,
            orientation=orientation,
            reference=f"Q.{start + n}",
            title=f"Fiche {start + n}",
            lead="Porteur",
            due_date=datetime.date(2024, 1, 1),
            order=start + n,
        )
        for n in range(count)
    )
    ActionSheet.domains.through.objects.bulk_create(
        ActionSheet.domains.through(actionsheet_id=action.pk, domain_id=domain.pk) for action in created
    )


def test_my_follow_up_runs_the_same_queries_with_10_and_500_fiches(client, cooperation, convention):
    domain = Domain.objects.create(code="petite-enfance-test", label="Petite enfance (test)")
    client.force_login(cooperation)
    url = reverse("actions:my_follow_up") + "?en_retard=on&sort=due_date"
    make_fiches(convention, 10, domain)
    small = count_queries(client, url)
    make_fiches(convention, 490, domain)
    assert ActionSheet.objects.count() == 500
    large = count_queries(client, url)
    assert small == large, (small, large)


def test_bulk_status_change(client, cooperation, fiches):
    client.force_login(cooperation)
    chosen = [fiches["action"], fiches["future"]]
    url = reverse("actions:my_follow_up") + "?statut="
    response = client.post(
        url, {"fiches": [a.pk for a in chosen], "status": "reportee", "reason": "Budget 2025 voté en avril."}
    )
    assert response.status_code == 302
    assert response["Location"] == url
    for action in chosen:
        version = action.lock_version
        action.refresh_from_db()
        assert (action.status, action.status_reason) == ("reportee", "Budget 2025 voté en avril.")
        assert action.lock_version == version + 1
        update = action.updates.get()
        assert (update.status, update.author, update.date, update.comment) == (
            "reportee",
            cooperation,
            TODAY,
            "Budget 2025 voté en avril.",
        )
        assert action.history.first().history_user == cooperation
    fiches["done"].refresh_from_db()
    assert fiches["done"].status == "realisee"
    assert "2 fiches-action passées « reportée »." in text(client.get(url))


def test_bulk_status_change_needs_a_reason_for_blocked(client, cooperation, fiches):
    client.force_login(cooperation)
    before = snapshot(fiches["action"].convention)
    response = client.post(
        reverse("actions:my_follow_up"), {"fiches": [fiches["action"].pk], "status": "bloquee", "reason": " "}
    )
    assert response.status_code == 200
    assert error_next_to(response, "reason", "Indiquez le motif : une fiche « bloquée » doit dire pourquoi.")
    assert f'value="{fiches["action"].pk}" form="changement-statut" aria-label="Sélectionner la fiche 1.1' in text(
        response
    )
    assert snapshot(fiches["action"].convention) == before


def test_bulk_status_change_refuses_a_fiche_of_another_convention(client, cooperation, fiches, foreign_action):
    client.force_login(cooperation)
    before, before_foreign = snapshot(fiches["action"].convention), snapshot(foreign_action.convention)
    response = client.post(
        reverse("actions:my_follow_up"), {"fiches": [fiches["action"].pk, foreign_action.pk], "status": "en_cours"}
    )
    assert response.status_code == 200
    assert "aucun statut n'a été modifié" in text(response)
    assert snapshot(fiches["action"].convention) == before
    assert snapshot(foreign_action.convention) == before_foreign
    assert not StatusUpdate.objects.exists()


def test_bulk_status_change_refuses_a_fiche_the_user_only_reads(client, copil, fiches):
    client.force_login(copil)
    before = snapshot(fiches["action"].convention)
    response = client.post(reverse("actions:my_follow_up"), {"fiches": [fiches["action"].pk], "status": "realisee"})
    assert response.status_code == 200
    assert "aucun statut n'a été modifié" in text(response)
    assert snapshot(fiches["action"].convention) == before


def test_bulk_status_change_requires_a_selection(client, cooperation, fiches):
    client.force_login(cooperation)
    response = client.post(reverse("actions:my_follow_up"), {"status": "en_cours"})
    assert "Cochez au moins une fiche dans le tableau." in text(response)


# -- status update of one fiche -------------------------------------------------------------------------


def test_status_page_shows_the_form(client, cooperation, action):
    client.force_login(cooperation)
    response = client.get(reverse("actions:status_update", args=[action.convention_id, action.pk]))
    body = text(response)
    assert response.status_code == 200
    assert "Point d'avancement" in body and "Développer le relais petite enfance" in body
    assert f'name="date" value="{TODAY.isoformat()}"' in body
    assert '<option value="en_cours" selected>En cours</option>' in body


def test_fiche_page_offers_the_status_form_to_followers_only(client, cooperation, copil, adviser, action):
    url = reverse("actions:detail", args=[action.convention_id, action.pk])
    form_url = reverse("actions:status_update", args=[action.convention_id, action.pk])
    for user in (cooperation, adviser):
        client.force_login(user)
        body = text(client.get(url))
        assert f'action="{form_url}"' in body
        assert reverse("actions:budget", args=[action.convention_id, action.pk]) in body
    client.force_login(copil)
    body = text(client.get(url))
    assert f'action="{form_url}"' not in body
    assert reverse("actions:budget", args=[action.convention_id, action.pk]) not in body


def test_status_update_writes_the_fiche_and_its_timeline(client, cooperation, action):
    client.force_login(cooperation)
    response = client.post(
        reverse("actions:status_update", args=[action.convention_id, action.pk]), status_data(action)
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("actions:detail", args=[action.convention_id, action.pk]) + "#h-suivi"
    version = action.lock_version
    action.refresh_from_db()
    assert (action.status, action.progress, action.status_reason) == (
        "bloquee",
        55,
        "Travaux du local reportés par la commune.",
    )
    assert action.lock_version == version + 1
    update = action.updates.get()
    assert (update.status, update.progress, update.author, update.date) == ("bloquee", 55, cooperation, TODAY)
    assert action.history.first().history_user == cooperation
    body = text(client.get(response["Location"]))
    assert "Le local n'est pas disponible avant l'été." in body
    assert f"Par {cooperation}" in body
    assert TODAY.strftime("%d/%m/%Y") in body


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"status_reason": ""}, "status_reason", "Indiquez le motif : une fiche « bloquée » doit dire pourquoi."),
        (
            {"status": "abandonnee", "status_reason": "  "},
            "status_reason",
            "Indiquez le motif : une fiche « abandonnée » doit dire pourquoi.",
        ),
        ({"progress": "150"}, "progress", "L'avancement ne peut pas dépasser 100 %."),
        ({"progress": ""}, "progress", "Indiquez l'avancement (0 si la fiche n'a pas commencé)."),
        (
            {"date": (TODAY + datetime.timedelta(days=3)).isoformat()},
            "date",
            "La date du point ne peut pas être dans le futur.",
        ),
        ({"status": "inconnu"}, "status", "Sélectionnez un choix valide. inconnu n’en fait pas partie."),
    ],
)
def test_status_update_with_bad_input_changes_nothing(client, cooperation, action, overrides, field, message):
    client.force_login(cooperation)
    before = snapshot(action.convention)
    response = client.post(
        reverse("actions:status_update", args=[action.convention_id, action.pk]), status_data(action, **overrides)
    )
    assert response.status_code == 200
    assert error_next_to(response, field, message)
    assert snapshot(action.convention) == before


def test_status_update_over_a_newer_version_is_refused(client, cooperation, adviser, action):
    stale = status_data(action)
    action_status_update(
        action=ActionSheet.objects.get(pk=action.pk),
        status="realisee",
        progress=100,
        comment="Terminé.",
        date=TODAY,
        user=adviser,
        marker=str(action.lock_version),
    )
    client.force_login(cooperation)
    before = snapshot(action.convention)
    response = client.post(reverse("actions:status_update", args=[action.convention_id, action.pk]), stale)
    assert response.status_code == 200
    assert f"Modifié par {adviser}" in text(response)
    assert snapshot(action.convention) == before
    action.refresh_from_db()
    assert action.status == "realisee"


def test_signed_conventions_are_still_followed_up(client, cooperation, action):
    action.convention.status = "signee"
    action.convention.signature_date = datetime.date(2022, 12, 13)
    action.convention.save()
    client.force_login(cooperation)
    response = client.post(
        reverse("actions:status_update", args=[action.convention_id, action.pk]),
        status_data(action, status="realisee", status_reason=""),
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "realisee"


# -- budget ---------------------------------------------------------------------------------------------


def test_budget_page_shows_lines_and_totals(client, cooperation, action):
    BudgetLine.objects.create(
        action=action, year=2024, funder="caf", planned=Decimal("37070"), actual=Decimal("12500.5")
    )
    BudgetLine.objects.create(
        action=action, year=2024, funder="commune", funder_name="Firminy", planned=Decimal("5000")
    )
    BudgetLine.objects.create(action=action, year=2025, funder="caf", planned=Decimal("800"), is_caf_means=True)
    client.force_login(cooperation)
    response = client.get(reverse("actions:budget", args=[action.convention_id, action.pk]))
    body = text(response)
    assert response.status_code == 200
    assert 'value="37 070"' in body and 'value="12 500,5"' in body
    assert "42\xa0070 €" in body  # financing planned in 2024, moyens Caf apart
    assert "Moyens Caf (hors financement)" in body and "800 €" in body
    assert "2\xa0024" not in body


def test_budget_save_creates_updates_and_deletes_lines(client, cooperation, action):
    kept = BudgetLine.objects.create(action=action, year=2024, funder="caf", planned=Decimal("1000"))
    dropped = BudgetLine.objects.create(action=action, year=2024, funder="epci", planned=Decimal("50"))
    kept.planned = Decimal("1500")
    data = budget_data(
        action,
        [
            {
                "year": "2025",
                "funder": "autre",
                "funder_name": "MSA",
                "nature": "investissement",
                "planned": "1 250,50",
                "actual": "",
                "is_caf_means": "on",
            }
        ],
        existing=[kept, dropped],
        **{"lignes-1-DELETE": "on"},
    )
    client.force_login(cooperation)
    response = client.post(reverse("actions:budget", args=[action.convention_id, action.pk]), data)
    assert response.status_code == 302
    kept.refresh_from_db()
    assert kept.planned == Decimal("1500")
    assert not BudgetLine.objects.filter(pk=dropped.pk).exists()
    new = BudgetLine.objects.get(funder="autre")
    assert (new.year, new.funder_name, new.nature, new.planned, new.is_caf_means) == (
        2025,
        "MSA",
        "investissement",
        Decimal("1250.50"),
        True,
    )
    assert new.history.first().history_user == cooperation
    assert "Moyens Caf" in text(client.get(reverse("actions:detail", args=[action.convention_id, action.pk])))


@pytest.mark.parametrize(
    "row, field, message",
    [
        (
            {"year": "2024", "funder": "caf", "nature": "fonctionnement", "planned": "douze"},
            "planned",
            "Saisissez un nombre, par exemple « 37 070 » ou « 25,1 ».",
        ),
        (
            {"year": "24", "funder": "caf", "nature": "fonctionnement", "planned": "10"},
            "year",
            "Assurez-vous que cette valeur est supérieure ou égale à 1990.",
        ),
        (
            {"year": "2024", "funder": "autre", "nature": "fonctionnement", "planned": "10"},
            "funder_name",
            "Précisez le nom du financeur.",
        ),
        (
            {"year": "2024", "funder": "caf", "nature": "fonctionnement", "actual": "-5"},
            "actual",
            "Un montant ne peut pas être négatif.",
        ),
        (
            {"year": "2024", "funder": "caf", "nature": "fonctionnement", "note": ""},
            "planned",
            "Indiquez un montant prévu ou réalisé, ou une précision.",
        ),
    ],
)
def test_budget_with_bad_input_changes_nothing(client, cooperation, action, row, field, message):
    BudgetLine.objects.create(action=action, year=2023, funder="caf", planned=Decimal("1000"))
    client.force_login(cooperation)
    before = snapshot(action.convention)
    good = {"year": "2026", "funder": "commune", "nature": "fonctionnement", "planned": "300"}
    response = client.post(
        reverse("actions:budget", args=[action.convention_id, action.pk]), budget_data(action, [good, row])
    )
    assert response.status_code == 200
    assert error_next_to(response, f"lignes-1-{field}", message)
    assert "Le budget n'a pas été enregistré" in text(response)
    assert snapshot(action.convention) == before


def test_budget_over_a_newer_version_is_refused(client, cooperation, adviser, action):
    client.force_login(cooperation)
    data = budget_data(action, [{"year": "2024", "funder": "caf", "nature": "fonctionnement", "planned": "10"}])
    line = BudgetLine(action=action, year=2024, funder="commune", planned=Decimal("99"))
    line._history_user = adviser
    line.save()
    before = snapshot(action.convention)
    response = client.post(reverse("actions:budget", args=[action.convention_id, action.pk]), data)
    assert response.status_code == 200
    assert f"Budget modifié par {adviser}" in text(response)
    assert snapshot(action.convention) == before


# -- meetings -------------------------------------------------------------------------------------------


def test_meeting_form_shows_this_conventions_committees_and_fiches(
    client, cooperation, action, committee, foreign_action
):
    CommitteeFactory(convention=foreign_action.convention, name="Comité de Villeailleurs")
    client.force_login(cooperation)
    response = client.get(reverse("actions:meeting_create", args=[action.convention_id]) + f"?fiche={action.pk}")
    body = text(response)
    assert response.status_code == 200
    assert "Comité de pilotage CTG" in body and "1.1 – Développer le relais petite enfance" in body
    assert "Villeailleurs" not in body
    assert f'value="{action.pk}" class="form-check-input" id="id_actions_0" checked' in body


def test_record_a_meeting_linked_to_fiches(client, cooperation, action, committee):
    other = ActionSheetFactory(convention=action.convention, reference="1.2")
    client.force_login(cooperation)
    response = client.post(
        reverse("actions:meeting_create", args=[action.convention_id]),
        {**meeting_data(committee, [action, other]), "fiche": str(action.pk)},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("actions:detail", args=[action.convention_id, action.pk]) + "#h-reunions"
    meeting = Meeting.objects.get()
    assert (meeting.committee, meeting.date, meeting.decisions) == (
        committee,
        datetime.date(2024, 6, 20),
        "Reporter l'ouverture du LAEP.",
    )
    assert set(meeting.actions.all()) == {action, other}
    assert meeting.history.first().history_user == cooperation
    body = text(client.get(response["Location"]))
    assert "Comité de pilotage CTG du" in body and "20/06/2024" in body and "Reporter l'ouverture du LAEP." in body
    listing = text(client.get(reverse("actions:meetings", args=[action.convention_id])))
    assert "Salle du conseil" in listing and "1.2" in listing


def test_meeting_with_another_conventions_fiche_is_refused(client, cooperation, action, committee, foreign_action):
    client.force_login(cooperation)
    before = snapshot(action.convention)
    response = client.post(
        reverse("actions:meeting_create", args=[action.convention_id]),
        meeting_data(committee, [action, foreign_action]),
    )
    assert response.status_code == 200
    assert "Cette fiche-action n'appartient pas à la convention : choisissez-en une." in text(response)
    assert 'aria-describedby="actions-erreurs"' in text(response)
    assert not Meeting.objects.exists()
    assert snapshot(action.convention) == before


def test_meeting_of_another_conventions_committee_is_refused(client, cooperation, action, foreign_action):
    foreign_committee = CommitteeFactory(convention=foreign_action.convention)
    client.force_login(cooperation)
    response = client.post(
        reverse("actions:meeting_create", args=[action.convention_id]), meeting_data(foreign_committee)
    )
    assert response.status_code == 200
    assert error_next_to(response, "committee", "Choisissez une instance de pilotage de cette convention.")
    assert not Meeting.objects.exists()


def test_meeting_without_date_is_refused(client, cooperation, action, committee):
    client.force_login(cooperation)
    response = client.post(
        reverse("actions:meeting_create", args=[action.convention_id]), meeting_data(committee, date="")
    )
    assert error_next_to(response, "date", "Indiquez la date de la réunion.")
    assert not Meeting.objects.exists()


def test_edit_a_meeting(client, cooperation, meeting, committee, action):
    client.force_login(cooperation)
    page = client.get(reverse("actions:meeting_edit", args=[action.convention_id, meeting.pk]))
    marker = page.context["form"]["marker"].value()
    response = client.post(
        reverse("actions:meeting_edit", args=[action.convention_id, meeting.pk]),
        {**meeting_data(committee, []), "marker": marker},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.place == "Salle du conseil"
    assert not meeting.actions.exists()


def test_edit_a_meeting_over_a_newer_version_is_refused(client, cooperation, adviser, meeting, committee, action):
    client.force_login(cooperation)
    page = client.get(reverse("actions:meeting_edit", args=[action.convention_id, meeting.pk]))
    marker = page.context["form"]["marker"].value()
    meeting.place = "Changé entre-temps"
    meeting._history_user = adviser
    meeting.save()
    response = client.post(
        reverse("actions:meeting_edit", args=[action.convention_id, meeting.pk]),
        {**meeting_data(committee, []), "marker": marker},
    )
    assert response.status_code == 200
    assert f"Modifié par {adviser}" in text(response)
    meeting.refresh_from_db()
    assert meeting.place == "Changé entre-temps"
    assert meeting.actions.exists()


def test_delete_a_meeting(client, cooperation, meeting, action):
    client.force_login(cooperation)
    url = reverse("actions:meeting_delete", args=[action.convention_id, meeting.pk])
    assert "Supprimer la réunion" in text(client.get(url))
    response = client.post(url)
    assert response.status_code == 302
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    action.refresh_from_db()


def test_a_meeting_of_a_review_is_not_deleted(client, cooperation, meeting, action):
    Review.objects.create(convention=action.convention, year=2024, meeting=meeting)
    client.force_login(cooperation)
    response = client.post(reverse("actions:meeting_delete", args=[action.convention_id, meeting.pk]))
    assert response.status_code == 200
    assert "Cette réunion est liée au bilan" in text(response)
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_meetings_page_is_readable_by_copil_without_edit_links(client, copil, meeting, action):
    client.force_login(copil)
    body = text(client.get(reverse("actions:meetings", args=[action.convention_id])))
    assert "Comité de pilotage CTG du" in body and "12/03/2024" in body
    assert reverse("actions:meeting_edit", args=[action.convention_id, meeting.pk]) not in body


def test_convention_without_committee_says_so(client, cooperation, action):
    assert not Committee.objects.exists()
    client.force_login(cooperation)
    body = text(client.get(reverse("actions:meetings", args=[action.convention_id])))
    assert "Aucune instance de pilotage n'est définie" in body


def test_moving_on_from_a_blocked_status_clears_its_reason(client, cooperation, action):
    action.status, action.status_reason = "bloquee", "Pas de local"
    action.save()
    client.force_login(cooperation)
    data = status_data(action, status="en_cours", status_reason="Pas de local")
    assert (
        client.post(reverse("actions:status_update", args=[action.convention_id, action.pk]), data).status_code == 302
    )
    action.refresh_from_db()
    assert (action.status, action.status_reason) == ("en_cours", "")


def test_a_status_changed_in_the_fiche_form_goes_on_the_timeline(convention, adviser):
    from actions.services import action_sheet_update
    from tests.actions.factories import ActionSheetFactory

    action = ActionSheetFactory(convention=convention)
    action.status, action.progress = "realisee", 100
    action_sheet_update(action=action, marker="0", domains=[], target_communes=[], user=adviser)
    update = action.updates.get()
    assert (update.status, update.progress, update.author) == ("realisee", 100, adviser)
    action.title = "Titre seul modifié"
    action_sheet_update(action=action, marker="1", domains=[], target_communes=[], user=adviser)
    assert action.updates.count() == 1  # no timeline entry when neither status nor progress changed


def test_budget_page_runs_the_same_queries_with_1_and_20_lines(client, cooperation, action):
    from actions.models import BudgetLine

    url = reverse("actions:budget", args=[action.convention_id, action.pk])
    client.force_login(cooperation)
    counts = []
    for total in (1, 20):
        BudgetLine.objects.filter(action=action).delete()
        BudgetLine.objects.bulk_create(BudgetLine(action=action, year=2022 + i % 4, funder="caf") for i in range(total))
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        counts.append(len(context))
    assert counts[0] == counts[1]
