"""The merge of three notebook files' bytes into what to write, and its report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import nbformat

from .._files import Format, notebook_from_bytes, notebook_text, sniff_format
from .._format.conflicts import DEFAULT_MARKER_SIZE, with_conflict_markers
from .._format.schema import notebook_problem
from .._format.writer import serialize
from .notebook import NotebookMerge, merge_notebooks

if TYPE_CHECKING:
    from .settings import MergeSettings


@dataclass
class FileMerge:
    """What to write, whether it is complete, and what to tell the user."""

    conflicts: int
    report: list[str] = field(default_factory=list)
    #: The merged notebook, to write in *target*'s format, when the merge is complete.
    notebook: nbformat.NotebookNode | None = None
    target: Format = Format.JUPYTER
    #: Otherwise the ``.jupyter`` text to write, conflict markers and all.
    conflict_text: str = ""

    @property
    def clean(self) -> bool:
        return self.conflicts == 0

    def text(self) -> str:
        """The text of the file to write."""
        if self.notebook is None:
            return self.conflict_text
        return notebook_text(self.notebook, self.target)


def read_side(data: bytes) -> tuple[nbformat.NotebookNode, bool]:
    """One version of the notebook, whatever format it holds, and whether it is valid.

    :raises ParseError: if it is ``.jupyter`` text that does not parse.
    :raises NotebookFileError: if it is not a notebook.
    """
    nb, problems = notebook_from_bytes(data, sniff_format(data, Format.IPYNB))
    return nb, not problems


def merge_files(
    base: bytes | None,
    ours: bytes,
    theirs: bytes,
    *,
    target: Format,
    settings: MergeSettings | None = None,
    marker_size: int = DEFAULT_MARKER_SIZE,
) -> FileMerge:
    """Merge the files' notebooks; write *target*'s format, or ``.jupyter`` text with conflicts.

    :raises ParseError, NotebookFileError: if a side is not a notebook.
    """
    return merge_sides(
        None if base is None else read_side(base)[0],
        read_side(ours),
        read_side(theirs),
        target=target,
        settings=settings,
        marker_size=marker_size,
    )


def merge_sides(
    base: nbformat.NotebookNode | None,
    ours: tuple[nbformat.NotebookNode, bool],
    theirs: tuple[nbformat.NotebookNode, bool],
    *,
    target: Format,
    settings: MergeSettings | None = None,
    marker_size: int = DEFAULT_MARKER_SIZE,
) -> FileMerge:
    """:func:`merge_files` of notebooks read by :func:`read_side`."""
    sides = [ours, theirs]
    merged = merge_notebooks(base, ours[0], theirs[0], settings)
    report = [*merged.decisions, *(f"conflict: {where}" for where in merged.conflicts)]
    ours_nb = nbformat.from_dict(merged.ours)  # type: ignore[no-untyped-call]
    if merged.clean:
        problem = notebook_problem(ours_nb)
        # A merge may leave a notebook as invalid as its sides were, but no worse.
        if problem is None or not all(valid for _, valid in sides):
            summary = f"merged cleanly: {_summary(merged)}"
            return FileMerge(0, [summary, *report], ours_nb, target)
        report.append(f"the merged notebook is invalid ({problem}); left as .jupyter text")
        return FileMerge(1, report, conflict_text=serialize(ours_nb))
    theirs_nb = nbformat.from_dict(merged.theirs)  # type: ignore[no-untyped-call]
    text, hunks = with_conflict_markers(serialize(ours_nb), serialize(theirs_nb), marker_size)
    conflicts = max(hunks, 1)
    summary = (
        f"{_count(len(merged.conflicts), 'conflict')} ({conflicts} marked); {_summary(merged)}"
    )
    return FileMerge(conflicts, [summary, *report], conflict_text=text)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _summary(merged: NotebookMerge) -> str:
    combined = _count(merged.cells_merged, "cell")
    return f"{combined} changed on both sides, {_count(len(merged.decisions), 'output decision')}"
