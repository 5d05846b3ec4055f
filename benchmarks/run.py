"""Speed and memory of jupyter_format against nbformat, measured in the same run.

    python benchmarks/run.py [--corpus DIR] [--repeat N] [--max-size MB] [--quick]

Part 1 reads and writes every notebook of the corpus (real notebooks; default
../shared/corpus/ipynb) with nbformat (.ipynb) and with jupyter_format
(.jupyter), with and without validation, and prints throughput and the ratio
of nbformat's time to ours (above 1: we are faster).  Times are medians of
--repeat runs over the whole corpus; these machines are noisy, so read the
ratios, and run twice before trusting a change of a few percent.

Part 2 reads and writes generated notebooks of growing size (1 KB to
--max-size MB) and prints time per MB and the peak memory while reading, as a
multiple of the file size, to show that both grow linearly.
"""

from __future__ import annotations

import argparse
import base64
import copy
import gc
import logging
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat
import nbformat.reader
import nbformat.v4

import jupyter_format

if TYPE_CHECKING:
    from collections.abc import Callable

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "ipynb"


def median_seconds(function: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def load_corpus(directory: Path) -> list[tuple[str, bytes, Any]]:
    """The corpus notebooks nbformat reads and accepts: (ipynb text, .jupyter bytes, notebook)."""
    notebooks = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        logging.disable(logging.CRITICAL)
        for path in sorted(directory.rglob("*.ipynb")):
            text = path.read_text(encoding="utf-8")
            try:
                nb = nbformat.reads(text, as_version=4)
                nbformat.validate(nb)
            except Exception:  # the benchmark takes what nbformat accepts
                continue
            notebooks.append((text, jupyter_format.serialize(nb).encode("utf-8"), nb))
        logging.disable(logging.NOTSET)
    return notebooks


def corpus_benchmark(
    notebooks: list[tuple[str, bytes, Any]], directory: Path, repeat: int
) -> None:
    ipynb_mb = sum(len(text.encode("utf-8")) for text, _, _ in notebooks) / 1e6
    jupyter_mb = sum(len(data) for _, data, _ in notebooks) / 1e6
    print(
        f"corpus: {len(notebooks)} valid notebooks, {ipynb_mb:.1f} MB as .ipynb, "
        f"{jupyter_mb:.1f} MB as .jupyter ({directory})"
    )
    print(f"median of {repeat} runs over the whole corpus\n")
    cases = [
        (
            "read, validating",
            lambda: [nbformat.reads(text, as_version=4) for text, _, _ in notebooks],
            lambda: [jupyter_format.reads(data) for _, data, _ in notebooks],
        ),
        (
            "read, not validating",
            lambda: [nbformat.convert(nbformat.reader.reads(text), 4) for text, _, _ in notebooks],
            lambda: [jupyter_format.reads(data, validate=False) for _, data, _ in notebooks],
        ),
        (
            "write, validating",
            lambda: [nbformat.writes(nb) for _, _, nb in notebooks],
            lambda: [jupyter_format.writes(nb, validate=True) for _, _, nb in notebooks],
        ),
        (
            "write, not validating",
            lambda: [nbformat.v4.writes(nb) for _, _, nb in notebooks],
            lambda: [jupyter_format.writes(nb) for _, _, nb in notebooks],
        ),
    ]
    # The loaded corpus is long-lived: keep the cycle collector from scanning it
    # again and again while either library is being timed.
    gc.collect()
    gc.freeze()
    print(f"{'':24}{'nbformat':>18}{'jupyter_format':>20}{'ratio':>9}")
    for name, theirs, ours in cases:
        with warnings.catch_warnings():
            # nbformat warns about the cell ids it repairs; printing is not what we measure.
            warnings.simplefilter("ignore")
            logging.disable(logging.CRITICAL)
            ours()  # warm up: compiles the schema validators
            their_time = median_seconds(theirs, repeat)
            our_time = median_seconds(ours, repeat)
            logging.disable(logging.NOTSET)
        print(
            f"{name:24}{their_time:7.3f} s {ipynb_mb / their_time:5.0f} MB/s"
            f"{our_time:9.3f} s {jupyter_mb / our_time:5.0f} MB/s"
            f"{their_time / our_time:8.2f}x"
        )
    print(
        "\nnbformat's default is to validate when reading and writing; jupyter_format's "
        "is to validate when reading only.\nnbformat without validation is "
        "nbformat.reader.reads + nbformat.convert, and nbformat.v4.writes."
    )


def synthetic_cells() -> list[Any]:
    """A mix of typical cells, for when the corpus is not at hand."""
    png = base64.b64encode(bytes(range(256)) * 6).decode() + "\n"
    traceback = [
        "\x1b[0;31m---------------------------------------------------------------------\x1b[0m",
        "\x1b[0;31mValueError\x1b[0m  Traceback (most recent call last)\nCell \x1b[0;32mIn[3]",
        "\x1b[0;31mValueError\x1b[0m: bad value",
    ]
    table = {
        "text/html": "<table>\n" + "<tr><td>1</td><td>2</td></tr>\n" * 10 + "</table>\n",
        "text/plain": "   a  b\n" + "0  1  2\n" * 10,
    }
    figure = {"image/png": png, "text/plain": "<Figure size 640x480 with 1 Axes>"}
    new_output = nbformat.v4.new_output
    return [
        nbformat.v4.new_markdown_cell(
            "## Section\n\nSome text with *emphasis*, `code` and $\\LaTeX$.\n- one\n- two\n"
        ),
        nbformat.v4.new_code_cell(
            "import numpy as np\nx = np.linspace(0, 1, 100)\nprint(x.mean())",
            execution_count=1,
            outputs=[new_output("stream", text="0.5\n" * 5)],
        ),
        nbformat.v4.new_code_cell(
            "plt.plot(x, x**2)",
            execution_count=2,
            outputs=[new_output("display_data", data=figure)],
            metadata={"tags": ["figure"]},
        ),
        nbformat.v4.new_code_cell(
            "df",
            execution_count=3,
            outputs=[new_output("execute_result", execution_count=3, data=table)],
        ),
        nbformat.v4.new_code_cell(
            "raise ValueError('bad value')",
            execution_count=4,
            outputs=[new_output("error", ename="ValueError", evalue="bad", traceback=traceback)],
        ),
    ]


def generated_notebook(size: int, cells: list[Any]) -> Any:
    """A notebook of about *size* bytes as .jupyter, cycling through *cells*."""

    def size_of(cells: list[Any]) -> int:
        nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}
        return len(jupyter_format.serialize(nb).encode("utf-8"))

    empty = size_of([])
    sizes = [size_of([cell]) - empty for cell in cells]
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    total = empty + 60
    while total < size:
        index = len(nb.cells)
        cell = copy.deepcopy(cells[index % len(cells)])
        cell["id"] = f"cell-{index}"
        nb.cells.append(cell)
        total += (
            sizes[index % len(cells)]
            + len(cell["id"])
            - len(cells[index % len(cells)].get("id", ""))
        )
    return nb


