"""Exceptions raised by jupyter_format, all of them here.

Those that extend other libraries' exceptions for their sake live beside the
code that needs those libraries: ``exporters.NotebookParseError`` and
``exporters.NotebookConversionError`` (nbconvert's ``ConversionException``),
``sphinx.NotebookSourceError`` (Sphinx's ``SphinxError``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._files import Problem


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


class NotebookFileError(Exception):
    """A notebook file could not be read or written."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


class ConfigError(Exception):
    """A ``[tool.jupyter-format]`` table that cannot be used."""


class ReplaceError(Exception):
    """A file could not be replaced; the file itself is left as it was."""


class FileSkippedError(ReplaceError):
    """A file is not for replacing (another suffix, a symbolic link, ...): no failure."""


class ExecutionError(Exception):
    """A notebook could not be run to the end; it is left as it was."""


class GitSetupError(Exception):
    """git cannot be set up as asked."""


class CommandError(Exception):
    """A command stops: the command line prints *message* and exits with *status*.

    ``main()`` turns these into a message and an exit status, in one place:
    1 for a problem with the user's files, 2 for a command that cannot run as
    given (see :class:`UsageError`).
    """

    status = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(CommandError):
    """A command cannot run as given: options that cannot go together, a missing tool."""

    status = 2
