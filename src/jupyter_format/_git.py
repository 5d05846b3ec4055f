"""git integration: show ``.ipynb`` diffs as ``.jupyter`` text, merge through it.

``jupyter-format git install`` writes two drivers into git's configuration and
routes notebooks to them with attributes:

- a *diff* driver whose ``textconv`` command prints the ``.jupyter`` text of a
  notebook, so ``git diff``, ``git log -p`` and ``git show`` read like code;
- a *merge* driver (:func:`merge_driver`) that merges the three versions of an
  ``.ipynb`` file through their ``.jupyter`` text with git's own line merge.

``.jupyter`` files need no driver: git merges their lines as it merges code.
Their attributes only keep line endings as LF on every system and name the
cell a hunk is in (``@@ ... @@ code id=...``).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ._exceptions import GitSetupError, NotebookFileError, ParseError, SerializeError
from ._files import (
    Format,
    Problem,
    display_path,
    notebook_from_bytes,
    save_verified,
    shell_word,
    sniff_format,
)
from ._format.writer import serialize
from ._io import atomic_write_text

DRIVER = "jupyter-format"
TEXT_DRIVER = "jupyter-format-text"
#: The head lines of cells, which git shows after ``@@`` to say where a hunk is.
CELL_HEAD = "^((markdown|code|raw)( .*)?)$"

BEGIN = "# begin jupyter-format: added by `jupyter-format git install`"
END = "# end jupyter-format"
ATTRIBUTES = (
    f"*.ipynb diff={DRIVER} merge={DRIVER}",
    f"*.jupyter text eol=lf diff={TEXT_DRIVER}",
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
        f"merge.{DRIVER}.name": "merge notebooks through their .jupyter text (jupyter-format)",
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


def merge_driver(base: Path, ours: Path, theirs: Path, marker_size: int, path: str) -> int:
    """Merge three versions of a notebook as git's merge driver; return git's status.

    The result is written to *ours*.  Without conflicts it is the merged
    notebook, in the format the suffix of *path* names.  With conflicts it is
    the ``.jupyter`` text of the merge with git's conflict markers, which a
    person resolves in an editor before ``jupyter-format convert --to ipynb``
    turns it back into JSON; the status is then non-zero, so git reports the
    conflict.
    """
    try:
        sides = [_jupyter_text(file, allow_empty=file is base) for file in (base, ours, theirs)]
    except (ParseError, NotebookFileError, SerializeError) as error:
        message = f"not a notebook on every side ({error}); merged line by line"
        print(f"{display_path(path)}: {message}", file=sys.stderr)
        return _merge_file(ours, base, theirs, marker_size, output=None)
    with tempfile.TemporaryDirectory(prefix="jupyter-format-merge-") as directory:
        names = []
        for label, (text, _) in zip(("base", "ours", "theirs"), sides, strict=True):
            names.append(Path(directory) / f"{label}.jupyter")
            names[-1].write_text(text, encoding="utf-8", newline="\n")
        merged = Path(directory) / "merged.jupyter"
        conflicts = _merge_file(names[1], names[0], names[2], marker_size, output=merged)
        result = merged.read_bytes()
    target_format = Format.JUPYTER if path.endswith(Format.JUPYTER.value) else Format.IPYNB
    if conflicts == 0:
        try:
            nb, problems = notebook_from_bytes(result, Format.JUPYTER)
        except ParseError as error:
            problems = [Problem(error.msg, error.lineno, error.colno)]
        else:
            # A merge may keep a notebook as invalid as its sides were, but no worse.
            if not problems or not all(valid for _, valid in sides[1:]):
                save_verified(nb, ours, target_format)
                return 0
        print(f"{problems[0].at(path)} (in the merged .jupyter text)", file=sys.stderr)
    atomic_write_text(ours, result.decode("utf-8"))
    if conflicts:
        noun = "conflict" if conflicts == 1 else "conflicts"
        print(
            f"{display_path(path)}: {conflicts} {noun} in the notebook's .jupyter text",
            file=sys.stderr,
        )
    if target_format is Format.IPYNB:
        print(
            f"{display_path(path)} now holds that text: resolve it in an editor, then run\n"
            f"    jupyter-format convert --to ipynb -- {shell_word(path)} && "
            f"git add -- {shell_word(path)}",
            file=sys.stderr,
        )
    return 1


def _jupyter_text(file: Path, allow_empty: bool) -> tuple[str, bool]:
    """The ``.jupyter`` text of one side of a merge, and whether it is a valid notebook."""
    data = file.read_bytes()
    if allow_empty and not data:
        # A notebook added on both branches has no common ancestor.
        return "", True
    nb, problems = notebook_from_bytes(data, sniff_format(data, Format.IPYNB))
    return serialize(nb), not problems


def _merge_file(
    ours: Path, base: Path, theirs: Path, marker_size: int, output: Path | None
) -> int:
    """Run ``git merge-file``; return the number of conflicts (written to *output* or *ours*)."""
    command = [
        "git", "merge-file", f"--marker-size={marker_size}",
        "-L", "ours", "-L", "base", "-L", "theirs",
    ]  # fmt: skip
    if output is None:
        result = subprocess.run([*command, "--", str(ours), str(base), str(theirs)], check=False)
        return result.returncode
    with output.open("wb") as stdout:
        result = subprocess.run(
            [*command, "-p", "--", str(ours), str(base), str(theirs)], stdout=stdout, check=False
        )
    if result.returncode < 0 or result.returncode > 127:
        raise GitSetupError(f"git merge-file failed with status {result.returncode}")
    return result.returncode
