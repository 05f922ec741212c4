#!/usr/bin/env python3
"""Build fixtures/reference/ from the npm package @etalab/decoupage-administratif.

Usage (the package is fetched from the npm registry, then unpacked):

    cd /tmp && npm pack @etalab/decoupage-administratif@6.0.0
    mkdir -p /tmp/decoupage && tar xzf etalab-decoupage-administratif-6.0.0.tgz -C /tmp/decoupage
    .venv/bin/python scripts/build_reference.py /tmp/decoupage/package

The argument may also be the .tgz itself. Only the standard library is used, so the
script runs without Django. Output is sorted and gzip'd without timestamps: rebuilding
from the same package gives byte-identical files, hence clean diffs.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import re
import sys
import tarfile
from collections import defaultdict
from pathlib import Path
from typing import Any

DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "fixtures" / "reference"
PACKAGE_NAME = "@etalab/decoupage-administratif"

# Package "type" (nature juridique of the DGCL list) -> territories.enums.EpciKind values.
# MET69 is the Métropole de Lyon, a collectivité à statut particulier but a métropole all the same.
EPCI_KIND_MAP = {
    "CC": "CC",
    "CA": "CA",
    "CU": "CU",
    "METRO": "METRO",
    "MET69": "METRO",
}
EPCI_KIND_FALLBACK = "AUTRE"

# Populations légales of millésime N-3 come into force on 1 January N (INSEE calendar),
# and the package's millésime N uses those in force for N.
POPULATION_LAG_YEARS = 3

# The Caf network: one Caf per département, named "Caf" + the département's official linking
# words (COG "type de nom en clair", the package's `typeLiaison`) + its name, except where sources
# say otherwise (CAF_EXCEPTIONS). Codes: TNCC -> the words put between "Caf" and the name.
CAF_LINK_WORDS = {
    0: "de ",
    1: "d'",
    2: "du ",
    3: "de la ",
    4: "des ",
    5: "de l'",
    6: "des ",
    7: "de las ",
    8: "de los ",
}
# Départements with no Caf of their own: the collectivités d'outre-mer of the Pacific and the Indian
# Ocean have their own social protection bodies, Saint-Pierre-et-Miquelon its Caisse de prévoyance
# sociale; Saint-Barthélemy and Saint-Martin are served by the Caf de la Guadeloupe (below).
DEPARTEMENTS_WITHOUT_CAF = {"975", "977", "978", "984", "986", "987", "988", "989"}
# Cafs that are not "one per département, named after it". Each entry says where it comes from;
# the README repeats these sources.
CAF_EXCEPTIONS: dict[str, list[dict[str, Any]]] = {
    # Pyrénées-Atlantiques keeps two Cafs, the only département that does since the 2011
    # départementalisation: Pau (Béarn and Soule) and Bayonne (Pays Basque except the Soule, and
    # the Seignanx in the Landes, hence two départements).
    "64": [
        {"code": "64-BEARN-SOULE", "name": "Caf du Béarn et de la Soule", "departements": ["64"]},
        {"code": "64-PAYS-BASQUE", "name": "Caf du Pays Basque et du Seignanx", "departements": ["64", "40"]},
    ],
    # Mayotte: the Caisse de sécurité sociale de Mayotte (CSSM) pays family benefits since 2015.
    "976": [{"code": "976", "name": "Caisse de sécurité sociale de Mayotte", "departements": ["976"]}],
    # The Caf de la Guadeloupe also serves Saint-Barthélemy and Saint-Martin.
    "971": [{"code": "971", "name": "Caf de la Guadeloupe", "departements": ["971", "977", "978"]}],
}
CAF_LIST_DATE = "2026-12-01"
CAF_HEADER = ["code", "name", "departement_code", "departement_codes", "name_source"]

DEPARTEMENT_HEADER = ["code", "name"]
EPCI_HEADER = ["siren", "name", "kind", "departement_code"]
COMMUNE_HEADER = [
    "insee_code",
    "name",
    "departement_code",
    "epci_siren",
    "population",
    "population_year",
    "name_type",
]


PACKAGE_FILES = (
    "package.json",
    "README.md",
    "data/departements.json",
    "data/epci.json",
    "data/communes.json",
)


def read_package_files(*, source: Path) -> dict[str, str]:
    """Texts of the files used, from an unpacked package directory or straight from the npm .tgz."""
    if source.is_dir():
        return {name: (source / name).read_text(encoding="utf-8") for name in PACKAGE_FILES}
    texts = {}
    with tarfile.open(source) as tar:
        for name in PACKAGE_FILES:
            # npm tarballs put everything under "package/".
            member = tar.extractfile(f"package/{name}")
            if member is None:
                raise SystemExit(f"Fichier absent du paquet : {name}")
            texts[name] = member.read().decode("utf-8")
    return texts


def find_millesime(*, readme: str, version: str) -> int | None:
    """Year of the package's version in the README's "Millésimes et versions" table."""
    for match in re.finditer(r"^\|\s*(\d{4})\s*\|\s*([^|]+?)\s*\|", readme, flags=re.MULTILINE):
        if match.group(2) == version:
            return int(match.group(1))
    return None


def find_mayotte_population_year(*, readme: str) -> int | None:
    # Mayotte has had no légale population since the 2017 census; the README names the year.
    match = re.search(r"population Mayotte INSEE (\d{4})", readme)
    return int(match.group(1)) if match else None


def caf_rows(*, departements: list[dict[str, Any]]) -> list[list[Any]]:
    """One row per Caf: code, name, seat département, départements served (";"), how the name is known."""
    rows = []
    for departement in departements:
        code = departement["code"]
        if code in DEPARTEMENTS_WITHOUT_CAF:
            continue
        for caf in CAF_EXCEPTIONS.get(code, []):
            rows.append([caf["code"], caf["name"], code, ";".join(caf["departements"]), "attested"])
        if code in CAF_EXCEPTIONS:
            continue
        link = CAF_LINK_WORDS.get(departement["typeLiaison"])
        if link is None:
            raise SystemExit(f"typeLiaison inconnu pour le département {code} : {departement['typeLiaison']!r}")
        rows.append([code, f"Caf {link}{departement['nom']}", code, code, "derived"])
    return sorted(rows)


def write_csv(*, path: Path, header: list[str], rows: list[list[Any]]) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(["" if value is None else value for value in row] for row in rows)
    data = buffer.getvalue().encode("utf-8")
    if path.suffix == ".gz":
        # mtime=0 and no file name keep the archive reproducible.
        with (
            open(path, "wb") as raw,
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz,
        ):
            gz.write(data)
    else:
        path.write_bytes(data)


def build(
    *, files: dict[str, str], output: Path, population_year: int | None, published: str | None, command: str
) -> dict[str, int]:
    package = json.loads(files["package.json"])
    if package.get("name") != PACKAGE_NAME:
        raise SystemExit(f"Paquet inattendu : {package.get('name')!r} (attendu {PACKAGE_NAME})")
    version = package["version"]
    readme = files["README.md"]
    millesime = find_millesime(readme=readme, version=version)
    if population_year is None:
        if millesime is None:
            raise SystemExit(
                f"Millésime de la version {version} introuvable dans le README du paquet : précisez --population-year."
            )
        population_year = millesime - POPULATION_LAG_YEARS
    mayotte_year = find_mayotte_population_year(readme=readme)

    raw_departements = json.loads(files["data/departements.json"])
    raw_epcis = json.loads(files["data/epci.json"])
    raw_communes = [c for c in json.loads(files["data/communes.json"]) if c["type"] == "commune-actuelle"]

    departement_codes = {d["code"] for d in raw_departements}
    departement_rows = sorted([d["code"], d["nom"]] for d in raw_departements)
    cafs = caf_rows(departements=raw_departements)
    unknown_caf_departements = {code for row in cafs for code in row[3].split(";")} - departement_codes
    if unknown_caf_departements:
        raise SystemExit(f"Départements de Caf inconnus : {sorted(unknown_caf_departements)}")

    # The commune's own "siren" field is the commune's SIREN, not its EPCI's:
    # membership comes from the EPCI member lists.
    epci_by_commune: dict[str, str] = {}
    for epci in raw_epcis:
        for member in epci["membres"]:
            if member["code"] in epci_by_commune:
                raise SystemExit(f"Commune {member['code']} membre de deux EPCI")
            epci_by_commune[member["code"]] = epci["code"]

    communes_by_code = {c["code"]: c for c in raw_communes}
    unknown_members = set(epci_by_commune) - set(communes_by_code)
    if unknown_members:
        raise SystemExit(f"Membres d'EPCI absents des communes actuelles : {sorted(unknown_members)[:10]}")

    # The package does not give the EPCI seat: take the département of the most populous
    # member, which is the seat in the vast majority of cases (and always for one-département EPCI).
    members_by_epci: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for code, siren in epci_by_commune.items():
        members_by_epci[siren].append(communes_by_code[code])
    epci_rows = []
    for epci in raw_epcis:
        largest = max(members_by_epci[epci["code"]], key=lambda c: (c.get("population") or 0, c["code"]))
        epci_rows.append(
            [epci["code"], epci["nom"], EPCI_KIND_MAP.get(epci["type"], EPCI_KIND_FALLBACK), largest["departement"]]
        )
    epci_rows.sort()

    commune_rows = []
    for commune in raw_communes:
        if commune["departement"] not in departement_codes:
            raise SystemExit(f"Département inconnu pour la commune {commune['code']}")
        population = commune.get("population")
        if population is None:
            year = None
        elif commune["departement"] == "976":
            year = mayotte_year
        elif commune.get("zone") == "com":
            # Collectivités d'outre-mer: figures from their own censuses, year not stated by the package.
            year = None
        else:
            year = population_year
        commune_rows.append(
            [
                commune["code"],
                commune["nom"],
                commune["departement"],
                epci_by_commune.get(commune["code"]),
                population,
                year,
                commune.get("typeLiaison"),
            ]
        )
    commune_rows.sort()

    output.mkdir(parents=True, exist_ok=True)
    write_csv(path=output / "departements.csv", header=DEPARTEMENT_HEADER, rows=departement_rows)
    write_csv(path=output / "epci.csv.gz", header=EPCI_HEADER, rows=epci_rows)
    write_csv(path=output / "communes.csv.gz", header=COMMUNE_HEADER, rows=commune_rows)
    write_csv(path=output / "cafs.csv", header=CAF_HEADER, rows=cafs)

    counts = {
        "departements": len(departement_rows),
        "epci": len(epci_rows),
        "communes": len(commune_rows),
        "cafs": len(cafs),
        "cafs_derived": sum(1 for row in cafs if row[4] == "derived"),
        "communes_without_epci": sum(1 for row in commune_rows if not row[3]),
        "communes_without_name_type": sum(1 for row in commune_rows if row[6] is None),
        "communes_without_population": sum(1 for row in commune_rows if row[4] is None),
        "communes_without_population_year": sum(1 for row in commune_rows if row[5] is None),
    }
    write_readme(
        output=output,
        version=version,
        millesime=millesime,
        population_year=population_year,
        mayotte_year=mayotte_year,
        published=published,
        command=command,
        counts=counts,
    )
    return counts


def write_readme(
    *,
    output: Path,
    version: str,
    millesime: int | None,
    population_year: int,
    mayotte_year: int | None,
    published: str | None,
    command: str,
    counts: dict[str, int],
) -> None:
    files = ("departements.csv", "epci.csv.gz", "communes.csv.gz", "cafs.csv")
    sizes = {name: (output / name).stat().st_size for name in files}
    millesime_text = "millésime inconnu"
    if millesime:
        millesime_text = f"millésime {millesime} (COG et EPCI au 1er janvier {millesime})"
    published_text = f", publiée sur npm le {published}" if published else ""
    text = f"""# Référentiel territorial (départements, EPCI, communes, Cafs)

