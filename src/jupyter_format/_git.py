"""git integration: show ``.ipynb`` diffs as ``.jupyter`` text, merge notebooks cell by cell.

``jupyter-format git install`` writes two drivers into git's configuration and
routes notebooks to them with attributes:

- a *diff* driver whose ``textconv`` command prints the ``.jupyter`` text of a
  notebook, so ``git diff``, ``git log -p`` and ``git show`` read like code;
- a *merge* driver (:func:`merge_driver`) that merges the three versions of a
  notebook, ``.ipynb`` or ``.jupyter``, cell by cell (:mod:`._merge`).

The attributes of ``.jupyter`` files also keep line endings as LF on every
system and name the cell a hunk is in (``@@ ... @@ code id=...``).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ._exceptions import (
    ConfigError,
    GitSetupError,
    NotebookFileError,
    ParseError,
    SerializeError,
)
from ._files import Format, display_path, save_verified, shell_word
from ._io import atomic_write_text
from ._merge import MergeSettings, merge_files, settings_from
from ._volatile import nearest_table

if TYPE_CHECKING:
    from collections.abc import Mapping

DRIVER = "jupyter-format"
TEXT_DRIVER = "jupyter-format-text"
#: The head lines of cells, which git shows after ``@@`` to say where a hunk is.
CELL_HEAD = "^((markdown|code|raw)( .*)?)$"

BEGIN = "# begin jupyter-format: added by `jupyter-format git install`"
END = "# end jupyter-format"
ATTRIBUTES = (
    f"*.ipynb diff={DRIVER} merge={DRIVER}",
    f"*.jupyter text eol=lf diff={TEXT_DRIVER} merge={DRIVER}",
)


@dataclass(frozen=True)
class Scope:
    """Where the settings go: one repository, or every repository of the user."""

    name: str  # "local" or "global"
    attributes_file: Path

    @property
    def config_option(self) -> str:
        return f"--{self.name}"


def _python_command() -> str:
    # The interpreter that has jupyter_format installed, wherever git runs from
    # (a GUI, say, whose PATH lacks the environment's scripts).
    return f"{shlex.quote(sys.executable)} -m jupyter_format"


def settings() -> dict[str, str]:
    """The git configuration that the attributes refer to."""
    command = _python_command()
    return {
        # "--": git appends the path, which may start with "-".
        f"diff.{DRIVER}.textconv": f"{command} cat --textconv --",
        f"diff.{DRIVER}.xfuncname": CELL_HEAD,
        f"diff.{TEXT_DRIVER}.xfuncname": CELL_HEAD,
        f"merge.{DRIVER}.name": "merge notebooks cell by cell (jupyter-format)",
        f"merge.{DRIVER}.driver": f"{command} git merge-driver -- %O %A %B %L %P",
    }


def _git(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    try:
        result = subprocess.run(
            ["git", *args], capture_output=True, text=True, encoding="utf-8", check=False
        )
    except FileNotFoundError:
        raise GitSetupError("git is not installed (or not on PATH)") from None
    if check and result.returncode != 0:
        raise GitSetupError(result.stderr.strip() or f"git {' '.join(args)} failed")
    return result


def scope(global_: bool) -> Scope:
    """The scope to install into: this repository, or (*global_*) the user's."""
    if global_:
        configured = _git("config", "--global", "--path", "core.attributesFile", check=False)
        if configured.stdout.strip():
            return Scope("global", Path(configured.stdout.strip()).expanduser())
        config_home = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
        return Scope("global", Path(config_home) / "git" / "attributes")
    inside = _git("rev-parse", "--git-path", "info/attributes", check=False)
    if inside.returncode != 0:
        if "not a git repository" not in inside.stderr:
            raise GitSetupError(inside.stderr.strip())
        raise GitSetupError("not in a git repository (use --global to set up every repository)")
    return Scope("local", Path(inside.stdout.strip()).absolute())


def tracked_attributes_file() -> Path | None:
    """The ``.gitattributes`` at the top of the current repository's work tree, if any."""
    top = _git("rev-parse", "--show-toplevel", check=False)
    if top.returncode != 0 or not top.stdout.strip():
        return None
    return Path(top.stdout.strip()) / ".gitattributes"


def install(where: Scope) -> None:
    """Configure the drivers and attributes in *where*; doing it twice changes nothing."""
    for key, value in settings().items():
        _git("config", where.config_option, key, value)
    lines = _without_block(_read_lines(where.attributes_file))
    _write_lines(where.attributes_file, [*lines, BEGIN, *ATTRIBUTES, END])


def uninstall(where: Scope) -> None:
    """Remove what :func:`install` added to *where*, and nothing else."""
    for section in (f"diff.{DRIVER}", f"diff.{TEXT_DRIVER}", f"merge.{DRIVER}"):
        # Fails, harmlessly, when the section is absent.
        _git("config", where.config_option, "--remove-section", section, check=False)
    lines = _read_lines(where.attributes_file)
    remaining = _without_block(lines)
    if remaining != lines:
        if remaining:
            _write_lines(where.attributes_file, remaining)
        else:
            where.attributes_file.unlink()


