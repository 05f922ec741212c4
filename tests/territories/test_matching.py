"""Communes and EPCI found from text as conventions print it (territories.matching)."""

import pytest

from territories.matching import MatchStatus, communes_match, epcis_match
from territories.names import epci_core, epci_key, search_key
from territories.services import CommuneLookupError, communes_parse, epci_find
from tests.territories.factories import CommuneFactory, DepartementFactory, EpciFactory

MATCHED, AMBIGUOUS, UNKNOWN = MatchStatus.MATCHED, MatchStatus.AMBIGUOUS, MatchStatus.UNKNOWN


@pytest.mark.parametrize(
    ("printed", "key"),
    [
        ("Saint-Étienne", "saint etienne"),
        ("Saint Etienne", "saint etienne"),
        ("St-Étienne", "saint etienne"),
        ("ST. ETIENNE", "saint etienne"),
        ("saint-etienne", "saint etienne"),
        ("Ste-Croix-en-Jarez", "sainte croix en jarez"),
        ("La Ricamarie", "ricamarie"),
        ("Ricamarie (La)", "ricamarie"),
        ("L'Étrat", "etrat"),
        ("L’Etrat", "etrat"),
        ("Étrat (L')", "etrat"),
        ("Chambœuf", "chamboeuf"),
        ("Rozier-Côtes-d'Aurec", "rozier cotes d aurec"),
        ("Les", "les"),  # a name that is only an article keeps it
    ],
)
def test_search_key_ignores_case_accents_hyphens_apostrophes_and_articles(printed, key):
    assert search_key(printed) == key


def test_epci_key_spells_out_the_kind_and_finds_the_usual_name():
    assert epci_key("CC des Monts du Pilat") == epci_key("Communauté de communes des Monts du Pilat")
    assert epci_core(epci_key("Communauté de communes des Monts du Pilat")) == "monts du pilat"
    assert epci_core(epci_key("Saint-Étienne Métropole")) == "saint etienne"
    assert epci_core(epci_key("CA du Pays Basque")) == "pays basque"


@pytest.fixture
def loire(db):
    return DepartementFactory(code="42", name="Loire")


@pytest.fixture
def elsewhere(db):
    return [DepartementFactory(code=code, name=name) for code, name in [("21", "Côte-d'Or"), ("71", "Saône-et-Loire")]]


def commune(name, departement, code, **kwargs):
    return CommuneFactory(name=name, departement=departement, insee_code=code, **kwargs)


def test_names_ambiguous_across_france_take_the_one_of_the_cafs_departement(loire, elsewhere):
    """The issue's case: seven names that exist elsewhere too, each once in the Caf's département."""
    names = ["Chambœuf", "Châteauneuf", "Fontanès", "La Fouillouse", "Saint-Joseph", "Sorbiers", "Villars"]
    in_loire = [commune(name, loire, f"42{n:03d}") for n, name in enumerate(names)]
    for n, name in enumerate(names):
        commune(name, elsewhere[0], f"21{n:03d}")
        commune(name, elsewhere[1], f"71{n:03d}")

    report = communes_match(", ".join(names), preferred_departements=["42"])

    assert report.complete
    assert report.communes == in_loire
    assert not any(entry.outside_preferred for entry in report.entries)
    # Without the Caf's département, each is ambiguous and the candidates name their département.
    without = communes_match("Villars", preferred_departements=[])
    assert without.entries[0].status == AMBIGUOUS
    assert [c.insee_code for c in without.entries[0].candidates] == ["21006", "42006", "71006"]
    assert "Villars (42006, Loire)" in without.entries[0].message
    assert "Villars (21006, Côte-d'Or)" in without.entries[0].message


def test_names_printed_without_accents_hyphens_or_with_abbreviations(loire):
    expected = [
        commune("Saint-Étienne", loire, "42218"),
        commune("Saint-Jean-Bonnefonds", loire, "42248"),
        commune("Sainte-Croix-en-Jarez", loire, "42210"),
        commune("Écotay-l'Olme", loire, "42087"),
        commune("L'Étrat", loire, "42092"),
        commune("Roche-la-Molière", loire, "42189"),
    ]
    pasted = "Saint Etienne\nSaint Jean Bonnefonds\nSte Croix en Jarez\nECOTAY L OLME\nL Etrat\nroche la moliere"
    report = communes_match(pasted, preferred_departements=["42"])
    assert [entry.status for entry in report.entries] == [MATCHED] * 6
    assert report.communes == expected
    assert [entry.text for entry in report.entries] == pasted.split("\n")


