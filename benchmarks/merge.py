"""How often two branches of a notebook merge right, per merge method and scenario.

    python benchmarks/merge.py [--corpus DIR] [--notebooks N]

For each of N real notebooks (default 250, from ../shared/corpus/ipynb), two
branches change it in each scenario below, and five methods merge the three
versions as git would:

- ``.ipynb, git``: the JSON files with plain ``git merge-file``;
- ``.ipynb, nbdime``: nbdime's git merge driver (``git-nbmergedriver merge``,
  its default settings), called in-process through its command-line entry;
- ``.ipynb, ours``: jupyter-format's merge driver;
- ``.jupyter, git``: the ``.jupyter`` text with plain ``git merge-file``;
- ``.jupyter, ours``: jupyter-format's merge driver on ``.jupyter`` files.

Each merge is one of three outcomes:

- *clean and correct*: no conflict reported, and the result reads as one of
  the notebooks the scenario accepts (below);
- *conflict*: a conflict reported;
- *wrong*: no conflict reported, but the result is not an accepted notebook -
  it lost an edit, pairs outputs with code that did not make them, or does not
  read.

The scenarios, and what is correct ("re-run" = a new count and a new output):

- different cells / adjacent cells: each branch edits and re-runs another cell
  (the first and last code cells, or two neighbours): both edits with their
  outputs;
- inserted cells / adjacent inserts: each branch inserts a new run cell, at
  different places (or after neighbouring cells): both cells;
- same cell, different lines: both edit another line of one cell and re-run
  it: both edits, outputs cleared, count null (the merged code never ran);
- same cell, both re-ran: both only re-run one cell: one side's notebook;
- edit vs re-run: one edits and re-runs a cell, the other only re-runs it: the
  editor's notebook;
- whole notebook re-run: both re-run every code cell and differ in
  ``language_info.version``: one side's notebook;
- same line (a true conflict), delete vs edit (one deletes a code cell the
  other edits), same place (both insert a different cell after one cell):
  nothing is correct; only a conflict is right.

Last, the size of one edit's diff in each format (changed lines, median and
quartiles).
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import difflib
import io
import json
import logging
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
from nbdime.vcs.git import mergedriver

import jupyter_format
from jupyter_format._git import merge_driver

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "ipynb"
SCENARIOS = (
    "different cells",
    "adjacent cells",
    "inserted cells",
    "adjacent inserts",
    "same cell, different lines",
    "same cell, both re-ran",
    "edit vs re-run",
    "whole notebook re-run",
    "same line",
    "delete vs edit",
    "same place",
)
#: Scenarios where only a reported conflict is right.
TRUE_CONFLICTS = ("same line", "delete vs edit", "same place")
METHODS = (".ipynb, git", ".ipynb, nbdime", ".ipynb, ours", ".jupyter, git", ".jupyter, ours")


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


def edit_and_rerun(nb: Any, index: int, tag: str, count: int, line: int = -1) -> None:
    """Change a line of a cell (append one, by default) and run it again."""
    cell = nb.cells[index]
    lines = cell.source.split("\n")
    if line == -1:
        lines.append(f"print({tag!r})")
    else:
        lines[line] += f"  # {tag}"
    cell.source = "\n".join(lines)
    rerun(nb, index, tag, count)


def rerun(nb: Any, index: int, tag: str, count: int) -> None:
    """Run a code cell again: a new count, and a new output."""
    cell = nb.cells[index]
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


def branches(base: Any, scenario: str) -> tuple[Any, Any, list[Any]]:
    """Ours, theirs and the merges that are correct (none where only a conflict is)."""
    code = [index for index, cell in enumerate(base.cells) if cell.cell_type == "code"]
    ours, theirs, expected = (copy.deepcopy(base) for _ in range(3))
    count = next_count(base)
    # A cell of three lines or more, so that two edits can be apart.
    first = next((i for i in code if base.cells[i].source.count("\n") >= 2), code[0])
    if scenario in ("inserted cells", "adjacent inserts"):
        second = code[1] if scenario == "inserted cells" else first + 1
        ours.cells.insert(first + 1, new_cell(base, "ours", count))
        theirs.cells.insert(second + 1, new_cell(base, "theirs", count))
        expected.cells.insert(second + 1, new_cell(base, "theirs", count))
        expected.cells.insert(first + 1, new_cell(base, "ours", count))
        return ours, theirs, [expected]
    if scenario == "same place":
        ours.cells.insert(first + 1, new_cell(base, "ours", count))
        theirs.cells.insert(first + 1, new_cell(base, "theirs", count))
        return ours, theirs, []
    if scenario == "same line":
        edit_and_rerun(ours, first, "ours", count, line=0)
        edit_and_rerun(theirs, first, "theirs", count + 1, line=0)
        return ours, theirs, []
    if scenario == "delete vs edit":
        del ours.cells[first]
        edit_and_rerun(theirs, first, "theirs", count)
        return ours, theirs, []
    if scenario == "same cell, different lines":
        edit_and_rerun(ours, first, "ours", count, line=0)
        edit_and_rerun(theirs, first, "theirs", count + 1)
        edit_and_rerun(expected, first, "ours", count, line=0)
        edit_and_rerun(expected, first, "theirs", count + 1)
        expected.cells[first].outputs = []
        expected.cells[first].execution_count = None
        return ours, theirs, [expected]
    if scenario == "same cell, both re-ran":
        rerun(ours, first, "ours", count)
        rerun(theirs, first, "theirs", count + 1)
        return ours, theirs, [ours, theirs]
    if scenario == "edit vs re-run":
        edit_and_rerun(ours, first, "ours", count)
        rerun(theirs, first, "theirs", count + 1)
        return ours, theirs, [ours]
    if scenario == "whole notebook re-run":
        for nb, tag, version in ((ours, "ours", "3.11.8"), (theirs, "theirs", "3.11.9")):
            for number, index in enumerate(code):
                rerun(nb, index, tag, number + 1)
            nb.metadata["language_info"] = {"name": "python", "version": version}
        return ours, theirs, [ours, theirs]
    if scenario == "different cells":
        second = code[-1]
    else:
        # Two adjacent code cells, or else a code cell and the cell after it.
        pairs = [(index, index + 1) for index in code if index + 1 in code]
        first, second = pairs[0] if pairs else (code[0], code[0] + 1)
    for nb in (ours, expected):
        edit_and_rerun(nb, first, "ours", count)
    for nb in (theirs, expected):
        edit_and_rerun(nb, second, "theirs", count + 1)
    return ours, theirs, [expected]


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


def reads_as_one_of(reader: Any, text: str, accepted: list[Any]) -> bool:
    try:
        merged = as_data(reader(text))
    except Exception:  # any failure to read is a wrong merge
        return False
    return any(merged == as_data(nb) for nb in accepted)


OUTCOMES = ("correct", "conflict", "wrong")


@dataclass
class Results:
    #: (scenario, method) -> outcome -> how many merges
    tallies: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)
    diff_lines: dict[str, list[int]] = field(default_factory=dict)

    def add(self, scenario: str, method: str, outcome: str) -> None:
        tally = self.tallies.setdefault((scenario, method), dict.fromkeys(OUTCOMES, 0))
        tally[outcome] += 1


def nbdime_driver(base: Path, ours: Path, theirs: Path) -> int:
    """nbdime's git merge driver, as git calls it (``git-nbmergedriver merge %O %A %B %L %P``)."""
    logging.disable(logging.CRITICAL)  # its per-merge log lines
    arguments = ["merge", str(base), str(ours), str(theirs), "7", "nb.ipynb"]
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            return int(mergedriver.main(arguments))
    except Exception:  # a crash, which git sees as exit status 1: a conflict
        return 1
    finally:
        logging.disable(logging.NOTSET)


