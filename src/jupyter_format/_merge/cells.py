"""The merge of one cell: source line by line, outputs by the rules, the rest key by key."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .._volatile import TIMING_KEYS
from .diff3 import merge_sequences
from .values import MISSING, merge_values, same

if TYPE_CHECKING:
    from .settings import MergeSettings

#: The fields a run of the cell writes; they travel together.
RUN_FIELDS = ("outputs", "execution_count")


@dataclass
class CellMerge:
    """One merged cell: a version per side, the same one unless something conflicts."""

    ours: dict[str, Any]
    theirs: dict[str, Any]
    conflicts: list[str] = field(default_factory=list)
    #: What the rules decided, for the report ("outputs kept from ours: both re-ran it").
    decisions: list[str] = field(default_factory=list)


def _run_of(cell: dict[str, Any] | None) -> dict[str, Any]:
    """What running the cell wrote: outputs, count, timing metadata."""
    if cell is None:
        return {}
    run = {key: cell[key] for key in RUN_FIELDS if key in cell}
    metadata = cell.get("metadata")
    if isinstance(metadata, dict):
        run.update({f"metadata.{key}": metadata[key] for key in TIMING_KEYS if key in metadata})
    return run


def without_run(cell: dict[str, Any]) -> dict[str, Any]:
    """The cell without what running it wrote."""
    rest = {key: value for key, value in cell.items() if key not in RUN_FIELDS}
    if isinstance(rest.get("metadata"), dict):
        metadata = rest["metadata"]
        rest["metadata"] = {
            key: value for key, value in metadata.items() if key not in TIMING_KEYS
        }
    return rest


def _with_run(cell: dict[str, Any], run: dict[str, Any]) -> dict[str, Any]:
    result = dict(cell)
    for key in RUN_FIELDS:
        if key in run:
            result[key] = run[key]
    timing = {key.split(".", 1)[1]: value for key, value in run.items() if "." in key}
    if timing and isinstance(result.get("metadata"), dict):
        result["metadata"] = {**result["metadata"], **timing}
    return result


#: The run of a code cell that has not run: no outputs, no count, no timing.
NOT_RUN: dict[str, Any] = {"outputs": [], "execution_count": None}


@dataclass
class _Source:
    ours: Any
    theirs: Any
    conflicted: bool
    combined: bool


def _merge_source(base: Any, ours: Any, theirs: Any) -> _Source:
    if not all(isinstance(source, str) for source in (base, ours, theirs)):
        part = merge_values(base, ours, theirs)
        return _Source(part.ours, part.theirs, bool(part.conflicts), combined=False)
    # A last line without a newline is the same line as with one; whether the
    # source ends with a newline merges on its own.
    stretches = merge_sequences(_lines(base), _lines(ours), _lines(theirs))
    conflicted = any(stretch.conflicted for stretch in stretches)
    merged_ours = "".join(line for stretch in stretches for line in stretch.merged)
    merged_theirs = "".join(
        line
        for stretch in stretches
        for line in (stretch.theirs if stretch.conflicted else stretch.merged)
    )
    base_ends, ours_ends, theirs_ends = map(_ends_a_line, (base, ours, theirs))
    merged_ours = _ended_as(merged_ours, ours_ends if ours_ends != base_ends else theirs_ends)
    merged_theirs = _ended_as(
        merged_theirs, theirs_ends if theirs_ends != base_ends else ours_ends
    )
    combined = not conflicted and merged_ours not in (ours, theirs)
    return _Source(merged_ours, merged_theirs, conflicted, combined)


def _ends_a_line(source: str) -> bool:
    return not source or source.endswith("\n")


def _lines(source: str) -> list[str]:
    return (source if _ends_a_line(source) else source + "\n").splitlines(keepends=True)


def _ended_as(source: str, ends_a_line: bool) -> str:
    return source if ends_a_line or not source.endswith("\n") else source[:-1]


def merge_cell(
    base: dict[str, Any] | None,
    ours: dict[str, Any],
    theirs: dict[str, Any],
    settings: MergeSettings,
) -> CellMerge:
    """Merge two versions of a cell with their common ancestor (None: both added it)."""
    empty_base = {"source": ""} if base is None else base
    rest = merge_values(
        without_run({**empty_base, "source": MISSING}),
        without_run({**ours, "source": MISSING}),
        without_run({**theirs, "source": MISSING}),
    )
    source = _merge_source(
        empty_base.get("source", MISSING),
        ours.get("source", MISSING),
        theirs.get("source", MISSING),
    )
    result = CellMerge(
        _assembled(ours, rest.ours, source.ours),
        _assembled(ours, rest.theirs, source.theirs),
        [*rest.conflicts, *(["source"] if source.conflicted else [])],
    )
    if _is_code(result.ours) and _is_code(result.theirs):
        _merge_run(result, _run_of(base), (ours, theirs), source, settings)
    else:
        # One side made it a markdown or raw cell (or both did): a code version
        # keeps its own side's run, the other has none.
        result.ours = _with_run(result.ours, _run_of(ours) if _is_code(result.ours) else {})
        result.theirs = _with_run(
            result.theirs, _run_of(theirs) if _is_code(result.theirs) else {}
        )
        if not result.conflicts and any(map(_is_code, (base or {}, ours, theirs))):
            result.decisions.append(
                f"outputs dropped: it is a {result.ours['cell_type']} cell now"
            )
    return result


def _is_code(cell: dict[str, Any]) -> bool:
    return cell.get("cell_type") == "code"


def _assembled(order: dict[str, Any], rest: dict[str, Any], source: Any) -> dict[str, Any]:
    cell = {key: value for key, value in rest.items() if value is not MISSING}
    if source is not MISSING:
        cell["source"] = source
    # Keys in the order of ours, so that a clean merge reads like ours.
    position = {key: index for index, key in enumerate(order)}
    return dict(sorted(cell.items(), key=lambda item: position.get(item[0], len(position))))


def _merge_run(
    result: CellMerge,
    base_run: dict[str, Any],
    sides: tuple[dict[str, Any], dict[str, Any]],
    source: _Source,
    settings: MergeSettings,
) -> None:
    runs = _run_of(sides[0]), _run_of(sides[1])
    ours_ran, theirs_ran = (not same(run, base_run) for run in runs)
    if source.conflicted or not (ours_ran or theirs_ran):
        # A conflicted source keeps each side's outputs with that side's code.
        chosen_ours, chosen_theirs = runs
    elif source.combined and settings.combined_source == "clear":
        chosen_ours = chosen_theirs = NOT_RUN
        result.decisions.append("outputs cleared: the merged code never ran")
    elif same(*runs):
        chosen_ours = chosen_theirs = runs[0]
    elif (
        ours_ran
        and theirs_ran
        and any(_only_output_metadata_changed(run, base_run) for run in runs)
    ):
        # An edit of the outputs' metadata (an image's size, say) cannot be
        # carried over to the other side's new outputs.
        result.conflicts.append("outputs: one side edited their metadata, the other re-ran it")
        chosen_ours, chosen_theirs = runs
    elif not (ours_ran and theirs_ran):
        chosen_ours, chosen_theirs = _one_ran(result, runs, ours_ran, settings)
    else:
        chosen_ours, chosen_theirs = _both_ran(result, sides, runs, source, settings)
    result.ours = _with_run(result.ours, chosen_ours)
    result.theirs = _with_run(result.theirs, chosen_theirs)


def _one_ran(
    result: CellMerge,
    runs: tuple[dict[str, Any], dict[str, Any]],
    ours_ran: bool,
    settings: MergeSettings,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Rule a: only one side changed the outputs; take that side's (or conflict)."""
    if settings.one_ran == "conflict":
        result.conflicts.append("outputs: only one side re-ran it (one-ran = conflict)")
        return runs
    kept = runs[0] if ours_ran else runs[1]
    return kept, kept


