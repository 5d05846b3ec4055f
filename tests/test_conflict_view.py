"""The conflict view: a conflicted notebook read as a notebook, resolved, and written back."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import nbformat
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import jupyter_format
from jupyter_format._cli import main
from jupyter_format._conflict_view import MARK, conflict_view, mark_of, note_text, resolution
from jupyter_format._files import Format
from jupyter_format._format.conflicts import with_conflict_markers
from jupyter_format._merge import merge_files
from strategies import cells as hostile_cells
from strategies import metadata as hostile_metadata

v4 = nbformat.v4
VECTORS = Path(__file__).parent / "vectors" / "conflicted"


def roles(nb: Any) -> list[str]:
    """Each cell as role/side (marked cells) or its id (shared ones)."""
    found = []
    for cell in nb.cells:
        mark = mark_of(cell)
        if mark is None:
            found.append(cell.get("id", cell.cell_type))
        else:
            found.append("/".join(filter(None, [mark["role"], mark.get("side")])))
    return found


def clean_cells(nb: Any) -> list[tuple[str, str]]:
    """Each cell's id and source; and no cell keeps a mark."""
    assert nb is not None
    assert all(MARK not in cell.metadata for cell in nb.cells)
    return [(cell.id, cell.source) for cell in nb.cells]


def without(nb: Any, side: str) -> Any:
    """The view after a person deleted every cell of *side* (placeholders too)."""
    kept = copy.deepcopy(nb)
    kept.cells = [cell for cell in kept.cells if (mark_of(cell) or {}).get("side") != side]
    return kept


def code(source: str, cell_id: str, count: int | None = None, text: str = "") -> Any:
    outputs = [v4.new_output("stream", name="stdout", text=text)] if text else []
    return v4.new_code_cell(source, id=cell_id, execution_count=count, outputs=outputs)


def new_notebook(*cells: Any, **metadata: Any) -> Any:
    nb = v4.new_notebook(metadata=metadata)
    nb.cells = list(cells)
    return nb


def merged_text(base: Any, ours: Any, theirs: Any, target: Format = Format.JUPYTER) -> str:
    """What the merge driver writes for these three versions."""
    merge = merge_files(
        *(jupyter_format.writes(nb).encode() for nb in (base, ours, theirs)), target=target
    )
    assert not merge.clean
    return merge.text()


def one_cell_conflict() -> Any:
    """The view of a merge in which ours set x = 2 and theirs x = 3 in cell c."""
    base = new_notebook(code("x = 1", "c"))
    ours, theirs = (new_notebook(code(f"x = {value}", "c")) for value in (2, 3))
    return jupyter_format.reads(merged_text(base, ours, theirs), conflicts=True)


def metadata_conflict() -> Any:
    """The view of a merge in which ours set the notebook's owner to ana, theirs to bo."""
    cells = [code("x = 1", "c")]
    base = new_notebook(*cells, owner="base")
    ours, theirs = (new_notebook(*cells, owner=owner) for owner in ("ana", "bo"))
    return jupyter_format.reads(merged_text(base, ours, theirs), conflicts=True)


# --- the view of each vector --------------------------------------------------------


def test_both_versions_of_a_conflicting_cell_are_consecutive_marked_cells() -> None:
    text = (VECTORS / "cell-source.jupyter").read_text(encoding="utf-8")
    view = jupyter_format.reads(text, conflicts=True)
    assert roles(view) == ["intro", "start", "cell/ours", "separator", "cell/theirs", "end"]
    ours, theirs = view.cells[2], view.cells[4]
    assert (ours.source, ours.execution_count) == ("half_life = 5.27\nyears = 30\nprint(years)", 2)
    assert (theirs.source, theirs.execution_count) == (
        "half_life = 5.27\nyears = 20\nprint(years)",
        3,
    )
    # One id per cell: theirs' copy is renamed in the view and remembers its own.
    assert (ours.id, theirs.id) == ("years", "years-theirs")
    assert theirs.metadata[MARK] == {
        "conflict": 1,
        "of": 1,
        "role": "cell",
        "side": "theirs",
        "id": "years",
    }
    assert view.cells[1].source.startswith("**`<<<<<<< ours`: merge conflict 1 of 1.**")
    assert "delete the cells of the version you do not keep" in view.cells[1].source
    assert jupyter_format._format.schema.notebook_problem(view) is None


