"""Cells without ids get ids derived from their content, the same on every read."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat

from jupyter_format import _git
from jupyter_format._cli import main
from jupyter_format._files import Format, notebook_from_bytes


def v3_notebook(sources: list[str]) -> str:
    """The JSON of an nbformat 3 notebook, which nbformat upgrades with invented ids."""
    v3 = nbformat.v3
    cells = [v3.new_text_cell("markdown", source="# An old notebook")]
    cells += [v3.new_code_cell(input=source, prompt_number=n) for n, source in enumerate(sources)]
    return str(v3.writes_json(v3.new_notebook(worksheets=[v3.new_worksheet(cells=cells)])))


def cat(path: Path) -> str:
    # A process of its own each time: nbformat's random ids differ between processes.
    result = subprocess.run(
        [sys.executable, "-m", "jupyter_format", "cat", "--", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def cell_ids(text: str) -> list[str]:
    return [line.split("id=")[1] for line in text.splitlines() if " id=" in line]


def test_an_upgraded_notebook_reads_the_same_every_time(tmp_path: Path) -> None:
    path = tmp_path / "old.ipynb"
    path.write_text(v3_notebook(["a = 1", "b = 2", "a = 1"]), encoding="utf-8")
    first = cat(path)
    assert cat(path) == first
    ids = cell_ids(first)
    assert len(ids) == len(set(ids)) == 4
    # Twins (the same source) are told apart by their order.
    assert ids[3] == ids[1] + "-2"

    assert main(["convert", "-q", str(path)]) == 0
    converted = path.with_suffix(".jupyter").read_bytes()
    path.with_suffix(".jupyter").unlink()
    assert main(["convert", "-q", str(path)]) == 0
    assert path.with_suffix(".jupyter").read_bytes() == converted == first.encode()


def test_the_ids_depend_only_on_the_cells() -> None:
    # The same on every machine and in every version of this package: files
    # converted elsewhere must compare equal.
    nb, _ = notebook_from_bytes(v3_notebook(["print('hello')"]).encode(), Format.IPYNB)
    assert [cell.id for cell in nb.cells] == ["476c0c2f", "a355bb38"]


def test_an_edit_changes_only_the_id_of_the_edited_cell(tmp_path: Path) -> None:
    sources = [f"x{n} = {n}" for n in range(6)]
    path = tmp_path / "old.ipynb"
    path.write_text(v3_notebook(sources), encoding="utf-8")
    before = cell_ids(cat(path))
    sources[2] += "\nprint(x2)"
    path.write_text(v3_notebook(sources), encoding="utf-8")
    after = cell_ids(cat(path))
    assert [n for n, (old, new) in enumerate(zip(before, after, strict=True)) if old != new] == [3]


def test_edits_of_different_cells_of_an_upgraded_notebook_merge_cleanly(tmp_path: Path) -> None:
    sources = [f"x{n} = {n}" for n in range(6)]
    ours_sources, theirs_sources = list(sources), list(sources)
    ours_sources[0] += "  # ours"
    theirs_sources[5] += "  # theirs"
    files = {}
    for name, cells in (("base", sources), ("ours", ours_sources), ("theirs", theirs_sources)):
        files[name] = tmp_path / name
        files[name].write_text(v3_notebook(cells), encoding="utf-8")
    status = _git.merge_driver(files["base"], files["ours"], files["theirs"], 7, "old.ipynb")
    assert status == 0
    merged = nbformat.read(files["ours"], as_version=4)
    assert [cell.source for cell in merged.cells[1:]] == [
        "x0 = 0  # ours",
        *sources[1:5],
        "x5 = 5  # theirs",
    ]


def test_missing_and_repeated_ids_of_a_current_notebook_are_repaired_the_same_way() -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("kept", id="kept"),
        nbformat.v4.new_code_cell("x = 1", id="twin"),
        nbformat.v4.new_code_cell("x = 2", id="twin"),
        nbformat.v4.new_code_cell("x = 3"),
    ]
    del nb.cells[3]["id"]
    data = json.dumps(nb).encode()
    first, problems = notebook_from_bytes(data, Format.IPYNB)
    second, _ = notebook_from_bytes(data, Format.IPYNB)
    assert first == second
    ids = [cell.id for cell in first.cells]
    assert ids[:2] == ["kept", "twin"]
    assert len(set(ids)) == 4
    assert [problem.message for problem in problems] == [
        f"cell 3 repeats the id 'twin'; it was given the id {ids[2]!r}",
        f"cell 4 has no id; it was given the id {ids[3]!r}",
    ]


def test_odd_cells_of_invalid_notebooks_are_passed_over_or_given_ids() -> None:
    from jupyter_format._cell_ids import derived_id, repair_ids, replace_all_ids

    # A source that is not a string (an invalid notebook) still gives a stable id.
    listed = {"cell_type": "code", "source": ["a", "b"]}
    assert derived_id(listed, set()) == derived_id(dict(listed), set())
    assert derived_id(listed, set()) != derived_id({"cell_type": "code", "source": "ab"}, set())
    cells: list[object] = ["not a cell", {"cell_type": "raw", "source": "x", "id": 5}]
    replace_all_ids(cells)
    assert cells[0] == "not a cell"
    cells.append({"cell_type": "raw", "source": "y"})
    cells[1] = {"cell_type": "raw", "source": "x", "id": 5}
    # An id that is not a string is the schema's to report; only the missing one is given.
    assert repair_ids(cells) == [f"cell 3 has no id; it was given the id {cells[2]['id']!r}"]  # type: ignore[index]
    assert cells[:2] == ["not a cell", {"cell_type": "raw", "source": "x", "id": 5}]


def test_every_reader_gives_the_same_ids(tmp_path: Path) -> None:
    from jupyter_format.exporters import JupyterExporter

    path = tmp_path / "old.ipynb"
    path.write_text(v3_notebook(["y = 2"]), encoding="utf-8")
    # A .jupyter file may hold .ipynb JSON (after a rename, say).
    renamed = tmp_path / "renamed.jupyter"
    renamed.write_bytes(path.read_bytes())
    exported = [JupyterExporter().from_filename(str(file))[0] for file in (path, renamed)]
    assert exported == [cat(path), cat(path)]
