"""What the commands share: option types, the options of quieter diffs, reading and reporting."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from .._exceptions import CommandError, NotebookFileError
from .._files import Problem, read_notebook_file
from .._volatile import TIMING_KEYS, Volatile

if TYPE_CHECKING:
    from pathlib import Path

    from nbformat import NotebookNode

    from .._files import Format


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return value


def add_drop_options(parser: argparse.ArgumentParser) -> None:
    drop = parser.add_argument_group(
        "quieter diffs (lossy)",
        "Leave volatile fields out of the .jupyter files written, in addition to those that "
        "[tool.jupyter-format] in the nearest pyproject.toml names.",
    )
    drop.add_argument(
        "--drop-execution-counts", action="store_true", help="set all execution counts to null"
    )
    drop.add_argument(
        "--drop-timing",
        action="store_true",
        help=f"drop the timing in cell metadata ({', '.join(TIMING_KEYS)})",
    )
    drop.add_argument(
        "--drop-widget-state", action="store_true", help="drop the notebook's widget state"
    )
    drop.add_argument(
        "--drop-cell-metadata",
        action="append",
        default=[],
        metavar="KEY",
        help="drop this key from the metadata of every cell (repeatable)",
    )
    drop.add_argument(
        "--drop-notebook-metadata",
        action="append",
        default=[],
        metavar="KEY",
        help="drop this key from the notebook's metadata (repeatable)",
    )


def drop_options(args: argparse.Namespace) -> Volatile:
    return Volatile(
        execution_counts=args.drop_execution_counts,
        timing=args.drop_timing,
        widget_state=args.drop_widget_state,
        cell_metadata=tuple(args.drop_cell_metadata),
        notebook_metadata=tuple(args.drop_notebook_metadata),
    )


def report(message: str) -> None:
    print(message, file=sys.stderr)


def read(path: Path) -> tuple[NotebookNode, Format, list[Problem]]:
    """Read a notebook file of either format, or raise a one-line CommandError."""
    try:
        return read_notebook_file(path)
    except NotebookFileError as error:
        raise CommandError(error.problem.at(path)) from None
