"""nbconvert: --to jupyter and --to FORMAT-from-jupyter, through the real command line."""

from __future__ import annotations

import importlib.util
import io
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbconvert.exporters import get_export_names, get_exporter

import jupyter_format
from jupyter_format import exporters

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

#: What each exporter writes from demo.jupyter, and a piece of text proving
#: it came from the notebook.
OUTPUTS = {
    "html": ("demo.html", "Figure layouts with GridSpec"),
    "slides": ("demo.slides.html", "Figure layouts with GridSpec"),
    "markdown": ("demo.md", "# Figure layouts with GridSpec"),
    "rst": ("demo.rst", "Figure layouts with GridSpec"),
    "script": ("demo.py", "import matplotlib"),
    "python": ("demo.py", "import matplotlib"),
    "latex": ("demo.tex", r"\label{figure-layouts-with-gridspec}"),
    "asciidoc": ("demo.asciidoc", "Figure layouts with GridSpec"),
    "pdf": ("demo.pdf", "%PDF"),
    "webpdf": ("demo.pdf", "%PDF"),
    "qtpdf": ("demo.pdf", "%PDF"),
    "qtpng": ("demo.png", "PNG"),
}


def missing_tool(name: str) -> str | None:
    """Why nbconvert's *name* exporter cannot run on this machine, if it cannot."""
    if name == "pdf" and not shutil.which("xelatex"):
        return "nbconvert's pdf exporter needs xelatex (TeX Live), which is not installed"
    if name == "webpdf":
        return (
            "nbconvert's webpdf exporter launches Playwright's own Chromium build, which is "
            "not downloaded here, and has no setting to use /usr/bin/chromium instead"
        )
    if name in ("qtpdf", "qtpng") and importlib.util.find_spec("PyQt5") is None:
        return f"nbconvert's {name} exporter needs PyQtWebEngine, which is not installed"
    return None


def nbconvert(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=300,
    )


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    shutil.copy(EXAMPLES / "demo.jupyter", tmp_path / "demo.jupyter")
    return tmp_path / "demo.jupyter"


def test_every_exporter_of_nbconvert_has_a_from_jupyter_twin() -> None:
    names = set(get_export_names())
    shipped = {name for name in names if not name.endswith("-from-jupyter")} - {
        "custom",
        "jupyter",
    }
    assert shipped <= set(OUTPUTS) | {"notebook"}
    for name in shipped:
        twin = get_exporter(f"{name}-from-jupyter")
        assert issubclass(twin, exporters.JupyterImportMixin)
        assert issubclass(twin, get_exporter(name))
    assert get_exporter("ipynb-from-jupyter") is exporters.NotebookExporter
    assert get_exporter("jupyter") is exporters.JupyterExporter