def corpus_cells(notebooks: list[tuple[str, bytes, Any]]) -> list[Any]:
    """The cells of the corpus, in a fixed order, for growing realistic notebooks."""
    cells = []
    for _, _, nb in notebooks:
        if nb.nbformat_minor == 5:
            cells.extend(nb.cells)
    return cells


def scaling_benchmark(max_size_mb: float, repeat: int, cells: list[Any], origin: str) -> None:
    sizes = [s for s in (1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 2e8) if s <= max_size_mb * 1e6]
    print(f"\ngenerated notebooks made of {origin}; median of {repeat} runs (1 from 100 MB on)")
    print(
        "times in ms per MB of each format's file; peak memory while reading, per file size;\n"
        "'no gc': reading with Python's cycle collector paused, whose passes over the\n"
        "growing number of live objects are what makes the times with it grow faster than size"
    )
    print(
        f"{'size':>9} |{'read':>7}{'no gc':>7}{'nbformat':>10}{'ratio':>7} "
        f"|{'write':>7}{'nbformat':>10}{'ratio':>7} |{'memory':>8}{'nbformat':>10}"
    )
    with tempfile.TemporaryDirectory() as directory:
        ours = Path(directory) / "generated.jupyter"
        theirs = Path(directory) / "generated.ipynb"
        for size in sizes:
            runs = repeat if size < 1e8 else 1
            times = _times(generated_notebook(int(size), cells), ours, theirs, runs)
            our_mb, their_mb = ours.stat().st_size / 1e6, theirs.stat().st_size / 1e6
            memory = (
                _peak_memory(lambda: jupyter_format.read(ours)) / 1e6 / our_mb,
                _peak_memory(lambda: nbformat.read(theirs, as_version=4)) / 1e6 / their_mb,
            )
            print(
                f"{_size(our_mb * 1e6):>9} "
                f"|{times[0]:7.1f}{times[4]:7.1f}{times[1]:10.1f}{times[1] / times[0]:6.1f}x "
                f"|{times[2]:7.1f}{times[3]:10.1f}{times[3] / times[2]:6.1f}x "
                f"|{memory[0]:7.2f}x{memory[1]:9.2f}x"
            )


def _times(nb: Any, ours: Path, theirs: Path, runs: int) -> list[float]:
    """Write *nb* in both formats; time reading and writing, in ms per MB of each file."""
    jupyter_format.write(nb, ours)
    nbformat.write(nb, theirs)
    our_mb, their_mb = ours.stat().st_size / 1e6, theirs.stat().st_size / 1e6
    return [
        median_seconds(function, runs) * 1000 / megabytes
        for function, megabytes in (
            (lambda: jupyter_format.read(ours), our_mb),
            (lambda: nbformat.read(theirs, as_version=4), their_mb),
            (lambda: jupyter_format.writes(nb), our_mb),
            (lambda: nbformat.writes(nb), their_mb),
            (lambda: _without_gc(lambda: jupyter_format.read(ours)), our_mb),
        )
    ]


def _without_gc(function: Callable[[], object]) -> None:
    gc.disable()
    try:
        function()
    finally:
        gc.enable()


def _peak_memory(function: Callable[[], object]) -> int:
    gc.collect()
    tracemalloc.start()
    function()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def _size(size: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1000:
            return f"{size:.0f} {unit}"
        size /= 1000
    return f"{size:.0f} TB"


def describe_run() -> None:
    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    print(
        f"jupyter_format {jupyter_format.__version__} (commit {commit}), nbformat "
        f"{nbformat.__version__}, Python {platform.python_version()}, {platform.machine()}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--max-size", type=float, default=200, metavar="MB")
    parser.add_argument("--quick", action="store_true", help="1 run, notebooks up to 10 MB")
    args = parser.parse_args(argv)
    if args.quick:
        args.repeat, args.max_size = 1, 10
    describe_run()
    notebooks = load_corpus(args.corpus)
    if notebooks:
        corpus_benchmark(notebooks, args.corpus, args.repeat)
        cells, origin = corpus_cells(notebooks), "the corpus's cells"
    else:
        print(f"no notebooks under {args.corpus}: no corpus benchmark")
        cells, origin = synthetic_cells(), "a synthetic mix of cells"
    scaling_benchmark(args.max_size, args.repeat, cells, origin)
    return 0


if __name__ == "__main__":
    sys.exit(main())
