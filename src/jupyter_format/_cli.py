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
from ._arguments import positive_int
from ._batch import replace_all_command
from ._exceptions import SerializeError
from ._execute import add_execute_parser
from ._files import (
    Format,
    NotebookFileError,
    Problem,
    difference_from_file,
    display_path,
    dumps,
    format_mismatch,
    read_notebook_file,
    save,
    suffix_format,
)
from ._git_cli import add_git_parser
from ._replace import replace_one
from ._volatile import TIMING_KEYS, ConfigError, Volatile, volatile_for

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
    convert.add_argument(
        "--replace",
        action="store_true",
        help="remove each source file once its conversion is written and verified",
    )
    convert.add_argument(
        "-f",
        "--force",
        action="store_true",
        help="replace a target file that exists and holds a different notebook "
        "(without it, such a file is left alone and reported)",
    )
    convert.add_argument("-q", "--quiet", action="store_true", help="do not list converted files")
    _add_drop_options(convert)
    convert.add_argument("paths", nargs="+", metavar="PATH", type=Path)
    convert.set_defaults(run=_convert)

    replace_all = commands.add_parser(
        "replace-all",
        help="replace the .ipynb files in a directory by .jupyter files (or back)",
        description="Replace each .ipynb file in DIR by a .jupyter file (with --reverse, each "
        ".jupyter file by an .ipynb file).  Each new file is written to a temporary file, "
        "flushed to disk, read back and compared with the notebook, renamed into place, and "
        "only then is the old file removed: a run that is stopped at any moment loses nothing, "
        "and running again finishes the job.  Without --yes, only lists what it would do.",
    )
    replace_all.add_argument(
        "directory", nargs="?", default=Path(), type=Path, metavar="DIR", help="default: ."
    )
    replace_all.add_argument(
        "-r", "--recursive", action="store_true", help="also the subdirectories (not hidden ones)"
    )
    replace_all.add_argument(
        "--yes", action="store_true", help="do it (without it: only list what would be done)"
    )
    replace_all.add_argument(
        "--reverse", action="store_true", help="replace .jupyter files by .ipynb files"
    )
    where = replace_all.add_mutually_exclusive_group()
    where.add_argument(
        "-j",
        "--jobs",
        type=positive_int,
        metavar="N",
        help="the number of processes (default: one per CPU core)",
    )
    where.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on a Dask cluster, e.g. tcp://scheduler:8786 (the files must be on storage "
        "that every worker sees at the same path)",
    )
    replace_all.add_argument(
        "-v", "--verbose", action="store_true", help="list every replaced file"
    )
    _add_drop_options(replace_all)
    replace_all.set_defaults(run=_replace_all)

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
    cat.add_argument(
        "--textconv",
        action="store_true",
        help="for git: print a file that is not a notebook as it is, instead of failing",
    )
    cat.add_argument("path", metavar="PATH", type=Path)
    cat.set_defaults(run=_cat)

    add_execute_parser(commands)
    add_git_parser(commands)
    return parser


def _add_drop_options(parser: argparse.ArgumentParser) -> None:
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


def _drop_options(args: argparse.Namespace) -> Volatile:
    return Volatile(
        execution_counts=args.drop_execution_counts,
        timing=args.drop_timing,
        widget_state=args.drop_widget_state,
        cell_metadata=tuple(args.drop_cell_metadata),
        notebook_metadata=tuple(args.drop_notebook_metadata),
    )


def _report(message: str) -> None:
    print(message, file=sys.stderr)


def _read(path: Path) -> tuple[NotebookNode, Format, list[Problem]]:
    """Read a notebook file of either format, or raise a one-line _FileError."""
    try:
        return read_notebook_file(path)
    except NotebookFileError as error:
        raise _FileError(error.problem.at(path)) from None


def _convert(args: argparse.Namespace) -> int:
    paths: list[Path] = args.paths
    output = args.output
    if output is not None and output != "-" and len(paths) > 1 and not Path(output).is_dir():
        _report(f"jupyter-format convert: -o {output}: with several paths, -o must be a directory")
        return 2
    if output == "-" and len(paths) > 1:
        _report("jupyter-format convert: -o -: only one path can be written to standard output")
        return 2
    if args.replace and output is not None:
        _report("jupyter-format convert: --replace writes beside each file, so -o cannot be used")
        return 2
    drop = _drop_options(args)
    if args.replace:
        return _convert_replacing(paths, args.to, drop, args.quiet)
    failed = False
    for path in paths:
        try:
            target = _convert_one(path, output, args.to, drop, args.force)
        except _FileError as error:
            _report(str(error))
            failed = True
        else:
            if target is not None and not args.quiet:
                _report(f"{display_path(path)} -> {display_path(target)}")
    return 1 if failed else 0


def _convert_replacing(paths: list[Path], to: str | None, drop: Volatile, quiet: bool) -> int:
    failed = False
    for path in paths:
        target_format = Format("." + to) if to else suffix_format(path).other
        outcome = replace_one(str(path), target_format.value, drop)
        if outcome.status == "converted":
            if not quiet:
                where = f"{display_path(path)} -> {display_path(outcome.target)}"
                _report(f"{where} ({display_path(path.name)} removed)")
        elif outcome.status == "skipped" and path.suffix == target_format.value:
            # Already in the format asked for (pre-commit passes every staged notebook).
            continue
        else:
            _report(f"{display_path(path)}: {outcome.status}: {outcome.reason}")
            failed = failed or outcome.status == "failed"
    return 1 if failed else 0


def _convert_one(
    path: Path, output: str | None, to: str | None, drop: Volatile, force: bool
) -> Path | None:
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
        target = None if output == "-" else _target_path(path, output, target_format)
        if target_format is Format.JUPYTER:
            nb = volatile_for(target or path).merged(drop).strip(nb)
        if target is None:
            sys.stdout.buffer.write(dumps(nb, target_format).encode("utf-8"))
            sys.stdout.flush()
            return None
        if not force:
            _refuse_to_overwrite(path, target, nb, target_format)
        save(nb, target, target_format)
    except (SerializeError, ConfigError) as error:
        raise _FileError(f"{display_path(path)}: {error}") from None
    except NotebookFileError as error:
        raise _FileError(error.problem.at(path)) from None
    except OSError as error:
        where = display_path(error.filename or path)
        raise _FileError(f"{where}: {error.strerror or error}") from None
    return target


def _refuse_to_overwrite(
    source: Path, target: Path, nb: NotebookNode, file_format: Format
) -> None:
    """Refuse to replace a file that holds another notebook than the one to write.

    Converting in place (the target is the source, as when resolving a merge
    conflict) is always allowed: it is what was asked for.
    """
    if not target.exists() or (source.exists() and target.samefile(source)):
        return
    difference = difference_from_file(target, nb, file_format)
    if difference is not None:
        raise _FileError(
            f"{display_path(source)}: not converted: {display_path(target)} exists and "
            f"{difference}; use --force to replace it"
        )


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
            _, file_format, problems = _read(path)
            mismatch = format_mismatch(path, file_format)
            if mismatch is not None:
                problems = [*problems, mismatch]
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
    except (_FileError, SerializeError) as error:
        if args.textconv and args.path.is_file():
            # git shows the file as it is rather than no diff at all.
            sys.stdout.buffer.write(args.path.read_bytes())
            sys.stdout.flush()
            return 0
        _report(
            str(error) if isinstance(error, _FileError) else f"{display_path(args.path)}: {error}"
        )
        return 1
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()
    return 0


def _replace_all(args: argparse.Namespace) -> int:
    return replace_all_command(args, _drop_options(args))
