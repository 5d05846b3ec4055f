"""nbformat-style functions: ``reads``, ``writes``, ``read``, ``write``."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import nbformat
from nbformat import NotebookNode

from ._conflict_view import marked_cells, resolution, view_instead
from ._exceptions import ParseError
from ._format.reader import deserialize, deserialize_file
from ._format.schema import notebook_problem
from ._format.writer import render

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from nbformat.sentinel import Sentinel

StrPath = str | os.PathLike[str]


def reads(
    s: str | bytes,
    as_version: int | Sentinel = 4,
    *,
    validate: bool = True,
    conflicts: bool = False,
) -> NotebookNode:
    """Read a notebook from ``.jupyter`` text, like :func:`nbformat.reads`.

    :param s: The ``.jupyter`` text (a string or UTF-8 bytes).
    :param as_version: The nbformat major version to return; the notebook is
        converted with :func:`nbformat.convert` if needed.  Pass
        ``nbformat.NO_CONVERT`` to return it as stored (always version 4).
    :param validate: See :func:`deserialize`.
    :param conflicts: Read text with unresolved merge conflicts (git's
        conflict markers) as the *conflict view*: a notebook holding both
        versions of what conflicts as consecutive, marked cells, which
        :func:`writes` turns back into a file (see the spec's "Merge
        conflicts").  By default such text is a :class:`ParseError`.
    :raises ParseError: if *s* is not valid ``.jupyter`` text.
    """
    return _convert(_deserialize_text(s, validate, conflicts), as_version)


def _deserialize_text(s: str | bytes, validate: bool, conflicts: bool) -> NotebookNode:
    try:
        return deserialize(s, validate=validate)
    except ParseError as error:
        if not conflicts:
            raise
        return view_instead(s, error, validate=validate)


def _convert(nb: NotebookNode, as_version: int | Sentinel) -> NotebookNode:
    if as_version is not nbformat.NO_CONVERT and as_version != nb["nbformat"]:
        converted: NotebookNode = nbformat.convert(nb, as_version)  # type: ignore[no-untyped-call]
        return converted
    return nb


def read(
    fp: StrPath | IO[str] | IO[bytes],
    as_version: int | Sentinel = 4,
    *,
    validate: bool = True,
    conflicts: bool = False,
) -> NotebookNode:
    """Read a notebook from a ``.jupyter`` file, like :func:`nbformat.read`.

    :param fp: A path, or a file object opened for reading (text or binary).
    :param as_version: See :func:`reads`.
    :param validate: See :func:`deserialize`.
    :param conflicts: See :func:`reads`.
    :raises ParseError: if the file is not valid ``.jupyter`` text.
    """
    if not isinstance(fp, (str, os.PathLike)):
        return reads(fp.read(), as_version, validate=validate, conflicts=conflicts)
    try:
        # Bytes, not text: the reader reports CR line endings and invalid UTF-8
        # with their position instead of letting the text layer hide or raise them.
        nb = deserialize_file(Path(fp), validate=validate)
    except ParseError as error:
        if not conflicts:
            raise
        nb = view_instead(Path(fp).read_bytes(), error, validate=validate)
    return _convert(nb, as_version)


def writes(nb: Mapping[str, Any], version: int | Sentinel = 4, *, validate: bool = False) -> str:
    """Return the ``.jupyter`` text of a notebook, like :func:`nbformat.writes`.

    :param nb: The notebook.
    :param version: The nbformat major version to write; only 4 exists in
        ``.jupyter`` form, and notebooks of other versions are converted.
    :param validate: First check the notebook against nbformat's schema, as
        :func:`deserialize` does when reading.  Off by default: any notebook
        nbformat can read, valid or not, is written faithfully.
    :raises SerializeError: if *nb* holds something that is not JSON data.
    :raises nbformat.ValidationError: if *validate* is true and the notebook
        does not match nbformat's schema.

    A conflict view (see :func:`reads`) is written as the notebook it
    resolves to once every conflict is resolved, and otherwise as text with
    conflict markers around what is still unresolved.
    """
    if version is not nbformat.NO_CONVERT and nb.get("nbformat") != version:
        nb = nbformat.convert(nb, version)  # type: ignore[no-untyped-call]
    if marked_cells(nb):
        resolved = resolution(nb)
        if resolved.notebook is None:
            return resolved.text
        nb = resolved.notebook
    if validate:
        problem = notebook_problem(nb)
        if problem is not None:
            raise nbformat.ValidationError(problem)
    return "".join(render(nb))


def write(
    nb: Mapping[str, Any],
    fp: StrPath | IO[str],
    version: int | Sentinel = 4,
    *,
    validate: bool = False,
) -> None:
    """Write a notebook to a ``.jupyter`` file, like :func:`nbformat.write`.

    Given a path, the file is replaced atomically: the text goes to a temporary
    file in the same directory, which is flushed to disk and then renamed, so
    an interrupted write never leaves a truncated notebook behind.

    :param nb: The notebook.
    :param fp: A path, or a text file object opened for writing.
    :param version: See :func:`writes`.
    :param validate: See :func:`writes`.
    :raises SerializeError: if *nb* holds something that is not JSON data.
    :raises nbformat.ValidationError: if *validate* is true and the notebook
        does not match nbformat's schema.
    """
    text = writes(nb, version, validate=validate)
    if isinstance(fp, (str, os.PathLike)):
        atomic_write_text(Path(fp), text)
    else:
        fp.write(text)


def _default_mode() -> int:
    # The umask can only be read by setting it; this runs once, at import.
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


_DEFAULT_MODE = _default_mode()


#: Temporary files are named ``.NAME.jupyter-format-XXXXXXXX.tmp``, beside the
#: file *NAME* that they will replace; no other files are ever given that form.
TEMPORARY_MARK = ".jupyter-format-"
TEMPORARY_SUFFIX = ".tmp"


def temporary_prefix(path: Path) -> str:
    """The start of the names of the temporary files that replace *path*."""
    return f".{path.name}{TEMPORARY_MARK}"


def write_target(path: Path) -> Path:
    """The file that writing to *path* replaces: the one a symbolic link points to.

    Replacing the link itself would leave its target behind, unchanged (as
    jupyter_server avoids for ``.ipynb`` files too).
    """
    return path.resolve() if path.is_symlink() else path


def atomic_write_text(
    path: Path,
    text: str,
    verify: Callable[[bytes], None] | None = None,
    mode: int | None = None,
) -> None:
    """Replace *path* by a file holding *text* (UTF-8, LF line endings), atomically.

    The text goes to a temporary file in the same directory, which is flushed
    to disk; *verify*, if given, is called with the bytes read back from it and
    may raise to abandon the write.  Only then is the temporary file renamed
    over *path*, so *path* is never left truncated or half-written.  The file
    keeps the permissions of the one it replaces; a new file gets *mode*, by
    default what the umask allows.  A symbolic link stays a link: the file it
    points to is replaced.
    """
    path = write_target(path)
    fd, temporary_name = tempfile.mkstemp(
        prefix=temporary_prefix(path), suffix=TEMPORARY_SUFFIX, dir=path.parent
    )
    temporary = Path(temporary_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        if verify is not None:
            verify(temporary.read_bytes())
        try:
            permissions = path.stat().st_mode & 0o7777
        except OSError:
            permissions = _DEFAULT_MODE if mode is None else mode
        with contextlib.suppress(OSError):
            temporary.chmod(permissions)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
