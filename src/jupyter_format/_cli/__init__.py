"""The ``jupyter-format`` command (also available as ``jupyter format``).

Each command reports problems one line per file, in the form
``path:line:column: message`` where a position is known, and never shows a
traceback for a problem with the user's files.  Exit status: 0 on success, 1
if any file had a problem, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from .. import __version__
from .._exceptions import CommandError
from . import batch, cat, check, convert, execute, git, merge
from .options import report

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

#: The command groups, each a module with an add_parser(subparsers) function.
COMMANDS = (convert, batch, check, cat, execute, git, merge)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with *argv* (default: ``sys.argv[1:]``); return the exit status."""
    parser = _parser()
    arguments = sys.argv[1:] if argv is None else list(argv)
    if not arguments:
        parser.print_help(sys.stderr)
        return 2
    args = parser.parse_args(arguments)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except CommandError as error:
        # The one place where a command's error becomes a message and an exit status.
        report(error.message)
        return error.status
    except KeyboardInterrupt:
        report("interrupted")
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jupyter-format",
        description="Plain-text Jupyter notebooks, outputs included: "
        "convert, check and show .jupyter files.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    for command in COMMANDS:
        command.add_parser(commands)
    return parser
