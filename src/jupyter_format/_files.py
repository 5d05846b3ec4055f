"""Notebook files in either format: load, check, and save with verification."""

from __future__ import annotations

import json
import os
import re
import shlex
import stat
import sys
import warnings
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

import nbformat
import nbformat.reader
import nbformat.v4
from nbformat import NotebookNode

from ._cell_ids import repair_ids, replace_all_ids
from ._conflict_view import MARK, marked_cells, view_instead
from ._exceptions import NotebookFileError, ParseError
from ._format.escaping import UNSAFE_CHARACTER, json_escape
from ._format.reader import deserialize
from ._format.schema import minor_version_problem, notebook_problem
from ._format.writer import serialize
from ._io import atomic_write_text
from ._validation_cache import forget_relaxed_validator

if TYPE_CHECKING:
    from pathlib import Path


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

    def located(self) -> str:
        """The message, after ``line:column:`` where the position is known."""
        if self.line is None:
            return self.message
        return f"{self.line}:{self.column}: {self.message}"

    def at(self, path: Path | str) -> str:
        """Describe the problem in the form ``path:line:column: message``."""
        separator = ": " if self.line is None else ":"
        return f"{display_path(path)}{separator}{self.located()}"


def display_path(path: Path | str) -> str:
    """*path* as messages show it: as it is, or quoted if it holds control characters.

    A name may hold a newline, which would split a one-line message in two, or
    characters that reorder or hide text on a terminal.
    """
    name = str(path)
    if not _needs_quoting(name):
        return name
    return json_escape(json.dumps(name, ensure_ascii=False))


def _needs_quoting(text: str) -> bool:
    return "\n" in text or UNSAFE_CHARACTER.search(text) is not None


def shell_word(text: str) -> str:
    """*text* quoted for a shell command that a message suggests, on one line."""
    if not _needs_quoting(text):
        return shlex.quote(text)
    # bash's $'...' form, for names with newlines and other controls.
    return "$'" + _ANSI_C_SPECIAL.sub(_ansi_c_escape, text) + "'"


# What _needs_quoting looks for, and what quoting itself needs escaped.
_ANSI_C_SPECIAL = re.compile(rf"[\\'\n\t]|{UNSAFE_CHARACTER.pattern}")


def _ansi_c_escape(match: re.Match[str]) -> str:
    character = match.group()
    if character in "\\'":
        return "\\" + character
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def read_notebook_bytes(path: Path) -> bytes:
    """The bytes of a notebook file.

    :raises NotebookFileError: if *path* cannot be read or is not a regular
        file: reading a FIFO would wait for a writer forever.
    """
    try:
        # Opening a FIFO without O_NONBLOCK would wait for a writer already.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise NotebookFileError(Problem(error.strerror or str(error))) from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        if stat.S_ISDIR(mode):
            raise NotebookFileError(Problem("is a directory, not a notebook file"))
        raise NotebookFileError(Problem("not a regular file (a FIFO, socket or device)"))
    with os.fdopen(descriptor, "rb") as file:
        return file.read()


def content_format(path: Path, data: bytes) -> Format:
    """The format to read the notebook file at *path*, holding *data*, as.

    The one rule of every entry point: what the content shows (``.jupyter``
    text starts with ``nbformat`` or a conflict marker, JSON with ``{``), else
    what the suffix says, else ``.jupyter``.  A file may hold the other format
    than its suffix says: an ``.ipynb`` file the text of a merge with
    conflicts, either after a rename.  Writers write what the suffix says.
    """
    return sniff_format(data, suffix_format(path))


def suffix_format(path: Path) -> Format:
    """The format the suffix of *path* names; ``.jupyter`` for any other suffix."""
    return Format.IPYNB if path.suffix == Format.IPYNB.value else Format.JUPYTER


def read_notebook_file(path: Path) -> tuple[NotebookNode, Format, list[Problem]]:
    """Read a notebook file of either format: the notebook, the format read, its problems.

    :raises NotebookFileError: if the file cannot be read, is not a regular
        file, or does not hold a notebook; its problem has the line and column
        where the file does not parse.
    """
    return read_notebook_data(path, read_notebook_bytes(path))


