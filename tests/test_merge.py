"""The notebook-aware three-way merge: each rule, with the exact notebooks it gives."""

from __future__ import annotations

import copy
import subprocess
from pathlib import Path
from typing import Any

import nbformat
import pytest
from hypothesis import given
from hypothesis import strategies as st

import jupyter_format
from jupyter_format._cell_ids import derived_id
from jupyter_format._cli import main
from jupyter_format._exceptions import ConfigError, ParseError
from jupyter_format._files import Format
from jupyter_format._format.conflicts import split_conflicts, with_conflict_markers
from jupyter_format._merge import (
    MergeSettings,
    merge_files,
    merge_notebooks,
    merge_sides,
    settings_from,
)
from jupyter_format._merge.diff3 import merge_sequences
from jupyter_format._merge.values import MISSING, merge_values, same

v4 = nbformat.v4


def ran(source: str, count: int | None, text: str | None, **metadata: Any) -> dict[str, Any]:
    """A code cell with id c, as a run of *source* left it."""
    outputs = [] if text is None else [v4.new_output("stream", name="stdout", text=text)]
    cell = v4.new_code_cell(source, id="c", execution_count=count, outputs=outputs)
    cell.metadata.update(metadata)
    return dict(cell)


def notebook(*cells: dict[str, Any], **metadata: Any) -> dict[str, Any]:
    nb = v4.new_notebook(metadata=metadata)
    nb.cells = [nbformat.from_dict(cell) for cell in cells]
    return dict(nb)


BASE_SOURCE = "a = 1\nb = 2\nc = 3\nprint(a, b, c)"
OURS_SOURCE = "a = 10\nb = 2\nc = 3\nprint(a, b, c)"
THEIRS_SOURCE = "a = 1\nb = 2\nc = 30\nprint(a, b, c)"
BOTH_SOURCE = "a = 10\nb = 2\nc = 30\nprint(a, b, c)"


def merge_cell(
    base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any], **settings: str
) -> tuple[Any, Any, list[str], list[str]]:
    merged = merge_notebooks(
        notebook(base), notebook(ours), notebook(theirs), MergeSettings(**settings)
    )
    return merged.ours["cells"], merged.theirs["cells"], merged.conflicts, merged.decisions


# --- sequences and values ---------------------------------------------------------


def test_diff3_takes_each_sides_change_and_conflicts_where_both_changed() -> None:
    stretches = merge_sequences("abcde", "aXcde", "abcdY")
    assert [stretch.merged for stretch in stretches] == [["a"], ["X"], ["c", "d"], ["Y"]]
    assert not any(stretch.conflicted for stretch in stretches)
    (conflict,) = (s for s in merge_sequences("abc", "aXc", "aZc") if s.conflicted)
    assert (conflict.base, conflict.ours, conflict.theirs) == (["b"], ["X"], ["Z"])
    # Changes of neighbouring lines overlap, as in git.
    assert any(stretch.conflicted for stretch in merge_sequences("abcd", "aXcd", "abYd"))
    assert [s.merged for s in merge_sequences("", "", "")] == []
    assert [s.merged for s in merge_sequences("ab", "ab", "")] == [[]]


@given(
    st.lists(st.sampled_from("abc"), max_size=8),
    st.lists(st.sampled_from("abcd"), max_size=8),
)
def test_diff3_of_a_one_sided_change_is_that_change(base: list[str], ours: list[str]) -> None:
    merged = [item for s in merge_sequences(base, ours, base) for item in s.merged]
    assert merged == ours
    merged = [item for s in merge_sequences(base, base, ours) for item in s.merged]
    assert merged == ours


def test_values_merge_key_by_key_and_conflict_on_the_same_key() -> None:
    merged = merge_values({"a": 1, "b": 2}, {"a": 3, "b": 2}, {"a": 1, "b": 4, "c": 5})
    assert (merged.ours, merged.theirs, merged.conflicts) == (
        {"a": 3, "b": 4, "c": 5},
        {"a": 3, "b": 4, "c": 5},
        [],
    )
    merged = merge_values({"x": {"p": 1}}, {"x": {"p": 2}}, {"x": {"p": 3}})
    assert (merged.ours, merged.theirs, merged.conflicts) == (
        {"x": {"p": 2}},
        {"x": {"p": 3}},
        ["x.p"],
    )
    deleted = merge_values({"a": 1}, {}, {"a": 2})
    assert (deleted.ours, deleted.theirs, deleted.conflicts) == ({}, {"a": 2}, ["a"])
    assert merge_values(1, 2, 3).conflicts == ["the value"]
    assert merge_values(1, 2, 3).value == 2
    assert repr(MISSING) == "MISSING"


