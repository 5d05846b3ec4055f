"""A three-way merge of sequences (lines of a source, ids of cells), as diff3 does it.

Both sides are compared with the base; where both keep a stretch of the base
unchanged, the sides are in step.  Between such stretches each side either
left the base alone, or changed it: one side's change is taken, the same
change on both sides is taken once, and different changes are a conflict.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from collections.abc import Hashable, Iterator, Sequence

T = TypeVar("T", bound="Hashable")


@dataclass(frozen=True)
class Stretch(Generic[T]):
    """A part of the merge: the same on every side, or the three versions of a change."""

    base: Sequence[T]
    ours: Sequence[T]
    theirs: Sequence[T]

    @property
    def conflicted(self) -> bool:
        """Both sides changed this part of the base, differently."""
        return self.base not in (self.ours, self.theirs) and self.ours != self.theirs

    @property
    def merged(self) -> Sequence[T]:
        """The merge of this part; for a conflicted one, ours."""
        return self.theirs if self.ours == self.base else self.ours


def _kept_from_base(base: Sequence[T], side: Sequence[T]) -> dict[int, int]:
    """Where each base item that *side* kept unchanged is in *side*."""
    matcher = SequenceMatcher(None, base, side, autojunk=False)
    return {
        base_start + offset: side_start + offset
        for base_start, side_start, size in matcher.get_matching_blocks()
        for offset in range(size)
    }


def merge_sequences(base: Sequence[T], ours: Sequence[T], theirs: Sequence[T]) -> list[Stretch[T]]:
    """Merge *ours* and *theirs*, two edits of *base*, into stretches in order."""
    base, ours, theirs = list(base), list(ours), list(theirs)
    in_ours = _kept_from_base(base, ours)
    in_theirs = _kept_from_base(base, theirs)
    stretches: list[Stretch[T]] = []
    base_at = ours_at = theirs_at = 0
    for index in _in_step(base, in_ours, in_theirs):
        ours_index, theirs_index = in_ours[index], in_theirs[index]
        if (base_at, ours_at, theirs_at) != (index, ours_index, theirs_index):
            stretches.append(
                Stretch(
                    base[base_at:index], ours[ours_at:ours_index], theirs[theirs_at:theirs_index]
                )
            )
        kept = [base[index]]
        stretches.append(Stretch(kept, kept, kept))
        base_at, ours_at, theirs_at = index + 1, ours_index + 1, theirs_index + 1
    if (base_at, ours_at, theirs_at) != (len(base), len(ours), len(theirs)):
        stretches.append(Stretch(base[base_at:], ours[ours_at:], theirs[theirs_at:]))
    return _joined(stretches)


def _in_step(
    base: Sequence[T], in_ours: dict[int, int], in_theirs: dict[int, int]
) -> Iterator[int]:
    """The base items both sides kept, where neither side has moved past the other."""
    ours_at = theirs_at = -1
    for index in range(len(base)):
        if in_ours.get(index, -1) > ours_at and in_theirs.get(index, -1) > theirs_at:
            ours_at, theirs_at = in_ours[index], in_theirs[index]
            yield index


def _joined(stretches: list[Stretch[T]]) -> list[Stretch[T]]:
    """Neighbouring unchanged stretches as one."""
    joined: list[Stretch[T]] = []
    for stretch in stretches:
        unchanged = stretch.base == stretch.ours == stretch.theirs
        if joined and unchanged and joined[-1].base == joined[-1].ours == joined[-1].theirs:
            previous = joined.pop()
            joined.append(Stretch(*([*previous.base, *stretch.base],) * 3))
        else:
            joined.append(stretch)
    return joined