def test_articles_with_without_or_in_parentheses(loire):
    ricamarie = commune("La Ricamarie", loire, "42183")
    chambon = commune("Le Chambon-Feugerolles", loire, "42044")
    for text in ["La Ricamarie", "Ricamarie (La)", "Ricamarie", "ricamarie (la)", "Commune de La Ricamarie"]:
        assert communes_match(text, preferred_departements=["42"]).communes == [ricamarie], text
    for text in ["Chambon-Feugerolles (Le)", "Commune du Chambon-Feugerolles", "Le Chambon Feugerolles"]:
        assert communes_match(text, preferred_departements=["42"]).communes == [chambon], text


def test_the_article_as_printed_decides_between_two_names_that_differ_only_by_it(loire):
    breuil = commune("Breuil", loire, "42001")
    le_breuil = commune("Le Breuil", loire, "42002")
    assert communes_match("Le Breuil", preferred_departements=["42"]).communes == [le_breuil]
    assert communes_match("Breuil (Le)", preferred_departements=["42"]).communes == [le_breuil]
    assert communes_match("Breuil", preferred_departements=["42"]).communes == [breuil]


def test_insee_codes_and_name_with_code(loire, elsewhere):
    villars = commune("Villars", loire, "42330")
    commune("Villars", elsewhere[0], "21330")
    firminy = commune("Firminy", loire, "42095")
    corsica = commune("Ajaccio", DepartementFactory(code="2A", name="Corse-du-Sud"), "2A004")
    report = communes_match("42095; Villars (42330)\n2a004, 42999, 21330 - Villars", preferred_departements=["42"])
    assert [e.status for e in report.entries] == [MATCHED, MATCHED, MATCHED, UNKNOWN, MATCHED]
    assert report.communes[:3] == [firminy, villars, corsica]
    assert report.entries[3].message == "Commune inconnue : code INSEE « 42999 »."
    assert report.entries[4].commune.insee_code == "21330"
    assert report.entries[4].outside_preferred  # shown as such by a preview


def test_pastes_split_on_commas_semicolons_lines_and_et_but_keep_names_that_contain_et(loire, elsewhere):
    firminy = commune("Firminy", loire, "42095")
    unieux = commune("Unieux", loire, "42316")
    fraisses = commune("Fraisses", loire, "42099")
    pont = commune("Pont-et-Massène", elsewhere[0], "21497")
    chalmazel = commune("Chalmazel-Jeansagnière", loire, "42039")
    sauvain = commune("Sauvain", loire, "42298")
    report = communes_match(
        "- Firminy, Unieux et Fraisses ;\n• Pont et Massène\n\n3. Chalmazel Jeansagnière, et Sauvain.",
        preferred_departements=["42"],
    )
    assert [e.text for e in report.entries] == [
        "Firminy",
        "Unieux",
        "Fraisses",
        "Pont et Massène",
        "Chalmazel Jeansagnière",
        "Sauvain",
    ]
    assert report.communes == [firminy, unieux, fraisses, pont, chalmazel, sauvain]
    assert [e.position for e in report.entries] == [1, 2, 3, 4, 5, 6]
    # With its code, a name containing "et" is still one entry; two names and a code are two entries.
    assert communes_match("Pont et Massène (21497)").communes == [pont]
    assert communes_match("Firminy et Unieux (42316)").communes == [firminy, unieux]


def test_candidates_come_from_the_cafs_departements_then_the_epci_then_france(loire, elsewhere):
    cote_dor, saone = elsewhere
    epci = EpciFactory(name="CC du Val")
    # "Vernay" is in Saône-et-Loire twice, once in the EPCI; in Côte-d'Or once.
    in_epci = commune("Vernay", saone, "71001", epci=epci)
    commune("Vernay", saone, "71002")
    commune("Vernay", cote_dor, "21001")
    # "Montagny": in the EPCI's département (Saône-et-Loire) once, and in Côte-d'Or.
    montagny = commune("Montagny", saone, "71003")
    commune("Montagny", cote_dor, "21002")
    commune("Membre", saone, "71004", epci=epci)

    report = communes_match("Vernay, Montagny", preferred_departements=["42"], epci=epci)
    assert report.communes == [in_epci, montagny]
    assert all(entry.outside_preferred for entry in report.entries)
    # The Caf's département comes first of all, even when the EPCI has one.
    loire_vernay = commune("Vernay", loire, "42001")
    assert communes_match("Vernay", preferred_departements=["42"], epci=epci).communes == [loire_vernay]
    # Twice in the Caf's département: ambiguous between those two only.
    commune("Vernay", loire, "42002")
    entry = communes_match("Vernay", preferred_departements=["42"], epci=epci).entries[0]
    assert entry.status == AMBIGUOUS
    assert [c.insee_code for c in entry.candidates] == ["42001", "42002"]


