"""Replacing a tree of notebooks: jupyter-format replace-all and jupyter_format.replace_all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import pytest

import jupyter_format
from jupyter_format import _files
from jupyter_format._cli import batch as _batch
from jupyter_format._cli import main
from jupyter_format.replace_all import (
    Outcome,
    ReplaceError,
    ipynb_to_jupyter,
    jupyter_to_ipynb,
    replace_all_recursive,
    replace_one,
)


def make_notebook(text: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(f"print({text!r})", id="c1", execution_count=3)
    cell.outputs.append(nbformat.v4.new_output("stream", text=text + "\n"))
    cell.metadata["execution"] = {"iopub.status.busy": "2026-11-21T08:00:00Z"}
    nb.cells.append(cell)
    nb.cells.append(
        nbformat.v4.new_markdown_cell("A form feed \f and a \r carriage return", id="m")
    )
    return nb


def write_ipynb(path: Path, text: str = "hello") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(make_notebook(text), path)
    return path


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with notebooks at several depths, hidden ones, checkpoints and links."""
    root = tmp_path / "project"
    write_ipynb(root / "top.ipynb", "top")
    write_ipynb(root / "sub" / "deep" / "inner.ipynb", "inner")
    write_ipynb(root / ".hidden" / "secret.ipynb")
    write_ipynb(root / "sub" / ".ipynb_checkpoints" / "inner-checkpoint.ipynb")
    write_ipynb(root / "sub" / ".dotted.ipynb")
    (root / "notes.txt").write_text("not a notebook", encoding="utf-8")
    outside = write_ipynb(tmp_path / "outside" / "elsewhere.ipynb")
    (root / "linked-dir").symlink_to(outside.parent, target_is_directory=True)
    (root / "linked.ipynb").symlink_to(root / "top.ipynb")
    monkeypatch.chdir(tmp_path)
    return root


def files(root: Path) -> list[str]:
    return sorted(
        str(path.relative_to(root))
        for path in root.rglob("*")
        if path.is_file() or path.is_symlink()
    )


