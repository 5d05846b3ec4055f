"""The conflict view: a conflicted notebook as a notebook, and back to a file.

A file that a merge left with git's conflict markers is not a notebook: the
markers may split a cell anywhere.  Its two sides are (every conflict settled
for ours, or for theirs).  The conflict view is the notebook that shows both:
the cells the sides share once, and at each place where they differ the
versions of both, one after the other, between three notes that say which is
which and how to resolve::

    <<<<<<< ours       (a note: merge conflict 1 of 2)
    ours' cells
    ======= theirs     (a note)
    theirs' cells
    >>>>>>> end        (a note)

Each of these cells carries a mark in its metadata (``jupyter_format_conflict``:
the conflict's number, the side, the role, the cell's own id).  A person
resolves a conflict with ordinary notebook actions: deleting the cells of the
version they do not keep, and editing the other as they like.  A conflict is
resolved when cells of only one side are left, or its ``=======`` note is
deleted (both versions kept).  A side with no cells at that
place (a cell one side deleted) has a placeholder cell, so that keeping it is
deleting the other side's cells too.  A difference in the notebook's own
metadata shows as one raw cell per side holding that side's metadata as JSON.

:func:`resolution` turns a view back into what to write: the notebook, with
the notes and marks gone, once every conflict is resolved; otherwise the two
sides' ``.jupyter`` texts between conflict markers again, so that an
unresolved conflict never becomes a clean file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Any

import nbformat
from nbformat import NotebookNode

from ._exceptions import ParseError
from ._format.conflicts import DEFAULT_MARKER_SIZE, conflict_sides, with_conflict_markers
from ._format.reader import deserialize
from ._format.writer import serialize

if TYPE_CHECKING:
    from collections.abc import Iterable

#: The cell metadata key of the marks; a notebook holding one is a conflict view.
MARK = "jupyter_format_conflict"

OURS, THEIRS = "ours", "theirs"
#: Roles of marked cells: a side's version of cells, the placeholder of a side
#: without cells, a side's notebook metadata, and the three notes.
CELL, EMPTY, METADATA = "cell", "empty", "metadata"
START, SEPARATOR, END = "start", "separator", "end"
_NOTES = (START, SEPARATOR, END)

#: nbformat's limit on the length of a cell id.
_MAX_ID_LENGTH = 64


def conflict_view(data: str | bytes, *, validate: bool = False) -> NotebookNode | None:
    """The conflict view of conflicted ``.jupyter`` text; None if it has no markers.

    :param validate: Check each side against nbformat's schema, as
        :func:`~jupyter_format.deserialize` does.
    :raises ParseError: if the markers do not pair up, a side does not parse
        (at its line in *data*), or the sides are of different nbformat versions.
    """
    # Invalid UTF-8 passes through to the reader of each side, which reports it.
    text = data.decode("utf-8", "surrogateescape") if isinstance(data, bytes) else data
    sides = conflict_sides(text)
    if sides is None:
        return None
    ours = _read_side(sides.ours, sides.ours_lines, OURS, validate)
    theirs = _read_side(sides.theirs, sides.theirs_lines, THEIRS, validate)
    versions = [(nb.get("nbformat"), nb.get("nbformat_minor")) for nb in (ours, theirs)]
    if versions[0] != versions[1]:
        (major, minor), (their_major, their_minor) = versions
        raise ParseError(
            f"the two sides of the merge conflict are of different nbformat versions "
            f"({major}.{minor} and {their_major}.{their_minor}): resolve it in a text editor",
            sides.first_marker,
            1,
        )
    if _json_key(_top_level(ours)) != _json_key(_top_level(theirs)):
        raise ParseError(
            "the two sides of the merge conflict differ in fields other than cells and "
            "metadata: resolve it in a text editor",
            sides.first_marker,
            1,
        )
    for nb, side in ((ours, OURS), (theirs, THEIRS)):
        _check_markable(nb, side, sides.first_marker)
    return _ViewBuilder(ours, theirs, sides.marker_size).view()


def view_instead(data: str | bytes, error: ParseError, *, validate: bool = False) -> NotebookNode:
    """The conflict view of *data*, which failed to read with *error*; or *error* again.

    For the readers that are asked for the conflict-aware reading: they read
    as usual, and only text that does not parse can be conflicted text.
    """
    view = conflict_view(data, validate=validate)
    if view is None:
        raise error
    return view


def _top_level(nb: NotebookNode) -> dict[str, Any]:
    return {key: value for key, value in nb.items() if key not in ("cells", "metadata")}


def _check_markable(nb: NotebookNode, side: str, line: int) -> None:
    """Refuse a side whose cells cannot carry a mark (invalid notebooks may hold such)."""
    cells = nb.get("cells")
    if not isinstance(cells, list):  # an invalid notebook's extra field
        raise ParseError(
            f"the cells of {side}' side of the merge conflict are not a list: "
            "resolve the conflict in a text editor",
            line,
            1,
        )
    for number, cell in enumerate(cells, 1):
        if not (isinstance(cell, dict) and isinstance(cell.get("metadata"), dict)):
            raise ParseError(
                f"cell {number} of {side}' side of the merge conflict has no metadata "
                "to mark it with: resolve the conflict in a text editor",
                line,
                1,
            )
        if MARK in cell["metadata"]:
            # A view saved by a tool that did not resolve it: its marks would mislead.
            raise ParseError(
                f"cell {number} of {side}' side of the merge conflict holds the marks of an "
                "earlier conflict view: resolve the conflict in a text editor",
                line,
                1,
            )


def _read_side(text: str, lines: list[int], side: str, validate: bool) -> NotebookNode:
    try:
        return deserialize(text.encode("utf-8", "surrogateescape"), validate=validate)
    except ParseError as error:
        # Line numbers of the side's text, told as lines of the conflicted file.
        line = lines[error.lineno - 1] if 0 < error.lineno <= len(lines) else lines[-1] + 1
        message = f"{error.msg} (in {side}' side of a merge conflict)"
        raise ParseError(message, line, error.colno) from None


def _json_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


class _ViewBuilder:
    def __init__(self, ours: NotebookNode, theirs: NotebookNode, marker_size: int) -> None:
        self.ours, self.theirs = ours, theirs
        self.marker_size = marker_size
        minor = ours.get("nbformat_minor")
        self.uses_ids = (isinstance(minor, int) and minor >= 5) or any(
            "id" in cell for cell in [*ours.cells, *theirs.cells]
        )
        self.used_ids = {cell["id"] for cell in ours.cells if isinstance(cell.get("id"), str)}
        self.metadata_differs = _json_key(ours.metadata) != _json_key(theirs.metadata)
        matcher = SequenceMatcher(
            None,
            [_json_key(cell) for cell in ours.cells],
            [_json_key(cell) for cell in theirs.cells],
            autojunk=False,
        )
        self.opcodes = matcher.get_opcodes()
        self.groups = self.metadata_differs + sum(tag != "equal" for tag, *_ in self.opcodes)

    def view(self) -> NotebookNode:
        cells: list[Any] = []
        group = 0
        if self.metadata_differs:
            group += 1
            cells += self._conflict(group, [self.ours.metadata], [self.theirs.metadata], METADATA)
        for tag, ours_start, ours_end, theirs_start, theirs_end in self.opcodes:
            if tag == "equal":
                cells += self.ours.cells[ours_start:ours_end]
                continue
            group += 1
            ours_cells = self.ours.cells[ours_start:ours_end]
            theirs_cells = self.theirs.cells[theirs_start:theirs_end]
            cells += self._conflict(group, ours_cells, theirs_cells, CELL)
        view = nbformat.from_dict(  # type: ignore[no-untyped-call]
            {**self.ours, "cells": []}
        )
        view.cells = cells
        return view  # type: ignore[no-any-return]

    def _conflict(
        self, group: int, ours: list[Any], theirs: list[Any], role: str
    ) -> list[NotebookNode]:
        about = METADATA if role == METADATA else ""
        start = self._note(START, group, about)
        if self.marker_size != DEFAULT_MARKER_SIZE:
            start.metadata[MARK]["marker_size"] = self.marker_size
        cells = [start, *self._side(OURS, group, ours, role)]
        cells.append(self._note(SEPARATOR, group, about))
        cells += self._side(THEIRS, group, theirs, role)
        cells.append(self._note(END, group, about))
        return cells

    def _side(self, side: str, group: int, items: list[Any], role: str) -> list[NotebookNode]:
        if role == METADATA:
            text = json.dumps(items[0], indent=1, ensure_ascii=False)
            cell = self._marked(_new_cell("raw", text), group, side, METADATA)
            # What the view's own metadata started as, to tell what changed in it since.
            cell.metadata[MARK]["view_metadata"] = self.ours.metadata
            return [cell]
        if not items:
            placeholder = _new_cell("markdown", note_text(EMPTY, group, self.groups, side))
            return [self._marked(placeholder, group, side, EMPTY)]
        return [self._marked(cell, group, side, CELL) for cell in items]

    def _note(self, role: str, group: int, about: str) -> NotebookNode:
        note = self._marked(
            _new_cell("markdown", note_text(role, group, self.groups, about=about)),
            group,
            "",
            role,
        )
        if about:
            note.metadata[MARK]["about"] = about
        return note

    def _marked(self, cell: Any, group: int, side: str, role: str) -> NotebookNode:
        marked = nbformat.from_dict(dict(cell))  # type: ignore[no-untyped-call]
        marked.metadata = {**cell["metadata"]}
        mark: dict[str, Any] = {"conflict": group, "of": self.groups, "role": role}
        if side:
            mark["side"] = side
        if role == CELL and isinstance(cell.get("id"), str):
            mark["id"] = cell["id"]
            if side == THEIRS and cell["id"] in self.used_ids:
                # Both versions of a cell share its id, which a notebook may hold once.
                marked.id = self._unique_id(f"{cell['id']}-theirs")
            else:
                self.used_ids.add(cell["id"])
        elif role != CELL:
            marked.pop("id", None)
            if self.uses_ids:
                marked.id = self._unique_id(
                    f"merge-conflict-{group}-{role}" + (side and f"-{side}")
                )
        marked.metadata[MARK] = mark
        return marked  # type: ignore[no-any-return]

    def _unique_id(self, wanted: str) -> str:
        stem = wanted[:_MAX_ID_LENGTH]
        candidate, twin = stem, 1
        while candidate in self.used_ids:
            twin += 1
            suffix = f"-{twin}"
            candidate = stem[: _MAX_ID_LENGTH - len(suffix)] + suffix
        self.used_ids.add(candidate)
        return candidate


def _new_cell(cell_type: str, source: str) -> dict[str, Any]:
    return {"cell_type": cell_type, "metadata": {}, "source": source}


def note_text(role: str, group: int, groups: int, side: str = "", about: str = "") -> str:
    """The text of a note (or placeholder) of the view, which its marks determine."""
    which = f"merge conflict {group} of {groups}"
    if role == START and about == METADATA:
        return (
            f"**`<<<<<<< ours`: {which}, in the notebook's metadata.** The raw cell after "
            "this note holds *ours* (the branch you merged into), the one after the "
            "`=======` note *theirs* (the branch merged in), as JSON.\n\n"
            "To resolve: delete the cell of the version you do not keep (edit the other's "
            "JSON as you like), then save. Until then, saving keeps the conflict in the file."
        )
    if role == START:
        return (
            f"**`<<<<<<< ours`: {which}.** The cells from here to the `=======` note are "
            "*ours* (the branch you merged into); the cells after it, up to the `>>>>>>>` "
            "note, are *theirs* (the branch merged in).\n\n"
            "To resolve: delete the cells of the version you do not keep (edit the other as "
            "you like), or delete the `=======` note to keep both, then save. Until then, "
            "saving keeps the conflict in the file. Once it is resolved, saving writes the "
            "notebook without these notes; they are gone when you open it again."
        )
    if role == SEPARATOR:
        return f"**`=======`: {which}.** The cells from here to the next note are *theirs*."
    if role == END:
        return f"**`>>>>>>> theirs`: end of {which}.**"
    return (
        f"*{side.capitalize()} has no cells here ({which}).* Delete this cell to keep "
        f"the other side's cells; delete the other side's cells to keep none."
    )


_ROLES = {CELL, EMPTY, METADATA, START, SEPARATOR, END}
_SIDE_ROLES = {CELL, EMPTY, METADATA}


def mark_of(cell: Any) -> dict[str, Any] | None:
    """The conflict view's mark of *cell*, if it has a well-formed one."""
    metadata = cell.get("metadata") if isinstance(cell, dict) else None
    mark = metadata.get(MARK) if isinstance(metadata, dict) else None
    if not isinstance(mark, dict):
        return None
    conflict, role, side = mark.get("conflict"), mark.get("role"), mark.get("side")
    if not isinstance(conflict, int) or isinstance(conflict, bool) or role not in _ROLES:
        return None
    if (side in (OURS, THEIRS)) != (role in _SIDE_ROLES):
        return None
    return mark


