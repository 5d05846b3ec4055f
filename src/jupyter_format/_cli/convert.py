"""``jupyter-format convert``: one notebook file to the other format, or to standard output."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .._exceptions import CommandError, ConfigError, NotebookFileError, SerializeError, UsageError
from .._files import (
    Format,
    Problem,
    difference_from_file,
    display_path,
    notebook_text,
    save_verified,
    suffix_format,
)
from .._replace import replace_one
from .._volatile import Volatile, volatile_for
from .options import add_drop_options, drop_options, read, report

if TYPE_CHECKING:
    import argparse

    from nbformat import NotebookNode


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``convert`` to the command line."""
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
    add_drop_options(convert)
    convert.add_argument("paths", nargs="+", metavar="PATH", type=Path)
    convert.set_defaults(run=_convert)


def _convert(args: argparse.Namespace) -> int:
    paths: list[Path] = args.paths
    output = args.output
    if output is not None and output != "-" and len(paths) > 1 and not Path(output).is_dir():
        raise UsageError(
            f"jupyter-format convert: -o {output}: with several paths, -o must be a directory"
        )
    if output == "-" and len(paths) > 1:
        raise UsageError(
            "jupyter-format convert: -o -: only one path can be written to standard output"
        )
    if args.replace and output is not None:
        raise UsageError(
            "jupyter-format convert: --replace writes beside each file, so -o cannot be used"
        )
    drop = drop_options(args)
    if args.replace:
        return _convert_replacing(paths, args.to, drop, args.quiet)
    failed = False
    for path in paths:
        try:
            target = _convert_one(path, output, args.to, drop, args.force)
        except CommandError as error:
            report(str(error))
            failed = True
        else:
            if target is not None and not args.quiet:
                report(f"{display_path(path)} -> {display_path(target)}")
    return 1 if failed else 0


def _convert_replacing(paths: list[Path], to: str | None, drop: Volatile, quiet: bool) -> int:
    failed = False
    for path in paths:
        target_format = Format("." + to) if to else suffix_format(path).other
        outcome = replace_one(str(path), target_format.value, drop)
        if outcome.status == "converted":
            if not quiet:
                where = f"{display_path(path)} -> {display_path(outcome.target)}"
                report(f"{where} ({display_path(path.name)} removed)")
        elif outcome.status == "skipped" and path.suffix == target_format.value:
            # Already in the format asked for (pre-commit passes every staged notebook).
            continue
        else:
            report(f"{display_path(path)}: {outcome.status}: {outcome.reason}")
            failed = failed or outcome.status == "failed"
    return 1 if failed else 0


def _convert_one(
    path: Path, output: str | None, to: str | None, drop: Volatile, force: bool
) -> Path | None:
    nb, source_format, problems = read(path)
    for problem in problems:
        report(
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
            sys.stdout.buffer.write(notebook_text(nb, target_format).encode("utf-8"))
            sys.stdout.flush()
            return None
        if not force:
            _refuse_to_overwrite(path, target, nb, target_format)
        save_verified(nb, target, target_format)
    except (SerializeError, ConfigError) as error:
        raise CommandError(f"{display_path(path)}: {error}") from None
    except NotebookFileError as error:
        raise CommandError(error.problem.at(path)) from None
    except OSError as error:
        where = display_path(error.filename or path)
        raise CommandError(f"{where}: {error.strerror or error}") from None
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
        raise CommandError(
            f"{display_path(source)}: not converted: {display_path(target)} exists and "
            f"{difference}; use --force to replace it"
        )


def _target_path(path: Path, output: str | None, target_format: Format) -> Path:
    if output is None:
        return path.with_suffix(target_format.value)
    if Path(output).is_dir():
        return Path(output) / path.with_suffix(target_format.value).name
    return Path(output)
