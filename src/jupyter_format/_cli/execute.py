"""``jupyter-format execute``: run notebooks in place."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .._exceptions import ExecutionError, UsageError
from .._execute import execute_file
from .._files import display_path
from .options import positive_int

if TYPE_CHECKING:
    import argparse


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``execute`` to the command line."""
    execute = commands.add_parser(
        "execute",
        help="run notebooks and store their outputs, in place",
        description="Run each notebook from top to bottom on a Jupyter kernel (with nbclient) "
        "and write it back with the new outputs, in its own format (.jupyter or .ipynb).  "
        "The kernel starts in the notebook's directory.  A notebook whose run fails is left "
        "as it was.",
    )
    execute.add_argument(
        "--timeout",
        type=positive_int,
        metavar="SECONDS",
        help="the longest a cell may run (default: no limit)",
    )
    execute.add_argument(
        "--kernel",
        metavar="NAME",
        help="the kernel to run (default: the one the notebook names)",
    )
    execute.add_argument(
        "--allow-errors",
        action="store_true",
        help="store a cell's error as its output and go on (default: stop, change nothing)",
    )
    execute.add_argument(
        "--record-timing",
        action="store_true",
        help="record when each cell ran in its metadata (off: it would change on every run)",
    )
    execute.add_argument("-q", "--quiet", action="store_true", help="do not list the notebooks")
    execute.add_argument("paths", nargs="+", metavar="PATH", type=Path)
    execute.set_defaults(run=_execute_command)


def _execute_command(args: argparse.Namespace) -> int:
    try:
        import nbclient  # noqa: F401, PLC0415 - an optional dependency
    except ImportError:
        raise UsageError(
            "jupyter-format execute: needs nbclient: pip install 'jupyter-format[nbconvert]'"
        ) from None
    failed = False
    for path in args.paths:
        try:
            cells = execute_file(
                path,
                timeout=args.timeout,
                kernel_name=args.kernel,
                allow_errors=args.allow_errors,
                record_timing=args.record_timing,
            )
        except ExecutionError as error:
            print(f"{display_path(path)}: {error}", file=sys.stderr)
            failed = True
        else:
            if not args.quiet:
                print(f"{display_path(path)}: executed {cells} code cells", file=sys.stderr)
    return 1 if failed else 0
