"""The jupyter-format command line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import jupyter_format
from jupyter_format._cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture
def ipynb(tmp_path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nb.cells.append(nbformat.v4.new_markdown_cell("# Title", id="title"))
    cell = nbformat.v4.new_code_cell("print('hi')", id="code", execution_count=1)
    cell.outputs.append(nbformat.v4.new_output("stream", text="hi\n"))
    nb.cells.append(cell)
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    return path


def test_convert_both_ways_gives_the_same_file(
    ipynb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = ipynb.read_bytes()
    assert main(["convert", str(ipynb)]) == 0
    jupyter = ipynb.with_suffix(".jupyter")
    assert jupyter.read_text(encoding="utf-8").startswith("nbformat 4\nnbformat_minor 5\n")
    assert capsys.readouterr().err == f"{ipynb} -> {jupyter}\n"
    ipynb.unlink()
    assert main(["convert", "-q", str(jupyter)]) == 0
    assert ipynb.read_bytes() == original
    assert capsys.readouterr().err == ""


def test_convert_to_a_named_file_directory_or_stdout(
    ipynb: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["convert", "-q", "-o", str(tmp_path / "named.jupyter"), str(ipynb)]) == 0
    assert jupyter_format.read(tmp_path / "named.jupyter") == nbformat.read(ipynb, 4)
    out = tmp_path / "out"
    out.mkdir()
    second = tmp_path / "second.ipynb"
    shutil.copy(ipynb, second)
    assert main(["convert", "-q", "-o", str(out), str(ipynb), str(second)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["nb.jupyter", "second.jupyter"]
    assert main(["convert", "--to", "jupyter", "-o", "-", str(ipynb)]) == 0
    assert capsys.readouterr().out == (out / "nb.jupyter").read_text(encoding="utf-8")


def test_convert_refuses_to_replace_a_different_notebook_without_force(
    ipynb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    jupyter = ipynb.with_suffix(".jupyter")
    assert main(["convert", "-q", str(ipynb)]) == 0
    # Converting again gives the same notebook: nothing to refuse.
    assert main(["convert", "-q", str(ipynb)]) == 0
    edited = jupyter.read_text(encoding="utf-8").replace("# Title", "# Edited title")
    jupyter.write_text(edited, encoding="utf-8")
    assert main(["convert", "-q", str(ipynb)]) == 1
    assert capsys.readouterr().err == (
        f"{ipynb}: not converted: {jupyter} exists and holds a different notebook; "
        "use --force to replace it\n"
    )
    assert jupyter.read_text(encoding="utf-8") == edited
    assert main(["convert", "-q", "-o", str(jupyter), str(ipynb)]) == 1
    not_a_notebook = ipynb.with_name("notes.jupyter")
    not_a_notebook.write_text("my notes\n", encoding="utf-8")
    assert main(["convert", "-q", "-o", str(not_a_notebook), str(ipynb)]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"{ipynb}: not converted: {not_a_notebook} exists and does not hold a notebook "
        "(1:1: expected 'nbformat 4' (a .jupyter file starts with its nbformat version), "
        "got 'my notes'); use --force to replace it"
    )
    assert jupyter.read_text(encoding="utf-8") == edited
    assert main(["convert", "-q", "--force", str(ipynb)]) == 0
    assert jupyter_format.read(jupyter) == nbformat.read(ipynb, 4)


def test_convert_to_ipynb_refuses_to_replace_a_different_notebook_without_force(
    ipynb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    jupyter = ipynb.with_suffix(".jupyter")
    assert main(["convert", "-q", str(ipynb)]) == 0
    # The same notebook, though nbformat signs and marks what it reads as trusted.
    assert main(["convert", "-q", str(jupyter)]) == 0
    jupyter.write_text(
        jupyter.read_text(encoding="utf-8").replace("# Title", "# Edited"), encoding="utf-8"
    )
    before = ipynb.read_bytes()
    assert main(["convert", "-q", str(jupyter)]) == 1
    assert capsys.readouterr().err == (
        f"{jupyter}: not converted: {ipynb} exists and holds a different notebook; "
        "use --force to replace it\n"
    )
    ipynb.write_text("{not json", encoding="utf-8")
    assert main(["convert", "-q", str(jupyter)]) == 1
    assert capsys.readouterr().err == (
        f"{jupyter}: not converted: {ipynb} exists and does not hold a notebook "
        "(not a notebook: invalid JSON: Expecting property name enclosed in double quotes); "
        "use --force to replace it\n"
    )
    assert ipynb.read_text(encoding="utf-8") == "{not json"
    ipynb.write_bytes(before)
    assert main(["convert", "-q", "--force", str(jupyter)]) == 0
    assert "# Edited" in nbformat.read(ipynb, 4).cells[0].source


def test_convert_to_the_same_format_normalizes(ipynb: Path) -> None:
    jupyter = ipynb.with_suffix(".jupyter")
    assert main(["convert", "-q", str(ipynb)]) == 0
    canonical = jupyter.read_text(encoding="utf-8")
    jupyter.write_text(canonical.replace("\n    hi\n", "\n   hi\n".replace("   ", "    ")))
    assert main(["convert", "-q", "--to", "jupyter", str(jupyter)]) == 0
    assert jupyter.read_text(encoding="utf-8") == canonical


def test_convert_sniffs_unknown_suffixes(ipynb: Path, tmp_path: Path) -> None:
    json_file = tmp_path / "notebook.json"
    shutil.copy(ipynb, json_file)
    assert main(["convert", "-q", "-o", str(tmp_path / "x.jupyter"), str(json_file)]) == 0
    text_file = tmp_path / "notebook.txt"
    shutil.copy(tmp_path / "x.jupyter", text_file)
    assert (
        main(["convert", "-q", "--to", "ipynb", "-o", str(tmp_path / "y.ipynb"), str(text_file)])
        == 0
    )
    assert nbformat.read(tmp_path / "y.ipynb", 4) == nbformat.read(ipynb, 4)


def test_convert_reports_bad_files_in_one_line_and_goes_on(
    ipynb: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.jupyter"
    broken.write_text("nbformat 4\nnbformat_minor 5\nfoo\n", encoding="utf-8")
    not_json = tmp_path / "broken.ipynb"
    not_json.write_text('{"cells": [}', encoding="utf-8")
    not_notebook = tmp_path / "list.ipynb"
    not_notebook.write_text("[]", encoding="utf-8")
    missing = tmp_path / "missing.ipynb"
    status = main(
        ["convert", "-q", str(broken), str(not_json), str(not_notebook), str(missing), str(ipynb)]
    )
    assert status == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"{broken}:3:1: expected a cell (markdown, code, raw or cell_json) "
        "or 'notebook_metadata', got 'foo'",
        f"{not_json}:1:12: not a notebook: invalid JSON: Expecting value",
        f"{not_notebook}: not a notebook: its JSON does not have a notebook's shape "
        "(a field is missing or of the wrong type)",
        f"{missing}: No such file or directory",
    ]
    assert ipynb.with_suffix(".jupyter").exists()
    assert not broken.with_suffix(".ipynb").exists() or broken.with_suffix(".ipynb") == not_json


def test_convert_warns_about_invalid_notebooks_and_keeps_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "invalid.ipynb"
    nb = {
        "nbformat": 4,
        "nbformat_minor": 4,
        "metadata": {},
        "cells": [
            {"cell_type": "markdown", "id": "early", "metadata": {}, "source": "an id in 4.4"}
        ],
    }
    path.write_text(json.dumps(nb), encoding="utf-8")
    assert main(["convert", "-q", str(path)]) == 0
    err = capsys.readouterr().err
    assert err.startswith(f"{path}: warning: invalid notebook: ")
    assert err.endswith("; converted as it is\n")
    assert (
        json.loads(json.dumps(jupyter_format.read(path.with_suffix(".jupyter"), validate=False)))
        == nb
    )
    path.unlink()
    assert main(["convert", "-q", str(path.with_suffix(".jupyter"))]) == 0
    assert capsys.readouterr().err == (
        f"{path.with_suffix('.jupyter')}:3:13: warning: invalid notebook: cell ids are not "
        "allowed in nbformat 4.4 (only from 4.5 on); converted as it is\n"
    )
    assert json.loads(path.read_text(encoding="utf-8"))["cells"][0]["id"] == "early"


def test_convert_usage_errors(
    ipynb: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["convert", "-o", str(tmp_path / "x.jupyter"), str(ipynb), str(ipynb)]) == 2
    assert "with several paths, -o must be a directory" in capsys.readouterr().err
    assert main(["convert", "-o", "-", str(ipynb), str(ipynb)]) == 2
    assert "only one path can be written to standard output" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["convert", "--to", "pdf", str(ipynb)])
    assert info.value.code == 2


def test_convert_cannot_write(
    ipynb: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "no" / "such" / "dir.jupyter"
    assert main(["convert", "-q", "-o", str(target), str(ipynb)]) == 1
    assert "No such file or directory" in capsys.readouterr().err


def cannot_hold(*args: object) -> str:
    raise jupyter_format.SerializeError("cannot hold this")


@pytest.mark.parametrize(
    ("command", "function"), [("convert", "save_verified"), ("cat", "notebook_text")]
)
def test_what_the_format_cannot_hold_is_one_line(
    command: str,
    function: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from jupyter_format import _cli

    path = tmp_path / "x.ipynb"
    path.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": []}))
    monkeypatch.setattr(getattr(_cli, command), function, cannot_hold)
    assert main([command, str(path)]) == 1
    assert capsys.readouterr().err == f"{path}: cannot hold this\n"


def test_check(tmp_path: Path, ipynb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["convert", "-q", str(ipynb)]) == 0
    sub = tmp_path / "sub"
    sub.mkdir()
    good = sub / "good.jupyter"
    shutil.copy(ipynb.with_suffix(".jupyter"), good)
    bad = sub / "bad.jupyter"
    bad.write_text("nbformat 4\nnbformat_minor 5\nmarkdown\nnotebook_metadata\n    {}\n")
    assert main(["check", str(good)]) == 0
    assert capsys.readouterr().err == "1 notebooks checked, no problems\n"
    assert main(["check", str(sub), str(ipynb)]) == 1
    captured = capsys.readouterr()
    assert captured.out == (
        f"{bad}:3:1: invalid notebook: cell id missing (required from nbformat 4.5 on); "
        "add ' id=...' to the cell line\n"
    )
    assert captured.err == "1 of 3 notebooks have problems\n"


def test_check_reports_invalid_ipynb_and_conflicts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    invalid = tmp_path / "invalid.ipynb"
    invalid.write_text(
        json.dumps(
            {"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {}}, "cells": []}
        )
    )
    conflict = tmp_path / "conflict.jupyter"
    conflict.write_text(
        "nbformat 4\nnbformat_minor 5\n<<<<<<< HEAD\nmarkdown id=a\n=======\nraw id=a\n>>>>>>> b\n"
        "notebook_metadata\n    {}\n"
    )
    assert main(["check", str(invalid), str(conflict)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{invalid}: invalid notebook: ")
    assert out[1] == f"{conflict}:3:1: unresolved merge conflict (git conflict marker '<<<<<<<')"


@pytest.mark.parametrize(
    ("minor", "message"),
    [
        ('"5"', "nbformat_minor must be an integer"),
        ("true", "nbformat_minor must be an integer"),
        ("null", "nbformat_minor must be an integer"),
        ("-1", "nbformat has no schema for nbformat 4.-1"),
        (None, "nbformat_minor is missing"),
    ],
)
def test_an_ipynb_minor_version_nbformat_cannot_check_is_a_problem(
    minor: str | None, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # nbformat.validate fails an assertion on most of these.
    path = tmp_path / "odd.ipynb"
    field = "" if minor is None else f'"nbformat_minor": {minor}, '
    path.write_text(f'{{"nbformat": 4, {field}"metadata": {{}}, "cells": []}}')
    assert main(["check", str(path)]) == 1
    assert capsys.readouterr().out == f"{path}: invalid notebook: {message}\n"


def test_check_names_ipynb_files_that_hold_jupyter_text(
    ipynb: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What the merge driver leaves after a conflict, once resolved but not yet converted."""
    resolved = tmp_path / "merged.ipynb"
    resolved.write_text(jupyter_format.writes(nbformat.read(ipynb, as_version=4)))
    assert main(["check", str(resolved)]) == 1
    assert capsys.readouterr().out == (
        f"{resolved}: holds .jupyter text, not JSON: "
        f"run jupyter-format convert --to ipynb -- {resolved}\n"
    )