def test_true_is_not_1() -> None:
    assert not same(True, 1)
    assert not same(1, 1.0)
    assert same({"a": [1, {"b": None}]}, nbformat.from_dict({"a": [1, {"b": None}]}))
    assert not same({"a": 1}, [1])
    assert not same([1], [1, 2])
    assert merge_values({"k": 1}, {"k": True}, {"k": 1.0}).conflicts == ["k"]


# --- the rules for outputs --------------------------------------------------------


def test_rule_a_only_one_side_changed_the_outputs() -> None:
    base = ran(BASE_SOURCE, 1, "1 2 3\n")
    ours = ran(OURS_SOURCE, 1, "1 2 3\n")
    theirs = ran(BASE_SOURCE, 2, "1 2 3 again\n")
    (cell,), _, conflicts, decisions = merge_cell(base, ours, theirs)
    assert cell == ran(OURS_SOURCE, 2, "1 2 3 again\n")
    assert (conflicts, decisions) == ([], [])


def test_rule_a_can_be_a_conflict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ran(BASE_SOURCE, 1, "1 2 3\n")
    ours = ran(OURS_SOURCE, 1, "1 2 3\n")
    theirs = ran(BASE_SOURCE, 2, "1 2 3 again\n")
    ours_cells, theirs_cells, conflicts, decisions = merge_cell(
        base, ours, theirs, one_ran="conflict"
    )
    assert ours_cells == [ran(OURS_SOURCE, 1, "1 2 3\n")]
    assert theirs_cells == [ran(OURS_SOURCE, 2, "1 2 3 again\n")]
    assert conflicts == ["cell c: outputs: only one side re-ran it (one-ran = conflict)"]
    assert decisions == []
    # The same through the command line's flag.
    paths = [
        write(tmp_path / f"{name}.ipynb", notebook(cell))
        for name, cell in (("base", base), ("ours", ours), ("theirs", theirs))
    ]
    assert main(["merge", *map(str, paths), "--one-ran", "conflict"]) == 1
    assert "conflict: cell c: outputs: only one side re-ran it" in capsys.readouterr().err
    assert main(["merge", *map(str, paths), "--one-ran", "take"]) == 0


def test_both_running_a_cell_that_had_no_outputs_is_rule_b() -> None:
    base = ran(BASE_SOURCE, None, None)
    ours, theirs = ran(BASE_SOURCE, 1, "ours\n"), ran(BASE_SOURCE, 2, "theirs\n")
    (cell,), _, conflicts, decisions = merge_cell(base, ours, theirs)
    assert (cell, conflicts) == (ours, [])
    assert decisions == ["cell c: outputs kept from ours: both re-ran it"]


def test_outputs_that_are_not_a_list_are_no_metadata_edit() -> None:
    base = ran(BASE_SOURCE, 1, "base\n")
    ours = ran(BASE_SOURCE, 2, "ours\n")
    theirs = {**base, "outputs": {"odd": "outputs"}}  # an invalid notebook's
    (cell,), _, conflicts, decisions = merge_cell(base, ours, theirs)
    assert (cell, conflicts) == (ours, [])
    assert decisions == ["cell c: outputs kept from ours: both re-ran it"]


def test_an_edit_of_output_metadata_against_a_re_run_is_a_conflict() -> None:
    image = v4.new_output("display_data", data={"image/png": "iVBORw0KGgo="})
    base = {**ran(BASE_SOURCE, 1, None), "outputs": [image]}
    resized = copy.deepcopy(image)
    resized["metadata"] = {"image/png": {"width": 300}}
    ours = {**base, "outputs": [resized]}  # a person resized the image
    theirs = ran(BASE_SOURCE, 2, "re-ran\n")
    _, _, conflicts, decisions = merge_cell(base, ours, theirs)
    assert conflicts == ["cell c: outputs: one side edited their metadata, the other re-ran it"]
    assert decisions == []
    # Without a re-run on the other side, the edit is simply taken (rule a).
    (cell,), _, conflicts, _ = merge_cell(base, ours, base)
    assert (cell, conflicts) == (ours, [])


@pytest.mark.parametrize(("choice", "kept"), [("ours", 7), ("theirs", 9)])
def test_rule_b_both_re_ran_the_same_source(choice: str, kept: int) -> None:
    base = ran(BASE_SOURCE, 1, "1 2 3\n", execution={"shell.execute_reply": "base"})
    ours = ran(BASE_SOURCE, 7, "ours\n", execution={"shell.execute_reply": "ours"})
    theirs = ran(BASE_SOURCE, 9, "theirs\n", execution={"shell.execute_reply": "theirs"})
    (cell,), _, conflicts, decisions = merge_cell(base, ours, theirs, both_ran=choice)
    # The count, the outputs and the timing come from one run.
    assert cell == (ours if choice == "ours" else theirs)
    assert cell["execution_count"] == kept
    assert conflicts == []
    assert decisions == [f"cell c: outputs kept from {choice}: both re-ran it"]


