"""Convention JSON (docs/convention-json.md): export a whole convention, import it back.

Reference data is named by natural keys (INSEE codes, SIREN, Caf names, labels), so a file made on
one database imports into another, and export → import → export gives the same file.
"""

from .export import convention_export
from .format import FORMAT, VERSION, ConventionFileError
from .importer import convention_import
from .limits import MAX_DEPTH, MAX_FILE_SIZE, MAX_VALUES, convention_file_load

__all__ = [
    "FORMAT",
    "MAX_DEPTH",
    "MAX_FILE_SIZE",
    "MAX_VALUES",
    "VERSION",
    "ConventionFileError",
    "convention_export",
    "convention_file_load",
    "convention_import",
]
