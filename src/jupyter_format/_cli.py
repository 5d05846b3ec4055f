"""The ``jupyter-format`` command (also available as ``jupyter format``).

Each command reports problems one line per file, in the form
``path:line:column: message`` where a position is known, and never shows a
traceback for a problem with the user's files.  Exit status: 0 on success, 1
if any file had a problem, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from ._exceptions import ParseError, SerializeError
from ._files import Format, NotebookFileError, Problem, dumps, format_of, loads, save

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from nbformat import NotebookNode


class _FileError(Exception):
    """A problem with one file, reported as one line."""


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
    except KeyboardInterrupt:
        _report("interrupted")
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jupyter-format",
        description="Plain-text Jupyter notebooks, outputs included: "
        "convert, check and show .jupyter files.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    convert = commands.add_parser(
        "convert",
        help="convert notebooks between .ipynb and .jupyter",
        description="Convert notebooks between .ipynb and .jupyter.  The direction follows "
        "from each file's suffix unless --to is given.  The source file is kept; the target "
        "is written to a temporary file, checked, and only then put in place.",
    )
    convert.add_argument(
        "--to",
        choices=["jupyter", "ipynb"],
        help="the format to write (default: the other one, or the suffix of -o)",
    )
    convert.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="the file to write, '-' for standard output, or (for several PATHs) a directory",
    )
    convert.add_argument("-q", "--quiet", action="store_true", help="do not list converted files")
    convert.add_argument("paths", nargs="+", metavar="PATH", type=Path)
    convert.set_defaults(run=_convert)

    check = commands.add_parser(
        "check",
        help="check that .jupyter files parse and are valid notebooks",
        description="Check that notebooks parse and match nbformat's schema.  Directories are "
        "searched for .jupyter files.  Each problem is printed as path:line:column: message.",
    )
    check.add_argument("paths", nargs="+", metavar="PATH", type=Path)
    check.set_defaults(run=_check)

    cat = commands.add_parser(
        "cat",
        help="print the .jupyter text of a notebook",
        description="Print the .jupyter text of an .ipynb or .jupyter notebook.",
    )
    cat.add_argument("path", metavar="PATH", type=Path)
    cat.set_defaults(run=_cat)
    return parser


def _report(message: str) -> None:
    print(message, file=sys.stderr)


def _read(path: Path) -> tuple[NotebookNode, Format, list[Problem]]:
    """Read a notebook file of either format, or raise a one-line _FileError."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise _FileError(f"{path}: {error.strerror or error}") from None
    file_format = _format_of(path, data)
    try:
        nb, problems = loads(data, file_format)
    except ParseError as error:
        raise _FileError(Problem(error.msg, error.lineno, error.colno).at(path)) from None
    except NotebookFileError as error:
        raise _FileError(error.problem.at(path)) from None
    return nb, file_format, problems


def _format_of(path: Path, data: bytes) -> Format:
    try:
        return format_of(path)
    except NotebookFileError:
        # An unknown suffix: .ipynb files are JSON objects.
        return Format.IPYNB if data.lstrip()[:1] == b"{" else Format.JUPYTER


def _convert(args: argparse.Namespace) -> int:
    paths: list[Path] = args.paths
    output = args.output
    if output is not None and output != "-" and len(paths) > 1 and not Path(output).is_dir():
        _report(f"jupyter-format convert: -o {output}: with several paths, -o must be a directory")
        return 2
    if output == "-" and len(paths) > 1:
        _report("jupyter-format convert: -o -: only one path can be written to standard output")
        return 2
    failed = False
    for path in paths:
        try:
            target = _convert_one(path, output, args.to)
        except _FileError as error:
            _report(str(error))
            failed = True
        else:
            if target is not None and not args.quiet:
                _report(f"{path} -> {target}")
    return 1 if failed else 0


def _convert_one(path: Path, output: str | None, to: str | None) -> Path | None:
    nb, source_format, problems = _read(path)
    for problem in problems:
        _report(
            Problem(
                f"warning: {problem.message}; converted as it is", problem.line, problem.column
            ).at(path)
        )
    if to is not None:
        target_format = Format("." + to)
    elif output not in (None, "-") and Path(output).suffix in (".jupyter", ".ipynb"):
        target_format = Format(Path(output).suffix)
    else:
        target_format = source_format.other
    try:
        if output == "-":
            sys.stdout.buffer.write(dumps(nb, target_format).encode("utf-8"))
            sys.stdout.flush()
            return None
        target = _target_path(path, output, target_format)
        save(nb, target, target_format)
    except SerializeError as error:
        raise _FileError(f"{path}: {error}") from None
    except NotebookFileError as error:
        raise _FileError(error.problem.at(path)) from None
    except OSError as error:
        raise _FileError(f"{error.filename or path}: {error.strerror or error}") from None
    return target


def _target_path(path: Path, output: str | None, target_format: Format) -> Path:
    if output is None:
        return path.with_suffix(target_format.value)
    if Path(output).is_dir():
        return Path(output) / path.with_suffix(target_format.value).name
    return Path(output)


def _check(args: argparse.Namespace) -> int:
    checked = failed = 0
    for path in _notebook_files(args.paths):
        checked += 1
        try:
            _, _, problems = _read(path)
        except _FileError as error:
            print(error)
            failed += 1
            continue
        if problems:
            failed += 1
        for problem in problems:
            print(problem.at(path))
    if failed:
        _report(f"{failed} of {checked} notebooks have problems")
        return 1
    _report(f"{checked} notebooks checked, no problems")
    return 0


def _notebook_files(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(path.rglob("*.jupyter"))
        else:
            yield path


def _cat(args: argparse.Namespace) -> int:
    try:
        nb, _, _ = _read(args.path)
        text = dumps(nb, Format.JUPYTER)
    except _FileError as error:
        _report(str(error))
        return 1
    except SerializeError as error:
        _report(f"{args.path}: {error}")
        return 1
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()
    return 0