def read_notebook_data(
    path: Path, data: bytes, *, conflicts: bool = False
) -> tuple[NotebookNode, Format, list[Problem]]:
    """Read *data*, the bytes of the notebook file at *path*; see :func:`read_notebook_file`.

    For callers that open files their own way (the contents manager), which
    may ask for a file with merge conflicts as its conflict view.
    """
    file_format = content_format(path, data)
    try:
        nb, problems = notebook_from_bytes(data, file_format, conflicts=conflicts)
    except ParseError as error:
        raise NotebookFileError(Problem(error.msg, error.lineno, error.colno)) from None
    return nb, file_format, problems


def format_mismatch(path: Path, file_format: Format) -> Problem | None:
    """The problem of a file that holds the other format than its suffix says, if it does."""
    named = suffix_format(path)
    if file_format is named or path.suffix != named.value:
        return None
    if file_format is Format.JUPYTER:
        what = ".jupyter text, not JSON"
    else:
        what = ".ipynb JSON, not .jupyter text"
    command = f"jupyter-format convert --to {file_format.other.name.lower()}"
    return Problem(f"holds {what}: run {command} -- {shell_word(str(path))}")


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


def notebook_from_bytes(
    data: bytes, file_format: Format, *, conflicts: bool = False
) -> tuple[NotebookNode, list[Problem]]:
    """Read a notebook without rejecting invalid ones; return it and its problems.

    ``.ipynb`` files are read as :func:`nbformat.read` reads them (converted to
    nbformat 4, cell ids repaired), but with validation problems returned
    instead of logged.  With *conflicts*, ``.jupyter`` text with merge
    conflicts is read as its conflict view.  A notebook that holds the marks
    of a conflict view (saved by a tool that did not resolve it) has that problem.

    :raises ParseError: if a ``.jupyter`` file does not parse.
    :raises NotebookFileError: if an ``.ipynb`` file is not a notebook.
    """
    if file_format is Format.JUPYTER:
        return _loads_jupyter(data, conflicts)
    nb = _read_ipynb(data)
    problems = [*_conflict_mark_problems(nb), *map(Problem, _deterministic_ids(nb))]
    minor_problem = minor_version_problem(nb)
    if minor_problem is not None:
        # nbformat.validate fails an assertion on some of these.
        return nb, [*problems, Problem(minor_problem)]
    forget_relaxed_validator(nb.nbformat_minor)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            nbformat.validate(nb)
        except nbformat.ValidationError as error:
            problems.append(Problem(f"invalid notebook: {str(error).splitlines()[0]}"))
        except RecursionError:
            problems.append(Problem("invalid notebook: its JSON is nested too deeply to check"))
    problems += [Problem(str(warning.message).splitlines()[0]) for warning in caught]
    return nb, problems


def _read_ipynb(data: bytes) -> NotebookNode:
    nb: Any = None
    try:
        nb = nbformat.reader.reads(data)  # type: ignore[no-untyped-call]
        original_version = nb.get("nbformat") if isinstance(nb, dict) else None
        nb = nbformat.convert(nb, 4)  # type: ignore[no-untyped-call]
    except nbformat.reader.NotJSONError as error:
        raise NotebookFileError(_not_json_problem(data, error)) from None
    except RecursionError:
        raise NotebookFileError(Problem("not a notebook: its JSON is nested too deeply")) from None
    except (nbformat.ValidationError, ValueError) as error:
        if isinstance(error.__context__, (AttributeError, KeyError, TypeError)):
            # nbformat's upgraders quote Python's message ("'int' object has no attribute").
            raise NotebookFileError(_malformed(error.__context__)) from None
        raise NotebookFileError(Problem(f"not a notebook: {error}")) from None
    except (AttributeError, KeyError, TypeError) as error:
        # nbformat's readers assume the JSON has a notebook's shape.
        raise NotebookFileError(_malformed(error)) from None
    except Exception as error:  # nbformat's v1-v3 upgraders, on odd JSON
        if isinstance(nb, dict) and "nbformat" not in nb:
            # nbformat takes a notebook without a version for version 1.
            missing = "not a notebook: the field 'nbformat' (its version) is missing"
            raise NotebookFileError(Problem(missing)) from None
        raise NotebookFileError(_malformed(error)) from None
    if isinstance(original_version, int) and original_version < 4:
        # The upgrade gave every cell a random id.
        replace_all_ids(nb.cells)
    return nb  # type: ignore[no-any-return]


