"""Two resolutions of a merge as one text with git's conflict markers, and back.

Where the ``.jupyter`` texts of the two resolutions (each conflict settled for
ours, or for theirs) differ, the text holds both versions between markers::

    <<<<<<< ours
    (lines of ours)
    =======
    (lines of theirs)
    >>>>>>> theirs

Taking the first part of every conflict gives ours back exactly, the second
theirs.  A ``|||||||`` section (git's diff3 style) is allowed before
``=======`` and belongs to neither.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .._exceptions import ParseError

DEFAULT_MARKER_SIZE = 7


def with_conflict_markers(
    ours: str, theirs: str, marker_size: int = DEFAULT_MARKER_SIZE
) -> tuple[str, int]:
    """The text holding both *ours* and *theirs*, and how many conflicts it has.

    Differences within one cell (or one part of the notebook: a line at the
    start of a line begins the next) are one conflict.
    """
    ours_lines = ours.splitlines(keepends=True)
    theirs_lines = theirs.splitlines(keepends=True)
    parts: list[str] = []
    conflicts = 0
    for same, ours_part, theirs_part in _hunks(ours_lines, theirs_lines):
        if same:
            parts += ours_part
            continue
        conflicts += 1
        parts.append("<" * marker_size + " ours\n")
        parts += _ended(ours_part)
        parts.append("=" * marker_size + "\n")
        parts += _ended(theirs_part)
        parts.append(">" * marker_size + " theirs\n")
    return "".join(parts), conflicts


def _hunks(ours: list[str], theirs: list[str]) -> list[tuple[bool, list[str], list[str]]]:
    """The lines the texts share and those they do not, differences in one part joined."""
    opcodes = SequenceMatcher(None, ours, theirs, autojunk=False).get_opcodes()
    hunks: list[tuple[bool, list[str], list[str]]] = []
    for index, (tag, ours_start, ours_end, theirs_start, theirs_end) in enumerate(opcodes):
        ours_part, theirs_part = ours[ours_start:ours_end], theirs[theirs_start:theirs_end]
        between_differences = 0 < index < len(opcodes) - 1
        # Only keyword lines (cell heads, notebook_metadata) start at column 0.
        in_one_part = all(not line[:1].strip() for line in ours_part)
        if tag == "equal" and not (between_differences and in_one_part):
            hunks.append((True, ours_part, theirs_part))
        elif hunks and not hunks[-1][0]:
            _, ours_before, theirs_before = hunks.pop()
            hunks.append((False, ours_before + ours_part, theirs_before + theirs_part))
        else:
            hunks.append((False, ours_part, theirs_part))
    return hunks


def _ended(lines: list[str]) -> list[str]:
    # .jupyter text always ends in a newline; a marker must start a line.
    if lines and not lines[-1].endswith("\n"):
        return [*lines[:-1], lines[-1] + "\n"]
    return lines


_MARKER = re.compile(r"(<{7,}|\|{7,}|={7,}|>{7,})(?:[ \t].*)?\r?\n?")


@dataclass
class ConflictSides:
    """The two versions a text with conflict markers holds, with where their lines come from."""

    ours: str
    theirs: str
    #: The line number in the conflicted text of each line of ours, and of theirs.
    ours_lines: list[int] = field(default_factory=list)
    theirs_lines: list[int] = field(default_factory=list)
    #: The line of the first ``<<<<<<<`` marker.
    first_marker: int = 0
    #: The length of the markers (git's marker-size, 7 by default).
    marker_size: int = DEFAULT_MARKER_SIZE


def split_conflicts(text: str) -> tuple[str, str] | None:
    """Ours and theirs from a text with conflict markers; None if it has none.

    :raises ParseError: if the markers do not pair up.
    """
    sides = conflict_sides(text)
    return None if sides is None else (sides.ours, sides.theirs)


def conflict_sides(text: str) -> ConflictSides | None:
    """:func:`split_conflicts`, with the line numbers of each side's lines."""
    ours: list[str] = []
    theirs: list[str] = []
    sides = ConflictSides("", "")
    section = "both"
    size = 0
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        match = _MARKER.fullmatch(line)
        marker = match[1] if match else ""
        if marker.startswith("<") and section == "both":
            section, size = "ours", len(marker)
            if not sides.first_marker:
                sides.first_marker, sides.marker_size = number, size
        elif marker == "|" * size and section == "ours":
            section = "base"
        elif (
            marker == "=" * size and section in ("ours", "base") and line.rstrip("\r\n") == marker
        ):
            section = "theirs"
        elif marker == ">" * size and section == "theirs":
            section = "both"
        elif (marker and section != "both") or (
            marker.startswith(("=", ">", "|")) and section == "both"
        ):
            raise ParseError(f"unmatched git conflict marker {marker[:7]!r}", number, 1)
        else:
            if section in ("both", "ours"):
                ours.append(line)
                sides.ours_lines.append(number)
            if section in ("both", "theirs"):
                theirs.append(line)
                sides.theirs_lines.append(number)
    if section != "both":
        raise ParseError(
            "unterminated merge conflict (no '>>>>>>>' line)", text.count("\n") + 1, 1
        )
    if not sides.first_marker:
        return None
    sides.ours, sides.theirs = "".join(ours), "".join(theirs)
    return sides
