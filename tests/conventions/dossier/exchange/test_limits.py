"""Convention JSON limits: a file too deep, too large or with too many values is refused in French, whole."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from conventions.dossier.exchange import (
    MAX_DEPTH,
    MAX_FILE_SIZE,
    MAX_VALUES,
    ConventionFileError,
    convention_export,
    convention_file_load,
    convention_import,
)
from conventions.models import Convention
from territories.models import Territory

DEEP = "Ce fichier est imbriqué sur plus de 40 niveaux : ce n'est pas un fichier ctg-convention importable."


def nothing_written() -> tuple:
    return Convention.objects.count(), Territory.objects.count(), get_user_model().objects.count()


@pytest.fixture
def exported(convention):
    """The file of an existing convention, renamed so that it could be imported beside it."""
    data = convention_export(convention=convention)
    data["convention"]["reference"] = "CTG-COPIE"
    return data


def nested(levels: int, leaf=None) -> list:
    value = leaf
    for _ in range(levels):
        value = [value]
    return value


def test_a_perimeter_nested_thousands_of_levels_deep_is_refused_not_a_crash(exported):
    # Each sub-perimeter is read by a recursive call: 5 000 levels used to end in a RecursionError.
    territory = {"name": "Périmètre", "kind": "regroupement", "communes": []}
    for _ in range(5_000):
        territory = {"name": "Sous-périmètre", "kind": "regroupement", "communes": [], "children": [territory]}
    exported["territory"] = territory
    before = nothing_written()

    with pytest.raises(ConventionFileError) as excinfo:
        convention_import(data=exported)

    assert excinfo.value.messages == [DEEP]
    assert nothing_written() == before


def test_depth_up_to_the_limit_is_read_and_one_level_more_is_refused(exported):
    at_limit = dict(exported, extra=nested(MAX_DEPTH - 2))  # the document is level 1, « extra » level 2
    beyond = dict(exported, extra=nested(MAX_DEPTH - 1))

    convention, _warnings = convention_import(data=at_limit)
    assert convention.reference == "CTG-COPIE"
    convention.delete()
    with pytest.raises(ConventionFileError) as excinfo:
        convention_import(data=beyond)
    assert excinfo.value.messages == [DEEP]


def test_too_many_values_are_refused_before_anything_is_read(exported):
    exported["clauses"] = [{"number": str(n), "title": "", "body": ""} for n in range(MAX_VALUES // 4 + 1)]
    before = nothing_written()

    with pytest.raises(ConventionFileError) as excinfo:
        convention_import(data=exported)

    assert excinfo.value.messages == [
        "Ce fichier compte plus de 200\u00a0000 valeurs : une convention en compte bien moins (ce n'est pas un "
        "fichier ctg-convention importable)."
    ]
    assert nothing_written() == before


def test_the_file_reader_refuses_json_too_deep_for_python_and_a_file_too_big():
    with pytest.raises(ConventionFileError) as excinfo:
        convention_file_load(b"[" * 200_000 + b"]" * 200_000)
    assert excinfo.value.messages == [DEEP]

    with pytest.raises(ConventionFileError) as excinfo:
        convention_file_load(b" " * (MAX_FILE_SIZE + 1))
    assert excinfo.value.messages == ["Le fichier dépasse 20 Mo : une convention exportée pèse bien moins."]

    with pytest.raises(ConventionFileError) as excinfo:
        convention_file_load(b'{"a": ' * 100 + b"1" + b"}" * 100)
    assert excinfo.value.messages == [DEEP]


def test_the_import_command_refuses_a_deep_file_in_french(exported, tmp_path):
    path = tmp_path / "profond.json"
    path.write_text(json.dumps(exported)[:-1] + ', "extra": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    before = nothing_written()

    with pytest.raises(CommandError) as excinfo:
        call_command("import_convention", str(path))

    assert str(excinfo.value) == DEEP and excinfo.value.returncode == 1
    assert nothing_written() == before


def test_the_import_command_still_says_when_a_file_is_not_json(tmp_path):
    path = tmp_path / "pas-du-json.json"
    path.write_text("{pas du json", encoding="utf-8")
    with pytest.raises(CommandError, match="Ce fichier n'est pas un JSON lisible : Expecting property name"):
        call_command("import_convention", str(path))
    path.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(CommandError, match="^Ce fichier n'est pas au format ctg-convention.$"):
        call_command("import_convention", str(path))
