"""The benchmark scripts run, on a small corpus of their own, and report what they promise."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    directory = tmp_path / "corpus"
    for index in range(12):
        nb = nbformat.v4.new_notebook()
        nb.cells.append(nbformat.v4.new_markdown_cell(f"# Notebook {index}"))
        for count in range(1, 5):
            cell = nbformat.v4.new_code_cell(f"x = {count}\nx * {index}", execution_count=count)
            cell.outputs.append(
                nbformat.v4.new_output(
                    "execute_result", {"text/plain": str(count * index)}, execution_count=count
                )
            )
            nb.cells.append(cell)
        path = directory / f"project-{index % 3}" / f"nb{index}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, path)
    return directory


def run(script: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_merge_benchmark(corpus: Path) -> None:
    out = run("merge.py", "--corpus", str(corpus), "--notebooks", "10")
    assert out.startswith("10 notebooks, 11 scenarios")
    rows = {
        line[:28].strip(): re.findall(r"(\d+)% / (\d+)% / (\d+)%", line)
        for line in out.splitlines()
        if "%" in line
    }
    methods = dict.fromkeys(("ipynb git", "nbdime", "ipynb ours", "jupyter git", "jupyter ours"))
    for scenario, outcomes in rows.items():
        by_method = dict(zip(methods, outcomes, strict=True))
        # Never a wrong merge of ours, and never worse than nbdime.
        for ours in ("ipynb ours", "jupyter ours"):
            assert by_method[ours][2] == "0", scenario
            assert int(by_method[ours][0]) >= int(by_method["nbdime"][0]), scenario
        if scenario in ("same line", "delete vs edit", "same place"):
            assert by_method["ipynb ours"] == by_method["jupyter ours"] == ("0", "100", "0")
        else:
            assert by_method["ipynb ours"] == by_method["jupyter ours"] == ("100", "0", "0")
    assert len(rows) == 11
    sizes = dict(re.findall(r"^(\.\w+) +median +([\d.]+)", out, flags=re.MULTILINE))
    assert float(sizes[".jupyter"]) * 2 <= float(sizes[".ipynb"])


def test_the_replace_all_benchmark(corpus: Path) -> None:
    out = run("replace_all.py", "--corpus", str(corpus), "--repeat", "1")
    assert out.startswith("12 notebooks, ")
    lines = {line.split("  ")[0]: line for line in out.splitlines()}
    assert "nbformat read + write, 1 process" in lines
    for label in ("-j 1", "-j 2", "Dask LocalCluster, 2 workers"):
        assert lines[label].endswith("converted 12, skipped 0, failed 0"), out
    assert list(corpus.rglob("*.ipynb"))  # the corpus itself is left alone


def test_the_server_save_benchmark() -> None:
    # A real server on loopback, a small notebook, both formats in one run.
    out = run("server_save.py", "--quick")
    assert out.startswith("50 cells, ")
    rows = re.findall(r"^(bench\.\w+) +[\d.]+ MB +([\d.]+) s", out, flags=re.MULTILINE)
    medians = {name: float(seconds) for name, seconds in rows}
    assert set(medians) == {"bench.ipynb", "bench.jupyter"}, out
    ratio = re.search(r"^ratio \.jupyter/\.ipynb: ([\d.]+)$", out, flags=re.MULTILINE)
    assert ratio is not None, out
    # The medians are printed rounded to milliseconds, the ratio is not.
    expected = medians["bench.jupyter"] / medians["bench.ipynb"]
    assert float(ratio[1]) == pytest.approx(expected, rel=0.1)
