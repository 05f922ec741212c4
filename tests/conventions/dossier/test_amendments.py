"""Avenants as documents (issue 11): the comparison with the signed version, the avenant PDF, its signature that
freezes the avenant and the consolidated version, « comparer deux versions »."""

import datetime
import hashlib
import html
import re

import pytest
from django.urls import reverse

from conventions.dossier.amendments import amended_name, amendment_comparison, amendment_fingerprint, amendment_sign
from conventions.dossier.comparison import redline
from conventions.enums import VersionKind
from conventions.lifecycle import TransitionRefused, amendment_open
from conventions.models import ConventionVersion
from tests.accounts.factories import UserFactory
from tests.conventions.dossier.test_versions import body, pdf_text, ready_convention, sign
from tests.conventions.factories import ClauseFactory
from tests.territories.factories import CommuneFactory

pytestmark = pytest.mark.django_db

UNCHANGED = "Les parties se réunissent chaque année pour le bilan."
OLD_4 = "La convention est conclue pour une durée de quatre ans à compter de sa signature."
NEW_4 = "La convention est conclue pour une durée de cinq ans à compter de sa signature."


@pytest.fixture
def signed(client):
    """A signed convention (articles 3 and 4, communes Amont and Aval, fiche 1.1) and its adviser, logged in."""
    convention = ready_convention()
    convention.territory.communes.set([CommuneFactory(name="Amont"), CommuneFactory(name="Aval")])
    ClauseFactory(convention=convention, number="3", title="Bilan", body=UNCHANGED, order=3)
    ClauseFactory(convention=convention, number="4", title="Durée", body=OLD_4, order=4)
    adviser = UserFactory(adviser=True, caf=convention.caf)
    original = sign(convention, adviser)
    convention.refresh_from_db()
    client.force_login(adviser)
    return convention, adviser, original


def amend(convention):
    """The avenant n° 1: article 4 rewritten, Aval leaves the perimeter, the fiche changes its porteur."""
    amendment = amendment_open(convention=convention, object="Prolonger la convention d'un an")
    convention.clauses.filter(number="4").update(body=NEW_4)
    convention.territory.communes.remove(convention.territory.communes.get(name="Aval"))
    convention.actions.filter(reference="1.1").update(lead="Centre social des Tilleuls")
    return amendment


def test_redline_marks_the_words_changed():
    segments = redline(OLD_4, NEW_4)
    assert [(s.op, s.text) for s in segments if s.op != "equal"] == [("delete", "quatre"), ("insert", "cinq")]


def test_the_comparison_lists_what_the_avenant_changes_and_nothing_else(signed):
    convention, _, _ = signed
    amendment = amend(convention)
    convention.actions.filter(reference="1.1").update(status="realisee", progress=100)  # follow-up: not an avenant
    comparison = amendment_comparison(amendment=amendment)
    assert [(c.number, c.change) for c in comparison.clauses] == [("4", "modifié")]
    assert comparison.communes_removed == ["Aval"] and comparison.communes_added == []
    [fiche] = comparison.fiches
    assert fiche.change == "modifié"
    assert [(f.label, f.new) for f in fiche.fields] == [("porteur", "Centre social des Tilleuls")]
    assert comparison.parties == [] and comparison.indicators == []


def test_the_avenant_pdf_states_its_changes_in_legal_form_with_a_draft_mark(client, signed):
    convention, _, _ = signed
    amendment = amend(convention)
    page = client.get(reverse("conventions:amendment_sign", args=[convention.pk, amendment.pk])).content.decode()
    assert "<del>quatre</del>" in page and "<ins>cinq</ins>" in page and "Commune retirée" in page
    text = pdf_text(body(client.get(reverse("conventions:amendment_pdf", args=[convention.pk, 1]))))
    assert "Avenant n° 1 à la convention territoriale globale « CTG de Belleville »" in text
    assert "PROJET" in text
    assert "L'article 4 est remplacé par les dispositions suivantes" in text and NEW_4 in text
    assert "la commune d'Aval est retirée du périmètre" in text
    assert "Centre social des Tilleuls" in text
    assert "Les autres dispositions de la convention demeurent inchangées." in text
    assert UNCHANGED not in text
    assert "signée à Belleville le 13 décembre 2022" in text