def our_driver(base: Path, ours: Path, theirs: Path, path: str) -> int:
    with contextlib.redirect_stderr(io.StringIO()):  # its report to a person
        return merge_driver(base, ours, theirs, 7, path)


def merge_every_way(
    directory: Path, base: Any, ours: Any, theirs: Any, accepted: list[Any]
) -> dict[str, str]:
    """Per method, the outcome of merging one notebook's branches."""
    outcomes = {}
    texts = {
        ".ipynb": tuple(ipynb_text(nb) for nb in (base, ours, theirs)),
        ".jupyter": tuple(jupyter_format.serialize(nb) for nb in (base, ours, theirs)),
    }
    readers = {".ipynb": read_ipynb, ".jupyter": read_jupyter}
    for method in METHODS:
        suffix, tool = method.split(", ")
        base_text, ours_text, theirs_text = texts[suffix]
        if tool == "git":
            status, merged = git_merge_file(directory, (ours_text, base_text, theirs_text))
        else:
            files = [directory / f"{name}{suffix}" for name in ("base", "ours", "theirs")]
            for file, text in zip(files, texts[suffix], strict=True):
                file.write_text(text, encoding="utf-8")
            if tool == "nbdime":
                status = nbdime_driver(*files)
            else:
                status = our_driver(*files, f"nb{suffix}")
            merged = files[1].read_text(encoding="utf-8")
        if status != 0:
            outcomes[method] = "conflict"
        elif reads_as_one_of(readers[suffix], merged, accepted):
            outcomes[method] = "correct"
        else:
            outcomes[method] = "wrong"
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
                ours, theirs, accepted = branches(base, scenario)
                outcomes = merge_every_way(directory, base, ours, theirs, accepted)
                for method, outcome in outcomes.items():
                    results.add(scenario, method, outcome)
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
    return f"{100 * part / whole:.0f}%" if whole else "-"


def report(results: Results, notebooks: int, seconds: float) -> None:
    print(f"{notebooks} notebooks, {len(SCENARIOS)} scenarios, merged in {seconds:.0f} s\n")
    print("clean and correct / conflict reported / wrong, per method")
    print(f"{'scenario':<28}" + "".join(f"{method:>20}" for method in METHODS))
    for scenario in SCENARIOS:
        row = f"{scenario:<28}"
        for method in METHODS:
            tally = results.tallies[scenario, method]
            total = sum(tally.values())
            cell = " / ".join(percent(tally[outcome], total) for outcome in OUTCOMES)
            row += f"{cell:>20}"
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
