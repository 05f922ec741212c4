"""The French of generated text: article, « de » and « à » contracted for every kind of name (issue 12)."""

import pytest

from conventions.placeholders import fill_placeholders
from territories.grammar import Article, Name, agree, de_noun, default_article, name_of
from tests.territories.factories import CommuneFactory

NAMES = [
    # name, article derived, after « de », after « à »
    ("Le Chambon-Feugerolles", "le", "du Chambon-Feugerolles", "au Chambon-Feugerolles"),
    ("La Ricamarie", "la", "de La Ricamarie", "à La Ricamarie"),
    ("Les Sables-d'Olonne", "les", "des Sables-d'Olonne", "aux Sables-d'Olonne"),
    ("L'Horme", "l", "de L'Horme", "à L'Horme"),
    ("Orléans", "elision", "d'Orléans", "à Orléans"),
    ("Firminy", "aucun", "de Firminy", "à Firminy"),
    ("Lavaur", "aucun", "de Lavaur", "à Lavaur"),  # « La… » inside a word is no article
    ("Communauté urbaine de Dunkerque", "la", "de la Communauté urbaine de Dunkerque",
     "à la Communauté urbaine de Dunkerque"),
    ("Communauté de communes des Monts du Pilat", "la", "de la Communauté de communes des Monts du Pilat",
     "à la Communauté de communes des Monts du Pilat"),
    ("Communauté d'agglomération Loire Forez", "la", "de la Communauté d'agglomération Loire Forez",
     "à la Communauté d'agglomération Loire Forez"),
    ("Métropole de Lyon", "la", "de la Métropole de Lyon", "à la Métropole de Lyon"),
    ("Saint-Étienne Métropole", "aucun", "de Saint-Étienne Métropole", "à Saint-Étienne Métropole"),
    ("Pays du Gier – Périmètre 3", "le", "du Pays du Gier – Périmètre 3", "au Pays du Gier – Périmètre 3"),
    ("Agglomération du Pays de Dreux", "l", "de l'Agglomération du Pays de Dreux",
     "à l'Agglomération du Pays de Dreux"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "article", "after_de", "after_a"), NAMES)
def test_every_contraction(name, article, after_de, after_a):
    assert default_article(name) == article
    assert Name.of(name).de == after_de
    assert Name.of(name).a == after_a


def test_the_nominal_form_adds_the_article_a_name_does_not_carry():
    assert Name.of("Communauté urbaine de Dunkerque").nominal == "la Communauté urbaine de Dunkerque"
    assert Name.of("Le Chambon-Feugerolles").nominal == "Le Chambon-Feugerolles"
    assert Name.of("Firminy").nominal == "Firminy"


def test_an_article_chosen_by_the_adviser_wins_over_the_derived_one():
    assert Name.of("Hérouville-Saint-Clair", Article.ELIDED).de == "d'Hérouville-Saint-Clair"
    assert Name.of("Hérouville-Saint-Clair").de == "de Hérouville-Saint-Clair"
    assert Name.of("Monts du Lyonnais", Article.LES).a == "aux Monts du Lyonnais"
    assert Name.of("Grand Annecy", Article.NONE).de == "de Grand Annecy"


@pytest.mark.django_db
def test_a_commune_takes_its_official_name_type():
    commune = CommuneFactory.build(name="Le Havre", name_type=2)
    assert name_of(commune).a == "au Havre"


def test_placeholders_contract_and_agree():
    text = "Sur le territoire de {territoire}, {collectivite} met en place. Fait à {territoire}. De {territoire}."
    values = {"territoire": Name.of("Le Chambon-Feugerolles"), "collectivite": Name.of("Communes", Article.LES)}
    assert fill_placeholders(text, values) == (
        "Sur le territoire du Chambon-Feugerolles, les Communes mettent en place. Fait au Chambon-Feugerolles. "
        "Du Chambon-Feugerolles."
    )
    singular = {"territoire": Name.of("Communauté urbaine de Dunkerque"), "collectivite": Name.of("La Ricamarie")}
    assert fill_placeholders(text, singular) == (
        "Sur le territoire de la Communauté urbaine de Dunkerque, La Ricamarie met en place. "
        "Fait à la Communauté urbaine de Dunkerque. De la Communauté urbaine de Dunkerque."
    )


def test_agreement_and_common_nouns():
    assert agree("dénommé", feminine=True, plural=True) == "dénommées"
    assert agree("autorisé", feminine=False, plural=False) == "autorisé"
    assert de_noun("conseil municipal") == "du conseil municipal"
    assert de_noun("assemblée délibérante") == "de l'assemblée délibérante"
    assert de_noun("commission permanente") == "de la commission permanente"