def test_rule_b_can_be_a_conflict() -> None:
    base, ours, theirs = ran("x", 1, "1\n"), ran("x", 2, "2\n"), ran("x", 3, "3\n")
    (mine,), (other,), conflicts, _ = merge_cell(base, ours, theirs, both_ran="conflict")
    assert (mine, other, conflicts) == (ours, theirs, ["cell c: outputs"])


@pytest.mark.parametrize("editor", ["ours", "theirs"])
def test_rule_c_outputs_stay_with_the_code_that_made_them(editor: str) -> None:
    base = ran(BASE_SOURCE, 1, "1 2 3\n")
    edited_and_run = ran(OURS_SOURCE, 5, "10 2 3\n")
    only_run = ran(BASE_SOURCE, 6, "1 2 3\n")
    sides = (edited_and_run, only_run) if editor == "ours" else (only_run, edited_and_run)
    (cell,), _, conflicts, decisions = merge_cell(base, *sides)
    assert cell == edited_and_run
    assert conflicts == []
    assert decisions == [f"cell c: outputs kept from {editor}, whose edit they belong to"]
    *_, conflicts, _ = merge_cell(base, *sides, edit_and_rerun="conflict")
    assert conflicts == ["cell c: outputs"]


def test_rule_d_combined_code_never_ran_so_its_outputs_are_cleared() -> None:
    base = ran(BASE_SOURCE, 1, "1 2 3\n", ExecuteTime={"end_time": "base"})
    ours = ran(OURS_SOURCE, 5, "10 2 3\n", ExecuteTime={"end_time": "ours"})
    theirs = ran(THEIRS_SOURCE, 6, "1 2 30\n", ExecuteTime={"end_time": "theirs"})
    (cell,), (same_cell,), conflicts, decisions = merge_cell(base, ours, theirs)
    assert cell == same_cell == ran(BOTH_SOURCE, None, None)
    assert conflicts == []
    assert decisions == ["cell c: outputs cleared: the merged code never ran"]


@pytest.mark.parametrize("choice", ["ours", "theirs"])
def test_rule_d_alternatives_keep_one_sides_run(choice: str) -> None:
    base = ran(BASE_SOURCE, 1, "1 2 3\n")
    ours, theirs = ran(OURS_SOURCE, 5, "10 2 3\n"), ran(THEIRS_SOURCE, 6, "1 2 30\n")
    (cell,), _, conflicts, decisions = merge_cell(base, ours, theirs, combined_source=choice)
    kept = ours if choice == "ours" else theirs
    assert cell == {**kept, "source": BOTH_SOURCE}
    assert conflicts == []
    assert decisions == [f"cell c: outputs kept from {choice}, though the merged code never ran"]
    (mine,), (other,), conflicts, _ = merge_cell(base, ours, theirs, combined_source="conflict")
    assert (mine, other) == ({**ours, "source": BOTH_SOURCE}, {**theirs, "source": BOTH_SOURCE})
    assert conflicts == ["cell c: outputs"]


def test_rule_d_applies_when_only_one_side_ran() -> None:
    base = ran(BASE_SOURCE, 1, "1 2 3\n")
    ours, theirs = ran(OURS_SOURCE, 5, "10 2 3\n"), ran(THEIRS_SOURCE, 1, "1 2 3\n")
    (cell,), *_ = merge_cell(base, ours, theirs)
    assert cell == ran(BOTH_SOURCE, None, None)


def test_edits_without_runs_keep_the_outputs() -> None:
    base = ran(BASE_SOURCE, 1, "1 2 3\n")
    ours, theirs = ran(OURS_SOURCE, 1, "1 2 3\n"), ran(THEIRS_SOURCE, 1, "1 2 3\n")
    (cell,), _, conflicts, decisions = merge_cell(base, ours, theirs)
    assert cell == ran(BOTH_SOURCE, 1, "1 2 3\n")
    assert (conflicts, decisions) == ([], [])


def test_overlapping_edits_conflict_and_each_side_keeps_its_outputs() -> None:
    base = ran(BASE_SOURCE, 1, "1 2 3\n")
    ours = ran("a = 10\nb = 2\nc = 3\nprint(a, b, c)", 5, "10\n")
    theirs = ran("a = 11\nb = 2\nc = 3\nprint(a, b, c)", 6, "11\n")
    (mine,), (other,), conflicts, decisions = merge_cell(base, ours, theirs)
    assert (mine, other) == (ours, theirs)
    assert conflicts == ["cell c: source"]
    assert decisions == []


def test_identical_runs_are_no_decision() -> None:
    base, run = ran("x", 1, "1\n"), ran("x", 2, "2\n")
    (cell,), _, conflicts, decisions = merge_cell(base, run, copy.deepcopy(run))
    assert (cell, conflicts, decisions) == (run, [], [])


# --- cells, their order, metadata -------------------------------------------------


