"""Cell ids for cells that have none, derived from the notebook, never random.

nbformat gives random ids to the cells of notebooks it upgrades (nbformat 3
and older) and to cells of nbformat 4.5 notebooks that lack one.  The same file
would then give a different notebook on every read: a different diff, a
different merge, a different ``.jupyter`` file.  Here a missing id is derived
from the cell's type and source, so that it stays the same when the cell is
re-run, moved or its neighbours edited, with the cell's position among cells
of the same content to tell twins apart.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

#: Hexadecimal digits of the hash in a derived id (nbformat's own are 8 characters or more).
_DIGITS = 8


def derived_id(cell: dict[str, Any], used: set[str]) -> str:
    """An id for *cell* from its content that is not in *used* (to which it is added)."""
    source = cell.get("source", "")
    if not isinstance(source, str):
        source = json.dumps(source, sort_keys=True)
    cell_type = cell.get("cell_type", "")
    content = f"{cell_type}\0{source}".encode("utf-8", "surrogatepass")
    stem = hashlib.sha256(content).hexdigest()[:_DIGITS]
    candidate, twin = stem, 1
    while candidate in used:
        twin += 1
        candidate = f"{stem}-{twin}"
    used.add(candidate)
    return candidate


def replace_all_ids(cells: list[Any]) -> None:
    """Give every cell a derived id (for notebooks whose ids an upgrade invented)."""
    used: set[str] = set()
    for cell in cells:
        if isinstance(cell, dict):
            cell["id"] = derived_id(cell, used)


def repair_ids(cells: list[Any]) -> list[str]:
    """Give cells without an id, or repeating an earlier cell's, a derived one.

    Ids that are present and unique stay as they are.  Returns a description
    of each change, as nbformat warns of each of its repairs.
    """
    present = [cell.get("id") for cell in cells if isinstance(cell, dict)]
    used = {cell_id for cell_id in present if isinstance(cell_id, str)}
    seen: set[str] = set()
    changes = []
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict):
            continue
        cell_id = cell.get("id")
        if "id" not in cell:
            cell["id"] = derived_id(cell, used)
            changes.append(f"cell {number} has no id; it was given the id {cell['id']!r}")
        elif isinstance(cell_id, str) and cell_id in seen:
            cell["id"] = derived_id(cell, used)
            changes.append(
                f"cell {number} repeats the id {cell_id!r}; it was given the id {cell['id']!r}"
            )
        elif isinstance(cell_id, str):
            seen.add(cell_id)
    return changes