def test_unknown_entries_come_with_close_names(loire, elsewhere):
    commune("Firminy", loire, "42095")
    malifaux = commune("Saint-Genest-Malifaux", loire, "42224")
    lerpt = commune("Saint-Genest-Lerpt", loire, "42223")
    far = commune("Saint-Genest-sur-Roselle", elsewhere[0], "21500")
    report = communes_match("Firminey\nSaint Genest\nVillefantôme", preferred_departements=["42"])
    assert [e.status for e in report.entries] == [UNKNOWN] * 3
    assert [c.name for c in report.entries[0].suggestions] == ["Firminy"]
    assert report.entries[0].message == "Commune inconnue : « Firminey ». Vouliez-vous dire : Firminy (42095, Loire) ?"
    # Names that start with the entry, the Caf's département first.
    assert report.entries[1].suggestions[:2] == [lerpt, malifaux]
    assert far in report.entries[1].suggestions
    assert report.entries[2].suggestions == []
    assert report.entries[2].message == "Commune inconnue : « Villefantôme »."
    assert not report.complete
    assert report.unknown == report.entries


def test_a_commune_pasted_twice_is_listed_once(loire):
    firminy = commune("Firminy", loire, "42095")
    report = communes_match("Firminy, 42095, firminy", preferred_departements=["42"])
    assert report.communes == [firminy]
    assert [e.duplicate_of for e in report.entries] == [None, 1, 1]


def test_empty_paste_is_an_empty_report_without_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        report = communes_match(" ,\n ; et ", preferred_departements=["42"])
    assert report.entries == [] and report.complete


def test_one_query_for_a_paste_of_any_size(loire, elsewhere, django_assert_num_queries):
    names = [f"Commune {letter}" for letter in "ABCDEFGHIJKLMNOPQRST"]
    for n, name in enumerate(names):
        commune(name, loire, f"42{n:03d}")
        commune(name, elsewhere[0], f"21{n:03d}")  # ambiguous across France, each time
    with django_assert_num_queries(1):
        small = communes_match(", ".join(names[:5]), preferred_departements=["42"])
    with django_assert_num_queries(1):
        large = communes_match(", ".join(names), preferred_departements=["42"])
    assert len(small.communes) == 5 and len(large.communes) == 20
    # Unknown entries cost two more queries (suggestions), however many they are.
    with django_assert_num_queries(3):
        report = communes_match("Commune Z, Commune Y, " + ", ".join(names), preferred_departements=["42"])
    assert len(report.unknown) == 2


def test_communes_parse_keeps_todays_contract(loire, elsewhere):
    villars = commune("Villars", loire, "42330")
    commune("Villars", elsewhere[0], "21330")
    etienne = commune("Saint-Étienne", loire, "42218")
    # Names as printed now pass.
    assert communes_parse("Saint Etienne et Villars (42330)") == [etienne, villars]
    with pytest.raises(CommuneLookupError) as excinfo:
        communes_parse("Villars, Villefantôme, 98765, Saint-Étienne")
    assert excinfo.value.messages == [
        "« Villars » désigne plusieurs communes : précisez le code INSEE (21330 (Côte-d'Or), 42330 (Loire)).",
        "Commune inconnue : « Villefantôme » (tapez son nom exact ou son code INSEE).",
        "Commune inconnue : code INSEE « 98765 ».",
    ]


