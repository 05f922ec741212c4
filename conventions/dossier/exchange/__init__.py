"""Convention JSON (docs/convention-json.md): export a whole convention, import it back.

Reference data is named by natural keys (INSEE codes, SIREN, Caf names, labels), so a file made on
one database imports into another, and export → import → export gives the same file.
"""

from .export import convention_export
from .format import FORMAT, VERSION, ConventionFileError
from .importer import convention_import

__all__ = ["FORMAT", "VERSION", "ConventionFileError", "convention_export", "convention_import"]
