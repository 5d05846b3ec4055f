"""Exceptions raised by jupyter_format."""

from __future__ import annotations


class ParseError(ValueError):
    """A ``.jupyter`` document could not be read.

    ``lineno`` and ``colno`` are 1-based; ``colno`` counts characters, not bytes.
    ``msg`` is the message without the position.
    """

    def __init__(self, msg: str, lineno: int, colno: int) -> None:
        super().__init__(f"line {lineno}, column {colno}: {msg}")
        self.msg = msg
        self.lineno = lineno
        self.colno = colno

    def __reduce__(self) -> tuple[type[ParseError], tuple[str, int, int]]:
        # Keeps the exception picklable (worker processes report it) despite the
        # custom signature.
        return (type(self), (self.msg, self.lineno, self.colno))


class SerializeError(ValueError):
    """A notebook holds something the ``.jupyter`` format cannot represent.

    Notebooks read by nbformat never do; this is about Python objects that are
    not JSON data (bytes, sets, non-finite keys, ...) or notebooks that are not
    nbformat 4.
    """