def test_cat(ipynb: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cat", str(ipynb)]) == 0
    text = capsys.readouterr().out
    assert text == jupyter_format.serialize(nbformat.read(ipynb, 4))
    jupyter = tmp_path / "nb.jupyter"
    jupyter.write_text(text.replace("code id=code", "code   id=code"))
    assert main(["cat", str(jupyter)]) == 1
    assert "expected a cell" in capsys.readouterr().err
    jupyter.write_text(text)
    assert main(["cat", str(jupyter)]) == 0
    assert capsys.readouterr().out == text


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out == f"jupyter-format {jupyter_format.__version__}\n"
    assert main([]) == 2
    assert "convert" in capsys.readouterr().err


def test_interrupt(
    monkeypatch: pytest.MonkeyPatch, ipynb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from jupyter_format import _cli

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(_cli.convert, "_convert_one", interrupted)
    assert main(["convert", str(ipynb)]) == 130
    assert capsys.readouterr().err == "interrupted\n"


@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, "-m", "jupyter_format"],
        [sys.executable, "-m", "jupyter", "format"],
    ],
)
def test_installed_entry_points(command: list[str], ipynb: Path) -> None:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        [*command, "cat", str(ipynb)], capture_output=True, text=True, check=False, env=env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("nbformat 4\n")
    result = subprocess.run(
        [*command, "check", str(ipynb.with_suffix(".missing"))],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout


def test_ipynb_that_is_not_a_notebook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    latin1 = tmp_path / "latin1.ipynb"
    latin1.write_bytes(b'{"caf\xe9": 1}')
    future = tmp_path / "future.ipynb"
    future.write_text('{"nbformat": 99, "nbformat_minor": 0}')
    # No nbformat key: nbformat takes it for version 1, and its upgrader crashes.
    unversioned = tmp_path / "unversioned.ipynb"
    unversioned.write_text('{"cells": [{"cell_type": "markdown", "source": "x"}], "metadata": {}}')
    # Shapes nbformat's upgraders stumble on, with Python's words in their messages.
    no_worksheets = tmp_path / "no-worksheets.ipynb"
    no_worksheets.write_text('{"nbformat": 3, "nbformat_minor": 0, "metadata": {}}')
    odd_cells = tmp_path / "odd-cells.ipynb"
    odd_cells.write_text('{"nbformat": 2, "nbformat_minor": 0, "worksheets": [{"cells": [1]}]}')
    digits = tmp_path / "digits.ipynb"
    digits.write_text(
        '{"nbformat": 4, "nbformat_minor": 5, "cells": [], "metadata": {"n": 9' + "9" * 5000 + "}}"
    )
    deep = tmp_path / "deep.ipynb"
    deep.write_text(
        '{"nbformat": 4, "nbformat_minor": 5, "cells": [], "metadata": {"a": '
        + "[" * 100_000
        + "]" * 100_000
        + "}}"
    )
    odd_minor = tmp_path / "odd-minor.ipynb"
    odd_minor.write_text(
        '{"nbformat": 3, "nbformat_minor": "x", "worksheets": [], "metadata": {}}'
    )
    # Read, but the schema's check of unique tags recurses deeper than the reader.
    deep_tags = tmp_path / "deep-tags.ipynb"
    tag = "[" * 300 + "]" * 300
    deep_tags.write_text(
        '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "raw", '
        f'"id": "a", "source": "", "metadata": {{"tags": [{tag}, {tag}]}}}}]}}'
    )
    untyped_output = tmp_path / "untyped-output.ipynb"
    untyped_output.write_text(
        '{"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": '
        '[{"cell_type": "code", "input": "", "outputs": [{}]}]}]}'
    )
    files = [latin1, future, unversioned, no_worksheets, odd_cells, digits, deep, odd_minor]
    files += [deep_tags, untyped_output]
    assert main(["check", *map(str, files)]) == 1
    out = capsys.readouterr().out.splitlines()
    # Whether the check of unique tags runs out of stack depends on the Python
    # version (3.12 recurses in C for part of it); either way it is one line.
    assert out[8].startswith(f"{deep_tags}: invalid notebook: ")
    if "too deeply" not in out[8]:
        out[8] = f"{deep_tags}: invalid notebook: its JSON is nested too deeply to check"
    shape = "its JSON does not have a notebook's shape (a field is missing or of the wrong type)"
    assert out == [
        f"{latin1}:1:6: not a notebook: invalid UTF-8",
        f"{future}: not a notebook: Unsupported nbformat version 99",
        f"{unversioned}: not a notebook: the field 'nbformat' (its version) is missing",
        f"{no_worksheets}: not a notebook: the field 'worksheets' is missing",
        f"{odd_cells}: not a notebook: {shape}",
        f"{digits}: not a notebook: an integer with more than 4300 digits",
        f"{deep}: not a notebook: its JSON is nested too deeply",
        f"{odd_minor}: not a notebook: {shape}",
        f"{deep_tags}: invalid notebook: its JSON is nested too deeply to check",
        f"{untyped_output}: not a notebook: the field 'output_type' is missing",
    ]


def test_a_failed_verification_leaves_the_target_alone(
    ipynb: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from jupyter_format import _files

    target = ipynb.with_suffix(".jupyter")
    target.write_text("precious", encoding="utf-8")
    real_write = _files.atomic_write_text

    def corrupting_disk(path: Path, text: str, verify: object, mode: object) -> None:
        real_write(path, text.replace("hi", "ho"), verify, mode)  # type: ignore[arg-type]

    monkeypatch.setattr(_files, "atomic_write_text", corrupting_disk)
    assert main(["convert", "--force", str(ipynb)]) == 1
    assert capsys.readouterr().err == (f"{ipynb}: verification failed: the file on disk differs\n")
    monkeypatch.setattr(_files, "atomic_write_text", real_write)
    monkeypatch.setattr(_files, "same_notebook", lambda a, b: False)
    assert main(["convert", "--force", str(ipynb)]) == 1
    assert capsys.readouterr().err == (
        f"{ipynb}: verification failed: the file does not read back the same\n"
    )
    assert target.read_text(encoding="utf-8") == "precious"
    assert sorted(p.name for p in target.parent.iterdir()) == ["nb.ipynb", "nb.jupyter"]


def test_special_files_are_refused_without_waiting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "fifo.jupyter"
    os.mkfifo(fifo)
    directory = tmp_path / "directory.ipynb"
    directory.mkdir()
    # A FIFO would block a reader until some process writes to it: first in a
    # process of its own, so that a regression fails instead of hanging the tests.
    command = [sys.executable, "-m", "jupyter_format", "check", str(fifo)]
    assert subprocess.run(command, capture_output=True, timeout=60, check=False).returncode == 1
    assert main(["check", str(fifo)]) == 1
    assert capsys.readouterr().out == f"{fifo}: not a regular file (a FIFO, socket or device)\n"
    assert main(["convert", str(fifo), str(directory)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{fifo}: not a regular file (a FIFO, socket or device)",
        f"{directory}: is a directory, not a notebook file",
    ]
    assert main(["cat", "--textconv", str(fifo)]) == 1


def test_names_with_control_characters_are_quoted_in_messages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "new\nline\x1b[31m.jupyter"
    path.write_text("nbformat 4\nbad\n", encoding="utf-8")
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert out.startswith(json.dumps(str(path)) + ":2:1: expected a cell")
    conflicted = tmp_path / "new\nline.ipynb"
    conflicted.write_text(jupyter_format.writes(nbformat.v4.new_notebook()), encoding="utf-8")
    assert main(["check", str(conflicted)]) == 1
    report = capsys.readouterr().out.splitlines()
    assert report[-1] == (
        f"{json.dumps(str(conflicted))}: holds .jupyter text, not JSON: run jupyter-format "
        f"convert --to ipynb -- $'{tmp_path}/new\\x0aline.ipynb'"
    )


def test_notebooks_the_other_format_cannot_hold_are_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    surrogate = tmp_path / "surrogate.jupyter"
    surrogate.write_text(
        "nbformat 4\nnbformat_minor 5\nmarkdown id=m\n   \\\\ud800\nnotebook_metadata\n    {}\n",
        encoding="utf-8",
    )
    # nbformat reads and writes it (from a shallow stack), but no .jupyter reader would.
    deep = tmp_path / "deep.ipynb"
    deep.write_text(
        '{"nbformat": 4, "nbformat_minor": 5, "cells": [], "metadata": {"deep": '
        + "[" * 450
        + "]" * 450
        + "}}",
        encoding="utf-8",
    )
    assert main(["convert", str(surrogate), str(deep)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{surrogate}: cannot be written as .ipynb: it holds a lone surrogate (U+D800), "
        "which UTF-8 files cannot hold; a .jupyter file can",
        f"{deep}: notebook_metadata is nested too deeply (a notebook nests at most 400 levels)",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deep.ipynb", "surrogate.jupyter"]


@pytest.mark.parametrize(
    "name",
    ["plain.ipynb", "-dash.ipynb", "it's \\ here.ipynb", "new\nline 'q'.ipynb", "\x1b[31m.ipynb"],
)
def test_suggested_commands_give_bash_the_very_name(name: str) -> None:
    from jupyter_format._files import shell_word

    word = shell_word(name)
    assert not {"\n", "\x1b"} & set(word)
    result = subprocess.run(
        ["bash", "-c", f"printf %s {word}"], capture_output=True, check=True, env={"LC_ALL": "C"}
    )
    assert result.stdout.decode("utf-8") == name


def test_json_errors_nbformat_reports_in_other_words_are_still_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def reads(data: bytes) -> None:
        try:
            raise ValueError("a message of a future json module")
        except ValueError as error:
            raise nbformat.reader.NotJSONError("Notebook does not appear to be JSON") from error

    monkeypatch.setattr(nbformat.reader, "reads", reads)
    path = tmp_path / "odd.ipynb"
    path.write_text("{}", encoding="utf-8")
    assert main(["check", str(path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{path}: not a notebook: a message of a future json module"
    ]
