"""A three-way merge of JSON values, object keys one by one.

A value that only one side changed takes that side's change; a value both
sides set to the same takes it once.  Objects on all sides merge key by key,
so edits of different keys combine; anything else that both sides changed
differently is a conflict, which keeps both versions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


#: A key one side does not have (never there, or deleted).
MISSING: Any = _Missing()


@dataclass
class ValueMerge:
    """The result of a merge: one value per side, equal where nothing conflicts."""

    ours: Any
    theirs: Any
    #: Where the sides conflict, as key paths ("tags", "jupyter.source_hidden").
    conflicts: list[str] = field(default_factory=list)

    @property
    def value(self) -> Any:
        """The merged value (ours where a part conflicts)."""
        return self.ours


def same(one: Any, other: Any) -> bool:
    """Whether two JSON values are the same JSON (unlike ``==``, ``true`` is not ``1``)."""
    if isinstance(one, dict):
        return (
            isinstance(other, dict)
            and one.keys() == other.keys()
            and all(same(one[key], other[key]) for key in one)
        )
    if isinstance(one, list):
        return isinstance(other, list) and len(one) == len(other) and all(map(same, one, other))
    return type(one) is type(other) and bool(one == other)


def merge_values(base: Any, ours: Any, theirs: Any, where: str = "") -> ValueMerge:
    """Merge two edits of *base*; MISSING stands for an absent key."""
    if same(ours, theirs) or same(theirs, base):
        return ValueMerge(ours, ours)
    if same(ours, base):
        return ValueMerge(theirs, theirs)
    if isinstance(base, dict) and isinstance(ours, dict) and isinstance(theirs, dict):
        return _merge_objects(base, ours, theirs, where)
    return ValueMerge(ours, theirs, [where or "the value"])


def _merge_objects(
    base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any], where: str
) -> ValueMerge:
    merged_ours: dict[str, Any] = {}
    merged_theirs: dict[str, Any] = {}
    conflicts: list[str] = []
    # Ours' key order first, then keys only theirs added, as a person would write them.
    keys = [*ours, *(key for key in theirs if key not in ours)]
    keys += [key for key in base if key not in ours and key not in theirs]
    for key in keys:
        part = merge_values(
            base.get(key, MISSING),
            ours.get(key, MISSING),
            theirs.get(key, MISSING),
            f"{where}.{key}" if where else key,
        )
        if part.ours is not MISSING:
            merged_ours[key] = part.ours
        if part.theirs is not MISSING:
            merged_theirs[key] = part.theirs
        conflicts += part.conflicts
    return ValueMerge(merged_ours, merged_theirs, conflicts)
