"""``jupyter-format check``: tell whether notebooks parse and are valid."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .._exceptions import CommandError
from .._files import format_mismatch
from .options import read, report

if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterator


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``check`` to the command line."""
    check = commands.add_parser(
        "check",
        help="check that .jupyter files parse and are valid notebooks",
        description="Check that notebooks parse and match nbformat's schema.  Directories are "
        "searched for .jupyter files.  Each problem is printed as path:line:column: message.",
    )
    check.add_argument("paths", nargs="+", metavar="PATH", type=Path)
    check.set_defaults(run=_check)


def _check(args: argparse.Namespace) -> int:
    checked = failed = 0
    for path in _notebook_files(args.paths):
        checked += 1
        try:
            _, file_format, problems = read(path)
            mismatch = format_mismatch(path, file_format)
            if mismatch is not None:
                problems = [*problems, mismatch]
        except CommandError as error:
            print(error)
            failed += 1
            continue
        if problems:
            failed += 1
        for problem in problems:
            print(problem.at(path))
    if failed:
        report(f"{failed} of {checked} notebooks have problems")
        return 1
    report(f"{checked} notebooks checked, no problems")
    return 0


def _notebook_files(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(path.rglob("*.jupyter"))
        else:
            yield path