@pytest.fixture
def epcis(db):
    loire = DepartementFactory(code="42", name="Loire")
    rhone = DepartementFactory(code="69", name="Rhône")
    return {
        "sem": EpciFactory(name="Saint-Étienne Métropole", siren="244200770", kind="METRO", departement=loire),
        "pilat": EpciFactory(name="CC des Monts du Pilat", siren="200066389", departement=loire),
        "rhodanien": EpciFactory(name="CC du Pilat Rhodanien", siren="244200598", departement=loire),
        "lyon": EpciFactory(name="Métropole de Lyon", siren="200046977", kind="METRO", departement=rhone),
        "lfa": EpciFactory(name="CA Loire Forez Agglomération (LFA)", siren="244200820", kind="CA", departement=loire),
        "vallons": EpciFactory(name="CC des Vallons du Lyonnais", siren="246900575", departement=rhone),
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Saint-Étienne Métropole", "sem"),
        ("saint etienne metropole", "sem"),
        ("Saint-Étienne", "sem"),  # the usual name without its kind
        ("244200770", "sem"),
        ("SIREN 244 200 770", "sem"),
        ("244 200 770", "sem"),
        ("CC des Monts du Pilat", "pilat"),
        ("Communauté de communes des Monts du Pilat", "pilat"),
        ("Monts du Pilat", "pilat"),
        ("Monts Pilat", "pilat"),
        ("CCMP", "pilat"),
        ("Loire Forez", "lfa"),
        ("Communauté d'agglomération Loire Forez", "lfa"),
        ("Métropole de Lyon", "lyon"),
        ("Pilat Rhodanien", "rhodanien"),
        ("Pilat", None),  # two EPCI: a choice
        ("Lyonnais", "vallons"),
        ("Grand Lyon", None),
    ],
)
def test_epci_by_any_part_of_its_name_or_its_usual_name(epcis, text, expected):
    match = epcis_match(text, preferred_departements=["42"])
    assert match.epci == (epcis[expected] if expected else None), match
    assert epci_find(text) == match.epci


def test_epci_ambiguous_or_unknown_come_with_suggestions(epcis):
    pilat = epcis_match("Pilat")
    assert pilat.status == AMBIGUOUS
    assert pilat.candidates == [epcis["pilat"], epcis["rhodanien"]]
    assert pilat.message == (
        "« Pilat » désigne plusieurs EPCI : CC des Monts du Pilat (200066389), CC du Pilat Rhodanien (244200598)."
    )
    typo = epcis_match("Mont du Pila")
    assert typo.status == UNKNOWN
    assert typo.candidates[0] == epcis["pilat"]
    assert typo.message.startswith("EPCI inconnu : « Mont du Pila ». Vouliez-vous dire : CC des Monts du Pilat")
    assert epcis_match("").status == UNKNOWN
    assert epcis_match("999999999").message == "EPCI inconnu : « 999999999 »."


def test_epci_kind_and_the_cafs_departements_break_ties(db):
    loire = DepartementFactory(code="42", name="Loire")
    cher = DepartementFactory(code="18", name="Cher")
    in_cher = EpciFactory(name="CC des Trois Provinces", departement=cher)
    in_loire = EpciFactory(name="CA des Trois Provinces", kind="CA", departement=loire)
    assert epcis_match("Trois Provinces").epci is None
    assert epcis_match("Trois Provinces", preferred_departements=["42"]).epci == in_loire
    assert epcis_match("CC Trois Provinces", preferred_departements=["42"]).epci == in_cher


def test_epci_match_runs_two_queries(epcis, django_assert_num_queries):
    with django_assert_num_queries(2):
        assert epcis_match("Monts du Pilat").epci == epcis["pilat"]


@pytest.mark.parametrize(
    ("name", "name_type", "expected"),
    [
        ("Le Breuil", 2, "du Breuil"),
        ("La Ricamarie", 3, "de la Ricamarie"),
        ("Les Ulis", 4, "des Ulis"),
        ("L'Horme", 5, "de l'Horme"),
        ("Firminy", 0, "de Firminy"),
        ("Unieux", 1, "d'Unieux"),
        ("Hérouville-Saint-Clair", 1, "d'Hérouville-Saint-Clair"),
        ("Hautot-sur-Mer", 0, "de Hautot-sur-Mer"),  # h aspiré: only the official type knows
        # Without a type (a commune typed in the admin), it is guessed from the name.
        ("Le Chambon-Feugerolles", None, "du Chambon-Feugerolles"),
        ("L’Étrat", None, "de l'Étrat"),
        ("Écully", None, "d'Écully"),
        ("Saint-Étienne", None, "de Saint-Étienne"),
    ],
)
def test_commune_name_after_de_the_french_way(name, name_type, expected):
    assert CommuneFactory.build(name=name, name_type=name_type).name_with_preposition == expected
