"""The three-way merge of whole notebooks: cell order, cells, notebook metadata."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .._cell_ids import derived_id
from .cells import CellMerge, merge_cell, without_run
from .diff3 import Stretch, merge_sequences
from .matching import cell_keys
from .settings import MergeSettings
from .values import merge_values, same

#: Notebook metadata the kernel writes when it runs: it follows the kept outputs.
KERNEL_METADATA = ("language_info",)


@dataclass
class NotebookMerge:
    """A merged notebook as two resolutions, equal when nothing conflicts, and what happened."""

    ours: dict[str, Any]
    theirs: dict[str, Any]
    #: One line per conflict: where, and what conflicts.
    conflicts: list[str] = field(default_factory=list)
    #: One line per decision of the rules: outputs kept from one side, or cleared.
    decisions: list[str] = field(default_factory=list)
    #: How many cells both sides changed and the merge combined.
    cells_merged: int = 0

    @property
    def clean(self) -> bool:
        return not self.conflicts


def merge_notebooks(
    base: dict[str, Any] | None,
    ours: dict[str, Any],
    theirs: dict[str, Any],
    settings: MergeSettings | None = None,
) -> NotebookMerge:
    """Merge two edits of the nbformat 4 notebook *base* (None: both sides added it)."""
    settings = settings or MergeSettings()
    base = base if base is not None else {"cells": [], "metadata": {}}
    cells = _CellsMerge(base["cells"], ours["cells"], theirs["cells"], settings)
    result = NotebookMerge({}, {}, cells.conflicts, cells.decisions, cells.cells_merged)
    top = merge_values(_without_cells(base), _without_cells(ours), _without_cells(theirs))
    top = _with_kernel_metadata(top, ours, theirs, settings, result)
    result.conflicts += [f"notebook {where}" for where in top.conflicts]
    minor = max(ours.get("nbformat_minor", 0), theirs.get("nbformat_minor", 0))
    for side, merged_cells, merged_top in (
        ("ours", cells.ours, top.ours),
        ("theirs", cells.theirs, top.theirs),
    ):
        notebook = {**merged_top, "nbformat_minor": minor, "cells": merged_cells}
        given = _give_missing_ids(notebook)
        if given and side == "ours":
            result.decisions.append(
                f"{given} cells from a side of nbformat 4.4 given ids (the merge is 4.{minor})"
            )
        order = [key for key in ours if key in notebook] + [k for k in notebook if k not in ours]
        setattr(result, side, {key: notebook[key] for key in order})
    return result


def _give_missing_ids(nb: dict[str, Any]) -> int:
    """Derive ids for cells without one, as nbformat 4.5 requires; return how many.

    One side may be a 4.4 notebook (no ids) and the other 4.5: the merge is
    4.5, and the cells that came from the 4.4 side need ids, derived from
    their content as for any notebook that lacks them.
    """
    minor = nb.get("nbformat_minor")
    if not isinstance(minor, int) or minor < 5:
        return 0
    cells = list(nb["cells"])  # the sides' lists may be shared
    ids = (cell.get("id") for cell in cells if isinstance(cell, dict))
    used = {cell_id for cell_id in ids if isinstance(cell_id, str)}
    given = 0
    for index, cell in enumerate(cells):
        if isinstance(cell, dict) and "id" not in cell:
            cells[index] = {**cell, "id": derived_id(cell, used)}
            given += 1
    nb["cells"] = cells
    return given


def _without_cells(nb: dict[str, Any]) -> dict[str, Any]:
    """What merges key by key: all but the cells and the minor version."""
    return {key: value for key, value in nb.items() if key not in ("cells", "nbformat_minor")}


def _with_kernel_metadata(
    top: Any,
    ours: dict[str, Any],
    theirs: dict[str, Any],
    settings: MergeSettings,
    result: NotebookMerge,
) -> Any:
    """Let what the kernel wrote follow the outputs kept, instead of conflicting."""
    for key in KERNEL_METADATA:
        where = f"metadata.{key}"
        conflicts = [c for c in top.conflicts if c == where or c.startswith(f"{where}.")]
        if not conflicts or settings.both_ran == "conflict":
            continue
        kept = ours if settings.both_ran == "ours" else theirs
        for version in (top.ours, top.theirs):
            version["metadata"] = {**version["metadata"], key: kept["metadata"][key]}
        top.conflicts = [conflict for conflict in top.conflicts if conflict not in conflicts]
        result.decisions.append(f"notebook metadata {key} kept from {settings.both_ran}")
    return top


class _CellsMerge:
    """The merged cell list, per side, with its conflicts and decisions."""

    def __init__(
        self, base: list[Any], ours: list[Any], theirs: list[Any], settings: MergeSettings
    ) -> None:
        self.settings = settings
        self.ours: list[Any] = []
        self.theirs: list[Any] = []
        self.conflicts: list[str] = []
        self.decisions: list[str] = []
        self.cells_merged = 0
        keys = cell_keys(base, ours, theirs)
        self.versions = [
            dict(zip(k, cells, strict=True))
            for k, cells in zip(keys, (base, ours, theirs), strict=True)
        ]
        stretches = merge_sequences(*keys)
        # Where each side puts each cell: a conflict puts its cells where both
        # sides' versions of that place are.
        placed = Counter(
            key
            for stretch in stretches
            for key in (
                {*stretch.ours, *stretch.theirs} if stretch.conflicted else set(stretch.merged)
            )
        )
        #: Cells the merge puts somewhere: one that leaves a stretch moved, if placed.
        self.placed = set(placed)
        #: Cells the sides put in different places: each place is a conflict.
        self.placed_twice = {key for key, count in placed.items() if count > 1}
        for stretch in stretches:
            self._add(stretch, self._conflict_reason(stretch))

    def _conflict_reason(self, stretch: Stretch[str]) -> str | None:
        """Why *stretch* is a conflict, if it is one."""
        base, ours, theirs = self.versions
        if stretch.conflicted:
            return "both sides changed the cells here differently"
        if self.placed_twice.intersection(stretch.merged):
            return "the sides put this cell in different places"
        for key in stretch.merged:
            if key in base and not (key in ours and key in theirs):
                # Here only because one side moved it: the other side deleted it.
                return f"one side moved {_name(base[key])}, which the other deleted"
        for key, kept in self._deleted(stretch):
            if not same(without_run(kept), without_run(base[key])):
                # Deleted by one side: an edit of the other side's would be lost.
                return "one side deleted a cell that the other edited"
        return None

    def _deleted(self, stretch: Stretch[str]) -> list[tuple[str, Any]]:
        """The cells one side deleted in *stretch*, each with the other side's version."""
        ours, theirs = self.versions[1], self.versions[2]
        # The side that left this stretch as the base had it.
        other = theirs if stretch.ours != stretch.base else ours
        # A cell still placed stayed, or one side moved it: it merges where it is.
        return [
            (key, other[key]) for key in stretch.base if key not in self.placed and key in other
        ]

    def _add(self, stretch: Stretch[str], reason: str | None) -> None:
        base, ours, theirs = self.versions
        if reason is not None:
            self._conflict(stretch, reason)
            return
        for key, kept in self._deleted(stretch):
            if not same(kept, base[key]):
                self.decisions.append(
                    f"{_name(base[key])}: deleted, though re-run on the other side"
                )
        for key in stretch.merged:
            if key in ours and key in theirs:
                self._merge_cell(base.get(key), ours[key], theirs[key])
            else:
                cell = (ours if key in ours else theirs)[key]
                self.ours.append(cell)
                self.theirs.append(cell)

    def _merge_cell(self, base: Any, ours: Any, theirs: Any) -> None:
        if not (isinstance(ours, dict) and isinstance(theirs, dict)):
            part = merge_values(base, ours, theirs)
            merged = CellMerge(part.ours, part.theirs, part.conflicts)
        else:
            merged = merge_cell(base, ours, theirs, self.settings)
        name = _name(merged.ours)
        self.conflicts += [f"{name}: {where}" for where in merged.conflicts]
        self.decisions += [f"{name}: {decision}" for decision in merged.decisions]
        both_changed = base is not None and not (same(base, ours) or same(base, theirs))
        if both_changed and not merged.conflicts and not same(ours, theirs):
            self.cells_merged += 1
        self.ours.append(merged.ours)
        self.theirs.append(merged.theirs)

    def _conflict(self, stretch: Stretch[str], why: str) -> None:
        ours, theirs = self.versions[1], self.versions[2]
        ours_cells = [ours[key] for key in stretch.ours]
        theirs_cells = [theirs[key] for key in stretch.theirs]
        # (A conflict always has cells on one side at least: same changes merge.)
        self.conflicts.append(f"{_name((ours_cells or theirs_cells)[0])}: {why}")
        self.ours += ours_cells
        self.theirs += theirs_cells


def _name(cell: Any) -> str:
    """How the report names a cell."""
    if isinstance(cell, dict) and isinstance(cell.get("id"), str):
        return f"cell {cell['id']}"
    if isinstance(cell, dict):
        first_line = str(cell.get("source", "")).split("\n", 1)[0][:40]
        return f"{cell.get('cell_type', 'cell')} cell {first_line!r}"
    return "a cell"
