"""How often two branches of a notebook merge cleanly and correctly, per format.

    python benchmarks/merge.py [--corpus DIR] [--notebooks N]

For each of N real notebooks (default 250, from ../shared/corpus/ipynb), two
branches each edit and re-run a cell - a new source line, a new execution
count, a new output - in these scenarios:

- different cells: the first and the last code cell;
- adjacent cells: two neighbouring cells;
- inserted cells: each branch inserts a new, run cell, at different places;
- adjacent inserts: the new cells go in right after neighbouring cells;
- same cell: both branches edit the same cell (a real conflict).

The three versions are then merged three ways:

- ``.ipynb, git``: the JSON files with plain ``git merge-file``;
- ``.ipynb, driver``: the JSON files with jupyter-format's merge driver
  (what ``jupyter-format git install`` sets up);
- ``.jupyter, git``: the ``.jupyter`` text with plain ``git merge-file``.

A merge is *clean* when git reports no conflict, and *correct* when the result
reads as a notebook equal to the one with both edits applied.  For the same
cell, where a conflict is expected, the table shows how often resolving it as
a person would in an editor - keeping one side's lines between the markers -
gives a file that reads back as exactly that side's notebook (both sides
tried).  Last, the size of one edit's diff in each format (changed lines,
median and quartiles).
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import difflib
import io
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

import jupyter_format
from jupyter_format._git import merge_driver

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "ipynb"
SCENARIOS = (
    "different cells",
    "adjacent cells",
    "inserted cells",
    "adjacent inserts",
    "same cell",
)
METHODS = (".ipynb, git", ".ipynb, driver", ".jupyter, git")


def as_data(nb: Any) -> str:
    return json.dumps(nb, sort_keys=True)


def load_notebooks(corpus: Path, limit: int) -> list[tuple[str, Any]]:
    """Valid corpus notebooks with at least three code cells, in a fixed order."""
    notebooks = []
    for path in sorted(corpus.rglob("*.ipynb")):
        try:
            nb = nbformat.read(path, as_version=4)
            nbformat.validate(nb)
        except Exception:  # the corpus has unreadable files on purpose
            continue
        if sum(cell.cell_type == "code" for cell in nb.cells) >= 3:
            notebooks.append((str(path.relative_to(corpus)), nb))
        if len(notebooks) == limit:
            break
    return notebooks


def next_count(nb: Any) -> int:
    counts = [cell.get("execution_count") or 0 for cell in nb.cells if cell.cell_type == "code"]
    return max(counts, default=0) + 1


def edit_and_rerun(nb: Any, index: int, tag: str, count: int) -> None:
    """Add a line to a cell and run it again: new count, new output."""
    cell = nb.cells[index]
    cell.source += f"\nprint({tag!r})"
    if cell.cell_type != "code":
        return
    cell.execution_count = count
    for output in cell.outputs:
        if output.get("output_type") == "execute_result":
            output["execution_count"] = count
    cell.outputs.append(nbformat.v4.new_output("stream", text=f"{tag}\n"))


def new_cell(nb: Any, tag: str, count: int) -> Any:
    cell = nbformat.v4.new_code_cell(f"print({tag!r})", execution_count=count, id=f"new-{tag}")
    cell.outputs.append(nbformat.v4.new_output("stream", text=f"{tag}\n"))
    if nb.nbformat_minor < 5:
        del cell["id"]
    return cell


def branches(base: Any, scenario: str) -> tuple[Any, Any, Any | None]:
    """Ours, theirs and the expected merge (None where a conflict is expected)."""
    code = [index for index, cell in enumerate(base.cells) if cell.cell_type == "code"]
    ours, theirs, expected = (copy.deepcopy(base) for _ in range(3))
    count = next_count(base)
    if scenario in ("inserted cells", "adjacent inserts"):
        first = code[0]
        second = code[1] if scenario == "inserted cells" else first + 1
        ours.cells.insert(first + 1, new_cell(base, "ours", count))
        theirs.cells.insert(second + 1, new_cell(base, "theirs", count))
        expected.cells.insert(second + 1, new_cell(base, "theirs", count))
        expected.cells.insert(first + 1, new_cell(base, "ours", count))
        return ours, theirs, expected
    if scenario == "same cell":
        edit_and_rerun(ours, code[0], "ours", count)
        edit_and_rerun(theirs, code[0], "theirs", count + 1)
        return ours, theirs, None
    if scenario == "different cells":
        first, second = code[0], code[-1]
    else:
        # Two adjacent code cells, or else a code cell and the cell after it.
        pairs = [(index, index + 1) for index in code if index + 1 in code]
        first, second = pairs[0] if pairs else (code[0], code[0] + 1)
    for nb in (ours, expected):
        edit_and_rerun(nb, first, "ours", count)
    for nb in (theirs, expected):
        edit_and_rerun(nb, second, "theirs", count + 1)
    return ours, theirs, expected


def ipynb_text(nb: Any) -> str:
    return str(nbformat.writes(nb)) + "\n"


def git_merge_file(directory: Path, texts: tuple[str, str, str]) -> tuple[int, str]:
    paths = []
    for name, text in zip(("ours", "base", "theirs"), texts, strict=True):
        paths.append(directory / name)
        paths[-1].write_text(text, encoding="utf-8")
    result = subprocess.run(
        ["git", "merge-file", "-p", "-L", "ours", "-L", "base", "-L", "theirs", *map(str, paths)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    return result.returncode, result.stdout


def read_ipynb(text: str) -> Any:
    return nbformat.reads(text, as_version=nbformat.NO_CONVERT)


def read_jupyter(text: str) -> Any:
    return jupyter_format.deserialize(text)


def keep_side(text: str, side: str) -> str:
    """Resolve every conflict as a person in an editor would: keep one side's lines."""
    kept, region = [], None
    for line in text.splitlines(keepends=True):
        if line.startswith("<<<<<<<"):
            region = "ours"
        elif line.startswith("|||||||") and region is not None:
            region = "base"
        elif line.startswith("=======") and region is not None:
            region = "theirs"
        elif line.startswith(">>>>>>>") and region is not None:
            region = None
        elif region is None or region == side:
            kept.append(line)
    return "".join(kept)


