"""Notebook files in either format: load, check, and save with verification."""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

import nbformat
import nbformat.reader
import nbformat.v4

from ._exceptions import ParseError
from ._io import atomic_write_text
from ._reader import deserialize
from ._validate import notebook_problem
from ._writer import serialize

if TYPE_CHECKING:
    from pathlib import Path

    from nbformat import NotebookNode


class Format(Enum):
    """The two notebook file formats."""

    JUPYTER = ".jupyter"
    IPYNB = ".ipynb"

    @property
    def other(self) -> Format:
        """The format to convert to by default."""
        return Format.IPYNB if self is Format.JUPYTER else Format.JUPYTER


@dataclass(frozen=True)
class Problem:
    """Something wrong with a notebook file, with its position when known."""

    message: str
    line: int | None = None
    column: int | None = None

    def at(self, path: Path | str) -> str:
        """Describe the problem in the form ``path:line:column: message``."""
        if self.line is None:
            return f"{path}: {self.message}"
        return f"{path}:{self.line}:{self.column}: {self.message}"


class NotebookFileError(Exception):
    """A notebook file could not be read or written."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def format_of(path: Path) -> Format:
    """Tell the format of a notebook file from its suffix."""
    for candidate in Format:
        if path.suffix == candidate.value:
            return candidate
    raise NotebookFileError(
        Problem(f"cannot tell the format of {path.name!r} from its suffix (.jupyter or .ipynb)")
    )


def sniff_format(data: bytes, default: Format) -> Format:
    """Tell the format of a notebook file from its first bytes, if they tell.

    An ``.ipynb`` file can hold ``.jupyter`` text: git's merge driver leaves
    it there when a merge has conflicts to resolve.
    """
    if data.startswith((b"nbformat ", b"<<<<<<<")):
        return Format.JUPYTER
    if data.lstrip()[:1] == b"{":
        return Format.IPYNB
    return default


def loads(data: bytes, file_format: Format) -> tuple[NotebookNode, list[Problem]]:
    """Read a notebook without rejecting invalid ones; return it and its problems.

    ``.ipynb`` files are read as :func:`nbformat.read` reads them (converted to
    nbformat 4, cell ids repaired), but with validation problems returned
    instead of logged.

    :raises ParseError: if a ``.jupyter`` file does not parse.
    :raises NotebookFileError: if an ``.ipynb`` file is not a notebook.
    """
    if file_format is Format.JUPYTER:
        return _loads_jupyter(data)
    try:
        nb = nbformat.reader.reads(data)  # type: ignore[no-untyped-call]
        nb = nbformat.convert(nb, 4)  # type: ignore[no-untyped-call]
    except nbformat.reader.NotJSONError as error:
        cause = error.__cause__
        if isinstance(cause, json.JSONDecodeError):
            problem = Problem(
                f"not a notebook: invalid JSON: {cause.msg}", cause.lineno, cause.colno
            )
            raise NotebookFileError(problem) from None
        raise NotebookFileError(Problem(f"not a notebook: {cause or error}")) from None
    except (nbformat.ValidationError, ValueError) as error:
        raise NotebookFileError(Problem(f"not a notebook: {error}")) from None
    except (AttributeError, KeyError, TypeError) as error:
        # nbformat's readers assume the JSON has a notebook's shape.
        message = f"not a notebook: missing or malformed {error}"
        raise NotebookFileError(Problem(message)) from None
    except Exception as error:  # nbformat's v1-v3 upgraders, on odd JSON
        message = f"not a notebook: nbformat cannot read it ({type(error).__name__}: {error})"
        raise NotebookFileError(Problem(message)) from None
    problems = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            nbformat.validate(nb)  # repairs cell ids as nbformat.read does
        except nbformat.ValidationError as error:
            problems.append(Problem(f"invalid notebook: {str(error).splitlines()[0]}"))
    problems += [Problem(str(warning.message).splitlines()[0]) for warning in caught]
    return nb, problems


def _loads_jupyter(data: bytes) -> tuple[NotebookNode, list[Problem]]:
    nb = deserialize(data, validate=False)
    if notebook_problem(nb) is None:
        return nb, []
    # Read again with validation, which knows where the problem is.
    try:
        deserialize(data)
    except ParseError as error:
        return nb, [Problem(error.msg, error.lineno, error.colno)]
    raise AssertionError("validation found no problem the second time")  # pragma: no cover


def dumps(nb: NotebookNode, file_format: Format) -> str:
    """Return the text of a notebook file, without validating (invalid ones stay as they are)."""
    if file_format is Format.JUPYTER:
        return serialize(nb)
    try:
        text: str = nbformat.v4.writes(nb)  # type: ignore[no-untyped-call]
    except (AttributeError, KeyError, TypeError) as error:
        # nbformat's writer assumes a notebook's shape, which .jupyter files
        # read with validate=False need not have; nor could nbformat read it back.
        message = f"nbformat cannot write this notebook as .ipynb: missing or malformed {error}"
        raise NotebookFileError(Problem(message)) from None
    return text + "\n"


def save(nb: NotebookNode, path: Path, file_format: Format, mode: int | None = None) -> None:
    """Write a notebook file atomically, after checking what reached the disk.

    The text goes to a temporary file, is flushed to disk, read back, compared
    byte for byte and parsed again to compare with *nb* (minus the transient
    fields nbformat never writes to ``.ipynb`` files); only then does it
    replace *path*.  On any failure *path* is untouched.  *mode* is the
    permissions of a new file (default: what the umask allows).
    """
    text = dumps(nb, file_format)
    expected = text.encode("utf-8")

    def verify(written: bytes) -> None:
        if written != expected:
            raise NotebookFileError(Problem("verification failed: the file on disk differs"))
        if file_format is Format.JUPYTER:
            same = same_notebook(deserialize(written, validate=False), nb)
        else:
            try:
                stored = nbformat.reader.reads(written)  # type: ignore[no-untyped-call]
            except (nbformat.ValidationError, ValueError, AttributeError, KeyError, TypeError):
                raise NotebookFileError(
                    Problem("verification failed: nbformat cannot read the file back")
                ) from None
            same = same_notebook(stored, without_transient_fields(nb))
        if not same:
            raise NotebookFileError(
                Problem("verification failed: the file does not read back the same")
            )

    atomic_write_text(path, text, verify, mode)


def same_notebook(a: Any, b: Any) -> bool:
    """Compare notebooks as JSON data (NaN equal to NaN, key order ignored)."""
    return bool(a == b) or json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def without_transient_fields(nb: Any) -> Any:
    """A copy of *nb* without what nbformat never writes to files.

    That is the signature, the trust marks of cells and the notes on upgrades.
    """
    copy: Any = nbformat.from_dict(nb)  # type: ignore[no-untyped-call]
    # Invalid notebooks may lack any of the fields; they are kept as they are.
    metadata = copy.get("metadata")
    if isinstance(metadata, dict):
        for key in ("signature", "orig_nbformat", "orig_nbformat_minor"):
            metadata.pop(key, None)
    cells = copy.get("cells")
    for cell in cells if isinstance(cells, list) else []:
        if isinstance(cell, dict) and isinstance(cell.get("metadata"), dict):
            cell["metadata"].pop("trusted", None)
    return copy
