"""The Convention JSON format's name and version, and the error a file that cannot be imported raises."""

FORMAT = "ctg-convention"
VERSION = 1


class ConventionFileError(Exception):
    """The file cannot be imported; `messages` are French and name the place of each problem."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages
