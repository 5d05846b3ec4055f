"""``jupyter-format cat``: print the ``.jupyter`` text of a notebook (git's textconv)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .._exceptions import CommandError, SerializeError
from .._files import Format, display_path, notebook_text
from .options import read

if TYPE_CHECKING:
    import argparse


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``cat`` to the command line."""
    cat = commands.add_parser(
        "cat",
        help="print the .jupyter text of a notebook",
        description="Print the .jupyter text of an .ipynb or .jupyter notebook.",
    )
    cat.add_argument(
        "--textconv",
        action="store_true",
        help="for git: print a file that is not a notebook as it is, instead of failing",
    )
    cat.add_argument("path", metavar="PATH", type=Path)
    cat.set_defaults(run=_cat)


def _cat(args: argparse.Namespace) -> int:
    try:
        nb, _, _ = read(args.path)
        text = notebook_text(nb, Format.JUPYTER)
    except (CommandError, SerializeError) as error:
        if args.textconv and args.path.is_file():
            # git shows the file as it is rather than no diff at all.
            sys.stdout.buffer.write(args.path.read_bytes())
            sys.stdout.flush()
            return 0
        if isinstance(error, CommandError):
            raise
        raise CommandError(f"{display_path(args.path)}: {error}") from None
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()
    return 0