def cells(*sources: str, ids: bool = True) -> list[dict[str, Any]]:
    made = []
    for source in sources:
        cell = v4.new_markdown_cell(source, id=source.split()[0])
        if not ids:
            del cell["id"]
        made.append(dict(cell))
    return made


def merged_sources(base: list[Any], ours: list[Any], theirs: list[Any], minor: int = 5) -> Any:
    nbs = [{**notebook(*side), "nbformat_minor": minor} for side in (base, ours, theirs)]
    merged = merge_notebooks(*nbs)
    ours_sources = [cell["source"] for cell in merged.ours["cells"]]
    theirs_sources = [cell["source"] for cell in merged.theirs["cells"]]
    return ours_sources, theirs_sources, merged.conflicts


def test_insertions_and_deletions_at_different_places_combine() -> None:
    base = cells("a 0", "b 0", "c 0", "d 0", "e 0")
    ours = [base[0], *cells("x 0"), *base[1:3], base[4]]
    theirs = [*base[:2], *cells("y 0"), *base[2:]]
    assert merged_sources(base, ours, theirs) == (
        ["a 0", "x 0", "b 0", "y 0", "c 0", "e 0"],
        ["a 0", "x 0", "b 0", "y 0", "c 0", "e 0"],
        [],
    )


def test_different_cells_inserted_at_one_place_are_a_conflict() -> None:
    base = cells("a 0", "b 0")
    ours, theirs = [base[0], *cells("x 0"), base[1]], [base[0], *cells("y 0"), base[1]]
    assert merged_sources(base, ours, theirs) == (
        ["a 0", "x 0", "b 0"],
        ["a 0", "y 0", "b 0"],
        ["cell x: both sides changed the cells here differently"],
    )


def test_deleting_a_cell_the_other_side_edited_is_a_conflict() -> None:
    base = cells("a 0", "b 0", "c 0")
    ours = [base[0], base[2]]
    theirs = [base[0], {**base[1], "source": "b 1"}, base[2]]
    assert merged_sources(base, ours, theirs) == (
        ["a 0", "c 0"],
        ["a 0", "b 1", "c 0"],
        ["cell b: one side deleted a cell that the other edited"],
    )


def test_deleting_a_cell_the_other_side_only_re_ran_deletes_it() -> None:
    base = notebook(v4.new_markdown_cell("a", id="a"), ran("x", 1, "1\n"))
    ours = notebook(v4.new_markdown_cell("a", id="a"))
    theirs = notebook(v4.new_markdown_cell("a", id="a"), ran("x", 2, "2\n"))
    merged = merge_notebooks(base, ours, theirs)
    assert merged.ours == merged.theirs == ours
    assert merged.decisions == ["cell c: deleted, though re-run on the other side"]
    assert merged.clean


def test_cells_without_ids_are_matched_by_content_not_position() -> None:
    """Ours inserts a cell at the top; theirs edits what was the first cell."""
    base = cells("a first line\nsecond line", "b 0", ids=False)
    ours = [*cells("new cell", ids=False), *base]
    theirs = [{**base[0], "source": "a first line\nsecond line, edited"}, base[1]]
    assert merged_sources(base, ours, theirs, minor=4) == (
        ["new cell", "a first line\nsecond line, edited", "b 0"],
        ["new cell", "a first line\nsecond line, edited", "b 0"],
        [],
    )


def test_cells_without_ids_added_alike_on_both_sides_are_one_cell() -> None:
    base = cells("a 0", ids=False)
    ours = theirs = [base[0], *cells("same new", ids=False)]
    assert merged_sources(base, ours, copy.deepcopy(theirs), minor=4)[0] == ["a 0", "same new"]


def test_an_unlike_cell_is_a_new_one() -> None:
    base = cells("a 0", "b 0", ids=False)
    ours = [cells("completely different text", ids=False)[0], base[1]]
    theirs = [{**base[0], "source": "a 1"}, base[1]]
    *_, conflicts = merged_sources(base, ours, theirs, minor=4)
    assert conflicts == [
        "markdown cell 'completely different text': one side deleted a cell that the other edited"
    ]


def test_notebook_metadata_merges_key_by_key() -> None:
    base = notebook(tool={"name": "python3"}, title="t")
    ours = notebook(tool={"name": "python3"}, title="t", owners=["a"])
    theirs = notebook(tool={"name": "julia"}, title="t")
    merged = merge_notebooks(base, ours, theirs)
    assert merged.ours["metadata"] == {
        "tool": {"name": "julia"},
        "title": "t",
        "owners": ["a"],
    }
    conflicted = merge_notebooks(base, notebook(title="ours"), notebook(title="theirs"))
    assert conflicted.conflicts == ["notebook metadata.title"]


