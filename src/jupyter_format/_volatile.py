"""Opt-in removal of volatile fields, for quieter diffs (lossy, off by default).

Projects turn it on in ``pyproject.toml``::

    [tool.jupyter-format]
    drop-execution-counts = true
    drop-timing = true
    drop-widget-state = true
    drop-cell-metadata = ["collapsed", "scrolled"]
    drop-notebook-metadata = ["varInspector"]

The nearest ``pyproject.toml`` above a notebook that has a
``[tool.jupyter-format]`` table applies to it, as ruff finds its settings.
"""

from __future__ import annotations

import copy
import sys
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any

from ._exceptions import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - tested on Python 3.10 by CI, not measured there
    import tomli as tomllib

if TYPE_CHECKING:
    from pathlib import Path

    from nbformat import NotebookNode

__all__ = ["ConfigError", "Volatile", "volatile_for"]

#: Cell metadata that records when and how long a cell ran: JupyterLab's
#: ``record_timing`` setting and the classic ExecuteTime extension.
TIMING_KEYS = ("execution", "ExecuteTime")

#: Notebook metadata holding the state of ipywidgets.
WIDGET_STATE_KEY = "widgets"

TABLE = "tool.jupyter-format"
#: The sub-table of the merge's settings.
MERGE_TABLE = "merge"


@dataclass(frozen=True)
class Volatile:
    """Which volatile fields to drop when writing ``.jupyter`` files."""

    execution_counts: bool = False
    timing: bool = False
    widget_state: bool = False
    cell_metadata: tuple[str, ...] = ()
    notebook_metadata: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return any(getattr(self, field.name) for field in fields(self))

    def merged(self, other: Volatile) -> Volatile:
        """What both *self* and *other* drop (command-line flags add to the settings)."""
        return Volatile(
            execution_counts=self.execution_counts or other.execution_counts,
            timing=self.timing or other.timing,
            widget_state=self.widget_state or other.widget_state,
            cell_metadata=_union(self.cell_metadata, other.cell_metadata),
            notebook_metadata=_union(self.notebook_metadata, other.notebook_metadata),
        )

    def strip(self, nb: NotebookNode) -> NotebookNode:
        """Return *nb* without the volatile fields (a copy if anything is dropped)."""
        if not self:
            return nb
        nb = copy.deepcopy(nb)
        notebook_keys = (
            *self.notebook_metadata,
            *((WIDGET_STATE_KEY,) if self.widget_state else ()),
        )
        cell_keys = (*self.cell_metadata, *(TIMING_KEYS if self.timing else ()))
        _drop_keys(nb.get("metadata"), notebook_keys)
        for cell in nb.get("cells", ()):
            _drop_keys(cell.get("metadata"), cell_keys)
            if self.execution_counts and cell.get("cell_type") == "code":
                cell["execution_count"] = None
                for output in cell.get("outputs", ()):
                    if output.get("output_type") == "execute_result":
                        output["execution_count"] = None
        return nb

    @classmethod
    def from_table(cls, table: Any, source: str) -> Volatile:
        """Read the settings of a ``[tool.jupyter-format]`` table found in *source*.

        :raises ConfigError: for unknown keys and values of the wrong type.
        """
        if not isinstance(table, dict):
            raise ConfigError(f"{source}: [{TABLE}] must be a table")
        settings: dict[str, Any] = {}
        for key, value in table.items():
            if key == MERGE_TABLE:
                continue  # the merge's settings (_merge.settings)
            name = key.removeprefix("drop-").replace("-", "_")
            if not key.startswith("drop-") or name not in _FIELD_TYPES:
                known = ", ".join(sorted("drop-" + n.replace("_", "-") for n in _FIELD_TYPES))
                raise ConfigError(f"{source}: [{TABLE}] unknown key {key!r} (known: {known})")
            if _FIELD_TYPES[name] is bool:
                if not isinstance(value, bool):
                    raise ConfigError(f"{source}: [{TABLE}] {key} must be true or false")
                settings[name] = value
            elif isinstance(value, list) and all(isinstance(v, str) for v in value):
                settings[name] = tuple(value)
            else:
                raise ConfigError(f"{source}: [{TABLE}] {key} must be a list of strings")
        return replace(cls(), **settings)


_FIELD_TYPES = {
    "execution_counts": bool,
    "timing": bool,
    "widget_state": bool,
    "cell_metadata": tuple,
    "notebook_metadata": tuple,
}


def _union(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*first, *second)))


def _drop_keys(metadata: Any, keys: tuple[str, ...]) -> None:
    if isinstance(metadata, dict):
        for key in keys:
            metadata.pop(key, None)


def volatile_for(path: Path) -> Volatile:
    """The settings that apply to the notebook at *path* (none if no table is found).

    :raises ConfigError: if the nearest table cannot be used, or its file
        cannot be read.
    """
    found = nearest_table(path)
    return Volatile() if found is None else Volatile.from_table(*found)


def nearest_table(path: Path) -> tuple[Any, str] | None:
    """The ``[tool.jupyter-format]`` table that applies to *path*, and the file it is in.

    :raises ConfigError: if the nearest ``pyproject.toml`` cannot be read.
    """
    for directory in path.absolute().parents:
        candidate = directory / "pyproject.toml"
        if not candidate.is_file():
            continue
        try:
            with candidate.open("rb") as file:
                document = tomllib.load(file)
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise ConfigError(f"{candidate}: cannot be read: {error}") from None
        tool = document.get("tool")
        table = tool.get("jupyter-format") if isinstance(tool, dict) else None
        if table is not None:
            return table, str(candidate)
    return None
