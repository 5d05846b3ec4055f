"""``jupyter-format execute``: run notebooks in place with nbclient, keeping their format."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._exceptions import ConfigError, ExecutionError, NotebookFileError, SerializeError
from ._files import Format, read_notebook_file, save_verified, suffix_format
from ._volatile import volatile_for

if TYPE_CHECKING:
    from pathlib import Path

    from nbformat import NotebookNode


def execute_file(
    path: Path,
    *,
    timeout: int | None = None,
    kernel_name: str | None = None,
    allow_errors: bool = False,
    record_timing: bool = False,
) -> int:
    """Run the notebook at *path*, write it back as its suffix says; return the code cells run.

    :raises ExecutionError: with a one-line reason; the file is then unchanged.
    """
    nb = _read(path)
    # Written as its suffix says, whatever it held (see content_format).
    file_format = suffix_format(path)
    _run(
        nb,
        path,
        timeout=timeout,
        kernel_name=kernel_name,
        allow_errors=allow_errors,
        record_timing=record_timing,
    )
    try:
        if file_format is Format.JUPYTER:
            nb = volatile_for(path).strip(nb)
        save_verified(nb, path, file_format, mode=path.stat().st_mode & 0o7777)
    except (SerializeError, ConfigError, NotebookFileError, OSError) as error:
        reason = error.problem.message if isinstance(error, NotebookFileError) else error
        raise ExecutionError(f"not saved: {reason}") from None
    return sum(1 for cell in nb.cells if cell.get("cell_type") == "code")


def _read(path: Path) -> NotebookNode:
    try:
        nb, _, problems = read_notebook_file(path)
    except NotebookFileError as error:
        raise ExecutionError(error.problem.located()) from None
    if problems:
        raise ExecutionError(f"not run: {problems[0].located()}")
    return nb


def _run(
    nb: NotebookNode,
    path: Path,
    *,
    timeout: int | None,
    kernel_name: str | None,
    allow_errors: bool,
    record_timing: bool,
) -> None:
    from jupyter_client.kernelspec import NoSuchKernel  # noqa: PLC0415 - optional
    from nbclient import NotebookClient  # noqa: PLC0415 - optional
    from nbclient.exceptions import (  # noqa: PLC0415 - optional
        CellExecutionError,
        CellTimeoutError,
        DeadKernelError,
    )

    started: list[int] = []

    def on_cell_start(cell: Any, cell_index: int) -> None:
        started.append(cell_index)

    options: dict[str, Any] = {"kernel_name": kernel_name} if kernel_name else {}
    client = NotebookClient(
        nb,
        timeout=timeout,
        allow_errors=allow_errors,
        record_timing=record_timing,
        resources={"metadata": {"path": str(path.absolute().parent)}},
        on_cell_start=on_cell_start,
        **options,
    )
    try:
        client.execute()
    except CellExecutionError as error:
        raise ExecutionError(
            f"{_cell_name(nb, started)} raised {error.ename}: {error.evalue} (not saved; "
            "--allow-errors keeps errors as outputs)"
        ) from None
    except CellTimeoutError:
        raise ExecutionError(
            f"{_cell_name(nb, started)} ran longer than {timeout} seconds (not saved)"
        ) from None
    except DeadKernelError as error:
        raise ExecutionError(f"the kernel died: {error} (not saved)") from None
    except NoSuchKernel as error:
        raise ExecutionError(f"no kernel named {error.args[0]!r} is installed") from None


def _cell_name(nb: NotebookNode, started: list[int]) -> str:
    """Name the last cell that started: the one that stopped the run."""
    index = started[-1]
    cell = nb.cells[index]
    return f"cell {index + 1}" + (f" (id {cell['id']})" if "id" in cell else "")