def status(where: Scope) -> list[str]:
    """What is missing from *where* for notebooks to diff and merge as text (empty: nothing)."""
    missing = []
    for key, value in settings().items():
        found = _git("config", where.config_option, "--get", key, check=False).stdout.strip()
        if found != value:
            missing.append(f"git config {key}" + (" (points elsewhere)" if found else ""))
    lines = _read_lines(where.attributes_file)
    if BEGIN not in lines or any(line not in lines for line in ATTRIBUTES):
        missing.append(f"the attributes in {where.attributes_file}")
    return missing


def effective_attributes() -> str | None:
    """The drivers that notebooks in the current repository use, or None outside one."""
    result = _git("check-attr", "diff", "merge", "--", "notebook.ipynb", check=False)
    if result.returncode != 0:
        return None
    values = [line.rsplit(": ", 1)[-1] for line in result.stdout.splitlines()]
    return f"diff={values[0]} merge={values[1]}"


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []


def _write_lines(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, "".join(line + "\n" for line in lines))


def _without_block(lines: list[str]) -> list[str]:
    if BEGIN not in lines:
        return lines
    start = lines.index(BEGIN)
    end = lines.index(END, start) + 1 if END in lines[start:] else start + 1 + len(ATTRIBUTES)
    return lines[:start] + lines[end:]


def merge_settings(path: Path, flags: Mapping[str, str | None]) -> MergeSettings:
    """The merge settings for the notebook at *path*: *flags*, git config, ``pyproject.toml``.

    :raises ConfigError: for unknown settings or values.
    """
    found = nearest_table(path)
    table, source = found if found is not None else (None, "")
    try:
        listed = _git("config", "--get-regexp", r"^jupyter-format\.merge\.", check=False).stdout
    except GitSetupError:
        listed = ""  # no git here: `jupyter-format merge` needs none
    git_config = {}
    for line in listed.splitlines():
        key, _, value = line.partition(" ")
        git_config[key.split(".", 2)[2]] = value
    return settings_from(table, git_config, flags, source)


def merge_driver(base: Path, ours: Path, theirs: Path, marker_size: int, path: str) -> int:
    """Merge three versions of a notebook as git's merge driver; return git's status.

    The result is written to *ours*.  Without conflicts it is the merged
    notebook, in the format the suffix of *path* names.  With conflicts it is
    the ``.jupyter`` text of the merge with git's conflict markers around what
    conflicts, which a person resolves in Jupyter (it opens as the conflict
    view) or in an editor; the status is then 1, so git reports the conflict.
    """
    target = Format.JUPYTER if path.endswith(Format.JUPYTER.value) else Format.IPYNB
    try:
        settings = merge_settings(Path(path), {})
        base_data = base.read_bytes()
        merged = merge_files(
            base_data or None,
            ours.read_bytes(),
            theirs.read_bytes(),
            target=target,
            settings=settings,
            marker_size=marker_size,
        )
    except ConfigError as error:
        print(f"{display_path(path)}: {error}; merged line by line", file=sys.stderr)
        return _merge_file(ours, base, theirs, marker_size)
    except (ParseError, NotebookFileError, SerializeError) as error:
        message = f"not a notebook on every side ({error}); merged line by line"
        print(f"{display_path(path)}: {message}", file=sys.stderr)
        return _merge_file(ours, base, theirs, marker_size)
    for line in merged.report:
        print(f"{display_path(path)}: {line}", file=sys.stderr)
    if merged.notebook is not None:
        save_verified(merged.notebook, ours, target)
        return 0
    atomic_write_text(ours, merged.conflict_text)
    name = shell_word(path)
    if target is Format.JUPYTER:
        what, after_editor = "holds the merge", "; then "
    else:
        what = "now holds the .jupyter text of the merge"
        after_editor = f" and run\n    jupyter-format convert --to ipynb -- {name}\nthen "
    print(
        f"{display_path(path)} {what} with conflict markers: open it in JupyterLab or"
        " Notebook 7 (each conflict shows as both versions' cells: delete the one you do not"
        f" keep, and save), or resolve it in a text editor{after_editor}git add -- {name}",
        file=sys.stderr,
    )
    return 1


def _merge_file(ours: Path, base: Path, theirs: Path, marker_size: int) -> int:
    """Merge the files line by line with ``git merge-file``; return the number of conflicts."""
    command = [
        "git", "merge-file", f"--marker-size={marker_size}",
        "-L", "ours", "-L", "base", "-L", "theirs",
    ]  # fmt: skip
    result = subprocess.run([*command, "--", str(ours), str(base), str(theirs)], check=False)
    return result.returncode
