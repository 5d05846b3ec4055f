"""JupyterLab and Notebook 7 integration: contents managers for ``.jupyter`` files.

With the ``server`` extra installed, the jupyter_format server extension is on
by default and derives a contents manager from whichever class the server is
configured to use; nothing needs configuring.  To choose a class explicitly::

    c.ServerApp.contents_manager_class = "jupyter_format.contents_manager.AsyncFileContentsManager"

``FileContentsManager`` (the original package's name) is the synchronous twin.
The managers read and write ``.jupyter`` files as notebooks: they list them as
notebooks, open them, save them atomically (through a symbolic link: to the
file it points to), report files that do not parse as HTTP 400 with
``path:line:column: message``, and keep checkpoints, trust and the
change-detecting hash working.  A file that holds the other format than its
name says - ``.ipynb`` JSON in a ``.jupyter`` file, ``.jupyter`` text in an
``.ipynb`` one, after a rename or a git merge with conflicts - opens all the
same, and the next save writes the format of its name.  A notebook with merge
conflicts opens as its conflict view (both versions of each conflict as marked
cells, see :mod:`jupyter_format._conflict_view`); saving it writes the resolved
notebook once every conflict is resolved, and the conflict markers until then.
What cannot be read or
saved - FIFOs and other special files, JSON nested too deeply, a lone surrogate
bound for an ``.ipynb`` file - is an HTTP 400 as well, never a 500 or a hang.

Set ``c.JupyterFormatContentsManager.new_notebook_suffix = ".jupyter"`` to
make "New Notebook" create ``.jupyter`` files.
"""

from __future__ import annotations

import inspect
import os
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import nbformat
from anyio.to_thread import run_sync
from jupyter_server.services.contents.largefilemanager import (
    AsyncLargeFileManager,
    LargeFileManager,
)
from tornado.web import HTTPError
from traitlets import Enum
from traitlets.config import LoggingConfigurable

from . import SUFFIX
from ._conflict_view import Resolution, marked_cells, resolution
from ._exceptions import ConfigError, NotebookFileError, ParseError, SerializeError
from ._files import (
    Format,
    Problem,
    lone_surrogate,
    lone_surrogate_message,
    read_notebook_data,
    sniff_format,
    without_transient_fields,
)
from ._format.json_blocks import MAX_NESTING
from ._format.schema import notebook_problem
from ._format.writer import serialize
from ._io import atomic_write_text
from ._volatile import volatile_for

if TYPE_CHECKING:
    from collections.abc import Iterator

    from jupyter_server.services.contents.manager import ContentsManager

__all__ = [
    "AsyncFileContentsManager",
    "FileContentsManager",
    "JupyterFormatContentsManager",
    "build_contents_manager_class",
]


class JupyterFormatContentsManager(LoggingConfigurable):
    """The settings of every contents manager that jupyter_format derives."""

    new_notebook_suffix = Enum(
        [".ipynb", SUFFIX],
        ".ipynb",
        config=True,
        help="The suffix of notebooks made by 'New Notebook': '.ipynb' or '.jupyter'.",
    )


def build_contents_manager_class(base: type[ContentsManager]) -> type[ContentsManager]:
    """Derive a contents manager that handles ``.jupyter`` files from *base*.

    *base* may be synchronous or asynchronous (jupyter_server's default is
    ``AsyncLargeFileManager``); a class that already handles ``.jupyter``
    files is returned as it is.
    """
    if issubclass(base, JupyterFormatContentsManager):
        return base
    mixin = _AsyncMixin if inspect.iscoroutinefunction(base.get) else _SyncMixin
    derived: type[ContentsManager] = type(
        f"JupyterFormat{base.__name__}",
        (mixin, base),
        {"__module__": __name__, "__doc__": f"{base.__name__} that also handles .jupyter files."},
    )
    return derived


NOT_A_REGULAR_FILE = "not a regular file (a directory, FIFO, socket or device)"

#: sniff_format tells a file's format from its first bytes.
_SNIFFED_BYTES = 4096


def _is_jupyter(path: str) -> bool:
    return path.endswith(SUFFIX)


def _unreadable(message: str) -> HTTPError:
    return HTTPError(400, message, reason="Unreadable notebook")