@pytest.mark.parametrize("name", ["cell-source", "inserted-cells", "diff3-style"])
def test_each_vector_reads_as_its_view_and_resolves_to_either_side(name: str) -> None:
    text = (VECTORS / f"{name}.jupyter").read_text(encoding="utf-8")
    view = jupyter_format.reads(text, conflicts=True)
    expected = nbformat.reads((VECTORS / f"{name}.view.ipynb").read_text(encoding="utf-8"), 4)
    assert json.dumps(view, sort_keys=True) == json.dumps(expected, sort_keys=True)
    for kept, deleted in (("ours", "theirs"), ("theirs", "ours")):
        side_text = (VECTORS / f"{name}.{kept}.jupyter").read_text(encoding="utf-8")
        assert jupyter_format.writes(without(view, deleted)) == side_text
    # Saved unresolved, it is the conflict again (git's diff3 base section aside).
    assert jupyter_format.reads(jupyter_format.writes(view), conflicts=True) == view
    if name != "diff3-style":
        assert jupyter_format.writes(view) == text


def test_plain_reading_still_rejects_conflicts(tmp_path: Path) -> None:
    text = (VECTORS / "cell-source.jupyter").read_text(encoding="utf-8")
    for read in (jupyter_format.reads, jupyter_format.deserialize):
        with pytest.raises(jupyter_format.ParseError, match="unresolved merge conflict"):
            read(text)
    path = tmp_path / "x.jupyter"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(jupyter_format.ParseError, match="unresolved merge conflict"):
        jupyter_format.read(path)
    assert roles(jupyter_format.read(path, conflicts=True))[1:3] == ["start", "cell/ours"]
    with path.open(encoding="utf-8") as file:
        assert roles(jupyter_format.read(file, conflicts=True))[1:3] == ["start", "cell/ours"]


def test_conflict_aware_reading_of_text_without_conflicts_is_plain_reading() -> None:
    text = (VECTORS / "cell-source.ours.jupyter").read_text(encoding="utf-8")
    assert jupyter_format.reads(text, conflicts=True) == jupyter_format.reads(text)
    for bad in ("nbformat 4\nnonsense\n", "nbformat 4\n=======\n"):
        with pytest.raises(jupyter_format.ParseError) as plain:
            jupyter_format.reads(bad)
        with pytest.raises(jupyter_format.ParseError) as aware:
            jupyter_format.reads(bad, conflicts=True)
        assert "conflict" not in str(aware.value) or "=" in bad
        assert (aware.value.lineno, aware.value.colno) == (plain.value.lineno, plain.value.colno)


# --- resolving ----------------------------------------------------------------------


def test_a_real_merge_conflict_resolved_by_deleting_one_cell() -> None:
    base = new_notebook(v4.new_markdown_cell("# Title", id="t"), code("x = 1", "c"))
    ours = new_notebook(v4.new_markdown_cell("# Title", id="t"), code("x = 2", "c", 1, "2\n"))
    theirs = new_notebook(v4.new_markdown_cell("# Title", id="t"), code("x = 3", "c", 1, "3\n"))
    view = jupyter_format.reads(merged_text(base, ours, theirs), conflicts=True)
    assert roles(view) == ["t", "start", "cell/ours", "separator", "cell/theirs", "end"]
    del view.cells[4]  # theirs' version
    resolved = resolution(view)
    assert resolved.conflicts == 0
    assert resolved.notebook == ours
    del view.cells[2]  # now ours' too: neither version is kept
    assert resolution(view).notebook == new_notebook(v4.new_markdown_cell("# Title", id="t"))