def marked_cells(nb: Any) -> list[int]:
    """The numbers (from 1) of the cells of *nb* that carry the marks of a conflict view."""
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells, list):
        return []
    return [
        number
        for number, cell in enumerate(cells, 1)
        if isinstance(cell, dict)
        and isinstance(cell.get("metadata"), dict)
        and MARK in cell["metadata"]
    ]


@dataclass
class Resolution:
    """What a conflict view becomes in a file."""

    #: The conflicts still unresolved.
    conflicts: int
    #: The notebook, when every conflict is resolved.
    notebook: NotebookNode | None = None
    #: Otherwise the ``.jupyter`` text of both sides, with conflict markers.
    text: str = ""


@dataclass
class _Entry:
    """A cell of the view as the resolution sees it."""

    cell: Any  #: without its mark
    mark: dict[str, Any] | None = None  #: None: a cell of both sides
    position: int = 0

    @property
    def conflict(self) -> Any:
        return None if self.mark is None else self.mark["conflict"]

    @property
    def role(self) -> Any:
        return None if self.mark is None else self.mark["role"]


def resolution(view: Any) -> Resolution:
    """Turn a conflict view, as a person may have edited it, into what to write.

    :raises ParseError: if the notebook metadata kept in a conflict is not
        JSON (its raw cell was edited); the position is in that cell.
    """
    entries = _entries(view)
    sides_left: dict[int, set[str]] = {}
    separated: set[int] = set()
    for entry in entries:
        if entry.role in _SIDE_ROLES:
            sides_left.setdefault(entry.conflict, set()).add(entry.mark["side"])  # type: ignore[index]
        if entry.role in (SEPARATOR, METADATA):
            # Without its ======= note, a conflict keeps both versions' cells;
            # a notebook has one metadata, so a metadata conflict has no such choice.
            separated.add(entry.conflict)
    unresolved = {
        group
        for group, sides in sides_left.items()
        if {OURS, THEIRS} <= sides and group in separated
    }
    sizes = [
        entry.mark.get("marker_size") for entry in entries if entry.mark and entry.role == START
    ]
    # git asks for longer markers where the text holds lines like them.
    marker_size = max(
        (size for size in sizes if isinstance(size, int) and not isinstance(size, bool)),
        default=DEFAULT_MARKER_SIZE,
    )
    marker_size = min(max(marker_size, DEFAULT_MARKER_SIZE), 100)
    if not unresolved:
        return Resolution(0, _side_notebook(view, entries, OURS, set()))
    ours_nb = _side_notebook(view, entries, OURS, unresolved)
    ours = serialize(ours_nb)
    theirs = serialize(_side_notebook(view, entries, THEIRS, unresolved))
    if ours == theirs:  # both versions edited into one
        return Resolution(0, ours_nb)
    text, _ = with_conflict_markers(ours, theirs, marker_size)
    return Resolution(len(unresolved), text=text)