@pytest.mark.parametrize("choice", ["ours", "theirs", "conflict"])
def test_language_info_follows_the_outputs_kept(choice: str) -> None:
    base = notebook(language_info={"name": "python", "version": "3.11.1"})
    ours = notebook(language_info={"name": "python", "version": "3.11.2"})
    theirs = notebook(language_info={"name": "python", "version": "3.11.3"})
    merged = merge_notebooks(base, ours, theirs, MergeSettings(both_ran=choice))
    if choice == "conflict":
        assert merged.conflicts == ["notebook metadata.language_info.version"]
        return
    kept = ours if choice == "ours" else theirs
    assert merged.ours == merged.theirs == kept
    assert merged.decisions == [f"notebook metadata language_info kept from {choice}"]


def test_cell_metadata_and_attachments_merge_key_by_key() -> None:
    base = dict(v4.new_markdown_cell("x", id="m"))
    ours = {**base, "metadata": {"tags": ["a"]}}
    theirs = {**base, "attachments": {"p.png": {"image/png": "AA=="}}}
    merged = merge_notebooks(notebook(base), notebook(ours), notebook(theirs))
    assert merged.ours["cells"] == [{**ours, "attachments": theirs["attachments"]}]
    conflicted = merge_notebooks(
        notebook(base),
        notebook({**base, "metadata": {"tags": ["a"]}}),
        notebook({**base, "metadata": {"tags": ["b"]}}),
    )
    assert conflicted.conflicts == ["cell m: metadata.tags"]


def test_a_newer_minor_version_wins() -> None:
    base = notebook()
    ours = {**notebook(), "nbformat_minor": 4}
    assert merge_notebooks(base, ours, notebook()).ours["nbformat_minor"] == 5


def test_notebooks_added_on_both_sides_merge_as_two_way() -> None:
    same_cell = ran("x", 1, "1\n")
    merged = merge_notebooks(None, notebook(same_cell), notebook(copy.deepcopy(same_cell)))
    assert merged.clean
    different = merge_notebooks(None, notebook(ran("x", 1, "1\n")), notebook(ran("y", 1, "1\n")))
    assert different.conflicts == ["cell c: source"]


def test_cells_that_are_not_objects_merge_as_values() -> None:
    base = {**notebook(), "cells": ["odd"]}
    assert merge_notebooks(base, base, {**notebook(), "cells": ["odd"]}).clean


def test_the_settings_refuse_unknown_choices() -> None:
    with pytest.raises(
        ConfigError, match="both-ran must be one of ours, theirs, conflict, not 'x'"
    ):
        MergeSettings(both_ran="x")
    with pytest.raises(ConfigError, match="one-ran must be one of take, conflict, not 'keep'"):
        MergeSettings(one_ran="keep")


# --- the conflict text ------------------------------------------------------------


@given(
    st.lists(st.sampled_from(["a\n", "b\n", " c\n", "\n", "code\n"]), max_size=10),
    st.lists(st.sampled_from(["a\n", "b\n", " d\n", "\n", "raw\n"]), max_size=10),
)
def test_the_conflict_text_gives_both_sides_back(ours: list[str], theirs: list[str]) -> None:
    text, conflicts = with_conflict_markers("".join(ours), "".join(theirs))
    assert (conflicts == 0) == (ours == theirs)
    split = split_conflicts(text)
    assert split == (None if conflicts == 0 else ("".join(ours), "".join(theirs)))


def test_differences_within_one_cell_are_one_conflict() -> None:
    ours = "code id=a\n    x = 1\n    y\n\n execution_count 1\ncode id=b\n    z = 1\n"
    theirs = "code id=a\n    x = 2\n    y\n\n execution_count 2\ncode id=b\n    z = 2\n"
    text, conflicts = with_conflict_markers(ours, theirs, marker_size=9)
    assert conflicts == 2
    assert text.startswith("code id=a\n<<<<<<<<< ours\n    x = 1\n    y\n\n execution_count 1\n")
    assert split_conflicts(text) == (ours, theirs)


def test_split_conflicts_reads_git_diff3_style_and_refuses_broken_markers() -> None:
    text = "a\n<<<<<<< ours\nb\n||||||| base\nz\n=======\nc\n>>>>>>> theirs\n"
    assert split_conflicts(text) == ("a\nb\n", "a\nc\n")
    with pytest.raises(ParseError, match=r"line 4, column 1: unterminated merge conflict"):
        split_conflicts("a\n<<<<<<< x\nb\n")
    with pytest.raises(
        ParseError, match=r"line 1, column 1: unmatched git conflict marker '======='"
    ):
        split_conflicts("=======\n")
    with pytest.raises(ParseError, match=r"line 2, column 1: unmatched"):
        split_conflicts("<<<<<<< a\n<<<<<<< b\n")


def test_a_side_without_a_final_newline_still_gets_markers_on_their_own_lines() -> None:
    text, _ = with_conflict_markers("x", "y")
    assert text == "<<<<<<< ours\nx\n=======\ny\n>>>>>>> theirs\n"


