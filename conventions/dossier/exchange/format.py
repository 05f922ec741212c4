"""The Convention JSON format's name and version, and the error a file that cannot be imported raises."""

FORMAT = "ctg-convention"
# Version 2 (issue 14): the names of the plan's levels, the fiches' échéance with its precision (year, semester,
# month or day) and the other objectives each fiche contributes to. Version 1 files are still read (default
# level names, full-date échéances, no other objectives).
VERSION = 2
READABLE_VERSIONS = (1, 2)


class ConventionFileError(Exception):
    """The file cannot be imported; `messages` are French and name the place of each problem."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages
