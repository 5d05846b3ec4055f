"""The ``replace-all`` command: plan, run on local processes or Dask, report."""

from __future__ import annotations

import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from .._exceptions import UsageError
from .._files import Format, display_path
from .._replace import Outcome, notebook_files, replace_one
from .options import add_drop_options, drop_options, positive_int, report

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Iterator, Mapping, Sequence

    from .._volatile import Volatile

#: How long to try reaching a Dask scheduler.
CONNECT_TIMEOUT = "10s"

#: Below this many files, starting worker processes costs more than it saves.
MIN_FILES_PER_PROCESS = 8

#: The most files a worker process gets at a time.
MAX_CHUNK = 16


def replace_all_command(args: argparse.Namespace, drop: Volatile) -> int:
    """Run ``jupyter-format replace-all``; return the exit status."""
    directory: Path = args.directory
    if not directory.is_dir():
        raise UsageError(f"jupyter-format replace-all: {display_path(directory)}: not a directory")
    target = Format.IPYNB if args.reverse else Format.JUPYTER
    paths = [str(p.absolute()) for p in notebook_files(directory, target.other, args.recursive)]
    if not args.yes:
        return _dry_run(paths, target)
    convert = partial(replace_one, to=target.value, drop=drop)
    outcomes = _outcomes(paths, convert, args.jobs, args.scheduler)
    results = _collect(outcomes, len(paths), progress=sys.stderr.isatty())
    return _summarize(results, directory, args.verbose)


def _dry_run(paths: list[str], target: Format) -> int:
    replaced = 0
    for path in paths:
        if Path(path).is_symlink():
            print(f"would skip {_relative(path)}: a symbolic link")
            continue
        print(f"would replace {_relative(path)} by {Path(path).with_suffix(target.value).name}")
        replaced += 1
    report(
        f"{replaced} notebooks would be replaced (the originals removed); "
        "nothing was changed: add --yes to do it"
    )
    return 0


def _outcomes(
    paths: list[str], convert: Callable[[str], Outcome], jobs: int | None, scheduler: str | None
) -> Iterator[Outcome]:
    if scheduler is not None:
        return _on_dask(paths, convert, scheduler)
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(paths) < MIN_FILES_PER_PROCESS:
        return map(convert, paths)
    return _on_processes(paths, convert, jobs)


def _on_processes(
    paths: list[str], convert: Callable[[str], Outcome], jobs: int
) -> Iterator[Outcome]:
    executor = ProcessPoolExecutor(max_workers=jobs)
    try:
        futures = [executor.submit(_convert_all, convert, chunk) for chunk in _chunks(paths, jobs)]
        for future in as_completed(futures):
            yield from future.result()
    finally:
        # Stopped (Ctrl-C, say): drop the files not yet begun instead of
        # converting them all before exiting.  Each file is replaced whole or not at all.
        executor.shutdown(wait=True, cancel_futures=True)


def _chunks(paths: list[str], workers: int) -> list[list[str]]:
    """Split the files into tasks of a few files for *workers*.

    With one file per task, passing tasks and results costs as much as
    converting a small notebook.
    """
    size = max(1, min(MAX_CHUNK, len(paths) // (workers * 8)))
    return [paths[start : start + size] for start in range(0, len(paths), size)]


def _convert_all(convert: Callable[[str], Outcome], paths: list[str]) -> list[Outcome]:
    return [convert(path) for path in paths]


def _on_dask(
    paths: list[str], convert: Callable[[str], Outcome], address: str
) -> Iterator[Outcome]:
    try:
        from distributed import Client  # noqa: PLC0415 - an optional dependency
        from distributed import as_completed as dask_as_completed  # noqa: PLC0415
    except ImportError:
        raise UsageError(
            "jupyter-format replace-all: --scheduler needs Dask's distributed package: "
            "pip install 'jupyter-format[dask]'"
        ) from None
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError, ValueError) as error:
        reason = f"cannot connect to the Dask scheduler at {address}: {error}"
        raise UsageError(f"jupyter-format replace-all: {reason}") from None
    with client:
        workers = sum(client.nthreads().values()) or 1  # type: ignore[no-untyped-call]
        futures = client.map(partial(_convert_all, convert), _chunks(paths, workers), pure=False)
        for future in dask_as_completed(futures):  # type: ignore[no-untyped-call]
            yield from future.result()


def _collect(outcomes: Iterator[Outcome], total: int, progress: bool) -> dict[str, list[Outcome]]:
    """Gather outcomes as they come, drawing a progress line on a terminal."""
    results: dict[str, list[Outcome]] = {"converted": [], "skipped": [], "failed": []}
    for done, outcome in enumerate(outcomes, 1):
        results[outcome.status].append(outcome)
        if progress:
            sys.stderr.write(f"\r{_bar(done, total)} {done}/{total} {_counts(results)}")
            sys.stderr.flush()
    if progress and total:
        sys.stderr.write("\n")
    return results


def _bar(done: int, total: int, width: int = 30) -> str:
    filled = width * done // total
    return "[" + "#" * filled + "." * (width - filled) + "]"


def _counts(results: Mapping[str, Sequence[Outcome]]) -> str:
    return ", ".join(f"{status} {len(outcomes)}" for status, outcomes in results.items())


def _summarize(results: dict[str, list[Outcome]], directory: Path, verbose: bool) -> int:
    if verbose:
        for outcome in sorted(results["converted"], key=lambda o: o.path):
            print(f"{_relative(outcome.path)} -> {Path(outcome.target).name}")
    for outcome in sorted(results["skipped"], key=lambda o: o.path):
        print(f"{_relative(outcome.path)}: skipped: {outcome.reason}")
    for outcome in sorted(results["failed"], key=lambda o: o.path):
        print(f"{_relative(outcome.path)}: failed, left as it was: {outcome.reason}")
    report(f"{display_path(directory)}: {_counts(results)}")
    return 1 if results["failed"] else 0


def _relative(path: str) -> str:
    try:
        return display_path(os.path.relpath(path))
    except ValueError:  # pragma: no cover - another drive, on Windows
        return display_path(path)


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``replace-all`` to the command line."""
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
    add_drop_options(replace_all)
    replace_all.set_defaults(run=_replace_all)


def _replace_all(args: argparse.Namespace) -> int:
    return replace_all_command(args, drop_options(args))
