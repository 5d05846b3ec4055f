"""``jupyter-format merge``: merge two edits of a notebook cell by cell."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .._exceptions import CommandError, ConfigError, NotebookFileError
from .._files import (
    display_path,
    read_notebook_bytes,
    read_notebook_data,
    save_verified,
    suffix_format,
)
from .._git import merge_settings
from .._io import atomic_write_text
from .._merge import merge_sides
from .._merge.settings import BOTH_RAN, COMBINED_SOURCE, EDIT_AND_RERUN, ONE_RAN
from .options import report

if TYPE_CHECKING:
    import argparse

    from nbformat import NotebookNode


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``merge`` to the command line."""
    merge = commands.add_parser(
        "merge",
        help="merge two edits of a notebook cell by cell",
        description="Merge OURS and THEIRS, two edits of BASE, cell by cell (.ipynb or "
        ".jupyter, in any mix).  Writes the merge to OUT, or prints it; what conflicts is "
        "marked with git's conflict markers in .jupyter text.  Exit status 1 if conflicts "
        "remain.  The rules for outputs are set here, in git config "
        "(jupyter-format.merge.NAME) or in [tool.jupyter-format.merge] of pyproject.toml.",
    )
    merge.add_argument("base", type=Path, metavar="BASE", help="the common ancestor")
    merge.add_argument("ours", type=Path, metavar="OURS")
    merge.add_argument("theirs", type=Path, metavar="THEIRS")
    merge.add_argument(
        "-o", "--output", type=Path, metavar="OUT", help="write here (format from its suffix)"
    )
    merge.add_argument(
        "--one-ran",
        choices=ONE_RAN,
        help="only one side re-ran a cell: take its outputs, or conflict (default take)",
    )
    merge.add_argument(
        "--both-ran",
        choices=BOTH_RAN,
        help="both sides re-ran a cell with the same source: keep whose outputs (default ours)",
    )
    merge.add_argument(
        "--edit-and-rerun",
        choices=EDIT_AND_RERUN,
        help="one side edited and re-ran a cell, the other only re-ran it (default editor)",
    )
    merge.add_argument(
        "--combined-source",
        choices=COMBINED_SOURCE,
        help="both edited a cell and the edits combined: its outputs (default clear)",
    )
    merge.set_defaults(run=_merge)


def _merge(args: argparse.Namespace) -> int:
    target_path = args.output or args.ours
    target = suffix_format(target_path)
    flags = {
        "one-ran": args.one_ran,
        "both-ran": args.both_ran,
        "edit-and-rerun": args.edit_and_rerun,
        "combined-source": args.combined_source,
    }
    try:
        settings = merge_settings(target_path, flags)
    except ConfigError as error:
        raise CommandError(str(error)) from None
    # An empty base: the notebook was added on both branches.
    base_data = _read(args.base)
    merged = merge_sides(
        _side(args.base, base_data)[0] if base_data else None,
        _side(args.ours, _read(args.ours)),
        _side(args.theirs, _read(args.theirs)),
        target=target,
        settings=settings,
    )
    for line in merged.report:
        report(f"{display_path(target_path)}: {line}")
    if args.output is None:
        sys.stdout.buffer.write(merged.text().encode("utf-8"))
        sys.stdout.flush()
    elif merged.notebook is not None:
        save_verified(merged.notebook, args.output, target)
    else:
        atomic_write_text(args.output, merged.conflict_text)
    return 0 if merged.clean else 1


def _read(path: Path) -> bytes:
    try:
        return read_notebook_bytes(path)
    except NotebookFileError as error:
        raise CommandError(error.problem.at(display_path(path))) from None


def _side(path: Path, data: bytes) -> tuple[NotebookNode, bool]:
    """One version of the notebook, and whether it is valid."""
    try:
        nb, _, problems = read_notebook_data(path, data)
    except NotebookFileError as error:
        raise CommandError(error.problem.at(display_path(path))) from None
    return nb, not problems
