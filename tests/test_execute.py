"""jupyter-format execute: run notebooks in place with nbclient, keeping their format."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest

import jupyter_format
from jupyter_format import _execute
from jupyter_format._cli import main


def notebook(*sources: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nb.cells.append(nbformat.v4.new_markdown_cell("# Run me", id="title"))
    for index, source in enumerate(sources):
        nb.cells.append(nbformat.v4.new_code_cell(source, id=f"c{index}"))
    return nb


def test_a_jupyter_file_runs_in_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "run.jupyter"
    jupyter_format.write(notebook("import os\nprint(os.getcwd())", "6 * 7"), path)
    assert main(["execute", str(path)]) == 0
    assert capsys.readouterr().err.endswith(f"{path}: executed 2 code cells\n")
    ran = jupyter_format.read(path)
    first, second = ran.cells[1], ran.cells[2]
    # The kernel starts in the notebook's directory.
    assert first.outputs[0].text == f"{tmp_path}\n"
    assert (first.execution_count, second.execution_count) == (1, 2)
    assert second.outputs[0].data["text/plain"] == "42"
    assert "execution" not in first.metadata  # no timing unless asked: it changes every run
    nbformat.validate(ran)


def test_an_ipynb_file_stays_json(tmp_path: Path) -> None:
    path = tmp_path / "run.ipynb"
    nbformat.write(notebook("print('hi')"), path)
    assert main(["execute", "--quiet", "--record-timing", str(path)]) == 0
    ran = json.loads(path.read_text(encoding="utf-8"))
    assert ran["cells"][1]["outputs"][0]["text"] == ["hi\n"]
    assert "execution" in ran["cells"][1]["metadata"]


def test_a_failing_cell_stops_the_run_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "fails.jupyter"
    jupyter_format.write(notebook("x = 1", "1 / 0", "print('never')"), path)
    before = path.read_bytes()
    assert main(["execute", str(path)]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"{path}: cell 3 (id c1) raised ZeroDivisionError: division by zero "
        "(not saved; --allow-errors keeps errors as outputs)"
    )
    assert path.read_bytes() == before


def test_allow_errors_keeps_them_as_outputs(tmp_path: Path) -> None:
    path = tmp_path / "fails.jupyter"
    jupyter_format.write(notebook("1 / 0", "print('after')"), path)
    assert main(["execute", "--allow-errors", str(path)]) == 0
    ran = jupyter_format.read(path)
    assert ran.cells[1].outputs[0].ename == "ZeroDivisionError"
    assert ran.cells[2].outputs[0].text == "after\n"


def test_a_cell_that_runs_too_long(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "slow.jupyter"
    jupyter_format.write(notebook("import time\ntime.sleep(30)"), path)
    before = path.read_bytes()
    assert main(["execute", "--timeout", "1", str(path)]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"{path}: cell 2 (id c0) ran longer than 1 seconds (not saved)"
    )
    assert path.read_bytes() == before


def test_a_dying_kernel(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "dies.jupyter"
    jupyter_format.write(notebook("import os\nos._exit(1)"), path)
    assert main(["execute", str(path)]) == 1
    assert "the kernel died: " in capsys.readouterr().err


def test_kernels_by_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "named.jupyter"
    nb = notebook("import sys\nprint(sys.version_info[0])")
    del nb.metadata["kernelspec"]
    jupyter_format.write(nb, path)
    assert main(["execute", "--kernel", "no-such-kernel", str(path)]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"{path}: no kernel named 'no-such-kernel' is installed"
    )
    assert main(["execute", "--kernel", "python3", str(path)]) == 0
    assert jupyter_format.read(path).cells[1].outputs[0].text == "3\n"


def test_files_that_cannot_run_are_reported_and_the_rest_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.jupyter"
    broken.write_text("nbformat 4\nnbformat_minor 5\nbogus\n", encoding="utf-8")
    invalid = tmp_path / "invalid.jupyter"
    invalid.write_text(
        'nbformat 4\nnbformat_minor 5\nraw id=a\n cell_metadata\n    {"tags": 1}\n'
        "notebook_metadata\n    {}\n",
        encoding="utf-8",
    )
    not_json = tmp_path / "text.ipynb"
    not_json.write_text("{", encoding="utf-8")
    fine = tmp_path / "fine.txt"  # an unknown suffix: the content tells
    jupyter_format.write(notebook("print('fine')"), fine)
    missing = tmp_path / "missing.jupyter"
    paths = [broken, invalid, not_json, missing, fine]
    assert main(["execute", *map(str, paths)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"{broken}: 3:1: expected a cell ")
    assert err[1].startswith(f"{invalid}: not run: 4:2: invalid notebook")
    assert err[2].startswith(f"{not_json}: 1:2: not a notebook: invalid JSON")
    assert err[3] == f"{missing}: No such file or directory"
    assert err[-1] == f"{fine}: executed 1 code cells"
    assert jupyter_format.read(fine).cells[1].outputs[0].text == "fine\n"
    unknown_position = tmp_path / "future.ipynb"
    unknown_position.write_text('{"nbformat": 99, "nbformat_minor": 0}', encoding="utf-8")
    assert main(["execute", str(unknown_position)]) == 1
    assert capsys.readouterr().err == (
        f"{unknown_position}: not a notebook: Unsupported nbformat version 99\n"
    )


def test_project_settings_apply_to_the_jupyter_file_written(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.jupyter-format]\ndrop-execution-counts = true\n", encoding="utf-8"
    )
    path = tmp_path / "quiet.jupyter"
    jupyter_format.write(notebook("print('x')"), path)
    assert main(["execute", str(path)]) == 0
    ran = jupyter_format.read(path)
    assert ran.cells[1].execution_count is None
    assert ran.cells[1].outputs[0].text == "x\n"


def test_a_failed_save_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "run.jupyter"
    jupyter_format.write(notebook("1"), path)
    before = path.read_bytes()

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_execute, "save_verified", full_disk)
    assert main(["execute", str(path)]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"{path}: not saved: [Errno 28] No space left on device"
    )
    assert path.read_bytes() == before


def test_usage_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(["execute", "--timeout", "0", "x.jupyter"])
    assert "not a positive whole number: '0'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["execute", "--timeout", "soon", "x.jupyter"])
    monkeypatch.setitem(sys.modules, "nbclient", None)
    assert main(["execute", "x.jupyter"]) == 2
    assert "needs nbclient: pip install 'jupyter-format[nbconvert]'" in capsys.readouterr().err
