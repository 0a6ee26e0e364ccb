"""Errors raised by the BeatCast engine."""


class BeatCastInputError(ValueError):
    """Bad input: the message names the file, row, field or parameter at fault.

    Messages are written for the analyst (they end up in the Processing log), so they say what
    was expected and, where it helps, how to fix it.
    """