def _only_output_metadata_changed(run: dict[str, Any], base_run: dict[str, Any]) -> bool:
    """Tell whether *run*, a run that changed *base_run*, changed the outputs' metadata alone."""
    outputs, base_outputs = run.get("outputs"), base_run.get("outputs")
    if not (isinstance(outputs, list) and isinstance(base_outputs, list)):
        return False
    rest = {key: value for key, value in run.items() if key != "outputs"}
    base_rest = {key: value for key, value in base_run.items() if key != "outputs"}
    return (
        len(outputs) == len(base_outputs)
        and same(rest, base_rest)
        and all(
            isinstance(output, dict)
            and isinstance(base_output, dict)
            and same(_without_metadata(output), _without_metadata(base_output))
            for output, base_output in zip(outputs, base_outputs, strict=True)
        )
    )


def _without_metadata(output: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in output.items() if key != "metadata"}


def _both_ran(
    result: CellMerge,
    sides: tuple[dict[str, Any], dict[str, Any]],
    runs: tuple[dict[str, Any], dict[str, Any]],
    source: _Source,
    settings: MergeSettings,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The runs to keep, per side, when both sides re-ran the cell: rules b, c and d."""
    ours, theirs = sides
    ours_run, theirs_run = runs
    if source.combined:
        # Rule d, other than clearing (the caller's).
        choice = settings.combined_source
    elif same(ours.get("source"), theirs.get("source")):
        choice = settings.both_ran
        if choice != "conflict":
            result.decisions.append(f"outputs kept from {choice}: both re-ran it")
    else:
        # One side edited the code; its run is the one that belongs to the merged code.
        editor = "ours" if same(source.ours, ours.get("source")) else "theirs"
        choice = editor if settings.edit_and_rerun == "editor" else "conflict"
        if choice != "conflict":
            result.decisions.append(f"outputs kept from {choice}, whose edit they belong to")
    if choice == "conflict":
        result.conflicts.append("outputs")
        return ours_run, theirs_run
    kept = ours_run if choice == "ours" else theirs_run
    if source.combined:
        result.decisions.append(f"outputs kept from {choice}, though the merged code never ran")
    return kept, kept
