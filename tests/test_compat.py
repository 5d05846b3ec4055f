"""Files written by the original implementation (mgeier/jupyter-format) still read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import jupyter_format
from conftest import COMPAT


def compat_files() -> list[Path]:
    return sorted(COMPAT.glob("*.jupyter"))


def original_reading(path: Path) -> dict[str, object]:
    """The notebook the original reader made of *path*, without its random cell ids."""
    nb = json.loads(path.with_suffix(".ipynb").read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        cell.pop("id", None)
        if isinstance(cell["source"], list):
            cell["source"] = "".join(cell["source"])
    return nb


def test_the_compat_files_are_present() -> None:
    assert len(compat_files()) >= 6


@pytest.mark.parametrize("path", compat_files(), ids=lambda path: path.name)
def test_original_file_reads_as_the_original_reader_read_it(path: Path) -> None:
    nb = jupyter_format.read(path)
    assert json.loads(json.dumps(nb)) == original_reading(path)
    # No invented cell ids: they would make these pre-4.5 notebooks invalid.
    assert all("id" not in cell for cell in nb.cells)


@pytest.mark.parametrize("path", compat_files(), ids=lambda path: path.name)
def test_original_file_survives_a_rewrite(path: Path) -> None:
    nb = jupyter_format.read(path)
    assert jupyter_format.reads(jupyter_format.writes(nb)) == nb