def reads_as(reader: Any, text: str, nb: Any) -> bool:
    try:
        return as_data(reader(text)) == as_data(nb)
    except Exception:  # any failure to read is a wrong merge
        return False


@dataclass
class Tally:
    clean: int = 0
    correct: int = 0
    resolved: int = 0
    total: int = 0


@dataclass
class Results:
    tallies: dict[tuple[str, str], Tally] = field(default_factory=dict)
    diff_lines: dict[str, list[int]] = field(default_factory=dict)

    def tally(self, scenario: str, method: str) -> Tally:
        return self.tallies.setdefault((scenario, method), Tally())


def merge_three_ways(
    directory: Path, base: Any, ours: Any, theirs: Any, expected: Any | None
) -> dict[str, tuple[bool, bool, bool]]:
    """Per method: (clean, correct, either side resolves) for one notebook."""
    outcomes = {}
    sides = {"ours": ours, "theirs": theirs}
    ipynb = (ipynb_text(ours), ipynb_text(base), ipynb_text(theirs))
    jupyter = tuple(jupyter_format.serialize(nb) for nb in (ours, base, theirs))
    for method, texts, reader in (
        (".ipynb, git", ipynb, read_ipynb),
        (".jupyter, git", jupyter, read_jupyter),
    ):
        status, merged = git_merge_file(directory, texts)  # type: ignore[arg-type]
        correct = status == 0 and expected is not None and reads_as(reader, merged, expected)
        resolved = status > 0 and all(
            reads_as(reader, keep_side(merged, side), nb) for side, nb in sides.items()
        )
        outcomes[method] = (status == 0, correct, resolved)

    files = {name: directory / f"{name}.ipynb" for name in ("base", "ours", "theirs")}
    for name, text in zip(("ours", "base", "theirs"), ipynb, strict=True):
        files[name].write_text(text, encoding="utf-8")
    with contextlib.redirect_stderr(io.StringIO()):  # its advice to a person resolving
        status = merge_driver(files["base"], files["ours"], files["theirs"], 7, "nb.ipynb")
    merged = files["ours"].read_text(encoding="utf-8")
    correct = status == 0 and expected is not None and reads_as(read_ipynb, merged, expected)
    # With conflicts the driver leaves .jupyter text, converted once resolved.
    resolved = status > 0 and all(
        reads_as(read_jupyter, keep_side(merged, side), nb) for side, nb in sides.items()
    )
    outcomes[".ipynb, driver"] = (status == 0, correct, resolved)
    return outcomes


