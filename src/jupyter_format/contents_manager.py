"""JupyterLab and Notebook 7 integration: contents managers for ``.jupyter`` files.

With the ``server`` extra installed, the jupyter_format server extension is on
by default and derives a contents manager from whichever class the server is
configured to use; nothing needs configuring.  To choose a class explicitly::

    c.ServerApp.contents_manager_class = "jupyter_format.contents_manager.AsyncFileContentsManager"

``FileContentsManager`` (the original package's name) is the synchronous twin.
The managers read and write ``.jupyter`` files as notebooks: they list them as
notebooks, open them (also when a file so named holds ``.ipynb`` JSON, which
the next save turns into ``.jupyter`` text), save them atomically, report files
that do not parse as HTTP 400 with ``path:line:column: message``, and keep
checkpoints, trust and the change-detecting hash working.  Set
``c.JupyterFormatContentsManager.new_notebook_suffix = ".jupyter"`` to make
"New Notebook" create ``.jupyter`` files.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat
from anyio.to_thread import run_sync
from jupyter_server.services.contents.largefilemanager import (
    AsyncLargeFileManager,
    LargeFileManager,
)
from tornado.web import HTTPError
from traitlets import Enum
from traitlets.config import LoggingConfigurable

from ._exceptions import ParseError, SerializeError
from ._files import Format, NotebookFileError, Problem, loads, without_transient_fields
from ._io import atomic_write_text
from ._validate import notebook_problem
from ._volatile import ConfigError, volatile_for
from ._writer import serialize

if TYPE_CHECKING:
    from jupyter_server.services.contents.manager import ContentsManager

__all__ = [
    "AsyncFileContentsManager",
    "FileContentsManager",
    "JupyterFormatContentsManager",
    "build_contents_manager_class",
]

SUFFIX = ".jupyter"


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


def _is_jupyter(path: str) -> bool:
    return path.endswith(SUFFIX)


def _read(manager: Any, os_path: str, capture_validation_error: Any) -> Any:
    """Read a notebook from a ``.jupyter`` file; return it and the raw bytes."""
    with manager.open(os_path, "rb") as file:
        data = file.read()
    path = _api_path(manager, os_path)
    # A .jupyter file can hold ipynb JSON (after a rename, say); it is read as
    # such and written as .jupyter text on the next save.
    file_format = Format.IPYNB if data.lstrip()[:1] == b"{" else Format.JUPYTER
    try:
        nb, problems = loads(data, file_format)
    except ParseError as error:
        message = Problem(error.msg, error.lineno, error.colno).at(path)
        raise HTTPError(400, message, reason="Unreadable notebook") from None
    except NotebookFileError as error:
        raise HTTPError(400, error.problem.at(path), reason="Unreadable notebook") from None
    if problems and isinstance(capture_validation_error, dict):
        problem = problems[0]
        message = problem.at(path) if problem.line is not None else problem.message
        capture_validation_error["ValidationError"] = nbformat.ValidationError(message)
    return nb, data


def _write(manager: Any, os_path: str, nb: Any, capture_validation_error: Any) -> None:
    """Write a notebook to a ``.jupyter`` file, atomically."""
    nb = without_transient_fields(nb)
    try:
        nb = volatile_for(Path(os_path)).strip(nb)
        text = serialize(nb)
    except (SerializeError, ConfigError) as error:
        raise HTTPError(400, f"{_api_path(manager, os_path)}: {error}") from None
    problem = notebook_problem(nb)
    if problem is not None and isinstance(capture_validation_error, dict):
        capture_validation_error["ValidationError"] = nbformat.ValidationError(problem)
    with manager.perm_to_403(_api_path(manager, os_path)):
        # Written to a temporary file and renamed: a reader never sees half a notebook.
        atomic_write_text(Path(os_path), text)


def _api_path(manager: Any, os_path: str) -> str:
    root = Path(manager.root_dir).resolve()
    try:
        return Path(os_path).resolve().relative_to(root).as_posix()
    except ValueError:
        return os_path


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


class _SyncMixin(JupyterFormatContentsManager):
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

    def _read_notebook(
        self,
        os_path: str,
        as_version: int = 4,
        capture_validation_error: Any = None,
        **kwargs: Any,
    ) -> Any:
        if not _is_jupyter(os_path):
            return super()._read_notebook(  # type: ignore[misc]
                os_path, as_version, capture_validation_error=capture_validation_error, **kwargs
            )
        nb, data = _read(self, os_path, capture_validation_error)
        return (nb, data) if kwargs.get("raw") else nb

    def _save_notebook(self, os_path: str, nb: Any, capture_validation_error: Any = None) -> None:
        if not _is_jupyter(os_path):
            super()._save_notebook(  # type: ignore[misc]
                os_path, nb, capture_validation_error=capture_validation_error
            )
            return
        _write(self, os_path, nb, capture_validation_error)

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


class _AsyncMixin(JupyterFormatContentsManager):
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

    async def _read_notebook(
        self,
        os_path: str,
        as_version: int = 4,
        capture_validation_error: Any = None,
        **kwargs: Any,
    ) -> Any:
        if not _is_jupyter(os_path):
            return await super()._read_notebook(  # type: ignore[misc]
                os_path, as_version, capture_validation_error=capture_validation_error, **kwargs
            )
        # Parsing takes CPU time; the server's event loop goes on meanwhile.
        nb, data = await run_sync(_read, self, os_path, capture_validation_error)
        return (nb, data) if kwargs.get("raw") else nb

    async def _save_notebook(
        self, os_path: str, nb: Any, capture_validation_error: Any = None
    ) -> None:
        if not _is_jupyter(os_path):
            await super()._save_notebook(  # type: ignore[misc]
                os_path, nb, capture_validation_error=capture_validation_error
            )
            return
        await run_sync(_write, self, os_path, nb, capture_validation_error)

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
