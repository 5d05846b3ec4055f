"""The ``jupyter-format git`` commands."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from .._exceptions import GitSetupError, NotebookFileError, SerializeError, UsageError
from .._files import display_path
from .._git import (
    Scope,
    effective_attributes,
    install,
    merge_driver,
    scope,
    settings,
    status,
    tracked_attributes_file,
    uninstall,
)

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``git install | uninstall | status | merge-driver`` to the command line."""
    git = commands.add_parser(
        "git",
        help="make git diff and merge notebooks through their .jupyter text",
        description="Set up git so that `git diff` and `git log -p` show .ipynb files as "
        ".jupyter text, and .ipynb files merge through their .jupyter text.",
    )
    actions = git.add_subparsers(title="actions", required=True, metavar="ACTION")
    for name, run, help_text in (
        ("install", _install, "set up this repository (or, with --global, every one)"),
        ("uninstall", _uninstall, "remove exactly what install added"),
    ):
        action = actions.add_parser(name, help=help_text, description=help_text)
        action.add_argument(
            "--global",
            dest="global_",
            action="store_true",
            help="your user's git settings instead of this repository's",
        )
        action.add_argument(
            "--attributes",
            metavar="FILE",
            type=Path,
            help="the attributes file to write to instead of .git/info/attributes: "
            "name the repository's .gitattributes and commit it, so that every clone "
            "keeps .jupyter files with LF line endings (on Windows too) and diffs them alike",
        )
        action.set_defaults(run=_guarded(run))
    show = actions.add_parser(
        "status",
        help="show where it is set up",
        description="Show where it is set up; exit "
        "status 0 if notebooks in the current repository (or, outside one, everywhere) diff "
        "and merge as text.",
    )
    show.set_defaults(run=_guarded(_status))
    merge = actions.add_parser(
        "merge-driver",
        help="the merge driver that git runs (see `git install`)",
        description="Merge BASE, OURS and THEIRS into OURS, as git's merge driver "
        "%%O %%A %%B %%L %%P; exit status 1 if conflicts remain.",
    )
    merge.add_argument("base", type=Path, metavar="BASE")
    merge.add_argument("ours", type=Path, metavar="OURS")
    merge.add_argument("theirs", type=Path, metavar="THEIRS")
    merge.add_argument("marker_size", type=int, nargs="?", default=7, metavar="MARKER_SIZE")
    merge.add_argument("path", nargs="?", metavar="PATH", help="the notebook's path in git")
    merge.set_defaults(run=_guarded(_merge))


def _guarded(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    def guarded(args: argparse.Namespace) -> int:
        try:
            return run(args)
        except GitSetupError as error:
            raise UsageError(f"jupyter-format git: {error}") from None

    return guarded


def _chosen_scope(args: argparse.Namespace) -> Scope:
    where = scope(args.global_)
    if args.attributes is None:
        return where
    if args.global_:
        raise GitSetupError(
            "--attributes names a file of one repository; it cannot go with --global"
        )
    return Scope(where.name, args.attributes.absolute())


def _install(args: argparse.Namespace) -> int:
    where = _chosen_scope(args)
    install(where)
    print(f"installed ({where.name}): .ipynb files diff and merge as .jupyter text")
    print(f"attributes: {where.attributes_file}")
    return 0


def _uninstall(args: argparse.Namespace) -> int:
    where = _chosen_scope(args)
    uninstall(where)
    print(f"uninstalled ({where.name})")
    return 0


def _status(args: argparse.Namespace) -> int:
    complete = False
    scopes = [scope(global_=True)]
    with contextlib.suppress(GitSetupError):  # outside a repository, only the user's
        scopes.insert(0, scope(global_=False))
    for where, missing in map(_best_status, scopes):
        if len(missing) == len(settings()) + 1:
            print(f"{where.name}: not installed")
        elif missing:
            print(f"{where.name}: partly installed; missing: {'; '.join(missing)}")
        else:
            print(f"{where.name}: installed (attributes: {where.attributes_file})")
            complete = True
    attributes = effective_attributes()
    if attributes is not None:
        print(f"notebooks in this repository use: {attributes}")
        complete = attributes == "diff=jupyter-format merge=jupyter-format" and complete
    return 0 if complete else 1


def _best_status(where: Scope) -> tuple[Scope, list[str]]:
    """What *where* misses; for a repository, its own .gitattributes may hold the attributes."""
    missing = status(where)
    tracked = tracked_attributes_file() if where.name == "local" else None
    if tracked is not None:
        in_tracked = status(Scope(where.name, tracked))
        if len(in_tracked) < len(missing):
            return Scope(where.name, tracked), in_tracked
    return where, missing


def _merge(args: argparse.Namespace) -> int:
    path = args.path or str(args.ours)
    try:
        return merge_driver(args.base, args.ours, args.theirs, args.marker_size, path)
    except (OSError, NotebookFileError, SerializeError) as error:
        raise UsageError(f"{display_path(path)}: merge failed: {error}") from None
