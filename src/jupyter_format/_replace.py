"""Replacing notebook files by the other format, safely: what ``replace-all`` runs.

The public module :mod:`jupyter_format.replace_all` re-exports the functions
of the original package.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ._exceptions import (
    ConfigError,
    FileSkippedError,
    NotebookFileError,
    ReplaceError,
    SerializeError,
)
from ._files import Format, difference_from_file, lost_in_ipynb, read_notebook_file, save_verified
from ._io import TEMPORARY_SUFFIX, temporary_prefix
from ._volatile import Volatile, volatile_for

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator


@dataclass(frozen=True)
class Outcome:
    """What became of one notebook file."""

    path: str
    status: str  # "converted", "skipped" or "failed"
    reason: str = ""
    target: str = ""


def ipynb_to_jupyter(path: str | os.PathLike[str]) -> Path:
    """Replace an ``.ipynb`` file by a ``.jupyter`` file; return the new path.

    :raises ReplaceError: if the file cannot be converted safely; it is then
        left untouched.
    """
    return _replace_or_raise(Path(path), Format.JUPYTER)


def jupyter_to_ipynb(path: str | os.PathLike[str]) -> Path:
    """Replace a ``.jupyter`` file by an ``.ipynb`` file; return the new path.

    :raises ReplaceError: if the file cannot be converted safely.
    """
    return _replace_or_raise(Path(path), Format.IPYNB)


def replace_all_recursive(
    start_dir: str | os.PathLike[str],
    mapfunction: Callable[..., Iterable[Outcome]] = map,
) -> list[Outcome]:
    """Replace all ``.ipynb`` files below *start_dir* by ``.jupyter`` files.

    :param mapfunction: A :func:`map`-like function, e.g. the ``map`` of a
        :class:`concurrent.futures.ProcessPoolExecutor`, to convert in parallel.
    :returns: What became of each file; failures leave their files untouched.
    """
    paths = [str(path) for path in notebook_files(Path(start_dir), Format.IPYNB)]
    return list(mapfunction(replace_one, paths))


def notebook_files(start: Path, source: Format, recursive: bool = True) -> Iterator[Path]:
    """The notebook files of format *source* below *start*, in a stable order.

    Symbolic links to directories are not followed, so the walk stays in the
    tree; hidden directories and Jupyter's checkpoint directories are skipped.
    """
    for directory, subdirectories, files in os.walk(start):
        subdirectories[:] = sorted(
            name
            for name in subdirectories
            if recursive and not name.startswith(".") and name != ".ipynb_checkpoints"
        )
        for name in sorted(files):
            if name.endswith(source.value) and not name.startswith("."):
                yield Path(directory) / name


def replace_one(
    path: str, to: str = Format.JUPYTER.value, drop: Volatile | None = None
) -> Outcome:
    """Replace one file by its conversion to the format with suffix *to*; never raises.

    This is what worker processes (or Dask workers) run.  *drop* names
    volatile fields to leave out of ``.jupyter`` files, in addition to those
    the nearest ``[tool.jupyter-format]`` settings name.
    """
    try:
        target = _replace(Path(path), Format(to), drop or Volatile())
    except FileSkippedError as error:
        return Outcome(path, "skipped", str(error))
    except ReplaceError as error:
        return Outcome(path, "failed", str(error))
    except Exception as error:  # one file's surprise must not stop the batch
        return Outcome(path, "failed", f"unexpected error: {type(error).__name__}: {error}")
    return Outcome(path, "converted", target=str(target))


def _replace_or_raise(source: Path, target_format: Format) -> Path:
    try:
        return _replace(source, target_format, Volatile())
    except ReplaceError as error:
        raise type(error)(f"{source}: {error}") from None


def _replace(source: Path, target_format: Format, drop: Volatile) -> Path:
    if source.suffix != target_format.other.value:
        raise FileSkippedError(f"not a {target_format.other.value} file")
    if source.is_symlink():
        raise FileSkippedError("a symbolic link")
    if not source.is_file():
        raise FileSkippedError("not a regular file")
    target = source.with_suffix(target_format.value)
    try:
        nb, _, _ = read_notebook_file(source)
        if target_format is Format.JUPYTER:
            nb = volatile_for(source).merged(drop).strip(nb)
        elif (lost := lost_in_ipynb(nb)) is not None:
            raise ReplaceError(lost)
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise ReplaceError(f"{target.name} exists and is not a regular file")
        if target.exists():
            # Left by a run that was stopped before it removed the source: finish it.
            difference = difference_from_file(target, nb, target_format)
            if difference is not None:
                raise ReplaceError(f"{target.name} exists and {difference}")
        else:
            save_verified(nb, target, target_format, mode=source.stat().st_mode & 0o7777)
        _remove_stale_temporary_files(target)
        # The new file must be on disk for good before the old one goes.
        _sync_directory(target.parent)
        source.unlink()
        _sync_directory(source.parent)
    except NotebookFileError as error:
        raise ReplaceError(error.problem.located()) from None
    except (SerializeError, ConfigError) as error:
        raise ReplaceError(str(error)) from None
    except OSError as error:
        raise ReplaceError(error.strerror or str(error)) from None
    return target


def _remove_stale_temporary_files(target: Path) -> None:
    """Remove what earlier runs, killed while writing *target*, left beside it.

    Only files that provably are such leftovers go: named as atomic_write_text
    names its temporary files for *target*, regular files, and holding the
    start of what *target* now holds, so that removing one loses nothing.
    """
    prefix = temporary_prefix(target)
    candidates = [
        entry
        for entry in target.parent.iterdir()
        if _is_temporary_name(entry.name, prefix) and entry.is_file() and not entry.is_symlink()
    ]
    if not candidates:
        return
    written = target.read_bytes()
    for stale in candidates:
        if written.startswith(stale.read_bytes()):
            stale.unlink(missing_ok=True)


def _is_temporary_name(name: str, prefix: str) -> bool:
    middle = name.removeprefix(prefix).removesuffix(TEMPORARY_SUFFIX)
    return (
        name.startswith(prefix)
        and name.endswith(TEMPORARY_SUFFIX)
        and _TEMPORARY_LETTERS.fullmatch(middle) is not None
    )


# What tempfile.mkstemp puts between the prefix and the suffix.
_TEMPORARY_LETTERS = re.compile(r"[a-z0-9_]{8}")


def _sync_directory(directory: Path) -> None:
    """Make a rename or removal in *directory* durable (where the system allows)."""
    if os.name != "posix":  # pragma: no cover - directories cannot be opened on Windows
        return
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
