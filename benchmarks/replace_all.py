"""Files per second of ``jupyter-format replace-all`` on one process, two, and Dask.

    python benchmarks/replace_all.py [--corpus DIR] [--repeat N] [--workers N]

Each run converts a fresh copy of the corpus tree (default
../shared/corpus/ipynb) from .ipynb to .jupyter with the real command, as a
user runs it - every file written to a temporary file, flushed to disk, read
back and compared before the .ipynb is removed:

- ``-j 1``: in the command's own process;
- ``-j 2`` (or ``--workers``): on local worker processes;
- ``--scheduler``: on a Dask ``LocalCluster`` of as many single-threaded
  worker processes, started here (needs ``jupyter-format[dask]``).

For scale, the same run also times the least any tool must do per file in one
process: ``nbformat.read`` and ``nbformat.write`` of every notebook, in place,
with no verification.  Times are medians of --repeat runs; the figures include
starting the command (and, for Dask, connecting to the cluster), not copying
the tree.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "ipynb"


def fresh_copy(corpus: Path, directory: Path) -> Path:
    tree = directory / "tree"
    if tree.exists():
        shutil.rmtree(tree)
    shutil.copytree(corpus, tree, symlinks=True)
    return tree


def replace_all(tree: Path, *options: str) -> tuple[float, str]:
    """Run the command on *tree*; return its time and its summary line."""
    start = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "jupyter_format",
            "replace-all",
            "-r",
            "--yes",
            *options,
            str(tree),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if result.returncode not in (0, 1):  # 1: some corpus files are not notebooks, on purpose
        raise SystemExit(f"replace-all failed:\n{result.stderr}")
    summary = [line for line in result.stderr.splitlines() if line.startswith(f"{tree}: ")]
    return seconds, summary[-1].removeprefix(f"{tree}: ")


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True)
    return time.perf_counter() - start


def nbformat_rewrite(tree: Path) -> float:
    warnings.simplefilter("ignore")  # nbformat's notes on the corpus's odd notebooks
    start = time.perf_counter()
    for path in sorted(tree.rglob("*.ipynb")):
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception:  # the corpus has unreadable files on purpose
            continue
        nbformat.write(nb, path)
    return time.perf_counter() - start


def count_notebooks(corpus: Path) -> tuple[int, float]:
    paths = list(corpus.rglob("*.ipynb"))
    return len(paths), sum(path.stat().st_size for path in paths) / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="processes for -j and Dask")
    args = parser.parse_args()
    files, megabytes = count_notebooks(args.corpus)
    if not files:
        print(f"no notebooks under {args.corpus}", file=sys.stderr)
        return 2
    print(f"{files} notebooks, {megabytes:.1f} MB; medians of {args.repeat} runs\n")

    configurations: list[tuple[str, list[str]]] = [
        ("-j 1", ["-j", "1"]),
        (f"-j {args.workers}", ["-j", str(args.workers)]),
    ]
    cluster = None
    try:
        from distributed import LocalCluster  # noqa: PLC0415 - optional

        cluster = LocalCluster(
            n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        configurations.append(
            (
                f"Dask LocalCluster, {args.workers} workers",
                ["--scheduler", cluster.scheduler_address],
            )
        )
    except ImportError:
        print("(Dask's distributed is not installed: no cluster run)\n")

    startup = statistics.median(
        timed([sys.executable, "-c", "import jupyter_format._cli"]) for _ in range(args.repeat)
    )
    print(f"starting the command (Python, nbformat and its imports) takes {startup:.2f} s\n")

    rows = []
    with tempfile.TemporaryDirectory(prefix="replace-all-benchmark-") as name:
        directory = Path(name)
        baseline = []
        for _ in range(args.repeat):
            baseline.append(nbformat_rewrite(fresh_copy(args.corpus, directory)))
        rows.append(("nbformat read + write, 1 process", statistics.median(baseline), ""))
        for label, options in configurations:
            times, summary = [], ""
            for _ in range(args.repeat):
                seconds, summary = replace_all(fresh_copy(args.corpus, directory), *options)
                times.append(seconds)
            rows.append((label, statistics.median(times), summary))
    if cluster is not None:
        cluster.close()

    base_seconds = rows[0][1]
    print(f"{'':<36}{'seconds':>9}{'files/s':>9}{'MB/s':>7}{'vs nbformat':>13}")
    for label, seconds, summary in rows:
        print(
            f"{label:<36}{seconds:>9.2f}{files / seconds:>9.0f}{megabytes / seconds:>7.1f}"
            f"{base_seconds / seconds:>12.2f}x  {summary}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