# --- jupyter-format merge ---------------------------------------------------------


def write(path: Path, nb: dict[str, Any]) -> Path:
    node = nbformat.from_dict(nb)
    if path.suffix == ".jupyter":
        jupyter_format.write(node, path)
    else:
        nbformat.write(node, path)
    return path


def printed_notebook(capsys: pytest.CaptureFixture[str]) -> nbformat.NotebookNode:
    printed = capsys.readouterr().out
    if printed.startswith("{"):
        return nbformat.reads(printed, as_version=4)
    return jupyter_format.reads(printed)


@pytest.mark.parametrize("suffix", [".ipynb", ".jupyter"])
def test_the_merge_command_writes_the_merged_notebook(
    tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    base = write(tmp_path / f"base{suffix}", notebook(ran(BASE_SOURCE, 1, "1 2 3\n")))
    ours = write(tmp_path / f"-ours{suffix}", notebook(ran(OURS_SOURCE, 5, "10 2 3\n")))
    theirs = write(tmp_path / "theirs.ipynb", notebook(ran(THEIRS_SOURCE, 6, "1 2 30\n")))
    out = tmp_path / f"out{suffix}"
    assert main(["merge", str(base), str(ours), str(theirs), "-o", str(out)]) == 0
    expected = nbformat.from_dict(notebook(ran(BOTH_SOURCE, None, None)))
    assert (
        jupyter_format.read(out) if suffix == ".jupyter" else nbformat.read(out, 4)
    ) == expected
    assert capsys.readouterr().err.splitlines() == [
        f"{out}: merged cleanly: 1 cell changed on both sides, 1 output decision",
        f"{out}: cell c: outputs cleared: the merged code never ran",
    ]
    assert main(["merge", "--combined-source", "theirs", str(base), str(ours), str(theirs)]) == 0
    assert printed_notebook(capsys).cells[0].execution_count == 6


def test_the_merge_command_marks_conflicts_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = write(tmp_path / "base.ipynb", notebook(ran("x = 1", 1, "1\n")))
    ours = write(tmp_path / "ours.ipynb", notebook(ran("x = 2", 1, "1\n")))
    theirs = write(tmp_path / "theirs.ipynb", notebook(ran("x = 3", 1, "1\n")))
    out = tmp_path / "out.ipynb"
    assert main(["merge", str(base), str(ours), str(theirs), "-o", str(out)]) == 1
    text = out.read_text(encoding="utf-8")
    assert "<<<<<<< ours\n    x = 2\n=======\n    x = 3\n>>>>>>> theirs\n" in text
    assert capsys.readouterr().err.splitlines()[0] == (
        f"{out}: 1 conflict (1 marked); 0 cells changed on both sides, 0 output decisions"
    )
    assert main(["check", str(out)]) == 1


def test_the_merge_command_takes_an_empty_base_and_names_unreadable_sides(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    ours = write(tmp_path / "ours.ipynb", notebook(ran("x", 1, "1\n")))
    assert main(["merge", str(empty), str(ours), str(ours)]) == 0
    broken = tmp_path / "broken.jupyter"
    broken.write_text("nbformat 4\nnbformat_minor 5\nbogus\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["merge", str(empty), str(broken), str(ours)]) == 1
    assert capsys.readouterr().err.startswith(f"{broken}:3:1: ")
    assert main(["merge", str(empty), str(tmp_path / "missing.ipynb"), str(ours)]) == 1
    assert "missing.ipynb: No such file or directory" in capsys.readouterr().err


def test_settings_come_from_flags_then_git_then_pyproject(tmp_path: Path) -> None:
    table = {"merge": {"both-ran": "theirs", "combined-source": "ours"}}
    settings = settings_from(table, {"combined-source": "theirs"}, {"both-ran": None}, "p")
    assert settings == MergeSettings(both_ran="theirs", combined_source="theirs")
    flagged = settings_from(table, {}, {"both-ran": "conflict"}, "p")
    assert flagged.both_ran == "conflict"
    assert settings_from(None, {}, {}, "") == MergeSettings()
    with pytest.raises(ConfigError, match=r"p: \[tool.jupyter-format.merge\] must be a table"):
        settings_from({"merge": 1}, {}, {}, "p")
    with pytest.raises(ConfigError, match="unknown setting 'both'"):
        settings_from({}, {"both": "ours"}, {}, "p")
    with pytest.raises(ConfigError, match="both-ran must be a string"):
        settings_from({"merge": {"both-ran": 1}}, {}, {}, "p")


def test_the_merge_command_reads_pyproject_and_refuses_bad_settings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    subprocess.run(["git", "init", "-q"], check=True)
    (tmp_path / "pyproject.toml").write_text(
        "[tool.jupyter-format]\ndrop-timing = false\n"
        '[tool.jupyter-format.merge]\nboth-ran = "theirs"\n',
        encoding="utf-8",
    )
    base = write(tmp_path / "base.ipynb", notebook(ran("x", 1, "1\n")))
    ours = write(tmp_path / "ours.ipynb", notebook(ran("x", 2, "2\n")))
    theirs = write(tmp_path / "theirs.ipynb", notebook(ran("x", 3, "3\n")))
    assert main(["merge", str(base), str(ours), str(theirs)]) == 0
    assert printed_notebook(capsys).cells[0].execution_count == 3
    subprocess.run(["git", "config", "jupyter-format.merge.both-ran", "sideways"], check=True)
    assert main(["merge", str(base), str(ours), str(theirs)]) == 1
    assert capsys.readouterr().err == (
        "merge settings: both-ran must be one of ours, theirs, conflict, not 'sideways'\n"
    )


# --- invalid notebooks merge as well as they can ----------------------------------


def test_odd_cells_merge_as_values() -> None:
    base = {"cell_type": "code", "id": "c", "source": 1, "metadata": [], "outputs": []}
    ours = {**base, "source": 2}
    theirs = {**base, "source": 3}
    merged = merge_notebooks(
        {**notebook(), "cells": [base]},
        {**notebook(), "cells": [ours]},
        {**notebook(), "cells": [theirs]},
    )
    assert merged.conflicts == ["cell c: source"]
    assert (merged.ours["cells"], merged.theirs["cells"]) == ([ours], [theirs])


def test_a_cell_type_conflict_keeps_the_code_sides_run() -> None:
    base = dict(v4.new_markdown_cell("x", id="c"))
    ours = ran("x", 1, "1\n")
    theirs = {**base, "cell_type": "raw"}
    merged = merge_notebooks(notebook(base), notebook(ours), notebook(theirs))
    assert merged.conflicts == ["cell c: cell_type"]
    assert (merged.ours["cells"], merged.theirs["cells"]) == ([ours], [theirs])


def test_cells_without_ids_of_other_shapes_are_never_alike() -> None:
    base = [
        *cells("a 0", ids=False),
        {"cell_type": "markdown", "source": 1, "metadata": {}},
        "not a cell",
    ]
    ours = [*cells("a 1", ids=False), {"cell_type": "raw", "source": "b", "metadata": {}}, "odd"]
    keys = jupyter_format._merge.matching.cell_keys(base, ours, base)
    assert keys[0] == keys[2] == ["base:0", "base:1", "base:2"]
    assert keys[1][0] == "base:0"
    assert all(key.startswith("new:") for key in keys[1][1:])


def test_cells_from_a_44_side_get_ids_in_a_45_merge(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Theirs moved to nbformat 4.5 (cell ids), ours added a cell without one."""
    old = notebook(dict(v4.new_markdown_cell("a", id="x")))
    del old["cells"][0]["id"]
    old["nbformat_minor"] = 4
    ours = copy.deepcopy(old)
    ours["cells"].append({"cell_type": "markdown", "metadata": {}, "source": "b"})
    theirs = notebook(dict(v4.new_markdown_cell("a", id="x")))
    paths = [
        write(tmp_path / f"{name}.ipynb", nb)
        for name, nb in (("base", old), ("ours", ours), ("theirs", theirs))
    ]
    output = tmp_path / "merged.ipynb"
    assert main(["merge", *map(str, paths), "-o", str(output)]) == 0
    assert "1 cells from a side of nbformat 4.4 given ids (the merge is 4.5)" in (
        capsys.readouterr().err
    )
    merged = nbformat.read(output, 4)
    nbformat.validate(merged)
    assert [cell.id for cell in merged.cells] == ["x", derived_id(ours["cells"][1], {"x"})]
    assert [cell.source for cell in merged.cells] == ["a", "b"]


def test_a_merge_that_would_make_valid_sides_invalid_is_not_clean(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Ours made a markdown cell code, theirs gave it an attachment: code cells have none."""
    base = notebook(dict(v4.new_markdown_cell("![a](attachment:a.png)", id="a")))
    ours = notebook(dict(v4.new_code_cell("print('a')", id="a")))
    theirs = copy.deepcopy(base)
    theirs["cells"][0]["attachments"] = {"a.png": {"image/png": "iVBORw0KGgo="}}
    merged = merge_sides(
        nbformat.from_dict(base),
        (nbformat.from_dict(ours), True),
        (nbformat.from_dict(theirs), True),
        target=Format.IPYNB,
    )
    assert not merged.clean
    assert merged.notebook is None
    assert any("the merged notebook is invalid" in line for line in merged.report), merged.report


def test_cells_without_a_source_merge_their_other_fields() -> None:
    base = {"cell_type": "raw", "id": "r", "metadata": {}}
    ours, theirs = {**base, "metadata": {"a": 1}}, {**base, "extra": 2}
    merged = merge_notebooks(
        {**notebook(), "cells": [base]},
        {**notebook(), "cells": [ours]},
        {**notebook(), "cells": [theirs]},
    )
    assert merged.ours["cells"] == [
        {"cell_type": "raw", "id": "r", "metadata": {"a": 1}, "extra": 2}
    ]


@pytest.mark.parametrize(
    ("base", "ours", "theirs", "merged"),
    [
        ("a\nb", "a!\nb", "a\nb\nc", "a!\nb\nc"),
        ("a\nb", "a!\nb", "a\nb\n", "a!\nb\n"),
        ("a\nb\n", "a\nb", "a!\nb\n", "a!\nb"),
        ("", "x", "", "x"),
    ],
)
def test_a_last_line_without_a_newline_is_still_that_line(
    base: str, ours: str, theirs: str, merged: str
) -> None:
    (cell,), _, conflicts, _ = merge_cell(
        ran(base, 1, None), ran(ours, 1, None), ran(theirs, 1, None)
    )
    assert (cell["source"], conflicts) == (merged, [])


def test_the_merge_command_needs_no_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    base = write(tmp_path / "base.ipynb", notebook(ran("x", 1, "1\n")))
    ours = write(tmp_path / "ours.ipynb", notebook(ran("x", 2, "2\n")))
    monkeypatch.setenv("PATH", str(tmp_path / "no-git-here"))
    assert main(["merge", str(base), str(ours), str(base)]) == 0
    assert printed_notebook(capsys).cells[0].execution_count == 2


def test_the_merge_command_reads_sides_by_the_rule_of_every_entry_point(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Content first, then the suffix: an empty .jupyter side is an empty .jupyter file."""
    empty = tmp_path / "empty.jupyter"
    empty.write_bytes(b"")
    ours = write(tmp_path / "ours.ipynb", notebook(ran("x", 1, "1\n")))
    assert main(["merge", str(ours), str(empty), str(ours)]) == 1
    assert capsys.readouterr().err == (
        f"{empty}:1:1: the file is empty; a .jupyter file starts with 'nbformat 4'\n"
    )


def test_a_cell_one_side_moved_and_the_other_edited_moves_with_the_edit() -> None:
    md = v4.new_markdown_cell
    base = notebook(dict(md("m", id="m")), dict(v4.new_code_cell("x", id="c")))
    ours = notebook(dict(v4.new_code_cell("x", id="c")), dict(md("m\nz", id="m")))
    theirs = notebook(dict(md("m", id="m")), dict(v4.new_code_cell("x\nw", id="c")))
    merged = merge_notebooks(base, ours, theirs)
    assert merged.clean, merged.conflicts
    assert [(cell["id"], cell["source"]) for cell in merged.ours["cells"]] == [
        ("c", "x\nw"),
        ("m", "m\nz"),
    ]


def test_a_cell_both_sides_moved_to_different_places_is_one_conflict_per_place() -> None:
    md = v4.new_markdown_cell
    cells = [dict(md("b\ny", id="c0")), dict(v4.new_code_cell("", id="c1"))]
    moved = dict(v4.new_code_cell("b", id="c2"))
    base = notebook(*cells, moved)
    ours = notebook(moved, {**cells[0], "source": "b\ny\nz"}, cells[1])
    theirs = notebook(cells[0], {**moved, "source": "b\nw"}, {**cells[1], "source": "\nz"})
    merge = merge_files(
        *(jupyter_format.writes(nb).encode() for nb in (base, ours, theirs)), target=Format.JUPYTER
    )
    assert not merge.clean
    assert "conflict: cell c2: the sides put this cell in different places" in merge.report
    # Each side of the conflict text is a valid notebook: the cell is there once.
    for side in split_conflicts(merge.text()):
        nb = jupyter_format.reads(side)
        assert [cell.id for cell in nb.cells].count("c2") == 1


def test_a_cell_one_side_moved_and_the_other_deleted_is_a_conflict() -> None:
    a, b, c = (dict(v4.new_code_cell(name, id=name)) for name in "abc")
    merged = merge_notebooks(notebook(a, b, c), notebook(c, a, b), notebook(a, b))
    assert merged.conflicts == ["cell c: one side moved cell c, which the other deleted"]
    assert [cell["id"] for cell in merged.ours["cells"]] == ["c", "a", "b"]
    assert [cell["id"] for cell in merged.theirs["cells"]] == ["a", "b"]


def test_cells_one_side_moved_and_the_other_reordered_conflict() -> None:
    a, b, c = (dict(v4.new_code_cell(name, id=name)) for name in "abc")
    merged = merge_notebooks(notebook(c, a, b), notebook(a, b, c), notebook(c, b, a))
    assert not merged.clean
    for side in (merged.ours, merged.theirs):
        ids = [cell["id"] for cell in side["cells"]]
        assert sorted(ids) == ["a", "b", "c"]  # every cell once on each side
