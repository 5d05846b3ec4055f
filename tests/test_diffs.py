"""Diffs stay small and merges stay clean: the format's reason to exist."""

from __future__ import annotations

import copy
import difflib
import itertools
import shutil
import subprocess
from pathlib import Path
from typing import Any

import nbformat
import pytest

import jupyter_format
from conftest import CORPUS
from strategies import as_json_text

DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo.ipynb"
GIT = shutil.which("git")


def sample_notebooks() -> list[Path]:
    """The demo notebook and, when present, corpus notebooks with several code cells."""
    paths = [DEMO]
    for path in sorted((CORPUS / "ipynb").rglob("*.ipynb"))[::7]:
        try:
            nb = nbformat.read(path, as_version=4)
            nbformat.validate(nb)
        except Exception:
            continue
        if sum(cell.cell_type == "code" for cell in nb.cells) >= 3:
            paths.append(path)
        if len(paths) > 40:
            break
    return paths


def changed_lines(before: str, after: str) -> list[str]:
    diff = difflib.unified_diff(before.split("\n"), after.split("\n"), n=0, lineterm="")
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def edit_and_rerun(nb: Any, index: int, tag: str, count: int) -> None:
    """Add a line to a cell and run it again: new count, new output."""
    cell = nb.cells[index]
    cell.source += f"\nprint({tag!r})"
    if cell.cell_type != "code":
        return
    cell.execution_count = count
    for output in cell.outputs:
        if output.output_type == "execute_result":
            output.execution_count = count
    cell.outputs.append(nbformat.v4.new_output("stream", text=f"{tag}\n"))


def new_cell(nb: Any, tag: str, count: int) -> Any:
    cell = nbformat.v4.new_code_cell(f"print({tag!r})", execution_count=count, id=f"new-{tag}")
    cell.outputs.append(nbformat.v4.new_output("stream", text=f"{tag}\n"))
    if nb.nbformat_minor < 5:
        del cell["id"]
    return cell


def merge(base: Any, ours: Any, theirs: Any, tmp_path: Path) -> tuple[int, str]:
    """Merge three versions with plain `git merge-file`; return its status and result."""
    files = []
    for name, nb in (("ours", ours), ("base", base), ("theirs", theirs)):
        path = tmp_path / f"{name}.jupyter"
        path.write_text(jupyter_format.serialize(nb), encoding="utf-8")
        files.append(str(path))
    assert GIT is not None
    result = subprocess.run(
        [GIT, "merge-file", "-p", *files], capture_output=True, text=True, check=False
    )
    return result.returncode, result.stdout


def code_cells(nb: Any) -> list[int]:
    return [index for index, cell in enumerate(nb.cells) if cell.cell_type == "code"]


@pytest.mark.parametrize("path", sample_notebooks(), ids=lambda path: path.name)
def test_a_one_line_change_is_a_one_line_diff(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    index = next(i for i in code_cells(nb) if nb.cells[i].source.strip())
    changed = copy.deepcopy(nb)
    lines = changed.cells[index].source.split("\n")
    lines[0] += "  # changed"
    changed.cells[index].source = "\n".join(lines)
    diff = changed_lines(jupyter_format.serialize(nb), jupyter_format.serialize(changed))
    assert len(diff) == 2
    assert diff[1].endswith("  # changed")


def cell_line_ranges(text: str) -> list[tuple[int, int]]:
    """The [start, end) line numbers of each cell in .jupyter text."""
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if line[:1].isalpha()]
    # The first two starts are the header lines; the last is notebook_metadata.
    return list(itertools.pairwise(starts[2:]))


@pytest.mark.parametrize("path", sample_notebooks(), ids=lambda path: path.name)
def test_rerunning_a_cell_changes_only_that_cell(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    index = code_cells(nb)[1]
    rerun = copy.deepcopy(nb)
    edit_and_rerun(rerun, index, "again", 1000)
    before, after = jupyter_format.serialize(nb), jupyter_format.serialize(rerun)
    start, end = cell_line_ranges(before)[index]
    matcher = difflib.SequenceMatcher(None, before.split("\n"), after.split("\n"), autojunk=False)
    changes = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    assert changes
    for _, old_start, old_end, _, _ in changes:
        assert start < old_start <= old_end <= end


SCENARIOS = ["different cells", "adjacent cells", "inserted cells", "adjacent inserts"]


@pytest.mark.skipif(GIT is None, reason="git is not installed")
@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize("path", sample_notebooks(), ids=lambda path: path.name)
def test_two_branches_merge_cleanly(path: Path, scenario: str, tmp_path: Path) -> None:
    base = nbformat.read(path, as_version=4)
    code = code_cells(base)
    ours, theirs, expected = (copy.deepcopy(base) for _ in range(3))
    if scenario in ("inserted cells", "adjacent inserts"):
        first = code[0]
        second = code[1] if scenario == "inserted cells" else first + 1
        ours.cells.insert(first + 1, new_cell(base, "ours", 101))
        theirs.cells.insert(second + 1, new_cell(base, "theirs", 102))
        expected.cells.insert(second + 1, new_cell(base, "theirs", 102))
        expected.cells.insert(first + 1, new_cell(base, "ours", 101))
    else:
        if scenario == "different cells":
            first, second = code[0], code[-1]
        else:
            # Two adjacent code cells, or else a code cell and the cell after it.
            pairs = [(i, i + 1) for i in code if i + 1 in code]
            first, second = pairs[0] if pairs else (code[0], code[0] + 1)
        for nb in (ours, expected):
            edit_and_rerun(nb, first, "ours", 101)
        for nb in (theirs, expected):
            edit_and_rerun(nb, second, "theirs", 102)
    status, merged = merge(base, ours, theirs, tmp_path)
    assert status == 0, merged
    assert as_json_text(jupyter_format.deserialize(merged)) == as_json_text(expected)


@pytest.mark.skipif(GIT is None, reason="git is not installed")
def test_editing_the_same_cell_conflicts_and_either_side_resolves_it(tmp_path: Path) -> None:
    base = nbformat.read(DEMO, as_version=4)
    index = code_cells(base)[0]
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    edit_and_rerun(ours, index, "ours", 101)
    edit_and_rerun(theirs, index, "theirs", 102)
    status, merged = merge(base, ours, theirs, tmp_path)
    assert status > 0
    with pytest.raises(jupyter_format.ParseError, match="unresolved merge conflict"):
        jupyter_format.deserialize(merged)
    for keep, side in (("ours", ours), ("theirs", theirs)):
        resolved = []
        state = "both"
        for line in merged.split("\n"):
            if line.startswith("<<<<<<<"):
                state = "ours"
            elif line.startswith("=======") and state == "ours":
                state = "theirs"
            elif line.startswith(">>>>>>>"):
                state = "both"
            elif state in ("both", keep):
                resolved.append(line)
        nb = jupyter_format.deserialize("\n".join(resolved))
        assert as_json_text(nb) == as_json_text(side)