def _entries(view: Any) -> list[_Entry]:
    """The view's cells without their marks, each with the mark that still holds.

    A side's cell belongs to its conflict where it stands between that
    conflict's first and last notes; one copied elsewhere (JupyterLab copies
    metadata, marks too) is an ordinary cell.  Malformed marks are dropped.
    """
    cells = view.get("cells", [])
    entries = []
    for position, cell in enumerate(cells if isinstance(cells, list) else []):
        entries.append(_Entry(_unmarked(cell), mark_of(cell), position))
    bounds: dict[int, list[int]] = {}
    for entry in entries:
        if entry.role in (START, END):
            bounds.setdefault(entry.conflict, []).append(entry.position)
    for entry in entries:
        where = bounds.get(entry.conflict) if entry.role in _SIDE_ROLES else None
        if where and len(where) == 2 and not min(where) < entry.position < max(where):
            entry.mark = None
    return entries


def _side_notebook(
    view: Any, entries: list[_Entry], side: str, unresolved: set[int]
) -> NotebookNode:
    """The notebook of *side*: shared cells, resolved conflicts, and its version of the rest."""
    kept: list[_Entry] = []
    metadata = view.get("metadata", {})
    for entry in entries:
        role, mark = entry.role, entry.mark
        if mark is not None and role in _SIDE_ROLES:
            if entry.conflict in unresolved and mark["side"] != side:
                continue
            if role == METADATA:
                metadata = _metadata_from(entry, view)
                continue
        if mark is None or role == CELL or _edited(entry):
            # A note or placeholder a person wrote in is kept as theirs to delete.
            kept.append(entry if role == CELL else _Entry(entry.cell))
    _restore_ids(kept)
    nb = nbformat.from_dict(  # type: ignore[no-untyped-call]
        {**view, "cells": [], "metadata": {}}
    )
    nb.metadata = metadata
    nb.cells = [entry.cell for entry in kept]
    return nb  # type: ignore[no-any-return]