Les quatre fichiers ci-dessous sont générés par `scripts/build_reference.py` — ne pas les modifier
à la main. Les autres fichiers de ce dossier (listes, textes modèles…) ne viennent pas de ce script.
Chargement en base : `python manage.py load_reference` (voir `territories/reference.py`).

## Source

- Paquet npm `{PACKAGE_NAME}` version **{version}**{published_text}, {millesime_text}.
  Dépôt : https://github.com/datagouv/decoupage-administratif (Etalab / data.gouv.fr).
- Données d'origine : Code officiel géographique de l'INSEE, liste des EPCI à fiscalité propre
  de la DGCL, populations légales de l'INSEE.
- Licence des données : **Licence Ouverte / Open Licence (Etalab)**
  https://www.etalab.gouv.fr/licence-ouverte-open-licence — réutilisation libre, en citant la source :
  « Etalab, découpage administratif ({PACKAGE_NAME} {version}) ».

## Fichiers

| fichier | colonnes | lignes | taille |
| --- | --- | ---: | ---: |
| `departements.csv` | {",".join(DEPARTEMENT_HEADER)} | {counts["departements"]} | {sizes["departements.csv"]:,} o |
| `epci.csv.gz` | {",".join(EPCI_HEADER)} | {counts["epci"]} | {sizes["epci.csv.gz"]:,} o |
| `communes.csv.gz` | {",".join(COMMUNE_HEADER)} | {counts["communes"]} | {sizes["communes.csv.gz"]:,} o |
| `cafs.csv` | {",".join(CAF_HEADER)} | {counts["cafs"]} | {sizes["cafs.csv"]:,} o |

