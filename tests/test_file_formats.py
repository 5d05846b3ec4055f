"""One rule for files that hold the other format than their suffix says, at every entry point.

The content decides how a file is read (``.jupyter`` text starts with
``nbformat``, JSON with ``{``); the suffix decides what is written; ``check``
reports the mismatch with the command that fixes it.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

import jupyter_format
from jupyter_format._cli import main
from jupyter_format.exporters import JupyterExporter

#: (file name, the format its content is in)
MISMATCHED = [("renamed.jupyter", "ipynb"), ("merged.ipynb", "jupyter")]


def notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("print(6 * 7)", id="answer"))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    return nb


def mismatched_file(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    nb = notebook()
    path.write_text(
        jupyter_format.serialize(nb) if content == "jupyter" else nbformat.writes(nb) + "\n",
        encoding="utf-8",
    )
    return path


def written_format(path: Path) -> str:
    return "jupyter" if path.read_bytes().startswith(b"nbformat ") else "ipynb"


@pytest.fixture(params=MISMATCHED, ids=[name for name, _ in MISMATCHED])
def mismatched(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    name, content = request.param
    return mismatched_file(tmp_path, name, content)


def test_check_reports_the_mismatch_and_the_command_that_fixes_it(
    mismatched: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(mismatched)]) == 1
    held, wanted = (
        (".ipynb JSON", ".jupyter text")
        if mismatched.suffix == ".jupyter"
        else (".jupyter text", "JSON")
    )
    to = mismatched.suffix.lstrip(".")
    assert capsys.readouterr().out.splitlines() == [
        f"{mismatched}: holds {held}, not {wanted}: "
        f"run jupyter-format convert --to {to} -- {mismatched}"
    ]
    # The command it names fixes it.
    assert main(["convert", "-q", "--to", to, "--", str(mismatched)]) == 0
    assert written_format(mismatched) == to
    assert main(["check", str(mismatched)]) == 0


def test_cat_and_git_textconv_show_the_notebook(
    mismatched: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for textconv in ([], ["--textconv"]):
        assert main(["cat", *textconv, str(mismatched)]) == 0
        assert capsys.readouterr().out == jupyter_format.serialize(notebook())


def test_convert_writes_the_format_the_suffix_says_in_place(mismatched: Path) -> None:
    assert main(["convert", "-q", str(mismatched)]) == 0
    assert written_format(mismatched) == mismatched.suffix.lstrip(".")
    assert sorted(path.name for path in mismatched.parent.iterdir()) == [mismatched.name]


def test_replace_all_converts_what_the_file_holds(mismatched: Path) -> None:
    reverse = ["--reverse"] if mismatched.suffix == ".jupyter" else []
    assert main(["replace-all", "--yes", *reverse, str(mismatched.parent)]) == 0
    (converted,) = mismatched.parent.iterdir()
    assert converted.suffix != mismatched.suffix
    assert written_format(converted) == converted.suffix.lstrip(".")


def test_nbconvert_reads_what_the_file_holds(mismatched: Path) -> None:
    text, _ = JupyterExporter().from_filename(str(mismatched))
    assert text == jupyter_format.serialize(notebook())


def test_execute_writes_the_format_the_suffix_says(mismatched: Path) -> None:
    assert main(["execute", "--timeout", "120", str(mismatched)]) == 0
    assert written_format(mismatched) == mismatched.suffix.lstrip(".")
    if mismatched.suffix == ".jupyter":
        nb = jupyter_format.read(mismatched)
    else:
        nb = nbformat.read(mismatched, as_version=4)
    assert nb.cells[0].outputs[0].text == "42\n"