def test_keeping_theirs_gives_the_cell_its_own_id_back() -> None:
    view = one_cell_conflict()
    resolved = resolution(without(view, "ours")).notebook
    assert resolved is not None
    assert [(cell.id, cell.source) for cell in resolved.cells] == [("c", "x = 3")]
    assert MARK not in resolved.cells[0].metadata


def test_an_edited_version_is_kept_as_edited() -> None:
    view = one_cell_conflict()
    view.cells[1].source = "x = 2 + 3"
    resolved = resolution(without(view, "theirs")).notebook
    assert resolved is not None
    assert [cell.source for cell in resolved.cells] == ["x = 2 + 3"]


def test_deleting_the_separator_note_keeps_both_versions() -> None:
    view = one_cell_conflict()
    del view.cells[roles(view).index("separator")]
    # Both cells, ours first; theirs keeps its view id, as ours has the original.
    assert clean_cells(resolution(view).notebook) == [("c", "x = 2"), ("c-theirs", "x = 3")]


def test_a_metadata_conflict_cannot_keep_both() -> None:
    view = metadata_conflict()
    del view.cells[roles(view).index("separator")]
    assert resolution(view).conflicts == 1


def test_a_deleted_cell_has_a_placeholder_to_keep_or_delete() -> None:
    base = new_notebook(code("a = 1", "a"), code("b = 1", "b"))
    ours = new_notebook(code("a = 1", "a"))  # deletes b
    theirs = new_notebook(code("a = 1", "a"), code("b = 2", "b"))  # edits b
    view = jupyter_format.reads(merged_text(base, ours, theirs), conflicts=True)
    assert roles(view) == ["a", "start", "empty/ours", "separator", "cell/theirs", "end"]
    assert view.cells[2].source == note_text("empty", 1, 1, "ours")
    assert "Ours has no cells here" in view.cells[2].source
    assert resolution(without(view, "theirs")).notebook == ours
    assert resolution(without(view, "ours")).notebook == theirs
    # Nothing deleted: both sides still there, so the conflict stays.
    assert resolution(view).conflicts == 1


def test_saving_unresolved_keeps_every_conflict_and_the_users_other_edits() -> None:
    base = new_notebook(code("a = 1", "a"), code("m = 0", "m"), code("b = 1", "b"))
    ours = new_notebook(code("a = 2", "a"), code("m = 0", "m"), code("b = 2", "b"))
    theirs = new_notebook(code("a = 3", "a"), code("m = 0", "m"), code("b = 3", "b"))
    view = jupyter_format.reads(merged_text(base, ours, theirs), conflicts=True)
    assert roles(view).count("start") == 2
    # Resolve the first conflict only, and edit a shared cell.
    first_theirs = roles(view).index("cell/theirs")
    del view.cells[first_theirs]
    view.cells[roles(view).index("m")].source = "m = 100"
    resolved = resolution(view)
    assert resolved.conflicts == 1
    assert resolved.notebook is None
    assert resolved.text.count("<<<<<<< ours") == 1
    again = jupyter_format.reads(resolved.text, conflicts=True)
    assert roles(again) == ["a", "m", "start", "cell/ours", "separator", "cell/theirs", "end"]
    assert [again.cells[0].source, again.cells[1].source] == ["a = 2", "m = 100"]
    assert [again.cells[3].source, again.cells[5].source] == ["b = 2", "b = 3"]
    # The marks say "1 of 2" no more: the notes are written afresh.
    assert "merge conflict 1 of 1" in again.cells[2].source


def test_a_cell_added_inside_a_conflict_belongs_to_both_sides() -> None:
    view = one_cell_conflict()
    view.cells.insert(3, v4.new_markdown_cell("Which one?", id="question"))
    text = resolution(view).text
    again = jupyter_format.reads(text, conflicts=True)
    assert "question" in roles(again)
    resolved = resolution(without(view, "theirs")).notebook
    assert resolved is not None
    assert [cell.id for cell in resolved.cells] == ["c", "question"]


