"""Sphinx: .jupyter notebooks as pages, with nbsphinx and with MyST-NB."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from sphinx.cmd.build import main as sphinx_build

import jupyter_format

NOTEBOOK_EXTENSIONS = ["nbsphinx", "myst_nb"]
#: Each extension's settings to show stored outputs only, or to run every notebook.
NEVER_RUN = {"nbsphinx": "nbsphinx_execute = 'never'\n", "myst_nb": "nb_execution_mode = 'off'\n"}
ALWAYS_RUN = {
    "nbsphinx": "nbsphinx_execute = 'always'\n",
    "myst_nb": "nb_execution_mode = 'force'\n",
}


def notebook(with_outputs: bool) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nb.cells.append(nbformat.v4.new_markdown_cell("# A page from a .jupyter file", id="title"))
    cell = nbformat.v4.new_code_cell("print('stored', 6 * 7)", id="code")
    if with_outputs:
        cell.execution_count = 1
        cell.outputs.append(nbformat.v4.new_output("stream", text="stored 42\n"))
    nb.cells.append(cell)
    return nb


def project(tmp_path: Path, extension: str, settings: str = "", *, ours: bool = True) -> Path:
    source = tmp_path / "source"
    source.mkdir()
    extensions = [extension, "jupyter_format.sphinx"] if ours else [extension]
    (source / "conf.py").write_text(
        f"project = 'test'\nextensions = {extensions!r}\n"
        "exclude_patterns = ['_build']\n" + settings,
        encoding="utf-8",
    )
    (source / "index.rst").write_text("Test\n====\n\n.. toctree::\n\n   page\n", encoding="utf-8")
    return source


def build(source: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    out = source.parent / "html"
    arguments = ["-b", "html", "-q", "-E", str(source), str(out)]
    if "myst_nb" in (source / "conf.py").read_text(encoding="utf-8"):
        # MyST-NB cannot be set up in a process where nbsphinx was (both claim
        # Sphinx's "jupyter_notebook" file type): a process of its own.
        result = subprocess.run(
            [sys.executable, "-m", "sphinx", *arguments],
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        status, err = result.returncode, result.stderr
    else:
        status = sphinx_build(arguments)
        err = capsys.readouterr().err
    page = out / "page.html"
    html = page.read_text(encoding="utf-8") if page.exists() else ""
    return status, html, err


@pytest.mark.parametrize("extension", NOTEBOOK_EXTENSIONS)
def test_stored_outputs_are_shown(
    tmp_path: Path, extension: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = project(tmp_path, extension, NEVER_RUN[extension])
    jupyter_format.write(notebook(with_outputs=True), source / "page.jupyter")
    status, html, err = build(source, capsys)
    assert status == 0, err
    assert "A page from a .jupyter file" in html
    assert "stored 42" in html


@pytest.mark.parametrize("extension", NOTEBOOK_EXTENSIONS)
def test_notebooks_run_during_the_build(
    tmp_path: Path, extension: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = project(tmp_path, extension, ALWAYS_RUN[extension])
    jupyter_format.write(notebook(with_outputs=False), source / "page.jupyter")
    status, html, err = build(source, capsys)
    assert status == 0, err
    assert "stored 42" in html
    # The source stays as it was: outputs go to the pages only.
    assert jupyter_format.read(source / "page.jupyter") == notebook(with_outputs=False)


@pytest.mark.parametrize("extension", NOTEBOOK_EXTENSIONS)
def test_a_file_that_does_not_parse_fails_the_build(
    tmp_path: Path, extension: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = project(tmp_path, extension)
    (source / "page.jupyter").write_text(
        "nbformat 4\nnbformat_minor 5\nmarkdown id=a\n    text\n stream stdout\n", encoding="utf-8"
    )
    status, html, err = build(source, capsys)
    assert status != 0
    assert "Unreadable .jupyter notebook" in err
    assert "page.jupyter:5:1: expected an attachment, cell_metadata, a new cell" in err
    assert html == ""


def test_without_the_extension_nbsphinx_hides_the_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Why the extension exists: nbsphinx alone reads a broken file as reST, silently."""
    settings = "nbsphinx_custom_formats = {'.jupyter': 'jupyter_format.reads'}\n"
    source = project(tmp_path, "nbsphinx", settings, ours=False)
    (source / "page.jupyter").write_text("nbformat 4\nnbformat_minor 5\nbogus\n")
    status, html, _ = build(source, capsys)
    assert status == 0
    assert "bogus" in html


def test_settings_of_the_project_are_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A project that already reads .jupyter files its own way keeps its reader.
    settings = NEVER_RUN["nbsphinx"] + (
        "nbsphinx_custom_formats = {'.jupyter': ('jupyter_format.reads', {'validate': False})}\n"
    )
    source = project(tmp_path, "nbsphinx", settings)
    jupyter_format.write(notebook(with_outputs=True), source / "page.jupyter")
    status, html, err = build(source, capsys)
    assert status == 0, err
    assert "stored 42" in html


def test_the_extension_needs_a_notebook_extension(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "source"
    source.mkdir()
    (source / "conf.py").write_text("extensions = ['jupyter_format.sphinx']\n", encoding="utf-8")
    (source / "index.rst").write_text("Test\n====\n", encoding="utf-8")
    status = sphinx_build(["-b", "html", "-q", str(source), str(tmp_path / "html")])
    assert status != 0
    assert 'add "nbsphinx" or "myst_nb" to extensions in conf.py' in capsys.readouterr().err


def test_other_documents_are_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = project(tmp_path, "myst_nb", NEVER_RUN["myst_nb"])
    shutil.copy(Path(__file__).parents[1] / "examples" / "demo.ipynb", source / "page.ipynb")
    status, html, err = build(source, capsys)
    assert status == 0, err
    assert "Figure layouts with GridSpec" in html