def test_to_jupyter(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "demo.ipynb", tmp_path / "demo.ipynb")
    result = nbconvert("--to", "jupyter", "demo.ipynb", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Writing" in result.stderr
    written = (tmp_path / "demo.jupyter").read_text(encoding="utf-8")
    assert written == (EXAMPLES / "demo.jupyter").read_text(encoding="utf-8")


def test_to_jupyter_from_jupyter_does_not_overwrite_the_source(demo: Path) -> None:
    result = nbconvert("--to", "jupyter", "demo.jupyter", cwd=demo.parent)
    assert result.returncode == 0, result.stderr
    assert (demo.parent / "demo.nbconvert.jupyter").read_text(encoding="utf-8") == (
        demo.read_text(encoding="utf-8")
    )


@pytest.mark.parametrize("name", ["ipynb", "notebook"])
def test_back_to_ipynb(demo: Path, name: str) -> None:
    result = nbconvert("--to", f"{name}-from-jupyter", "demo.jupyter", cwd=demo.parent)
    assert result.returncode == 0, result.stderr
    # Named as the original documentation shows: demo.ipynb, not demo.nbconvert.ipynb.
    assert (demo.parent / "demo.ipynb").read_bytes() == (EXAMPLES / "demo.ipynb").read_bytes()


@pytest.mark.parametrize("name", sorted(OUTPUTS))
def test_from_jupyter(demo: Path, name: str) -> None:
    reason = missing_tool(name)
    if reason is not None:
        pytest.skip(reason)
    output, proof = OUTPUTS[name]
    result = nbconvert("--to", f"{name}-from-jupyter", "demo.jupyter", cwd=demo.parent)
    assert result.returncode == 0, result.stderr
    data = (demo.parent / output).read_bytes()
    assert proof.encode() in data
    # The same as nbconvert makes of the .ipynb file (pages carry no date to compare).
    if name in ("markdown", "rst", "script", "python", "asciidoc"):
        shutil.copy(EXAMPLES / "demo.ipynb", demo.parent / "reference.ipynb")
        assert nbconvert("--to", name, "reference.ipynb", cwd=demo.parent).returncode == 0
        reference = (demo.parent / output.replace("demo", "reference")).read_bytes().decode()
        assert data.decode("utf-8") == reference.replace("reference", "demo")


def test_preprocessors_apply(demo: Path) -> None:
    result = nbconvert(
        "--to", "jupyter", "--ClearOutputPreprocessor.enabled=True", "demo.jupyter",
        cwd=demo.parent,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    cleared = jupyter_format.read(demo.parent / "demo.nbconvert.jupyter")
    assert all(not cell.get("outputs") for cell in cleared.cells)
    assert any(cell.get("outputs") for cell in jupyter_format.read(demo).cells)


def test_execute_through_nbconvert(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nb.cells.append(nbformat.v4.new_code_cell("print(6 * 7)", id="answer"))
    jupyter_format.write(nb, tmp_path / "run.jupyter")
    result = nbconvert(
        "--to", "jupyter", "--execute", "--output", "ran", "run.jupyter", cwd=tmp_path
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    ran = jupyter_format.read(tmp_path / "ran.jupyter")
    assert ran.cells[0].outputs[0].text == "42\n"


def test_a_file_that_does_not_parse_fails_with_its_position(tmp_path: Path) -> None:
    (tmp_path / "broken.jupyter").write_text("nbformat 4\nnbformat_minor 5\nbogus\n")
    result = nbconvert("--to", "html-from-jupyter", "broken.jupyter", cwd=tmp_path)
    assert result.returncode == 1
    # One line for the error, no traceback of nbconvert's internals.
    assert result.stderr.splitlines()[1:] == [
        "[NbConvertApp] ERROR | broken.jupyter:3:1: expected a cell (markdown, code, raw or "
        "cell_json) or 'notebook_metadata', got 'bogus'"
    ]
    assert not (tmp_path / "broken.html").exists()


def test_a_notebook_ipynb_cannot_hold_fails_in_one_line_and_writes_nothing(
    tmp_path: Path,
) -> None:
    (tmp_path / "surrogate.jupyter").write_text(
        "nbformat 4\nnbformat_minor 5\nmarkdown id=m\n   \\\\ud800\nnotebook_metadata\n    {}\n",
        encoding="utf-8",
    )
    result = nbconvert("--to", "ipynb-from-jupyter", "surrogate.jupyter", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[1:] == [
        "[NbConvertApp] ERROR | surrogate.jupyter: cannot be written as .ipynb: it holds a "
        "lone surrogate (U+D800), which UTF-8 files cannot hold; a .jupyter file can"
    ]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["surrogate.jupyter"]


def test_invalid_notebooks_are_refused_with_the_position() -> None:
    text = (
        "nbformat 4\nnbformat_minor 5\nmarkdown id=a\n    hi\n"
        ' cell_metadata\n    {"tags": ["x", "x"]}\nnotebook_metadata\n    {}\n'
    )
    stream = io.StringIO(text)
    stream.name = "invalid.jupyter"
    with pytest.raises(
        exporters.NotebookParseError, match=r"^invalid.jupyter:5:2: invalid notebook"
    ):
        exporters.MarkdownExporter().from_file(stream)
    cell = '{"cell_type": "raw", "id": "a", "metadata": {}, "source": "", "extra": 1}'
    stream = io.StringIO(
        f'{{"nbformat": 4, "nbformat_minor": 5, "metadata": {{}}, "cells": [{cell}]}}'
    )
    with pytest.raises(exporters.NotebookParseError, match=r"^<stream>:1:1: invalid notebook"):
        exporters.MarkdownExporter().from_file(stream)
    stream = io.StringIO('{"nbformat": 4, "nbformat_minor": 5, "cells": [}')
    with pytest.raises(
        exporters.NotebookParseError, match=r"^<stream>:1:48: not a notebook: invalid JSON"
    ):
        exporters.MarkdownExporter().from_file(stream)


def test_an_export_does_not_relax_the_checks_of_later_reads() -> None:
    # nbconvert validates what it exports with relaxed additional properties;
    # nbformat 5.7.0 then kept the relaxed validator for every later check in
    # the process, so an invalid .ipynb read after any export passed.
    exporters.MarkdownExporter().from_notebook_node(nbformat.v4.new_notebook())
    cell = '{"cell_type": "raw", "id": "a", "metadata": {}, "source": "", "extra": 1}'
    ipynb = f'{{"nbformat": 4, "nbformat_minor": 5, "metadata": {{}}, "cells": [{cell}]}}'
    with pytest.raises(exporters.NotebookParseError, match=r"^<stream>:1:1: invalid notebook"):
        exporters.MarkdownExporter().from_file(io.StringIO(ipynb))


def test_the_format_can_be_forced() -> None:
    ipynb = nbformat.writes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_raw_cell("x")]))
    exporter = exporters.JupyterExporter()
    text, _ = exporter.from_file(io.StringIO(ipynb), jupyter_format=False)
    assert text.startswith("nbformat 4\n")
    again, _ = exporter.from_file(io.StringIO(text), jupyter_format=True)
    assert again == text
    with pytest.raises(exporters.NotebookParseError, match=r"^<stream>:1:1: "):
        exporter.from_file(io.StringIO(ipynb), jupyter_format=True)


def test_the_parse_error_survives_pickling() -> None:
    import pickle

    error = exporters.NotebookParseError("expected x", 3, 4, "a.jupyter")
    again = pickle.loads(pickle.dumps(error))
    assert str(again) == "a.jupyter:3:4: expected x"
    assert (again.lineno, again.colno, again.filename) == (3, 4, "a.jupyter")
    assert isinstance(again, jupyter_format.ParseError)


def test_ipynb_to_ipynb_keeps_nbconvert_naming() -> None:
    """Only a .jupyter source gives its own name to the .ipynb written."""
    exporter = exporters.NotebookExporter()
    ipynb = nbformat.writes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_raw_cell("x")]))
    _, resources = exporter.from_file(io.StringIO(ipynb))
    assert resources["output_suffix"] == ".nbconvert"
    _, resources = exporter.from_file(io.StringIO(jupyter_format.writes(nbformat.reads(ipynb, 4))))
    assert "output_suffix" not in resources