@contextmanager
def _open_regular_file(manager: Any, os_path: str) -> Iterator[IO[bytes]]:
    """Open a notebook file for reading; a FIFO, socket or device is an HTTP 400.

    Opening a FIFO would wait for a writer, and reading it for the writer to
    finish: the request would hang, and the server could not shut down.
    """
    with manager.perm_to_403(os_path):
        # Opening a FIFO without O_NONBLOCK waits already.
        descriptor = os.open(os_path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(descriptor, "rb") as file:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise _unreadable(Problem(NOT_A_REGULAR_FILE).at(_api_path(manager, os_path)))
        yield file


def _holds_jupyter_text(manager: Any, os_path: str) -> bool:
    """Tell whether a notebook file of another suffix (.ipynb) holds ``.jupyter`` text."""
    with _open_regular_file(manager, os_path) as file:
        head = file.read(_SNIFFED_BYTES)
    return sniff_format(head, Format.IPYNB) is Format.JUPYTER


def _read(manager: Any, os_path: str, capture_validation_error: Any) -> Any:
    """Read a notebook from a file that holds .jupyter text or JSON; return it and the bytes."""
    with _open_regular_file(manager, os_path) as file:
        data = file.read()
    path = _api_path(manager, os_path)
    # A file can hold the other format than its suffix says: a .jupyter file
    # ipynb JSON after a rename, an .ipynb file .jupyter text after a rename or
    # a git merge with conflicts.  It is read as what it holds; the next save
    # writes its suffix's format.
    try:
        nb, _, problems = read_notebook_data(Path(os_path), data, conflicts=True)
    except NotebookFileError as error:
        raise _unreadable(error.problem.at(path)) from None
    if problems and isinstance(capture_validation_error, dict):
        problem = problems[0]
        message = problem.at(path) if problem.line is not None else problem.message
        capture_validation_error["ValidationError"] = nbformat.ValidationError(message)
    return nb, data


def _write(manager: Any, os_path: str, nb: Any, capture_validation_error: Any) -> None:
    """Write a notebook to a ``.jupyter`` file, atomically."""
    try:
        resolved = _resolution(manager, os_path, volatile_for(Path(os_path)).strip(nb))
        text = resolved.text if resolved.notebook is None else serialize(resolved.notebook)
    except (SerializeError, ConfigError) as error:
        raise HTTPError(400, f"{_api_path(manager, os_path)}: {error}") from None
    problem = None if resolved.notebook is None else notebook_problem(resolved.notebook)
    if problem is not None and isinstance(capture_validation_error, dict):
        capture_validation_error["ValidationError"] = nbformat.ValidationError(problem)
    _write_text(manager, os_path, text)


def _write_text(manager: Any, os_path: str, text: str) -> None:
    with manager.perm_to_403(_api_path(manager, os_path)):
        # Written to a temporary file and renamed: a reader never sees half a notebook.
        atomic_write_text(Path(os_path), text)


def _resolution(manager: Any, os_path: str, nb: Any) -> Resolution:
    """What to save of *nb*: itself, or what the conflict view that it is resolves to.

    A notebook with merge conflicts opens as their conflict view: saved, it is
    the resolved notebook once every conflict is resolved, and until then
    ``.jupyter`` text with conflict markers, whatever the file's suffix (as
    the merge driver leaves an ``.ipynb`` file).
    """
    nb = without_transient_fields(nb)
    if not marked_cells(nb):
        return Resolution(0, nb)
    try:
        return resolution(nb)
    except ParseError as error:
        problem = Problem(error.msg, error.lineno, error.colno)
        raise HTTPError(400, problem.at(_api_path(manager, os_path))) from None


def _api_path(manager: Any, os_path: str) -> str:
    root = Path(manager.root_dir).resolve()
    try:
        return Path(os_path).resolve().relative_to(root).as_posix()
    except ValueError:
        return os_path


def _check_savable(manager: Any, model: dict[str, Any], path: str) -> None:
    """Refuse with HTTP 400 a save that would hang, or fail halfway through with a 500."""
    path = path.strip("/")
    if model.get("type") in ("notebook", "file"):
        _check_regular_or_new(manager._get_os_path(path), path)
    if model.get("type") == "notebook" and "content" in model:
        surrogate = _check_json(model["content"], path)
        if surrogate is not None and not _is_jupyter(path):
            raise HTTPError(400, Problem(lone_surrogate_message(surrogate)).at(path))


def _check_regular_or_new(os_path: str, path: str) -> None:
    # Opening a FIFO for writing waits for a reader: the server would hang.
    try:
        mode = Path(os_path).stat().st_mode
    except OSError:
        return  # a new file; or the write itself reports what is wrong
    if not stat.S_ISREG(mode):
        raise HTTPError(400, Problem(NOT_A_REGULAR_FILE).at(path))


def _check_json(value: Any, path: str) -> str | None:
    """Refuse JSON data nested more than MAX_NESTING levels; return its first lone surrogate.

    :raises HTTPError: (400) if *value* is nested too deeply.
    """
    # Iterative: this runs before anything that recurses, to stop what would not finish.
    found = None
    pending: list[tuple[Any, int]] = [([value], 0)]
    while pending:
        container, depth = pending.pop()
        if depth > MAX_NESTING:
            message = (
                f"the notebook's JSON is nested more than {MAX_NESTING} levels deep, "
                "more than nbformat can handle"
            )
            raise HTTPError(400, Problem(message).at(path))
        # isascii() takes no time (CPython knows it of every string): most
        # strings need no search.
        if isinstance(container, dict):
            if found is None and not all(map(str.isascii, container)):
                found = next(filter(None, map(lone_surrogate, container)), None)
            container = container.values()
        for item in container:
            if isinstance(item, (dict, list)):
                pending.append((item, depth + 1))
            elif found is None and isinstance(item, str) and not item.isascii():
                found = lone_surrogate(item)
    return found


def _notebook_type(manager: Any, path: str, type: str | None) -> str | None:
    """The type to read *path* as: notebook, for .jupyter files that are not directories."""
    # (dir_exists() is a coroutine in asynchronous managers; the path check is not.)
    if type is None and _is_jupyter(path) and not Path(manager._get_os_path(path)).is_dir():
        return "notebook"
    return type


def _makes_jupyter_notebook(manager: Any, type: str, ext: str) -> bool:
    """Tell whether new_untitled(type=type, ext=ext) is to make a .jupyter notebook."""
    if ext == SUFFIX:
        return type in ("notebook", "")
    return type == "notebook" and ext in ("", ".ipynb") and manager.new_notebook_suffix == SUFFIX


def _new_model(model: dict[str, Any] | None, path: str) -> dict[str, Any] | None:
    if _is_jupyter(path):
        model = {} if model is None else model
        model.setdefault("type", "notebook")
    return model


class _SharedMixin(JupyterFormatContentsManager):
    """What the synchronous and asynchronous managers do alike: trust, which is synchronous."""

    def check_and_sign(self, nb: Any, path: str = "", **kwargs: Any) -> None:
        surrogate = _check_json(nb, path)
        if surrogate is None:
            super().check_and_sign(nb, path, **kwargs)  # type: ignore[misc]
            return
        # nbformat signs the UTF-8 bytes of the strings, which a lone surrogate
        # has none of: signing would fail, and the server rebuild its signature store.
        self.log.warning(
            "Notebook %s is not signed: it holds a lone surrogate (U+%04X)", path, ord(surrogate)
        )

    def mark_trusted_cells(self, nb: Any, path: str = "") -> None:
        try:
            super().mark_trusted_cells(nb, path)  # type: ignore[misc]
        except UnicodeEncodeError:
            # A lone surrogate, which no signature covers (see check_and_sign).
            self.log.warning("Notebook %s is not trusted: it holds a lone surrogate", path)
            self.notary.mark_cells(nb, False)  # type: ignore[attr-defined]


class _SyncMixin(_SharedMixin):
    def get(
        self,
        path: str,
        content: bool = True,
        type: str | None = None,
        format: str | None = None,
        **kwargs: Any,
    ) -> Any:
        type = _notebook_type(self, path.strip("/"), type)
        return super().get(path, content=content, type=type, format=format, **kwargs)  # type: ignore[misc]

    def save(self, model: dict[str, Any], path: str = "") -> Any:
        _check_savable(self, model, path)
        return super().save(model, path)  # type: ignore[misc]

    def _read_notebook(
        self,
        os_path: str,
        as_version: int = 4,
        capture_validation_error: Any = None,
        **kwargs: Any,
    ) -> Any:
        if not _is_jupyter(os_path) and not _holds_jupyter_text(self, os_path):
            return super()._read_notebook(  # type: ignore[misc]
                os_path, as_version, capture_validation_error=capture_validation_error, **kwargs
            )
        nb, data = _read(self, os_path, capture_validation_error)
        return (nb, data) if kwargs.get("raw") else nb

    def _save_notebook(
        self, os_path: str, nb: Any, capture_validation_error: Any = None, **kwargs: Any
    ) -> None:
        if _is_jupyter(os_path):
            _write(self, os_path, nb, capture_validation_error)
            return
        resolved = _resolution(self, os_path, nb) if marked_cells(nb) else Resolution(0, nb)
        if resolved.notebook is None:
            _write_text(self, os_path, resolved.text)
            return
        # Options that later jupyter_server versions add go to their own .ipynb writer.
        super()._save_notebook(  # type: ignore[misc]
            os_path, resolved.notebook, capture_validation_error=capture_validation_error, **kwargs
        )

    def new_untitled(self, path: str = "", type: str = "", ext: str = "") -> Any:
        if not _makes_jupyter_notebook(self, type, ext):
            return super().new_untitled(path=path, type=type, ext=ext)  # type: ignore[misc]
        path = path.strip("/")
        if not self.dir_exists(path):  # type: ignore[attr-defined]
            raise HTTPError(404, f"No such directory: {path}")
        name = self.increment_filename(self.untitled_notebook + SUFFIX, path)  # type: ignore[attr-defined]
        return self.new({"type": "notebook"}, f"{path}/{name}")

    def new(self, model: dict[str, Any] | None = None, path: str = "") -> Any:
        return super().new(_new_model(model, path), path)  # type: ignore[misc]


class _AsyncMixin(_SharedMixin):
    async def get(
        self,
        path: str,
        content: bool = True,
        type: str | None = None,
        format: str | None = None,
        **kwargs: Any,
    ) -> Any:
        type = _notebook_type(self, path.strip("/"), type)
        return await super().get(path, content=content, type=type, format=format, **kwargs)  # type: ignore[misc]

    async def save(self, model: dict[str, Any], path: str = "") -> Any:
        _check_savable(self, model, path)
        return await super().save(model, path)  # type: ignore[misc]

    async def _read_notebook(
        self,
        os_path: str,
        as_version: int = 4,
        capture_validation_error: Any = None,
        **kwargs: Any,
    ) -> Any:
        if not _is_jupyter(os_path) and not await run_sync(_holds_jupyter_text, self, os_path):
            return await super()._read_notebook(  # type: ignore[misc]
                os_path, as_version, capture_validation_error=capture_validation_error, **kwargs
            )
        # Parsing takes CPU time; the server's event loop goes on meanwhile.
        nb, data = await run_sync(_read, self, os_path, capture_validation_error)
        return (nb, data) if kwargs.get("raw") else nb

    async def _save_notebook(
        self, os_path: str, nb: Any, capture_validation_error: Any = None, **kwargs: Any
    ) -> None:
        if _is_jupyter(os_path):
            await run_sync(_write, self, os_path, nb, capture_validation_error)
            return
        resolved = _resolution(self, os_path, nb) if marked_cells(nb) else Resolution(0, nb)
        if resolved.notebook is None:
            await run_sync(_write_text, self, os_path, resolved.text)
            return
        await super()._save_notebook(  # type: ignore[misc]
            os_path, resolved.notebook, capture_validation_error=capture_validation_error, **kwargs
        )

    async def new_untitled(self, path: str = "", type: str = "", ext: str = "") -> Any:
        if not _makes_jupyter_notebook(self, type, ext):
            return await super().new_untitled(path=path, type=type, ext=ext)  # type: ignore[misc]
        path = path.strip("/")
        if not await self.dir_exists(path):  # type: ignore[attr-defined]
            raise HTTPError(404, f"No such directory: {path}")
        name = await self.increment_filename(self.untitled_notebook + SUFFIX, path)  # type: ignore[attr-defined]
        return await self.new({"type": "notebook"}, f"{path}/{name}")

    async def new(self, model: dict[str, Any] | None = None, path: str = "") -> Any:
        return await super().new(_new_model(model, path), path)  # type: ignore[misc]


FileContentsManager = build_contents_manager_class(LargeFileManager)
FileContentsManager.__name__ = FileContentsManager.__qualname__ = "FileContentsManager"
FileContentsManager.__doc__ = "jupyter_server's (synchronous) file manager, with .jupyter files."
AsyncFileContentsManager = build_contents_manager_class(AsyncLargeFileManager)
AsyncFileContentsManager.__name__ = AsyncFileContentsManager.__qualname__ = (
    "AsyncFileContentsManager"
)
AsyncFileContentsManager.__doc__ = "jupyter_server's default file manager, with .jupyter files."
