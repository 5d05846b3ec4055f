"""Notebook-aware three-way merging (``jupyter-format merge`` and the git merge driver).

The layers: :mod:`.diff3` merges sequences, :mod:`.values` JSON values key by
key, :mod:`.matching` pairs cells, :mod:`.cells` merges one cell by the
output rules of :mod:`.settings`, :mod:`.notebook` merges whole notebooks,
and :mod:`jupyter_format._format.conflicts` writes what conflicts with
git's markers.
"""

from __future__ import annotations

from .files import FileMerge, merge_files, merge_sides, read_side
from .notebook import NotebookMerge, merge_notebooks
from .settings import MergeSettings, settings_from

__all__ = [
    "FileMerge",
    "MergeSettings",
    "NotebookMerge",
    "merge_files",
    "merge_notebooks",
    "merge_sides",
    "read_side",
    "settings_from",
]
