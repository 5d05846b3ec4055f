"""Quieter diffs, opt-in: dropping volatile fields on write ([tool.jupyter-format], CLI flags)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

import jupyter_format
from jupyter_format._cli import main
from jupyter_format._volatile import ConfigError, Volatile, volatile_for


def run_notebook() -> nbformat.NotebookNode:
    """A notebook as JupyterLab saves it after a run with timing and widgets."""
    nb = nbformat.v4.new_notebook()
    nb.metadata.update(
        {
            "kernelspec": {"name": "python3", "display_name": "Python 3"},
            "widgets": {"application/vnd.jupyter.widget-state+json": {"state": {}}},
            "varInspector": {"window_display": False},
        }
    )
    cell = nbformat.v4.new_code_cell("1 + 1", id="add", execution_count=7)
    cell.metadata.update(
        {
            "execution": {"iopub.status.busy": "2026-11-21T08:00:00.000Z"},
            "ExecuteTime": {"end_time": "2026-11-21T08:00:01.000Z"},
            "scrolled": True,
            "tags": ["keep"],
        }
    )
    cell.outputs.append(
        nbformat.v4.new_output("execute_result", {"text/plain": "2"}, execution_count=7)
    )
    cell.outputs.append(nbformat.v4.new_output("stream", text="side effect\n"))
    nb.cells.append(cell)
    nb.cells.append(nbformat.v4.new_markdown_cell("prose", id="prose", metadata={"scrolled": 1}))
    return nb


EVERYTHING = Volatile(
    execution_counts=True,
    timing=True,
    widget_state=True,
    cell_metadata=("scrolled",),
    notebook_metadata=("varInspector",),
)


def test_nothing_is_dropped_by_default() -> None:
    nb = run_notebook()
    assert not Volatile()
    assert Volatile().strip(nb) is nb


def test_strip_drops_exactly_the_fields_named() -> None:
    nb = run_notebook()
    stripped = EVERYTHING.strip(nb)
    assert nb == run_notebook()  # the caller's notebook is left alone
    code, markdown = stripped.cells
    assert code.execution_count is None
    assert code.outputs[0].execution_count is None
    assert code.outputs[1] == nb.cells[0].outputs[1]
    assert code.metadata == {"tags": ["keep"]}
    assert markdown.metadata == {}
    assert stripped.metadata == {"kernelspec": nb.metadata.kernelspec}
    nbformat.validate(stripped)


@pytest.mark.parametrize(
    ("volatile", "changed"),
    [
        (Volatile(execution_counts=True), "counts"),
        (Volatile(timing=True), "timing"),
        (Volatile(widget_state=True), "widgets"),
    ],
)
def test_each_switch_drops_only_its_own_fields(volatile: Volatile, changed: str) -> None:
    nb = run_notebook()
    stripped = volatile.strip(nb)
    assert (stripped.cells[0].execution_count is None) == (changed == "counts")
    assert ("execution" not in stripped.cells[0].metadata) == (changed == "timing")
    assert ("ExecuteTime" not in stripped.cells[0].metadata) == (changed == "timing")
    assert ("widgets" not in stripped.metadata) == (changed == "widgets")
    assert stripped.cells[0].metadata["scrolled"] is True


def test_strip_tolerates_notebooks_of_any_shape() -> None:
    odd = nbformat.from_dict(
        {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": [],
            "cells": [{"cell_type": "raw", "id": "r", "source": "", "metadata": "not a dict"}],
        }
    )
    assert EVERYTHING.strip(odd) == odd


def test_merged_is_the_union() -> None:
    first = Volatile(timing=True, cell_metadata=("a", "b"))
    second = Volatile(execution_counts=True, cell_metadata=("b", "c"), notebook_metadata=("n",))
    assert first.merged(second) == Volatile(
        execution_counts=True,
        timing=True,
        cell_metadata=("a", "b", "c"),
        notebook_metadata=("n",),
    )


def test_the_settings_table_is_read() -> None:
    table = {
        "drop-execution-counts": True,
        "drop-timing": False,
        "drop-widget-state": True,
        "drop-cell-metadata": ["scrolled", "collapsed"],
        "drop-notebook-metadata": [],
    }
    assert Volatile.from_table(table, "pyproject.toml") == Volatile(
        execution_counts=True, widget_state=True, cell_metadata=("scrolled", "collapsed")
    )


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ([], r"^p: \[tool.jupyter-format\] must be a table$"),
        (
            {"drop-outputs": True},
            r"^p: \[tool.jupyter-format\] unknown key 'drop-outputs' \(known: "
            r"drop-cell-metadata, drop-execution-counts, drop-notebook-metadata, drop-timing, "
            r"drop-widget-state\)$",
        ),
        ({"execution-counts": True}, "unknown key 'execution-counts'"),
        (
            {"drop-timing": "yes"},
            r"^p: \[tool.jupyter-format\] drop-timing must be true or false$",
        ),
        ({"drop-cell-metadata": "scrolled"}, "drop-cell-metadata must be a list of strings$"),
        ({"drop-notebook-metadata": [1]}, "drop-notebook-metadata must be a list of strings$"),
    ],
)
def test_bad_settings_are_named(table: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Volatile.from_table(table, "p")


def test_the_nearest_pyproject_with_the_table_applies(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.jupyter-format]\ndrop-timing = true\n", encoding="utf-8"
    )
    nested = tmp_path / "package" / "notebooks"
    nested.mkdir(parents=True)
    # A pyproject.toml without the table (or without any tool table) does not stop the search.
    (tmp_path / "package" / "pyproject.toml").write_text(
        '[project]\nname = "x"\n', encoding="utf-8"
    )
    assert volatile_for(nested / "a.jupyter") == Volatile(timing=True)
    (nested / "pyproject.toml").write_text(
        "[tool.jupyter-format]\ndrop-execution-counts = true\n", encoding="utf-8"
    )
    assert volatile_for(nested / "a.jupyter") == Volatile(execution_counts=True)


def test_without_settings_nothing_is_dropped(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("tool = 1\n", encoding="utf-8")
    assert volatile_for(tmp_path / "a.jupyter") == Volatile()


def test_an_unreadable_pyproject_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.jupyter-format\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"pyproject.toml: cannot be read: "):
        volatile_for(tmp_path / "a.jupyter")


# --- the command line ---------------------------------------------------------------


def test_convert_drops_what_the_flags_and_settings_name(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.jupyter-format]\ndrop-timing = true\ndrop-cell-metadata = ["scrolled"]\n',
        encoding="utf-8",
    )
    source = tmp_path / "run.ipynb"
    nbformat.write(run_notebook(), source)
    assert main(["convert", "--quiet", "--drop-execution-counts", str(source)]) == 0
    written = jupyter_format.read(tmp_path / "run.jupyter")
    assert written == Volatile(
        execution_counts=True, timing=True, cell_metadata=("scrolled",)
    ).strip(run_notebook())
    assert "execution_count" not in (tmp_path / "run.jupyter").read_text(encoding="utf-8")


def test_every_drop_flag_is_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "run.ipynb"
    nbformat.write(run_notebook(), source)
    flags = [
        "--drop-execution-counts",
        "--drop-timing",
        "--drop-widget-state",
        "--drop-cell-metadata",
        "scrolled",
        "--drop-notebook-metadata",
        "varInspector",
    ]
    assert main(["convert", "-o", "-", *flags, str(source)]) == 0
    assert jupyter_format.reads(capsys.readouterr().out) == EVERYTHING.strip(run_notebook())


def test_nothing_is_dropped_when_writing_ipynb(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.jupyter-format]\ndrop-execution-counts = true\n", encoding="utf-8"
    )
    source = tmp_path / "run.jupyter"
    jupyter_format.write(run_notebook(), source)
    assert main(["convert", "--quiet", str(source)]) == 0
    assert nbformat.read(tmp_path / "run.ipynb", as_version=4) == run_notebook()


def test_bad_settings_fail_the_conversion_and_write_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.jupyter-format]\ndrop-everything = true\n", encoding="utf-8"
    )
    source = tmp_path / "run.ipynb"
    nbformat.write(run_notebook(), source)
    assert main(["convert", str(source)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{source}: {tmp_path / 'pyproject.toml'}: [tool.jupyter-format] ")
    assert "unknown key 'drop-everything'" in err
    assert not (tmp_path / "run.jupyter").exists()

    assert main(["replace-all", "--yes", str(tmp_path)]) == 1
    assert source.is_file()
    assert not (tmp_path / "run.jupyter").exists()
    assert "unknown key 'drop-everything'" in capsys.readouterr().out


def test_replace_all_drops_what_the_flags_and_settings_name(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.jupyter-format]\ndrop-widget-state = true\n", encoding="utf-8"
    )
    nbformat.write(run_notebook(), tmp_path / "run.ipynb")
    assert main(["replace-all", "--yes", "-j", "1", "--drop-timing", str(tmp_path)]) == 0
    assert not (tmp_path / "run.ipynb").exists()
    assert jupyter_format.read(tmp_path / "run.jupyter") == Volatile(
        timing=True, widget_state=True
    ).strip(run_notebook())


def test_the_merge_settings_table_is_left_to_the_merge() -> None:
    table = {"drop-timing": True, "merge": {"both-ran": "theirs"}}
    assert Volatile.from_table(table, "pyproject.toml") == Volatile(timing=True)