def test_a_note_someone_wrote_in_is_kept_as_an_ordinary_cell() -> None:
    view = one_cell_conflict()
    view.cells[0].source += "\n\nAsk Ana which value is right."
    resolved = resolution(without(view, "theirs")).notebook
    assert resolved is not None
    assert [cell.cell_type for cell in resolved.cells] == ["markdown", "code"]
    assert resolved.cells[0].source.endswith("Ask Ana which value is right.")
    assert MARK not in resolved.cells[0].metadata


def test_both_versions_edited_into_the_same_cell_is_resolved() -> None:
    view = one_cell_conflict()
    for cell in view.cells:
        if mark_of(cell)["role"] == "cell":
            cell.source = "x = 5"
    resolved = resolution(view)
    assert resolved.conflicts == 0
    assert resolved.notebook is not None
    assert [cell.source for cell in resolved.notebook.cells] == ["x = 5"]


def test_conflicting_notebook_metadata_shows_as_one_raw_cell_per_side() -> None:
    view = metadata_conflict()
    assert roles(view) == ["start", "metadata/ours", "separator", "metadata/theirs", "end", "c"]
    assert json.loads(view.cells[3].source) == {"owner": "bo"}
    resolved = resolution(without(view, "ours")).notebook
    assert resolved is not None
    assert resolved.metadata == {"owner": "bo"}
    assert resolution(without(view, "theirs")).notebook.metadata == {"owner": "ana"}
    edited = without(view, "theirs")
    edited.cells[1].source = '{"owner": "ana and bo"}'
    assert resolution(edited).notebook.metadata == {"owner": "ana and bo"}
    edited.cells[1].source = '{"owner": '
    with pytest.raises(jupyter_format.ParseError) as caught:
        resolution(edited)
    assert "the notebook metadata kept in cell 2 is not JSON" in caught.value.msg
    assert (caught.value.lineno, caught.value.colno) == (1, 11)


def test_notebooks_without_ids_give_notes_without_ids() -> None:
    base = new_notebook(code("x = 1", "c"))
    sides = [new_notebook(code(source, "c")) for source in ("x = 2", "x = 3")]
    for nb in (base, *sides):
        nb.nbformat_minor = 4
        for cell in nb.cells:
            del cell["id"]
    view = jupyter_format.reads(merged_text(base, *sides), conflicts=True)
    assert all("id" not in cell for cell in view.cells)
    assert jupyter_format._format.schema.notebook_problem(view) is None
    assert resolution(without(view, "theirs")).notebook == sides[0]


def test_ids_of_the_view_do_not_collide_with_the_notebooks() -> None:
    text = with_conflict_markers(
        jupyter_format.writes(new_notebook(code("1", "merge-conflict-1-start"), code("2", "x"))),
        jupyter_format.writes(new_notebook(code("1", "merge-conflict-1-start"), code("3", "x"))),
    )[0]
    view = jupyter_format.reads(text, conflicts=True)
    ids = [cell.id for cell in view.cells]
    assert len(ids) == len(set(ids))
    assert "merge-conflict-1-start-2" in ids


def test_a_side_that_does_not_parse_is_reported_at_its_line_in_the_file() -> None:
    text = (
        "nbformat 4\nnbformat_minor 5\n<<<<<<< ours\n=======\nbogus\n>>>>>>> theirs\n"
        "notebook_metadata\n    {}\n"
    )
    with pytest.raises(jupyter_format.ParseError) as caught:
        jupyter_format.reads(text, conflicts=True)
    assert (caught.value.lineno, caught.value.colno) == (5, 1)
    assert caught.value.msg.endswith("(in theirs' side of a merge conflict)")


