"""replace-all survives SIGKILL at random moments, on a tree of real notebooks."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

import jupyter_format
from conftest import CORPUS
from jupyter_format._files import Format, notebook_from_bytes, same_notebook

KILLS = 24
NOTEBOOKS = 240


@pytest.fixture(scope="module")
def originals(corpus_notebooks: list[Path]) -> dict[Path, nbformat.NotebookNode]:
    """At least 200 corpus notebooks that nbformat reads without repairs, every one alike."""
    chosen: dict[Path, nbformat.NotebookNode] = {}
    for path in corpus_notebooks[:: max(1, len(corpus_notebooks) // (NOTEBOOKS * 2))]:
        try:
            nb, problems = notebook_from_bytes(path.read_bytes(), Format.IPYNB)
        except Exception:
            continue
        if not problems:
            chosen[path.relative_to(CORPUS / "ipynb")] = nb
        if len(chosen) == NOTEBOOKS:
            break
    assert len(chosen) >= 200
    return chosen


def start(tree: Path, reverse: bool) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "jupyter_format", "replace-all", "-r", "--yes", "-j", "2"]
    return subprocess.Popen(
        [*command, *(["--reverse"] if reverse else []), str(tree)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the workers die with it
    )


def finish(process: subprocess.Popen[bytes]) -> None:
    _, err = process.communicate()
    assert process.returncode == 0, err.decode()


def check_every_notebook_survives(
    tree: Path, originals: dict[Path, nbformat.NotebookNode]
) -> tuple[int, int]:
    """Each notebook is there in at least one form, and every form is the notebook."""
    as_ipynb = as_jupyter = 0
    for relative, nb in originals.items():
        ipynb = tree / relative
        jupyter = ipynb.with_suffix(".jupyter")
        assert ipynb.exists() or jupyter.exists(), f"{relative} was lost"
        if ipynb.exists():
            assert same_notebook(notebook_from_bytes(ipynb.read_bytes(), Format.IPYNB)[0], nb), (
                relative
            )
            as_ipynb += 1
        if jupyter.exists():
            assert same_notebook(jupyter_format.read(jupyter, validate=False), nb), relative
            as_jupyter += 1
    return as_ipynb, as_jupyter


def test_killed_at_random_moments_loses_nothing(
    tmp_path: Path, originals: dict[Path, nbformat.NotebookNode]
) -> None:
    tree = tmp_path / "tree"
    for relative in originals:
        (tree / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(CORPUS / "ipynb" / relative, tree / relative)
    # How long one whole run takes here sets the range of the random moments.
    began = time.monotonic()
    finish(start(tree, reverse=False))
    duration = time.monotonic() - began
    assert check_every_notebook_survives(tree, originals) == (0, len(originals))

    rng = random.Random(20261121)
    reverse, kills, finished, attempts = True, 0, 0, 0
    while kills < KILLS:
        attempts += 1
        assert attempts < KILLS * 4, "the runs finish before they can be killed"
        process = start(tree, reverse)
        try:
            process.wait(timeout=rng.uniform(0.05, duration))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            kills += 1
        else:
            finish(process)
            finished += 1
            reverse = not reverse
        check_every_notebook_survives(tree, originals)

    # A run that is left alone finishes the job, and tidies up after the killed ones.
    finish(start(tree, reverse=False))
    assert check_every_notebook_survives(tree, originals) == (0, len(originals))
    # Only hidden temporary files of writes that were killed may be left over.
    leftovers = [p.name for p in tree.rglob("*") if p.is_file() and p.suffix != ".jupyter"]
    assert all(name.startswith(".") and name.endswith(".tmp") for name in leftovers), leftovers
    assert finished >= 1  # the kills came at many stages, not only at start-up