def _edited(entry: _Entry) -> bool:
    mark = entry.mark
    assert mark is not None
    expected = note_text(
        mark["role"],
        mark["conflict"],
        mark.get("of", 0),
        mark.get("side", ""),
        mark.get("about", ""),
    )
    return not isinstance(entry.cell, dict) or entry.cell.get("source") != expected


def _metadata_from(entry: _Entry, view: Any) -> Any:
    """The notebook metadata that a metadata cell keeps, with the view's own changes."""
    source = entry.cell.get("source", "")
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        source = "".join(source)
    where = f"the notebook metadata kept in cell {entry.position + 1}"
    if not isinstance(source, str):
        raise ParseError(f"{where} is not text", 1, 1)
    try:
        kept = json.loads(source)
    except json.JSONDecodeError as error:
        raise ParseError(f"{where} is not JSON: {error.msg}", error.lineno, error.colno) from None
    # What changed in the view's own metadata meanwhile (the kernel's language_info,
    # an edit in the metadata editor) applies to the kept version too.
    started, now = entry.mark.get("view_metadata"), view.get("metadata")  # type: ignore[union-attr]
    if not (isinstance(kept, dict) and isinstance(started, dict) and isinstance(now, dict)):
        return kept
    changed = dict(kept)
    for key in {*started, *now}:
        if key not in now:
            changed.pop(key, None)
        elif key not in started or _json_key(now[key]) != _json_key(started[key]):
            changed[key] = now[key]
    return changed