def test_sides_of_different_versions_are_left_to_a_text_editor() -> None:
    ours = jupyter_format.writes(new_notebook())
    theirs = ours.replace("nbformat_minor 5", "nbformat_minor 4")
    with pytest.raises(jupyter_format.ParseError) as caught:
        jupyter_format.reads(with_conflict_markers(ours, theirs)[0], conflicts=True)
    assert "different nbformat versions (4.5 and 4.4)" in caught.value.msg
    assert (caught.value.lineno, caught.value.colno) == (2, 1)


def test_a_cell_without_metadata_cannot_be_marked() -> None:
    nb = new_notebook(code("1", "a"))
    ours = jupyter_format.writes(nb)
    del nb.cells[0]["metadata"]
    nb.cells[0].source = "2"
    theirs = jupyter_format.writes(nb)
    text = with_conflict_markers(ours, theirs)[0]
    with pytest.raises(jupyter_format.ParseError, match="has no metadata to mark it with"):
        jupyter_format.reads(text, conflicts=True, validate=False)
    with pytest.raises(jupyter_format.ParseError, match=r"must contain \['metadata'\] properties"):
        jupyter_format.reads(text, conflicts=True)


def test_cells_that_are_not_a_list_cannot_be_shown() -> None:
    text = (VECTORS.parent / "unvalidated" / "cells-not-a-list.jupyter").read_text()
    theirs = text.replace("notebook_metadata\n    {}", 'notebook_metadata\n    {"x": 1}')
    conflicted = with_conflict_markers(text, theirs)[0]
    with pytest.raises(jupyter_format.ParseError) as caught:
        jupyter_format.reads(conflicted, conflicts=True, validate=False)
    assert caught.value.msg == (
        "the cells of ours' side of the merge conflict are not a list: "
        "resolve the conflict in a text editor"
    )
    assert caught.value.lineno == conflicted.splitlines().index("<<<<<<< ours") + 1


def test_identical_sides_are_no_conflict() -> None:
    text = jupyter_format.writes(new_notebook(code("1", "a")))
    conflicted = "nbformat 4\n<<<<<<< ours\nnbformat_minor 5\n=======\nnbformat_minor 5\n>>>>>>>\n"
    assert conflict_view(conflicted + text.split("\n", 2)[2]) == jupyter_format.reads(text)


# --- the property: every view gives either side back exactly -----------------------


def markable(cell: Any) -> bool:
    return isinstance(cell, dict) and isinstance(cell.get("metadata"), dict)


side_cells = st.lists(hostile_cells().filter(markable), max_size=4)


@settings(max_examples=500)
@given(
    shared=side_cells,
    ours_cells=side_cells,
    theirs_cells=side_cells,
    ours_metadata=hostile_metadata,
    theirs_metadata=hostile_metadata,
    minor=st.sampled_from([4, 5]),
)
def test_deleting_one_sides_cells_gives_the_other_side_exactly(
    *,
    shared: list[Any],
    ours_cells: list[Any],
    theirs_cells: list[Any],
    ours_metadata: Any,
    theirs_metadata: Any,
    minor: int,
) -> None:
    sides = []
    for cells, metadata in ((ours_cells, ours_metadata), (theirs_cells, theirs_metadata)):
        nb = {"nbformat": 4, "nbformat_minor": minor, "metadata": metadata}
        nb["cells"] = copy.deepcopy([shared[0], *cells, *shared[1:]] if shared else cells)
        ids = [cell["id"] for cell in nb["cells"] if isinstance(cell.get("id"), str)]
        assume(len(ids) == len(set(ids)))
        assume(not any(MARK in cell["metadata"] for cell in nb["cells"]))
        sides.append(jupyter_format.writes(nb))
    text, conflicts = with_conflict_markers(*sides)
    view = jupyter_format.reads(text, conflicts=True, validate=False)
    if not conflicts:
        assert jupyter_format.writes(view) == sides[0]
        return
    assert jupyter_format.writes(view) == text
    assert jupyter_format.writes(without(view, "theirs")) == sides[0]
    assert jupyter_format.writes(without(view, "ours")) == sides[1]