def test_signing_the_avenant_freezes_it_and_a_consolidated_version(client, signed):
    convention, adviser, original = signed
    amendment = amend(convention)
    url = reverse("conventions:amendment_sign", args=[convention.pk, amendment.pk])
    fingerprint = amendment_fingerprint(amendment=amendment)
    clause = convention.clauses.get(number="3")
    clause.body = "Changé après l'aperçu."  # saved as the app saves (with its history record)
    clause.save()
    stale = client.post(
        url, {"signed_on": "2024-02-01", "signed_at": "Belleville", "changes": "Article 4", "fingerprint": fingerprint}
    )
    assert "La convention a changé depuis l'aperçu" in html.unescape(stale.content.decode())
    amendment.refresh_from_db()
    assert amendment.signed_on is None and not ConventionVersion.objects.filter(amendment=amendment).exists()

    fingerprint = amendment_fingerprint(amendment=amendment)
    client.post(
        url, {"signed_on": "2024-02-01", "signed_at": "Belleville", "changes": "Article 4", "fingerprint": fingerprint}
    )
    amendment.refresh_from_db()
    assert amendment.signed_on == datetime.date(2024, 2, 1)
    kinds = list(ConventionVersion.objects.filter(convention=convention).values_list("number", "kind"))
    assert kinds == [(1, VersionKind.SIGNED), (2, VersionKind.AMENDMENT), (3, VersionKind.CONSOLIDATED)]
    avenant = pdf_text(body(client.get(reverse("conventions:amendment_pdf", args=[convention.pk, 1]))))
    assert "PROJET" not in avenant and "Fait à Belleville, le 1er février 2024" in avenant
    consolidated = body(client.get(reverse("conventions:pdf", args=[convention.pk])))
    text = pdf_text(consolidated)
    assert NEW_4 in text and OLD_4 not in text
    assert "Version consolidée intégrant l'avenant n° 1" in text
    assert len(re.findall("version consolidée intégrant l'avenant n° 1", text)) >= 2  # the cover and the header
    # The signed original never changes.
    first = body(client.get(reverse("conventions:version_pdf", args=[convention.pk, 1])))
    assert hashlib.sha256(first).hexdigest() == original.sha256 and OLD_4 in pdf_text(first)
    with pytest.raises(TransitionRefused):
        amendment_sign(amendment=amendment, signed_on=datetime.date(2024, 3, 1), changes="Encore")


def test_versions_page_and_comparing_two_versions(client, signed):
    convention, _, original = signed
    amendment = amend(convention)
    amendment_sign(amendment=amendment, signed_on=datetime.date(2024, 2, 1), changes="Article 4")
    page = html.unescape(client.get(reverse("conventions:versions", args=[convention.pk])).content.decode())
    assert "Convention signée" in page and "Avenant n° 1" in page and original.sha256[:12] in page
    assert "Version consolidée intégrant l'avenant n° 1" in page and "Comparer deux versions" in page
    url = reverse("conventions:version_compare", args=[convention.pk])
    compared = client.get(url, {"de": 1, "a": 3}).content.decode()
    assert "<del>quatre</del>" in compared and "Aval" in compared
    other, _, _ = signed_other()
    assert client.get(url, {"de": 1, "a": 99}).status_code == 404
    other_url = reverse("conventions:version_compare", args=[other.pk])
    assert client.get(other_url, {"de": 1, "a": 3}).status_code == 404  # another convention (and another Caf)


def signed_other():
    convention = ready_convention()
    return convention, None, sign(convention)


def test_an_empty_snapshot_compares_as_nothing_changed(db):
    from conventions.dossier.comparison import snapshots_compare

    assert snapshots_compare(before={}, after={}).is_empty


def test_the_amended_convention_is_named_once():
    # « Avenant n° 1 à la convention territoriale globale Convention territoriale globale 2022 – 2026 … » was printed
    # for a title that already says what it is (the Firminy demo).
    assert amended_name("Convention territoriale globale 2022 – 2026 – Firminy") == (
        "convention territoriale globale 2022 – 2026 – Firminy"
    )
    assert amended_name("CTG de Belleville") == "convention territoriale globale « CTG de Belleville »"
