"""The French the convention PDF writes around names (issue 12, item 1): contractions of « de » and « à »,
agreements written out (no inclusive dots), one visa per deliberation."""

import datetime
import html
import re
from pathlib import Path

import pytest

from conventions.dossier.pdf import render_convention_html
from conventions.models import Edition
from conventions.services import clauses_from_edition, editions_load
from tests.conventions.factories import ConventionFactory, PartyFactory, RepresentativeFactory
from tests.territories.factories import CafFactory, CommuneFactory, EpciFactory, TerritoryFactory

EDITIONS = Path(__file__).resolve().parents[3] / "fixtures" / "reference" / "editions.json"


def text_of(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).replace("\u00a0", " ").split())


def convention_of(territory_name: str, parties: list[tuple[str, str]], place: str = "", **fields):
    editions_load(path=EDITIONS)
    communes = [CommuneFactory(name=name) for name, kind in parties if kind == "commune"]
    territory = TerritoryFactory(name=territory_name, communes=communes)
    convention = ConventionFactory(
        territory=territory,
        caf=CafFactory(name="Caf de la Loire"),
        edition=Edition.objects.get(code="2022"),
        signature_place=place,
        **fields,
    )
    PartyFactory(convention=convention, kind="caf", name="Caf de la Loire", designation="la Caf", order=0)
    for order, (name, kind) in enumerate(parties, start=1):
        body = "" if kind == "epci" else "conseil municipal"  # blank: the kind's council (conseil communautaire)
        party = PartyFactory(convention=convention, kind=kind, name=name, order=order, deliberation_body=body)
        RepresentativeFactory(party=party, civility="Monsieur", name=f"Élu {order}", title="Maire")
    clauses_from_edition(convention=convention)
    return convention


@pytest.mark.django_db
def test_communes_whose_names_start_with_an_article_or_a_vowel():
    convention = convention_of(
        "Le Chambon-Feugerolles",
        [("Le Chambon-Feugerolles", "commune"), ("La Ricamarie", "commune"), ("Les Ulis", "commune"),
         ("L'Horme", "commune"), ("Orléans", "commune")],
        place="Le Chambon-Feugerolles",
    )  # fmt: skip
    text = text_of(render_convention_html(convention=convention))
    assert "Fait au Chambon-Feugerolles, le" in text
    assert "sur le territoire du Chambon-Feugerolles" in text
    assert "de Le " not in text and "à Le " not in text and "à Les " not in text
    # One visa per council, contracted.
    for de_name in ("du Chambon-Feugerolles", "de La Ricamarie", "des Ulis", "de L'Horme", "d'Orléans"):
        assert f"Vu la délibération du conseil municipal {de_name} en date du 5 décembre 2022" in text
    assert "Vu la délibération du conseil municipal figurant" not in text
    # Five communes without designation: « Ci-après dénommées « les Communes » », the verb agrees.
    assert "Ci-après dénommées « les Communes »" in text, text[text.index("Entre") : text.index("Sommaire")]
    assert "les Communes mettent en place" in text
    assert "représentée par Monsieur Élu 1, Maire, dûment autorisé à signer" in text
    assert "·" not in text


@pytest.mark.parametrize(
    ("epci_name", "kind", "de_name"),
    [
        ("Communauté urbaine de Dunkerque", "CU", "de la Communauté urbaine de Dunkerque"),
        ("Communauté de communes des Monts du Pilat", "CC", "de la Communauté de communes des Monts du Pilat"),
        ("Communauté d'agglomération Loire Forez", "CA", "de la Communauté d'agglomération Loire Forez"),
        ("Métropole de Lyon", "METRO", "de la Métropole de Lyon"),
    ],
)
@pytest.mark.django_db
def test_epci_kinds(epci_name, kind, de_name):
    convention = convention_of(epci_name, [(epci_name, "epci")])
    party = convention.parties.get(kind="epci")
    party.epci = EpciFactory(name=epci_name, kind=kind)
    party.save()
    text = text_of(render_convention_html(convention=convention))
    assert f"sur le territoire {de_name}" in text
    assert f"Vu la délibération du conseil communautaire {de_name} en date du" in text
    assert f"{epci_name} met en place" in text  # « Au niveau local, la Communauté … met en place »
    assert "la " + epci_name + " met en place" in text
    assert "dénommée «" in text  # the Caf, and the communauté: feminine singular
    assert "Fait à ……" in text


@pytest.mark.django_db
def test_beyond_six_councils_one_visa_says_the_deliberations():
    convention = convention_of("Pays du Gier", [(f"Commune {n}", "commune") for n in range(8)])
    text = text_of(render_convention_html(convention=convention))
    assert "sur le territoire du Pays du Gier" in text
    assert "Vu les délibérations des 8 collectivités signataires figurant en annexe 6" in text
    assert text.count("Vu la délibération") == 0


@pytest.mark.django_db
def test_the_signed_place_on_the_cover_and_a_woman_who_signs():
    convention = convention_of(
        "Firminy", [("Commune des Ulis", "commune")], place="Les Ulis",
        status="signee", signature_date=datetime.date(2023, 1, 5),
    )  # fmt: skip
    convention.parties.get(kind="commune").representatives.update(civility="", title="Première adjointe")
    text = text_of(render_convention_html(convention=convention))
    assert "aux Ulis, le 5 janvier 2023" in text
    assert "Fait aux Ulis" in text
    assert "dûment autorisée à signer" in text
    assert "Ci-après dénommée « la Commune »" in text