# --- check and the pre-commit hook ---------------------------------------------------


def test_check_fails_on_conflicts_and_on_a_view_saved_without_resolving(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conflicted = tmp_path / "conflicted.jupyter"
    conflicted.write_bytes((VECTORS / "cell-source.jupyter").read_bytes())
    in_ipynb = tmp_path / "conflicted.ipynb"
    in_ipynb.write_bytes(conflicted.read_bytes())
    view = jupyter_format.reads(conflicted.read_text(encoding="utf-8"), conflicts=True)
    saved_raw = tmp_path / "saved-raw.jupyter"
    saved_raw.write_text(jupyter_format.serialize(view), encoding="utf-8")
    saved_raw_ipynb = tmp_path / "saved-raw.ipynb"
    saved_raw_ipynb.write_text(nbformat.writes(view), encoding="utf-8")
    capsys.readouterr()
    for path in (conflicted, in_ipynb, saved_raw, saved_raw_ipynb):
        assert main(["check", str(path)]) == 1, path
    out = capsys.readouterr().out
    assert f"{conflicted}:7:1: unresolved merge conflict (git conflict marker '<<<<<<<')" in out
    assert f"{in_ipynb}:7:1: unresolved merge conflict" in out
    assert (
        f"{saved_raw}: unresolved merge conflict: cells 2, 3, 4, 5, 6 hold the marks of a "
        "conflict view (cell metadata 'jupyter_format_conflict')"
    ) in out
    assert f"{saved_raw_ipynb}: unresolved merge conflict: cells 2, 3, 4" in out
    resolved = tmp_path / "resolved.jupyter"
    resolved.write_text(jupyter_format.writes(without(view, "theirs")), encoding="utf-8")
    assert main(["check", str(resolved)]) == 0


# --- what a person may do in Jupyter, and odd marks -----------------------------------


def test_text_written_in_a_note_of_an_unresolved_conflict_is_kept() -> None:
    view = one_cell_conflict()
    view.cells[0].source += "\n\nTODO(ana): ask bo which x is right"
    text = jupyter_format.writes(view)
    assert text.count("TODO(ana): ask bo which x is right") == 1  # once: outside the markers
    again = jupyter_format.reads(text, conflicts=True)
    assert mark_of(again.cells[0]) is None  # an ordinary cell now, before the conflict
    assert "TODO(ana)" in again.cells[0].source
    assert roles(again)[1:] == ["start", "cell/ours", "separator", "cell/theirs", "end"]


def test_changes_to_the_views_own_metadata_survive_a_metadata_conflict() -> None:
    view = metadata_conflict()
    # What JupyterLab writes when the kernel starts, and an edit in its metadata editor.
    view.metadata["language_info"] = {"name": "python"}
    view.metadata["title"] = "Decay"
    resolved = resolution(without(view, "ours")).notebook
    assert resolved is not None
    assert resolved.metadata == {
        "owner": "bo",
        "language_info": {"name": "python"},
        "title": "Decay",
    }
    del view.metadata["owner"]
    assert resolution(without(view, "ours")).notebook.metadata == {
        "language_info": {"name": "python"},
        "title": "Decay",
    }


def test_a_copy_of_a_marked_cell_outside_its_conflict_is_an_ordinary_cell() -> None:
    view = one_cell_conflict()
    # JupyterLab copies cells with their metadata, marks too.
    pasted = copy.deepcopy(view.cells[1])
    pasted.id = "pasted"
    view.cells.append(pasted)
    del view.cells[roles(view).index("cell/ours")]
    assert clean_cells(resolution(view).notebook) == [("c", "x = 3"), ("pasted", "x = 2")]


def test_sides_that_differ_in_other_top_level_fields_are_left_to_a_text_editor() -> None:
    ours = new_notebook(code("1", "a"))
    theirs = new_notebook(code("2", "a"))
    theirs["tool"] = "x"
    text = with_conflict_markers(
        jupyter_format.writes(ours), jupyter_format.writes(theirs, validate=False)
    )[0]
    with pytest.raises(jupyter_format.ParseError, match="differ in fields other than cells"):
        jupyter_format.reads(text, conflicts=True, validate=False)


def test_sides_with_marks_of_an_earlier_view_are_refused() -> None:
    stale = jupyter_format.serialize(one_cell_conflict())
    other = stale.replace("x = 3", "x = 4")
    with pytest.raises(
        jupyter_format.ParseError, match="holds the marks of an earlier conflict view"
    ):
        jupyter_format.reads(with_conflict_markers(stale, other)[0], conflicts=True)


@pytest.mark.parametrize(
    "mark",
    [
        {"conflict": 1, "of": 1, "role": "empty", "side": 3},
        {"conflict": [1], "of": 1, "role": "cell", "side": "ours"},
        {"conflict": True, "of": 1, "role": "cell", "side": "ours"},
        {"conflict": 1, "of": 1, "role": "unknown"},
        {"conflict": 1, "of": 1, "role": "start", "side": "ours"},
        "not a mark",
    ],
)
def test_malformed_marks_are_dropped_without_a_crash(mark: Any) -> None:
    nb = new_notebook(code("x = 1", "c"), v4.new_markdown_cell("note", id="n"))
    nb.cells[1].metadata[MARK] = mark
    nb.cells.append(7)  # not even a cell
    text = jupyter_format.writes(nb)
    assert MARK not in text
    assert jupyter_format.deserialize(text, validate=False).cells[1].source == "note"


def test_a_marked_cell_with_an_odd_id_and_an_odd_metadata_source() -> None:
    view = one_cell_conflict()
    view.cells[1].id = ["not", "a string"]
    assert "x = 2" in jupyter_format.writes(view)
    meta = metadata_conflict()
    meta.cells[1].source = ['{"owner": ', '"ana"}']  # a list of lines, as in .ipynb
    assert resolution(without(meta, "theirs")).notebook.metadata == {"owner": "ana"}
    meta.cells[1].source = 5
    with pytest.raises(jupyter_format.ParseError, match="kept in cell 2 is not text"):
        resolution(without(meta, "theirs"))


def test_a_metadata_conflict_says_how_it_resolves() -> None:
    view = metadata_conflict()
    assert "in the notebook's metadata" in view.cells[0].source
    assert "keep both" not in view.cells[0].source


def test_the_marker_size_git_asked_for_is_kept() -> None:
    base = new_notebook(code("x = 1", "c"))
    sides = [new_notebook(code(f"x = {value}", "c")) for value in (2, 3)]
    merge = merge_files(
        *(jupyter_format.writes(nb).encode() for nb in (base, *sides)),
        target=Format.JUPYTER,
        marker_size=9,
    )
    text = merge.text()
    assert "<<<<<<<<< ours\n" in text
    assert jupyter_format.writes(jupyter_format.reads(text, conflicts=True)) == text


def test_a_side_that_repeats_an_id_gets_its_repeats_back() -> None:
    ours = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [dict(code("1", "x"))]}
    theirs = {**ours, "cells": [dict(code("2", "x")), dict(code("3", "x"))]}
    text, _ = with_conflict_markers(
        jupyter_format.writes(ours), jupyter_format.writes(theirs, validate=False)
    )
    view = jupyter_format.reads(text, conflicts=True, validate=False)
    assert jupyter_format.writes(without(view, "ours")) == jupyter_format.writes(theirs)


def test_metadata_kept_as_other_json_than_an_object_is_kept_as_it_is() -> None:
    view = without(metadata_conflict(), "theirs")
    view.metadata["title"] = "changed in the view"
    view.cells[1].source = "[1, 2]"  # not an object: the view's changes cannot apply
    resolved = resolution(view).notebook
    assert resolved is not None
    assert resolved.metadata == [1, 2]
