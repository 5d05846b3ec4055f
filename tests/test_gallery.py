"""The gallery: real-world notebooks stored with their outputs, lossless, and still running.

Each notebook is checked twice: as stored (executed in full), and freshly run
here by nbclient in quick mode (``JUPYTER_FORMAT_GALLERY_QUICK=1``: smaller
experiments, same cells).  Both must hold the figures and tables the notebook
promises.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat
import pytest
from nbclient import NotebookClient

import jupyter_format

if TYPE_CHECKING:
    from collections.abc import Callable

GALLERY = Path(__file__).resolve().parents[1] / "docs" / "gallery"


def cell(nb: Any, cell_id: str) -> Any:
    return next(c for c in nb.cells if c.get("id") == cell_id)


def outputs(nb: Any) -> list[Any]:
    return [output for c in nb.cells for output in c.get("outputs", [])]


def stream(nb: Any, cell_id: str, name: str = "stdout") -> str:
    return "".join(
        o.text for o in cell(nb, cell_id).outputs if o.output_type == "stream" and o.name == name
    )


def data(nb: Any, cell_id: str, mime: str = "text/plain") -> str:
    return "".join(o.get("data", {}).get(mime, "") for o in cell(nb, cell_id).outputs)


def figures(nb: Any) -> list[Any]:
    return [o for o in outputs(nb) if "image/png" in o.get("data", {})]


def check_common(nb: Any) -> None:
    nbformat.validate(nb)
    assert not [o for o in outputs(nb) if o.output_type == "error"]
    assert nb.metadata.kernelspec.name == "python3"


def check_gridspec(nb: Any, quick: bool) -> None:
    check_common(nb)
    assert '%config InlineBackend.figure_formats = ["png", "svg"]' in cell(nb, "setup").source
    images = figures(nb)
    assert len(images) == 14
    assert all("image/svg+xml" in o.data for o in images)
    assert all(o.data["image/svg+xml"].lstrip().startswith("<?xml") for o in images)
    assert stream(nb, "ratios-figure").startswith(
        "GridSpec(2, 2, height_ratios=[1, 4], width_ratios=[4, 1])"
    )
    assert "gs[4] == gs[1, 1]: True" in stream(nb, "spans-figure")
    assert "main == gs[0:2, 1:4]: True" in stream(nb, "new-subplotspec")
    assert "GridSpecFromSubplotSpec" in stream(nb, "nested")
    sharing = stream(nb, "subplots-sharing")
    assert "sharex=sharey='row'   x shared: [00 01] [10 11]" in sharing
    assert "sharex=sharey='col'   x shared: [00 10] [01 11]" in sharing
    for mode in ("False", "True", "'all'", "'none'"):
        assert f"sharex=sharey={mode}" in sharing
    for edge in ("bottoms:", "tops:", "lefts:", "rights:"):
        assert edge in stream(nb, "grid-positions")
    assert "set on the grid: ['left', 'right', 'wspace']" in stream(nb, "subplot-params")
    assert "set on the grid:" in stream(nb, "tight-layout")
    assert "layout engine: ConstrainedLayoutEngine" in stream(nb, "constrained-layout")


def check_mhist(nb: Any, quick: bool) -> None:
    check_common(nb)
    table_1 = data(nb, "table-1")
    for count in ("2162", "990", "3152", "2175", "977"):
        assert count in table_1
    assert "<table" in data(nb, "table-1", "text/html")
    assert "agreement with majority 83.2%, pairwise 72.9%" in stream(nb, "agreement")
    assert "67.4 ± 3.1" in data(nb, "table-2")
    assert "92.7 ± 0.4" in data(nb, "table-3")
    assert "85.1 ± 0.8" in data(nb, "table-4")
    assert "x 63 features" in stream(nb, "features")
    # The protocol's tqdm progress bar, finished.
    progress = stream(nb, "run-protocol", "stderr")
    assert "protocol runs" in progress
    assert "100%" in progress
    assert [
        c.id for c in nb.cells if any(o.get("name") == "stderr" for o in c.get("outputs", []))
    ] == ["run-protocol"]
    results = data(nb, "results", "text/html")
    for header in ("n per class", "filter", "AUC (%)", "mean", "std", "seeds"):
        assert f"<th>{header}</th>" in results or f">{header}<" in results
    assert len(figures(nb)) >= 7
    setup = stream(nb, "setup")
    assert setup.startswith("mode: quick" if quick else "mode: full")
    assert "data: synthetic stand-in" in setup


def check_numfocus(nb: Any, quick: bool) -> None:
    check_common(nb)
    revenue = data(nb, "revenue")
    assert "$5,140,483.54" in revenue
    assert "$3,154,332.00" in revenue
    assert "<table" in data(nb, "revenue", "text/html")
    assert "$3,810,970.63" in data(nb, "expenses")
    assert "$2,099,691.00" in data(nb, "grants")
    assert "64.8" in data(nb, "years-growth")
    charts = [
        c.id
        for c in nb.cells
        if any("image/png" in o.get("data", {}) for o in c.get("outputs", []))
    ]
    assert charts == ["revenue-chart", "expenses-chart", "years-chart", "grants-chart"]


GALLERY_CHECKS: dict[str, Callable[[Any, bool], None]] = {
    "gridspec": check_gridspec,
    "mhist": check_mhist,
    "numfocus-2020": check_numfocus,
}


@pytest.mark.parametrize("name", list(GALLERY_CHECKS))
def test_stored_notebook_is_lossless_and_holds_its_results(name: str) -> None:
    path = GALLERY / f"{name}.jupyter"
    text = path.read_text(encoding="utf-8")
    nb = jupyter_format.reads(text)
    assert jupyter_format.writes(nb) == text  # stored in canonical form
    # Through .ipynb and back: the same notebook.
    assert jupyter_format.writes(nbformat.reads(nbformat.writes(nb), as_version=4)) == text
    GALLERY_CHECKS[name](nb, False)


@pytest.mark.parametrize("name", list(GALLERY_CHECKS))
def test_notebook_runs_and_reproduces_its_results(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JUPYTER_FORMAT_GALLERY_QUICK", "1")  # the kernel inherits it
    nb = jupyter_format.read(GALLERY / f"{name}.jupyter")
    for code in (c for c in nb.cells if c.cell_type == "code"):
        code.outputs, code.execution_count = [], None
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(GALLERY)}}
    ).execute()
    _merge_streams(nb)
    GALLERY_CHECKS[name](nb, True)
    assert jupyter_format.reads(jupyter_format.writes(nb)) == nb


def _merge_streams(nb: Any) -> None:
    """Join consecutive stream outputs of one name, as the stored notebooks are."""
    for code in (c for c in nb.cells if c.cell_type == "code"):
        merged: list[Any] = []
        for output in code.outputs:
            previous = merged[-1] if merged else None
            if (
                previous is not None
                and output.output_type == previous.output_type == "stream"
                and output.name == previous.name
            ):
                previous.text += output.text
            else:
                merged.append(output)
        code.outputs = merged