def _deterministic_ids(nb: NotebookNode) -> list[str]:
    """Repair missing and repeated cell ids as nbformat.validate would, but not at random."""
    minor = nb.get("nbformat_minor")
    cells = nb.get("cells")
    if not isinstance(minor, int) or minor < 5 or not isinstance(cells, list):
        return []
    return repair_ids(cells)


def _not_json_problem(data: bytes, error: Exception) -> Problem:
    cause = error.__cause__
    if isinstance(cause, json.JSONDecodeError):
        return Problem(f"not a notebook: invalid JSON: {cause.msg}", cause.lineno, cause.colno)
    if isinstance(cause, UnicodeDecodeError):
        before = data[: cause.start]
        line_start = before.rfind(b"\n") + 1
        column = len(before[line_start:].decode("utf-8", "replace")) + 1
        return Problem("not a notebook: invalid UTF-8", before.count(b"\n") + 1, column)
    if isinstance(cause, ValueError) and "digits" in str(cause):
        limit = sys.get_int_max_str_digits()
        return Problem(f"not a notebook: an integer with more than {limit} digits")
    return Problem(f"not a notebook: {cause or error}")


def _malformed(error: Exception) -> Problem:
    """Describe what nbformat's readers found missing or malformed, without Python's words."""
    if isinstance(error, KeyError):
        return Problem(f"not a notebook: the field {error.args[0]!r} is missing")
    if isinstance(error, AttributeError) and str(error).isidentifier():
        # A NotebookNode's attribute access names only the missing key.
        return Problem(f"not a notebook: the field {str(error)!r} is missing")
    return Problem(
        "not a notebook: its JSON does not have a notebook's shape "
        "(a field is missing or of the wrong type)"
    )


def _conflict_mark_problems(nb: NotebookNode) -> list[Problem]:
    """The unresolved conflict of a file that holds a conflict view's marked cells."""
    numbers = marked_cells(nb)
    if not numbers:
        return []
    cells = ", ".join(map(str, numbers[:5])) + (", ..." if len(numbers) > 5 else "")
    which = f"cell {cells} holds" if len(numbers) == 1 else f"cells {cells} hold"
    return [
        Problem(
            f"unresolved merge conflict: {which} the marks of a conflict view "
            f"(cell metadata {MARK!r}); open the file in Jupyter and resolve it there"
        )
    ]


def _loads_jupyter(data: bytes, conflicts: bool = False) -> tuple[NotebookNode, list[Problem]]:
    try:
        nb = deserialize(data, validate=False)
    except ParseError as error:
        if not conflicts:
            raise
        return view_instead(data, error), []
    marks = _conflict_mark_problems(nb)
    if notebook_problem(nb) is None:
        return nb, marks
    # Read again with validation, which knows where the problem is.
    try:
        deserialize(data)
    except ParseError as error:
        return nb, [Problem(error.msg, error.lineno, error.colno), *marks]
    raise AssertionError("validation found no problem the second time")  # pragma: no cover


def notebook_text(nb: NotebookNode, file_format: Format) -> str:
    """Return the text of a notebook file, without validating (invalid ones stay as they are).

    :raises NotebookFileError: if the notebook cannot be written as ``.ipynb``.
    :raises SerializeError: if it holds something that is not JSON data.
    """
    if file_format is Format.JUPYTER:
        return serialize(nb)
    try:
        text: str = nbformat.v4.writes(nb)  # type: ignore[no-untyped-call]
    except (AttributeError, KeyError, TypeError):
        # nbformat's writer assumes a notebook's shape, which .jupyter files
        # read with validate=False need not have; nor could nbformat read it back.
        raise NotebookFileError(
            Problem(
                "cannot be written as .ipynb: it does not have a notebook's shape "
                "(a field is missing or of the wrong type)"
            )
        ) from None
    surrogate = lone_surrogate(text)
    if surrogate is not None:
        raise NotebookFileError(Problem(lone_surrogate_message(surrogate)))
    return text + "\n"


def lone_surrogate(text: str) -> str | None:
    """The first lone surrogate in *text*, which no UTF-8 file can hold, if there is one."""
    if text.isascii():  # known of every string, so most need no search
        return None
    match = _LONE_SURROGATE.search(text)
    return None if match is None else match.group()