def _unmarked(cell: Any) -> Any:
    if not (isinstance(cell, dict) and isinstance(cell.get("metadata"), dict)):
        return cell
    if MARK not in cell["metadata"]:
        return cell
    copy = nbformat.from_dict(dict(cell))  # type: ignore[no-untyped-call]
    copy.metadata = {key: value for key, value in cell["metadata"].items() if key != MARK}
    return copy


def _restore_ids(kept: Iterable[_Entry]) -> None:
    """Give cells back the ids they had before the view renamed one of two versions.

    An id comes back unless a kept cell of the other side, or one that is no
    version of a conflicting cell, holds it: a side that repeated an id gets
    its repeats back, as it had them.
    """
    kept = [entry for entry in kept if isinstance(entry.cell, dict)]

    def version_of(entry: _Entry) -> Any:
        return None if entry.mark is None else entry.mark.get("id")

    holders: dict[str, set[Any]] = {}
    for entry in kept:
        cell_id = entry.cell.get("id")
        if isinstance(cell_id, str):
            side = entry.mark["side"] if version_of(entry) == cell_id else None  # type: ignore[index]
            holders.setdefault(cell_id, set()).add(side)
    for entry in kept:
        wanted, side = version_of(entry), entry.mark and entry.mark["side"]
        if not isinstance(wanted, str) or entry.cell.get("id") == wanted:
            continue
        if holders.get(wanted, set()) <= {side}:
            entry.cell["id"] = wanted
            holders.setdefault(wanted, set()).add(side)
