"""Which cells of the three versions are the same cell: by id, else by content.

Cells since nbformat 4.5 have ids, and a cell keeps its id through edits.
Older notebooks have none; their cells are matched by a diff of the cell
sequence, and a changed cell by its likeness to the cell it replaces, never by
its position alone.
"""

from __future__ import annotations

import hashlib
import json
from difflib import SequenceMatcher
from typing import Any

#: How alike (difflib's ratio) an edited cell must be to the base cell it replaces.
LIKENESS = 0.6


def cell_keys(base: list[Any], ours: list[Any], theirs: list[Any]) -> tuple[list[str], ...]:
    """A key per cell of each version; the same cell has the same key in every version."""
    if all(_has_unique_ids(cells) for cells in (base, ours, theirs)):
        return tuple([f"id:{cell['id']}" for cell in cells] for cells in (base, ours, theirs))
    base_keys = [f"base:{index}" for index in range(len(base))]
    return base_keys, _matched(base, base_keys, ours), _matched(base, base_keys, theirs)


def _has_unique_ids(cells: list[Any]) -> bool:
    ids = [cell.get("id") if isinstance(cell, dict) else None for cell in cells]
    return all(isinstance(cell_id, str) for cell_id in ids) and len(set(ids)) == len(ids)


def _signature(cell: Any) -> str:
    if isinstance(cell, dict):
        return json.dumps([cell.get("cell_type"), cell.get("source")], sort_keys=True)
    return json.dumps(cell, sort_keys=True)


def _matched(base: list[Any], base_keys: list[str], side: list[Any]) -> list[str]:
    keys: list[str | None] = [None] * len(side)
    matcher = SequenceMatcher(
        None,
        [_signature(cell) for cell in base],
        [_signature(cell) for cell in side],
        autojunk=False,
    )
    for tag, base_start, base_end, side_start, side_end in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(base_end - base_start):
                keys[side_start + offset] = base_keys[base_start + offset]
        elif tag == "replace":
            base_part = list(
                zip(base_keys[base_start:base_end], base[base_start:base_end], strict=True)
            )
            keys[side_start:side_end] = _match_alike(base_part, side[side_start:side_end])
    seen: dict[str, int] = {}
    result = []
    for cell, key in zip(side, keys, strict=True):
        if key is not None:
            result.append(key)
            continue
        # A new cell: the same content added on both sides is the same cell.
        digest = hashlib.sha256(_signature(cell).encode()).hexdigest()[:16]
        seen[digest] = seen.get(digest, 0) + 1
        result.append(f"new:{digest}:{seen[digest]}")
    return result


def _match_alike(base_part: list[tuple[str, Any]], side_part: list[Any]) -> list[str | None]:
    """Pair the edited cells of a replaced stretch with the base cells they are most like."""
    keys: list[str | None] = []
    next_base = 0
    for cell in side_part:
        best, best_likeness = None, LIKENESS
        for index in range(next_base, len(base_part)):
            likeness = _likeness(base_part[index][1], cell)
            if likeness >= best_likeness:
                best, best_likeness = index, likeness
        keys.append(None if best is None else base_part[best][0])
        next_base = next_base if best is None else best + 1
    return keys


def _likeness(base_cell: Any, cell: Any) -> float:
    if not (isinstance(base_cell, dict) and isinstance(cell, dict)):
        return 0.0
    if base_cell.get("cell_type") != cell.get("cell_type"):
        return 0.0
    base_source, source = base_cell.get("source"), cell.get("source")
    if not (isinstance(base_source, str) and isinstance(source, str)):
        return 0.0
    return SequenceMatcher(None, base_source, source, autojunk=False).ratio()