def lone_surrogate_message(surrogate: str) -> str:
    """Why a notebook holding *surrogate* cannot be an ``.ipynb`` file."""
    return (
        f"cannot be written as .ipynb: it holds a lone surrogate (U+{ord(surrogate):04X}), "
        "which UTF-8 files cannot hold; a .jupyter file can"
    )


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def save_verified(
    nb: NotebookNode, path: Path, file_format: Format, mode: int | None = None
) -> None:
    """Write a notebook file atomically, after checking what reached the disk.

    The text goes to a temporary file, is flushed to disk, read back, compared
    byte for byte and parsed again to compare with *nb* (minus the transient
    fields nbformat never writes to ``.ipynb`` files); only then does it
    replace *path*.  On any failure *path* is untouched.  *mode* is the
    permissions of a new file (default: what the umask allows).
    """
    text = notebook_text(nb, file_format)
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


def difference_from_file(path: Path, nb: NotebookNode, file_format: Format) -> str | None:
    """Why the file at *path* does not hold *nb* as a *file_format* file (None: it does).

    Comparing with an ``.ipynb`` file leaves out what those never hold.
    """
    try:
        data = read_notebook_bytes(path)
        existing, _ = notebook_from_bytes(data, sniff_format(data, file_format))
    except ParseError as error:
        return f"does not hold a notebook ({error.lineno}:{error.colno}: {error.msg})"
    except NotebookFileError as error:
        return f"does not hold a notebook ({error.problem.message})"
    if file_format is Format.IPYNB:
        existing, nb = without_transient_fields(existing), without_transient_fields(nb)
    return None if same_notebook(existing, nb) else "holds a different notebook"


def same_notebook(a: Any, b: Any) -> bool:
    """Compare notebooks as JSON data (NaN equal to NaN, key order ignored)."""
    return bool(a == b) or json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def without_transient_fields(nb: Any) -> Any:
    """A copy of *nb* without what nbformat never writes to files.

    That is the signature, the trust marks of cells and the notes on upgrades.
    Only what changes is copied: outputs and other values are shared with *nb*,
    which saves copying megabytes of images on every save, and stays within
    Python's recursion limit for deeply nested metadata.
    """
    if not isinstance(nb, dict):
        return nb
    copy = _shallow_node(nb)
    # Invalid notebooks may lack any of the fields; they are kept as they are.
    metadata = copy.get("metadata")
    if isinstance(metadata, dict):
        copy["metadata"] = _without_keys(metadata, ("signature", *UPGRADE_NOTES))
    cells = copy.get("cells")
    if isinstance(cells, list):
        copy["cells"] = [_without_trust_mark(cell) for cell in cells]
    return copy


def _shallow_node(mapping: dict[str, Any]) -> NotebookNode:
    # NotebookNode(mapping) would convert every nested dictionary, recursively.
    node: NotebookNode = dict.__new__(NotebookNode)
    dict.update(node, mapping)
    return node


def _without_keys(mapping: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    if not any(key in mapping for key in keys):
        return mapping
    return _shallow_node({key: value for key, value in mapping.items() if key not in keys})


def _without_trust_mark(cell: Any) -> Any:
    if not isinstance(cell, dict) or not isinstance(cell.get("metadata"), dict):
        return cell
    if "trusted" not in cell["metadata"]:
        return cell
    copy = _shallow_node(cell)
    copy["metadata"] = _without_keys(cell["metadata"], ("trusted",))
    return copy


#: What nbformat notes in the metadata of a notebook it upgraded (from nbformat
#: 3, say); an ``.ipynb`` file written at the new version no longer needs it.
UPGRADE_NOTES = ("orig_nbformat", "orig_nbformat_minor")


def lost_in_ipynb(nb: Any) -> str | None:
    """What of *nb* an ``.ipynb`` file would not keep (None: nothing but upgrade notes).

    nbformat's writer leaves out a notebook's signature and its cells' trust
    marks, which the server keeps in its own database instead.
    """
    metadata = nb.get("metadata")
    lost = []
    if isinstance(metadata, dict) and "signature" in metadata:
        lost.append("a signature in its metadata")
    cells = nb.get("cells")
    if any(
        isinstance(cell, dict)
        and isinstance(cell.get("metadata"), dict)
        and "trusted" in cell["metadata"]
        for cell in (cells if isinstance(cells, list) else [])
    ):
        lost.append("trust marks ('trusted') in cell metadata")
    if not lost:
        return None
    return f"holds {' and '.join(lost)}, which .ipynb files do not keep"
