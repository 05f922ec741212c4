"""Limits of a Convention JSON file, checked before anything is imported (issue 17, item 4).

A demo convention's file weighs 216 Ko and holds 3 806 values nested 15 levels deep (a fiche's indicator's
value inside the plan); an avenant's snapshot nests a copy of the plan a few levels further. The limits are
far above that and far below what would make the import (or Python's JSON reader) run out of stack or memory.
"""

import json

from core.text import french_number

from .format import FORMAT, ConventionFileError

MAX_FILE_SIZE = 20 * 1024 * 1024
MAX_DEPTH = 40
MAX_VALUES = 200_000


def convention_file_problems(data) -> list[str]:
    """Why this parsed document cannot be a Convention JSON file (depth, number of values), or [].

    Walks the document with a stack of its own, never by recursion, and stops at the first limit passed.
    """
    stack, count = [(data, 1)], 0
    while stack:
        value, depth = stack.pop()
        count += 1
        if count > MAX_VALUES:
            return [
                f"Ce fichier compte plus de {french_number(MAX_VALUES)} valeurs : une convention en compte bien moins "
                f"(ce n'est pas un fichier {FORMAT} importable)."
            ]
        if depth > MAX_DEPTH:
            return [
                f"Ce fichier est imbriqué sur plus de {MAX_DEPTH} niveaux : ce n'est pas un fichier {FORMAT} "
                "importable."
            ]
        if isinstance(value, dict):
            stack.extend((child, depth + 1) for child in value.values())
        elif isinstance(value, list):
            stack.extend((child, depth + 1) for child in value)
    return []


def convention_file_load(content: bytes) -> dict:
    """The document in a Convention JSON file's bytes, checked against the limits; ConventionFileError if not."""
    if len(content) > MAX_FILE_SIZE:
        raise ConventionFileError(
            [f"Le fichier dépasse {MAX_FILE_SIZE // (1024 * 1024)} Mo : une convention exportée pèse bien moins."]
        )
    try:
        data = json.loads(content.decode("utf-8"))
    except RecursionError:  # Python's JSON reader recurses once per level: thousands of levels exhaust it
        raise ConventionFileError(
            [f"Ce fichier est imbriqué sur plus de {MAX_DEPTH} niveaux : ce n'est pas un fichier {FORMAT} importable."]
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConventionFileError([f"Ce fichier n'est pas un JSON lisible : {exc}."]) from None
    except ValueError:  # an integer of more than 4 300 digits (Python's limit on int conversion; found by the fuzz)
        raise ConventionFileError(
            ["Ce fichier contient un nombre démesuré : ce n'est pas une convention exportée."]
        ) from None
    if not isinstance(data, dict):
        raise ConventionFileError([f"Ce fichier n'est pas au format {FORMAT}."])
    problems = convention_file_problems(data)
    if problems:
        raise ConventionFileError(problems)
    return data