def test_a_dry_run_lists_and_changes_nothing(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = files(tree)
    assert main(["replace-all", "--recursive", str(tree)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "would skip project/linked.ipynb: a symbolic link",
        "would replace project/top.ipynb by top.jupyter",
        "would replace project/sub/deep/inner.ipynb by inner.jupyter",
    ]
    assert "2 notebooks would be replaced" in err
    assert "add --yes" in err
    assert files(tree) == before


def test_replace_all_converts_the_tree_and_only_the_tree(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["replace-all", "-r", "--yes", "-j", "1", str(tree)]) == 0
    out, err = capsys.readouterr()
    assert out == "project/linked.ipynb: skipped: a symbolic link\n"
    assert err == f"{tree}: converted 2, skipped 1, failed 0\n"
    assert files(tree) == [
        ".hidden/secret.ipynb",
        "linked-dir",
        "linked.ipynb",
        "notes.txt",
        "sub/.dotted.ipynb",
        "sub/.ipynb_checkpoints/inner-checkpoint.ipynb",
        "sub/deep/inner.jupyter",
        "top.jupyter",
    ]
    assert jupyter_format.read(tree / "top.jupyter") == make_notebook("top")
    assert jupyter_format.read(tree / "sub" / "deep" / "inner.jupyter") == make_notebook("inner")
    # Nothing outside the tree was touched through the directory link.
    assert (tree.parent / "outside" / "elsewhere.ipynb").exists()
    # A second run has nothing left to do.
    assert main(["replace-all", "-r", "--yes", str(tree)]) == 0
    assert capsys.readouterr().err == f"{tree}: converted 0, skipped 1, failed 0\n"


def test_without_recursive_only_the_directory_itself(tree: Path) -> None:
    assert main(["replace-all", "--yes", str(tree)]) == 0
    assert (tree / "top.jupyter").exists()
    assert (tree / "sub" / "deep" / "inner.ipynb").exists()


def test_reverse_gives_back_the_original_files(tree: Path) -> None:
    original = (tree / "top.ipynb").read_bytes()
    (tree / "top.ipynb").chmod(0o640)
    assert main(["replace-all", "-r", "--yes", str(tree)]) == 0
    assert (tree / "top.jupyter").stat().st_mode & 0o777 == 0o640
    assert main(["replace-all", "-r", "--yes", "--reverse", "--verbose", str(tree)]) == 0
    assert (tree / "top.ipynb").read_bytes() == original
    assert (tree / "top.ipynb").stat().st_mode & 0o777 == 0o640
    assert not (tree / "top.jupyter").exists()


def test_failures_are_reported_and_their_files_left_alone(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tree / "broken.ipynb"
    broken.write_text('{"cells": [', encoding="utf-8")
    blocked = write_ipynb(tree / "blocked.ipynb")
    (tree / "blocked.jupyter").mkdir()
    different = write_ipynb(tree / "different.ipynb", "one")
    jupyter_format.write(make_notebook("two"), tree / "different.jupyter")
    assert main(["replace-all", "--yes", str(tree)]) == 1
    out = capsys.readouterr().out
    assert (
        "project/blocked.ipynb: failed, left as it was: blocked.jupyter exists and is not a "
        "regular file\n"
    ) in out
    assert (
        "project/broken.ipynb: failed, left as it was: 1:12: not a notebook: invalid JSON: "
        "Expecting value\n"
    ) in out
    assert (
        "project/different.ipynb: failed, left as it was: different.jupyter exists and holds "
        "a different notebook\n"
    ) in out
    assert broken.read_text(encoding="utf-8") == '{"cells": ['
    assert blocked.exists()
    assert different.exists()
    assert jupyter_format.read(tree / "different.jupyter") == make_notebook("two")
    assert (tree / "top.jupyter").exists()


def test_a_stopped_run_is_finished_by_the_next(tree: Path) -> None:
    source = tree / "top.ipynb"
    # Stopped after the rename (both files there) ...
    jupyter_format.write(make_notebook("top"), tree / "top.jupyter")
    # ... and stopped while writing (a temporary file left over).
    stale = tree / "sub" / "deep" / ".inner.jupyter.jupyter-format-abc_1234.tmp"
    stale.write_text("nbformat 4\nnbfor", encoding="utf-8")
    stale_beside_existing = tree / ".top.jupyter.jupyter-format-zz99zz99.tmp"
    stale_beside_existing.write_text("", encoding="utf-8")
    assert main(["replace-all", "-r", "--yes", str(tree)]) == 0
    assert not source.exists()
    assert not stale.exists()
    assert not stale_beside_existing.exists()
    assert jupyter_format.read(tree / "top.jupyter") == make_notebook("top")
    assert (tree / "sub" / "deep" / "inner.jupyter").exists()


def test_files_that_only_look_like_leftovers_are_kept(tmp_path: Path) -> None:
    source = write_ipynb(tmp_path / "sub" / "real.ipynb")
    directory = source.parent
    kept = {
        # Users' own files, named like the temporary files of other tools.
        ".real.ipynb.backup.tmp": "my backup",
        ".real.jupyter.notes.tmp": "my notes",
        # The name of a leftover, but not the start of what the conversion wrote.
        ".real.jupyter.jupyter-format-abcd1234.tmp": "nbformat 4\nsomething else\n",
        # Almost the name of a leftover.
        ".real.jupyter.jupyter-format-abcd123.tmp": "",
        ".real.jupyter.jupyter-format-ABCD1234.tmp": "",
        ".other.jupyter.jupyter-format-abcd1234.tmp": "",
    }
    for name, text in kept.items():
        (directory / name).write_text(text, encoding="utf-8")
    (directory / ".real.jupyter.jupyter-format-link1234.tmp").symlink_to(directory / "missing")
    assert replace_one(str(source)).status == "converted"
    for name, text in kept.items():
        assert (directory / name).read_text(encoding="utf-8") == text
    assert (directory / ".real.jupyter.jupyter-format-link1234.tmp").is_symlink()


def test_a_failed_verification_removes_nothing(
    tree: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real_write = _files.atomic_write_text

    def corrupting_disk(path: Path, text: str, verify: object, mode: object) -> None:
        real_write(path, text.replace("top", "pot"), verify, mode)  # type: ignore[arg-type]

    monkeypatch.setattr(_files, "atomic_write_text", corrupting_disk)
    assert main(["replace-all", "--yes", str(tree)]) == 1
    assert "top.ipynb: failed, left as it was: verification failed" in capsys.readouterr().out
    assert (tree / "top.ipynb").exists()
    assert not (tree / "top.jupyter").exists()
    assert [p.name for p in tree.iterdir() if p.name.endswith(".tmp")] == []


def test_errors_of_the_system_are_reported(
    tree: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def full_disk(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_files, "atomic_write_text", full_disk)
    assert main(["replace-all", "--yes", str(tree)]) == 1
    assert "top.ipynb: failed, left as it was: No space left on device" in capsys.readouterr().out
    assert (tree / "top.ipynb").exists()


def test_notebooks_that_ipynb_cannot_hold_stay_jupyter(tmp_path: Path) -> None:
    nb = make_notebook("signed")
    nb.metadata["signature"] = "sha256:abc"
    jupyter_format.write(nb, tmp_path / "signed.jupyter")
    outcome = replace_one(str(tmp_path / "signed.jupyter"), ".ipynb")
    assert outcome.status == "failed"
    assert outcome.reason == "holds a signature in its metadata, which .ipynb files do not keep"
    assert (tmp_path / "signed.jupyter").exists()


def test_invalid_jupyter_files_are_not_replaced(tmp_path: Path) -> None:
    conflicted = tmp_path / "conflicted.jupyter"
    conflicted.write_text("nbformat 4\n<<<<<<< ours\n", encoding="utf-8")
    outcome = replace_one(str(conflicted), ".ipynb")
    assert outcome == Outcome(
        str(conflicted),
        "failed",
        "2:1: unresolved merge conflict (git conflict marker '<<<<<<<')",
    )


def test_what_replace_one_skips(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("x", encoding="utf-8")
    assert replace_one(str(text)).reason == "not a .ipynb file"
    (tmp_path / "folder.ipynb").mkdir()
    assert replace_one(str(tmp_path / "folder.ipynb")).reason == "not a regular file"


def test_the_functions_of_the_original(tmp_path: Path) -> None:
    path = write_ipynb(tmp_path / "a.ipynb")
    original = path.read_bytes()
    target = ipynb_to_jupyter(str(path))
    assert target == tmp_path / "a.jupyter"
    assert not path.exists()
    assert jupyter_to_ipynb(target) == path
    assert path.read_bytes() == original
    (tmp_path / "b.ipynb").write_text("{", encoding="utf-8")
    with pytest.raises(ReplaceError, match=r"b\.ipynb: 1:2: not a notebook: invalid JSON"):
        ipynb_to_jupyter(tmp_path / "b.ipynb")
    (tmp_path / "link").mkdir()
    (tmp_path / "link" / "a.ipynb").symlink_to(path)
    with pytest.raises(ReplaceError, match=r"a\.ipynb: a symbolic link"):
        ipynb_to_jupyter(tmp_path / "link" / "a.ipynb")


def test_replace_all_recursive_with_a_parallel_map(tmp_path: Path) -> None:
    for number in range(10):
        write_ipynb(tmp_path / f"dir{number % 3}" / f"nb{number}.ipynb", str(number))
    with ProcessPoolExecutor(max_workers=2) as executor:
        outcomes = replace_all_recursive(tmp_path, mapfunction=executor.map)
    assert [o.status for o in outcomes] == ["converted"] * 10
    assert len(list(tmp_path.rglob("*.jupyter"))) == 10
    assert replace_all_recursive(tmp_path) == []
    assert jupyter_format.read(tmp_path / "dir1" / "nb4.jupyter") == make_notebook("4")


def test_many_files_on_several_processes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for number in range(_batch.MIN_FILES_PER_PROCESS * 2):
        write_ipynb(tmp_path / f"nb{number}.ipynb", str(number))
    (tmp_path / "bad.ipynb").write_text("[]", encoding="utf-8")
    assert main(["replace-all", "--yes", "--jobs", "2", str(tmp_path)]) == 1
    assert capsys.readouterr().err.endswith("converted 16, skipped 0, failed 1\n")
    assert jupyter_format.read(tmp_path / "nb11.jupyter") == make_notebook("11")


def test_a_progress_bar_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for number in range(3):
        write_ipynb(tmp_path / f"nb{number}.ipynb")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main(["replace-all", "--yes", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert "\r[##########....................] 1/3 converted 1, skipped 0, failed 0" in err
    assert "\r[##############################] 3/3 converted 3, skipped 0, failed 0\n" in err


def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replace-all", str(tmp_path / "missing")]) == 2
    assert "missing: not a directory" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["replace-all", "--jobs", "0", str(tmp_path)])
    assert "not a positive whole number: '0'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["replace-all", "--jobs", "many", str(tmp_path)])
    assert "not a positive whole number: 'many'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["replace-all", "--jobs", "2", "--scheduler", "tcp://x:1", str(tmp_path)])


def test_the_original_module_command(tmp_path: Path) -> None:
    write_ipynb(tmp_path / "sub" / "a.ipynb")
    result = subprocess.run(
        [sys.executable, "-m", "jupyter_format.replace_all", "--recursive", "--yes"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ".: converted 1, skipped 0, failed 0\n"
    assert (tmp_path / "sub" / "a.jupyter").exists()


def test_a_dask_cluster(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    distributed = pytest.importorskip("distributed")
    for number in range(12):
        write_ipynb(tmp_path / "shared" / f"nb{number}.ipynb", str(number))
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        address = cluster.scheduler_address
        status = main(["replace-all", "--yes", "--scheduler", address, str(tmp_path / "shared")])
    assert status == 0
    assert capsys.readouterr().err.endswith("converted 12, skipped 0, failed 0\n")
    assert jupyter_format.read(tmp_path / "shared" / "nb7.jupyter") == make_notebook("7")


def test_an_unreachable_dask_scheduler(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("distributed")
    write_ipynb(tmp_path / "a.ipynb")
    monkeypatch.setattr(_batch, "CONNECT_TIMEOUT", "1s")
    assert main(["replace-all", "--yes", "--scheduler", "tcp://127.0.0.1:9", str(tmp_path)]) == 2
    assert "cannot connect to the Dask scheduler at tcp://127.0.0.1:9" in capsys.readouterr().err
    assert (tmp_path / "a.ipynb").exists()


def test_without_dask_installed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_ipynb(tmp_path / "a.ipynb")
    monkeypatch.setitem(sys.modules, "distributed", None)
    assert main(["replace-all", "--yes", "--scheduler", "tcp://127.0.0.1:9", str(tmp_path)]) == 2
    assert "pip install 'jupyter-format[dask]'" in capsys.readouterr().err


def test_special_files_are_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.ipynb"
    os.mkfifo(fifo)  # reading it would block forever
    assert replace_one(str(fifo)) == Outcome(str(fifo), "skipped", "not a regular file")


# --- jupyter-format convert --replace (what the pre-commit hook runs) -----------------


def test_convert_replace_replaces_each_file_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = write_ipynb(tmp_path / "a.ipynb", "a"), write_ipynb(tmp_path / "b.ipynb", "b")
    assert main(["convert", "--replace", str(first), str(second)]) == 0
    assert capsys.readouterr().err.splitlines() == [
        f"{first} -> {tmp_path / 'a.jupyter'} (a.ipynb removed)",
        f"{second} -> {tmp_path / 'b.jupyter'} (b.ipynb removed)",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.jupyter", "b.jupyter"]
    assert jupyter_format.read(tmp_path / "a.jupyter") == make_notebook("a")

    # Back, quietly; files already in the format asked for pass silently.
    jupyter = tmp_path / "a.jupyter"
    assert main(["convert", "-q", "--replace", str(jupyter), str(tmp_path / "b.jupyter")]) == 0
    assert main(["convert", "--replace", "--to", "ipynb", str(tmp_path / "a.ipynb")]) == 0
    assert capsys.readouterr().err == ""
    assert nbformat.read(tmp_path / "a.ipynb", as_version=4) == make_notebook("a")


def test_convert_replace_reports_what_it_skips_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "link.ipynb"
    link.symlink_to(write_ipynb(tmp_path / "real" / "a.ipynb"))
    other = tmp_path / "notes.txt"
    other.write_text("text", encoding="utf-8")
    assert main(["convert", "--replace", str(link), str(other)]) == 0
    assert capsys.readouterr().err.splitlines() == [
        f"{link}: skipped: a symbolic link",
        f"{other}: skipped: not a .jupyter file",
    ]
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{", encoding="utf-8")
    assert main(["convert", "--replace", str(broken)]) == 1
    assert capsys.readouterr().err.startswith(f"{broken}: failed: 1:2: not a notebook: ")
    assert broken.read_text(encoding="utf-8") == "{"


def test_convert_replace_writes_beside_each_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_ipynb(tmp_path / "a.ipynb")
    assert main(["convert", "--replace", "-o", str(tmp_path / "x.jupyter"), str(source)]) == 2
    assert "--replace writes beside each file, so -o cannot be used" in capsys.readouterr().err
    assert source.is_file()


def test_notebooks_of_shapes_nbformat_cannot_write_stay_jupyter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A .jupyter file read with validate=False may hold what .ipynb cannot."""
    nb = nbformat.from_dict(
        {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": {},
            "cells": [
                {
                    "cell_type": "markdown",
                    "id": "a",
                    "source": "x",
                    "metadata": {},
                    "attachments": ["not", "a", "dict"],
                }
            ],
        }
    )
    path = tmp_path / "odd.jupyter"
    jupyter_format.write(nb, path, validate=False)
    before = path.read_bytes()
    assert main(["replace-all", "--yes", "--reverse", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    shape = (
        "cannot be written as .ipynb: it does not have a notebook's shape "
        "(a field is missing or of the wrong type)"
    )
    assert shape in out
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["odd.jupyter"]

    assert main(["convert", str(path)]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == (f"{path}: {shape}")


def test_an_ipynb_file_nbformat_cannot_read_back_is_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.jupyter"
    jupyter_format.write(make_notebook("a"), path)

    def unreadable(data: bytes) -> None:
        raise nbformat.ValidationError("no")

    monkeypatch.setattr(_files.nbformat.reader, "reads", unreadable)
    outcome = replace_one(str(path), ".ipynb")
    assert outcome.status == "failed"
    assert outcome.reason == "verification failed: nbformat cannot read the file back"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.jupyter"]


def test_ctrl_c_stops_the_worker_processes_without_finishing_the_tree(tmp_path: Path) -> None:
    text = nbformat.writes(make_notebook("many"))
    for index in range(3000):
        (tmp_path / f"n{index:04}.ipynb").write_text(text, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyter_format", "replace-all", "--yes", "-j", "2", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not any(tmp_path.glob("*.jupyter")) and time.monotonic() < deadline:
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert err.decode().endswith("interrupted\n")
    left = len(list(tmp_path.glob("*.ipynb")))
    converted = len(list(tmp_path.glob("*.jupyter")))
    assert left > 1500
    assert left + converted >= 3000  # a file is replaced whole or not at all
    for path in tmp_path.glob("*.jupyter"):
        assert jupyter_format.read(path) == make_notebook("many")


def test_an_unexpected_error_fails_its_file_and_the_batch_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = write_ipynb(tmp_path / "a.ipynb"), write_ipynb(tmp_path / "b.ipynb")
    real_loads = _files.notebook_from_bytes

    def surprising(data: bytes, file_format: _files.Format, **options: bool) -> object:
        if b"surprise" in data:
            raise RuntimeError("a bug")
        return real_loads(data, file_format, **options)

    first.write_text(first.read_text(encoding="utf-8").replace("hello", "surprise"))
    monkeypatch.setattr(_files, "notebook_from_bytes", surprising)
    outcomes = [replace_one(str(path)) for path in (first, second)]
    assert [outcome.status for outcome in outcomes] == ["failed", "converted"]
    assert outcomes[0].reason == "unexpected error: RuntimeError: a bug"
    assert first.is_file()


def write_v3_ipynb(path: Path) -> Path:
    """An nbformat 3 notebook, which nbformat upgrades (with invented cell ids) on reading."""
    v3 = nbformat.v3
    cells = [v3.new_text_cell("markdown", source="# Old")]
    cells += [v3.new_code_cell(input=f"x = {n}", prompt_number=n) for n in range(3)]
    nb = v3.new_notebook(worksheets=[v3.new_worksheet(cells=cells)])
    path.write_text(v3.writes_json(nb), encoding="utf-8")
    return path


def test_upgraded_notebooks_convert_the_same_every_time_and_back(tmp_path: Path) -> None:
    texts = set()
    for _ in range(2):
        source = write_v3_ipynb(tmp_path / "old.ipynb")
        assert replace_one(str(source)).status == "converted"
        texts.add((tmp_path / "old.jupyter").read_text(encoding="utf-8"))
        (tmp_path / "old.jupyter").unlink()
    assert len(texts) == 1
    assert "orig_nbformat" in next(iter(texts))

    source = write_v3_ipynb(tmp_path / "old.ipynb")
    # A run killed after writing the target: the next one finishes it.
    (tmp_path / "old.jupyter").write_text(next(iter(texts)), encoding="utf-8")
    assert replace_one(str(source)).status == "converted"
    back = replace_one(str(tmp_path / "old.jupyter"), ".ipynb")
    assert back.status == "converted", back.reason
    nb = nbformat.read(tmp_path / "old.ipynb", as_version=4)
    assert [cell.source for cell in nb.cells] == ["# Old", "x = 0", "x = 1", "x = 2"]
    assert "orig_nbformat" not in nb.metadata


def test_trust_marks_are_named_as_what_ipynb_cannot_keep(tmp_path: Path) -> None:
    nb = make_notebook("trusted")
    nb.cells[0].metadata["trusted"] = True
    jupyter_format.write(nb, tmp_path / "trusted.jupyter")
    outcome = replace_one(str(tmp_path / "trusted.jupyter"), ".ipynb")
    assert outcome.reason == (
        "holds trust marks ('trusted') in cell metadata, which .ipynb files do not keep"
    )