CSV en UTF-8, séparateur virgule, une ligne d'en-tête, triés par code.

## Choix de construction

- Communes : uniquement les communes actuelles (type `commune-actuelle`), y compris l'outre-mer
  (DROM et collectivités d'outre-mer) ; ni communes déléguées ou associées, ni arrondissements
  municipaux (la population de Paris, Marseille et Lyon est la somme de leurs arrondissements).
- Départements : tous ceux du paquet, y compris les codes des collectivités d'outre-mer
  (975, 977, 978, 984, 986, 987, 988, 989) auxquels leurs communes sont rattachées.
- EPCI : nature du paquet convertie en `EpciKind` (CC, CA, CU, METRO ; MET69, la Métropole de Lyon,
  devient METRO ; toute autre nature devient AUTRE). Le paquet ne donne pas le siège : le
  « département du siège » est celui de la commune membre la plus peuplée.
- Rattachement commune → EPCI : listes de membres des EPCI (le champ `siren` d'une commune est son
  propre SIREN). {counts["communes_without_epci"]} communes n'ont pas d'EPCI (îles mono-communales
  et collectivités d'outre-mer).
- `name_type` : type de nom en clair (TNCC) du COG, champ `typeLiaison` du paquet : ce qui introduit
  le nom après « de » (0 « de », 1 « d' », 2 « du », 3 « de la », 4 « des », 5 « de l' », 6 « des »,
  7 « de las », 8 « de los » ; pour 2 à 8 le nom commence par son article). « Commune du Breuil »,
  « Commune d'Hérouville-Saint-Clair » mais « Commune de Hautot-sur-Mer » : seul ce type dit si le H
  est muet. {counts["communes_without_name_type"]} communes sans type (collectivités d'outre-mer).
- Population : population municipale. `population_year` = {population_year} (populations légales
  millésime {population_year}, en vigueur au 1er janvier {population_year + POPULATION_LAG_YEARS}) ;
  Mayotte : {mayotte_year or "inconnue"} (dernier recensement exhaustif) ; collectivités d'outre-mer :
  vide, l'année de leur recensement n'étant pas indiquée par le paquet.
  {counts["communes_without_population"]} communes sans population (Terres australes, Clipperton),
  {counts["communes_without_population_year"]} sans année de population.

## Cafs (liste établie le {CAF_LIST_DATE})

Le réseau : une Caf par département (la « départementalisation » du réseau, achevée en 2011), avec
les exceptions ci-dessous, soit {counts["cafs"]} organismes. Aucun paquet npm ou PyPI ne publie la liste
officielle de la Cnaf ; elle n'a pas pu être consultée depuis cet environnement. D'où deux cas,
indiqués par la colonne `name_source` :

- `derived` ({counts["cafs_derived"]} Cafs) : nom **déduit**, « Caf » + la charnière officielle du
  département + son nom. La charnière vient du type de nom en clair du COG de l'INSEE (champ
  `typeLiaison` du paquet) : « de la Loire », « du Loiret », « des Bouches-du-Rhône », « de l'Ain »,
  « d'Eure-et-Loir », « de Paris », « de La Réunion ». Une Caf peut s'écrire autrement dans l'usage
  (on lit « Caf de Gironde » comme « Caf de la Gironde ») : les administrateurs la renomment, et un
  chargement ultérieur ne revient pas sur leur nom (voir `territories/reference.py`).
- `attested` : nom et territoire **connus** par des sources publiques consultées le {CAF_LIST_DATE} :
  - Pyrénées-Atlantiques, deux Cafs, seul département à en garder deux : « Caf du Béarn et de la
    Soule » (Pau) et « Caf du Pays Basque et du Seignanx » (Bayonne), qui couvre le Pays basque hors
    Soule et le Seignanx, dans les Landes (elle couvre donc les départements 64 et 40 ; la Caf des
    Landes couvre le reste des Landes). Sources : Mediabask, 27 janvier et 6 mars 2015 ;
    délibération du conseil municipal de Bayonne du 9 avril 2015 (motion pour le maintien de la
    « Caisse d'allocations familiales du Pays basque et du Seignanx »). Que les deux caisses
    n'aient pas fusionné depuis n'a pas pu être vérifié ici.
  - Mayotte : la « Caisse de sécurité sociale de Mayotte » (CSSM), caisse unique qui sert les
    prestations familiales depuis le 1er janvier 2015 (Cleiss, « Le régime mahorais de sécurité
    sociale », 2025).
  - Guadeloupe : la « Caf de la Guadeloupe » sert aussi Saint-Barthélemy (977) et Saint-Martin (978)
    (Caf de la Guadeloupe, rapport d'activité 2012 ; RCI, 2023).
- Sans Caf du réseau (exclus) : Saint-Pierre-et-Miquelon (Caisse de prévoyance sociale), les Terres
  australes, Wallis-et-Futuna, la Polynésie française, la Nouvelle-Calédonie et Clipperton (régimes
  propres).
- Le Rhône (69) compte une seule Caf pour le département et la Métropole de Lyon, qui partagent le
  code 69 dans le COG.

Colonnes : `code` (clé du référentiel : le code du département, ou `64-BEARN-SOULE` /
`64-PAYS-BASQUE`), `departement_code` (siège), `departement_codes` (départements couverts, en tout
ou partie, séparés par « ; » : leurs communes sont proposées en premier quand on colle un périmètre).

## Reconstruction

```
cd /tmp && npm pack {PACKAGE_NAME}@{version}
mkdir -p /tmp/decoupage && tar xzf etalab-decoupage-administratif-{version}.tgz -C /tmp/decoupage
cd /work/main && {command}
```
"""
    (output / "README.md").write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=f"Construit fixtures/reference/ depuis {PACKAGE_NAME}.")
    parser.add_argument("package", type=Path, help="Dossier du paquet décompressé (contenant package.json) ou .tgz")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="Dossier de sortie")
    parser.add_argument(
        "--population-year",
        type=int,
        default=None,
        help="Millésime des populations (par défaut : millésime du paquet moins 3)",
    )
    parser.add_argument("--published", default=None, help="Date de publication npm du paquet (AAAA-MM-JJ)")
    args = parser.parse_args(argv)

    command_parts = [".venv/bin/python scripts/build_reference.py", str(args.package)]
    if args.population_year is not None:
        command_parts.append(f"--population-year {args.population_year}")
    if args.published:
        command_parts.append(f"--published {args.published}")
    counts = build(
        files=read_package_files(source=args.package),
        output=args.output,
        population_year=args.population_year,
        published=args.published,
        command=" ".join(command_parts),
    )
    for name, count in counts.items():
        print(f"{name}: {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