def changed_lines(before: str, after: str) -> int:
    diff = difflib.unified_diff(before.split("\n"), after.split("\n"), n=0, lineterm="")
    return sum(1 for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---"))


def run(notebooks: list[tuple[str, Any]]) -> Results:
    results = Results()
    with tempfile.TemporaryDirectory(prefix="merge-benchmark-") as name:
        directory = Path(name)
        for _, base in notebooks:
            for scenario in SCENARIOS:
                ours, theirs, expected = branches(base, scenario)
                outcomes = merge_three_ways(directory, base, ours, theirs, expected)
                for method, (clean, correct, resolved) in outcomes.items():
                    tally = results.tally(scenario, method)
                    tally.total += 1
                    tally.clean += clean
                    tally.correct += correct
                    tally.resolved += resolved
            # The size of one edit: a cell edited and re-run.
            ours, _, _ = branches(base, "different cells")
            results.diff_lines.setdefault(".ipynb", []).append(
                changed_lines(ipynb_text(base), ipynb_text(ours))
            )
            results.diff_lines.setdefault(".jupyter", []).append(
                changed_lines(jupyter_format.serialize(base), jupyter_format.serialize(ours))
            )
    return results


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def report(results: Results, notebooks: int, seconds: float) -> None:
    print(f"{notebooks} notebooks, {len(SCENARIOS)} scenarios, merged in {seconds:.0f} s\n")
    header = f"{'scenario':<18}" + "".join(f"{method:>24}" for method in METHODS)
    print("clean / correct merges")
    print(header)
    for scenario in SCENARIOS[:-1]:
        row = f"{scenario:<18}"
        for method in METHODS:
            tally = results.tally(scenario, method)
            row += (
                f"{percent(tally.clean, tally.total):>13} /{percent(tally.correct, tally.total)}"
            )
        print(row)
    print(
        "\nsame cell: conflicts reported / either side kept in an editor reads back as that side"
    )
    print(header)
    row = f"{'same cell':<18}"
    for method in METHODS:
        tally = results.tally("same cell", method)
        conflicts = tally.total - tally.clean
        row += f"{percent(conflicts, tally.total):>13} /{percent(tally.resolved, tally.total)}"
    print(row)
    print("\nlines changed by one edit and re-run (median, quartiles)")
    ipynb_median = statistics.median(results.diff_lines[".ipynb"])
    for name, sizes in results.diff_lines.items():
        quartiles = statistics.quantiles(sizes, n=4)
        median = statistics.median(sizes)
        print(
            f"{name:<10} median {median:5.1f}  quartiles {quartiles[0]:.0f}-{quartiles[2]:.0f}"
            f"  ({median / ipynb_median:.2f} of .ipynb)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--notebooks", type=int, default=250, metavar="N")
    args = parser.parse_args()
    if shutil.which("git") is None:
        print("git is not installed", file=sys.stderr)
        return 2
    notebooks = load_notebooks(args.corpus, args.notebooks)
    if not notebooks:
        print(f"no notebooks with three code cells under {args.corpus}", file=sys.stderr)
        return 2
    start = time.perf_counter()
    results = run(notebooks)
    report(results, len(notebooks), time.perf_counter() - start)
    return 0


if __name__ == "__main__":
    sys.exit(main())
