"""The public API: functions, file handling, errors."""

from __future__ import annotations

import io
import json
import pickle
import re
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import nbformat
import pytest
from tornado.web import HTTPError

import jupyter_format
from strategies import as_json_text

TEXT = "nbformat 4\nnbformat_minor 5\nmarkdown id=a\n    # Hi\nnotebook_metadata\n    {}\n"


def small_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("# Hi", id="a"))
    nb.cells.append(nbformat.v4.new_code_cell("print(1)", id="b", execution_count=1))
    nb.cells[1].outputs.append(nbformat.v4.new_output("stream", text="1\n"))
    return nb


def test_public_names() -> None:
    assert jupyter_format.SUFFIX == ".jupyter"
    assert set(jupyter_format.__all__) >= {
        "serialize",
        "deserialize",
        "generate_lines",
        "ParseError",
        "SUFFIX",
        "reads",
        "writes",
        "read",
        "write",
        "SerializeError",
    }


def test_reads_returns_notebook_nodes_all_the_way_down() -> None:
    nb = jupyter_format.reads(
        TEXT.replace("{}", '{"kernelspec": {"name": "python3", "display_name": "P"}}')
    )
    assert isinstance(nb, nbformat.NotebookNode)
    assert nb.metadata.kernelspec.name == "python3"
    assert nb.cells[0].source == "# Hi"
    nb.cells[0].metadata.tags = ["new"]
    assert nb.cells[0]["metadata"]["tags"] == ["new"]
    assert pickle.loads(pickle.dumps(nb)) == nb
    nbformat.validate(nb)


def test_deserialize_accepts_str_bytes_and_lines() -> None:
    expected = jupyter_format.deserialize(TEXT)
    assert jupyter_format.deserialize(TEXT.encode()) == expected
    assert jupyter_format.deserialize(bytearray(TEXT.encode())) == expected
    assert jupyter_format.deserialize(io.StringIO(TEXT)) == expected
    # Lines of an iterable may omit their newline, as in the original API.
    assert jupyter_format.deserialize(TEXT.splitlines()) == expected


def test_a_missing_final_newline_is_fine() -> None:
    assert jupyter_format.deserialize(TEXT.rstrip("\n")) == jupyter_format.deserialize(TEXT)


def test_crlf_line_endings_read_as_lf() -> None:
    # Git for Windows checks text files out with CRLF (core.autocrlf=true).
    expected = jupyter_format.deserialize(TEXT)
    crlf = TEXT.replace("\n", "\r\n")
    assert jupyter_format.deserialize(crlf) == expected
    assert jupyter_format.deserialize(crlf.encode()) == expected
    assert jupyter_format.deserialize(io.StringIO(crlf, newline="")) == expected
    assert jupyter_format.deserialize(crlf.rstrip("\r\n")) == expected
    assert jupyter_format.serialize(jupyter_format.deserialize(crlf)) == TEXT


_MIXED_AFTER_CRLF = "mixed line endings: this line ends with LF, but line 1 with CRLF; "
_MIXED_AFTER_LF = "mixed line endings: this line ends with CRLF, but line 1 with LF; "
_LONE_CR = "carriage return (CR) not followed by LF; "


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        (TEXT.replace("\n", "\r\n", 2), 3, 14, _MIXED_AFTER_CRLF),
        (TEXT.replace("\n", "\r\n").replace("\r\n", "\n", 1), 2, 17, _MIXED_AFTER_LF),
        (
            TEXT.replace("# Hi", "# H\ri").replace("\n", "\r\n").replace("\r\nnot", "\nnot"),
            4,
            8,
            _LONE_CR,
        ),
        (TEXT.replace("\n", "\r\n", 1).replace("# Hi", "# H\ri"), 2, 17, _MIXED_AFTER_CRLF),
        ("\r", 1, 1, _LONE_CR),
        ("\n\r\n", 2, 1, _MIXED_AFTER_LF),
        # A merge conflict explains the mix better.
        (TEXT.replace("    # Hi", "=======").replace("\n", "\r\n", 4), 4, 1, "unresolved merge"),
    ],
)
def test_mixed_line_endings_are_a_parse_error(
    text: str, line: int, column: int, message: str
) -> None:
    with pytest.raises(jupyter_format.ParseError) as info:
        jupyter_format.deserialize(text)
    assert (info.value.lineno, info.value.colno) == (line, column)
    assert info.value.msg.startswith(message)


def test_lone_surrogates_in_a_string_are_a_parse_error() -> None:
    with pytest.raises(jupyter_format.ParseError) as info:
        jupyter_format.deserialize(TEXT.replace("# Hi", "# H\ud800"))
    assert (info.value.lineno, info.value.colno) == (4, 8)
    assert "lone surrogate" in info.value.msg


def test_parse_error_is_a_value_error_that_pickles() -> None:
    error = jupyter_format.ParseError("expected x, got 'y'", 12, 2)
    assert isinstance(error, ValueError)
    assert str(error) == "line 12, column 2: expected x, got 'y'"
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.msg, copy.lineno, copy.colno, str(copy)) == (
        error.msg,
        error.lineno,
        error.colno,
        str(error),
    )


def test_read_and_write_paths(tmp_path: Path) -> None:
    nb = small_notebook()
    path = tmp_path / "nb.jupyter"
    jupyter_format.write(nb, path)
    assert jupyter_format.read(path) == nb
    assert jupyter_format.read(str(path)) == nb
    assert path.read_bytes() == jupyter_format.serialize(nb).encode()


def test_read_and_write_file_objects(tmp_path: Path) -> None:
    nb = small_notebook()
    path = tmp_path / "nb.jupyter"
    with path.open("w", encoding="utf-8", newline="") as file:
        jupyter_format.write(nb, file)
    with path.open(encoding="utf-8", newline="") as file:
        assert jupyter_format.read(file) == nb
    with path.open("rb") as file:
        assert jupyter_format.read(file) == nb


def test_write_is_atomic_and_keeps_permissions(tmp_path: Path) -> None:
    path = tmp_path / "nb.jupyter"
    path.write_text("old content", encoding="utf-8")
    path.chmod(0o640)
    jupyter_format.write(small_notebook(), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["nb.jupyter"]


def test_failed_write_leaves_the_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "nb.jupyter"
    path.write_text("old content", encoding="utf-8")
    nb = small_notebook()
    nb.metadata["bad"] = {1, 2}
    with pytest.raises(jupyter_format.SerializeError):
        jupyter_format.write(nb, path)
    assert path.read_text(encoding="utf-8") == "old content"

    def refuse(written: bytes) -> None:
        raise RuntimeError("disk said no")

    from jupyter_format._io import atomic_write_text

    with pytest.raises(RuntimeError, match="disk said no"):
        atomic_write_text(path, "new", refuse)
    assert path.read_text(encoding="utf-8") == "old content"
    assert [p.name for p in tmp_path.iterdir()] == ["nb.jupyter"]


def test_versions_convert_like_nbformat() -> None:
    nb = small_notebook()
    v3 = jupyter_format.reads(jupyter_format.writes(nb), as_version=3)
    assert v3.nbformat == 3
    assert jupyter_format.reads(jupyter_format.writes(nb), nbformat.NO_CONVERT) == nb
    # A v3 notebook is upgraded on writing, as nbformat.writes(nb, 4) would.
    upgraded = jupyter_format.reads(jupyter_format.writes(v3))
    assert upgraded.nbformat == 4
    assert [cell.source for cell in upgraded.cells] == ["# Hi", "print(1)"]
    assert jupyter_format.writes(nb, nbformat.NO_CONVERT) == jupyter_format.serialize(nb)


@pytest.mark.parametrize(
    ("nb", "message"),
    [
        ([], "expected a notebook (a dict), got list"),
        ({"nbformat": 3, "metadata": {}, "cells": []}, "only nbformat 4 notebooks can be written"),
        ({"nbformat": True, "metadata": {}, "cells": []}, "only nbformat 4"),
        ({"nbformat": 4, "cells": []}, "the notebook has no 'metadata' field"),
        ({"nbformat": 4, "metadata": {}}, "the notebook has no 'cells' field"),
        (
            {"nbformat": 4, "metadata": {"x": b"bytes"}, "cells": []},
            "notebook_metadata is not JSON data",
        ),
        ({"nbformat": 4, "metadata": {1: "int key"}, "cells": []}, "keys must be strings"),
        ({"nbformat": 4, "nbformat_minor": {1}, "metadata": {}, "cells": []}, "not JSON data"),
        (
            {"nbformat": 4, "metadata": {}, "cells": [{"cell_type": "code", "x": object()}]},
            "cell 0: cell_json is not JSON data",
        ),
        (
            {
                "nbformat": 4,
                "metadata": {},
                "cells": [
                    {
                        "cell_type": "code",
                        "source": "",
                        "metadata": {},
                        "execution_count": None,
                        "outputs": [
                            {
                                "output_type": "display_data",
                                "metadata": {},
                                "data": {"application/json": {1j}},
                            }
                        ],
                    }
                ],
            },
            "cell 0: output 0: application/json is not JSON data",
        ),
    ],
)
def test_what_the_format_cannot_hold_is_a_serialize_error(nb: Any, message: str) -> None:
    with pytest.raises(jupyter_format.SerializeError, match=re.escape(message)):
        jupyter_format.serialize(nb)


def test_circular_metadata_is_a_serialize_error() -> None:
    nb = small_notebook()
    loop: list[Any] = []
    loop.append(loop)
    nb.metadata["loop"] = loop
    with pytest.raises(jupyter_format.SerializeError, match="nested too deeply"):
        jupyter_format.serialize(nb)


def test_json_blocks_match_nbformats_json() -> None:
    import json

    from jupyter_format._format.json_blocks import encode_block

    value = {
        "b": [1, 2.5, -0.0, float("inf"), float("-inf"), None, True, False, (1,)],
        "a": {},
        "c": [],
    }
    expected = json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False)
    assert encode_block(value, "") == expected + "\n"
    assert encode_block(float("nan"), "    ") == "    NaN\n"


def test_nan_survives_the_round_trip() -> None:
    nb = small_notebook()
    nb.metadata["nan"] = float("nan")
    back = jupyter_format.deserialize(jupyter_format.serialize(nb))
    assert as_json_text(back) == as_json_text(nb)


def test_the_original_cell_line_reads_without_validation() -> None:
    text = "nbformat 4\nnbformat_minor 4\ncode 3\n    x\nnotebook_metadata\n    {}\n"
    assert jupyter_format.deserialize(text, validate=False).cells[0].execution_count == 3


def test_writing_with_validation_checks_the_minor_version() -> None:
    nb = {"nbformat": 4, "metadata": {}, "cells": []}
    with pytest.raises(nbformat.ValidationError, match="nbformat_minor is missing"):
        jupyter_format.writes(nb, validate=True)


def test_python_dash_m(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import runpy

    monkeypatch.setattr("sys.argv", ["jupyter-format", "--version"])
    with pytest.raises(SystemExit) as info:
        runpy.run_module("jupyter_format", run_name="__main__")
    assert info.value.code == 0
    assert capsys.readouterr().out.startswith("jupyter-format ")


def test_text_blocks_keep_adjacent_lone_surrogates_apart() -> None:
    # JSON cannot (it would read a pair as one character), escaped lines can.
    nb = small_notebook()
    nb.cells[0].source = "high \ud800\udfff low"
    text = jupyter_format.serialize(nb)
    assert "   \\high \\ud800\\udfff low\n" in text
    assert jupyter_format.deserialize(text).cells[0].source == "high \ud800\udfff low"


def test_files_are_read_without_mapping_where_mapping_is_unwelcome(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jupyter_format._format import reader as _reader

    path = tmp_path / "nb.jupyter"
    path.write_text(TEXT, encoding="utf-8")
    monkeypatch.setattr(_reader, "_MAP_FILES", False)
    assert jupyter_format.read(path) == jupyter_format.reads(TEXT)
    # The file can be replaced at once, as Windows requires of unmapped files.
    jupyter_format.write(jupyter_format.read(path), path)


def test_jupyter_finds_the_extensions() -> None:
    from pathlib import Path

    points = jupyter_format._jupyter_server_extension_points()
    assert points == [{"module": "jupyter_format._server_extension"}]
    (labextension,) = jupyter_format._jupyter_labextension_paths()
    built = Path(jupyter_format.__file__).parent / labextension["src"] / "package.json"
    assert built.is_file()
    assert labextension["dest"] == "jupyter-format"


# Format characters written as they are: joiners that scripts and emoji need to
# be spelled right, and the visible prepended concatenation marks.
_JOINERS = "\u200c\u200d\u180e"
_VISIBLE_FORMAT_CHARACTERS = "\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u0890\u0891\u08e2"


def test_no_unsafe_character_is_written_raw_in_json_alone_among_ascii() -> None:
    # DEL is ASCII: a JSON block or line of otherwise ASCII text once kept it raw.
    from jupyter_format._format.escaping import UNSAFE_CHARACTER

    unsafe = [chr(code) for code in range(0x10000) if UNSAFE_CHARACTER.match(chr(code))]
    assert "\x7f" in unsafe
    for character in unsafe:
        nb = nbformat.v4.new_notebook(metadata={"key": character})
        nb.nbformat_minor = character
        nb.cells.append(nbformat.v4.new_raw_cell("x", id="r", metadata={character: 1}))
        text = jupyter_format.serialize(nb)
        assert UNSAFE_CHARACTER.search(text.replace("\n", "")) is None, hex(ord(character))
        assert jupyter_format.deserialize(text, validate=False) == nb


def test_invisible_format_characters_are_escaped_wherever_they_are() -> None:
    import unicodedata

    invisible = "".join(
        chr(code)
        for code in range(0x10000)
        if unicodedata.category(chr(code)) == "Cf"
        and chr(code) not in _JOINERS + _VISIBLE_FORMAT_CHARACTERS
    )
    # Trojan Source (CVE-2021-42574): embeddings, overrides, isolates.
    assert set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069") <= set(invisible)
    nb = small_notebook()
    nb.cells[0].source = f"# Hi{invisible}"
    nb.cells[1].source = f"print('{invisible}')"
    nb.cells[1].outputs[0].text = invisible
    nb.cells[1].outputs.append(
        nbformat.v4.new_output("stream", name=f"std{invisible}", text="a hidden name")
    )
    nb.cells[1].outputs.append(
        nbformat.v4.new_output(
            "display_data", data={"application/json": {invisible: invisible}, "text/plain": "x"}
        )
    )
    nb.cells[1].metadata["tags"] = [invisible]
    nb.metadata["title"] = invisible
    text = jupyter_format.serialize(nb)
    assert not set(text) & set(invisible)
    assert "   \\print('\\xad\\u061c\\u200b\\u200e" in text
    assert jupyter_format.deserialize(text) == nb


def test_the_fast_ascii_check_finds_what_the_unsafe_pattern_finds() -> None:
    from jupyter_format._format.escaping import UNSAFE_CHARACTER, has_unsafe_character

    for code in range(0x100):
        for text in (chr(code), f"ascii {chr(code)} text\n", f"\u00e9 {chr(code)}"):
            assert has_unsafe_character(text) == bool(UNSAFE_CHARACTER.search(text)), hex(code)
    # Every line of text is written raw or escaped as it holds one of them.
    nb = small_notebook()
    nb.cells[1].outputs[0].text = "".join(map(chr, range(0x80))) + "\n"
    assert jupyter_format.deserialize(jupyter_format.serialize(nb)) == nb


def test_text_blocks_keep_every_arrangement_of_empty_lines() -> None:
    from jupyter_format._format.writer import text_block

    for text in ("a", "a\n", "\n", "\n\n", "\na", "\na\n", "a\n\nb", "a\n\n\n", "\n\na\n\n"):
        lines = text_block(text).split("\n")[:-1]
        assert "\n".join(line[4:] for line in lines) == text, repr(text)
        assert all(line == "" or line.startswith("    ") for line in lines)


def test_joiners_and_visible_format_characters_are_written_as_they_are() -> None:
    nb = small_notebook()
    source = (
        "\U0001f469\u200d\U0001f52c \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 "
        f"\u1820\u180e\u1821 {_VISIBLE_FORMAT_CHARACTERS}"
    )
    nb.cells[0].source = source
    nb.metadata["title"] = source
    text = jupyter_format.serialize(nb)
    assert f"\nmarkdown id=a\n    {source}\n" in text
    assert f'"title": "{source}"' in text


# Documents with a JSON value nested NESTED deep: the line of the item that
# holds it, and how many levels of the notebook lie around it.
_DEEP_DOCUMENTS = {
    "nbformat_minor": (2, 1, "nbformat 4\nnbformat_minor NESTED\nnotebook_metadata\n    {}\n"),
    "notebook_metadata": (3, 2, 'notebook_metadata\n    {"x": NESTED}\n'),
    "notebook_extra_fields": (3, 1, 'notebook_extra_fields\n    {"x": NESTED}\n'),
    "cell_metadata": (4, 4, 'code id=a\n cell_metadata\n    {"x": NESTED}\n'),
    # The schema wants unique tags, which the validators compare recursively.
    "cell_metadata tags": (4, 5, 'code id=a\n cell_metadata\n    {"tags": [NESTED, NESTED]}\n'),
    "output_metadata": (
        5,
        6,
        'code id=a\n display_data\n  output_metadata\n    {"x": NESTED}\n',
    ),
    "application/json": (5, 6, "code id=a\n display_data\n   application/json\n    NESTED\n"),
    "attachment": (
        6,
        5,
        "markdown id=a\n    x\n attachment a.json\n   application/json\n    NESTED\n",
    ),
    "cell_json": (
        3,
        4,
        'cell_json\n    {"cell_type": "raw", "id": "a", "metadata": {"x": NESTED},\n'
        '     "source": ""}\n',
    ),
    # jsonschema's message quotes the value that is not a string.
    "cell_json source": (
        3,
        3,
        'cell_json\n    {"cell_type": "raw", "id": "a", "metadata": {}, "source": NESTED}\n',
    ),
    "output_json": (
        4,
        5,
        'code id=a\n output_json\n    {"output_type": "stream", "name": "x", "text": NESTED}\n',
    ),
}


def _deep_document(place: str, nested: str) -> tuple[int, str]:
    line, _, document = _DEEP_DOCUMENTS[place]
    if not document.startswith("nbformat 4\n"):
        document = "nbformat 4\nnbformat_minor 5\n" + document
    if "\nnotebook_metadata\n" not in "\n" + document:
        document += "notebook_metadata\n    {}\n"
    return line, document.replace("NESTED", nested)


def _alternating(levels: int) -> str:
    """JSON nested *levels* deep (an even number), objects and lists by turns."""
    return '{"a": [' * (levels // 2) + "1" + "]}" * (levels // 2)


def _at_stack_depth(frames: int, call: Callable[[], object]) -> object:
    return call() if frames == 0 else _at_stack_depth(frames - 1, call)


@pytest.fixture(params=["no validation", "fastjsonschema", "jsonschema"])
def validator(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str | None]:
    """Read without validation, or with each of the validators nbformat can use."""
    from jupyter_format._format import schema as _validate

    if request.param == "no validation":
        yield None
        return
    monkeypatch.setenv("NBFORMAT_VALIDATOR", request.param)
    _validate.schema_for.cache_clear()
    yield request.param
    _validate.schema_for.cache_clear()


@pytest.mark.parametrize("frames", [150, 400])
@pytest.mark.parametrize("levels", [500, 900])
@pytest.mark.parametrize("place", sorted(_DEEP_DOCUMENTS))
def test_deep_json_is_a_parse_error_however_deep_the_caller(
    place: str, levels: int, frames: int, validator: str | None
) -> None:
    # A Jupyter server reads notebooks some 150 frames deep.
    line, document = _deep_document(place, _alternating(levels))
    with pytest.raises(jupyter_format.ParseError) as info:
        _at_stack_depth(
            frames, lambda: jupyter_format.deserialize(document, validate=validator is not None)
        )
    assert info.value.lineno in (line, line + 1), info.value
    assert info.value.colno >= 1
    assert "nested too deeply (a notebook nests at most 400 levels)" in info.value.msg


@pytest.mark.parametrize("place", sorted(_DEEP_DOCUMENTS))
def test_one_nesting_limit_for_reader_writer_and_server(place: str) -> None:
    from jupyter_format import contents_manager
    from jupyter_format._format.json_blocks import MAX_NESTING

    _, outer, _ = _DEEP_DOCUMENTS[place]
    levels = MAX_NESTING - outer
    _, deepest = _deep_document(place, "[" * levels + "]" * levels)
    nb = _at_stack_depth(150, lambda: jupyter_format.deserialize(deepest, validate=False))
    # It saves as .jupyter and passes the server's check, which counts from the notebook down.
    assert jupyter_format.deserialize(jupyter_format.serialize(nb), validate=False) == nb
    contents_manager._check_json(nb, "deepest.jupyter")
    line, too_deep = _deep_document(place, "[" * (levels + 1) + "]" * (levels + 1))
    with pytest.raises(jupyter_format.ParseError, match="nested too deeply") as info:
        jupyter_format.deserialize(too_deep, validate=False)
    assert info.value.lineno in (line, line + 1)
    with pytest.raises(jupyter_format.SerializeError, match="nested too deeply"):
        jupyter_format.serialize(_deeper_by_one(nb))
    with pytest.raises(HTTPError) as refused:
        contents_manager._check_json(_deeper_by_one(nb), "deeper.jupyter")
    assert refused.value.status_code == 400


def _deeper_by_one(nb: Any) -> Any:
    """A copy of *nb* with its deepest list given an empty list to hold."""
    copy = json.loads(json.dumps(nb))
    deepest: tuple[int, list[Any]] = (0, [])
    pending: list[tuple[int, Any]] = [(1, copy)]
    while pending:
        depth, value = pending.pop()
        if isinstance(value, list) and depth > deepest[0]:
            deepest = (depth, value)
        items = value.values() if isinstance(value, dict) else value
        pending.extend((depth + 1, item) for item in items if isinstance(item, (dict, list)))
    deepest[1].append([])
    return copy


def test_brackets_in_json_strings_are_no_levels() -> None:
    nb = small_notebook()
    brackets = "[{" * jupyter_format.MAX_NESTING
    nb.cells[1].outputs.append(
        nbformat.v4.new_output("display_data", data={"application/json": brackets})
    )
    nb.metadata["brackets"] = [brackets]
    assert jupyter_format.deserialize(jupyter_format.serialize(nb)) == nb


def test_json_too_deep_for_the_slower_second_reading_is_a_parse_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The fast scanner fails terse, and decode() runs two frames deeper for
    # the message, so near the limit only the second reading may recurse too deeply.
    from jupyter_format._format import reader as _reader

    def terse_scanner(text: str, index: int) -> NoReturn:
        raise StopIteration(index)

    monkeypatch.setattr(_reader, "_scan_json_value", terse_scanner)
    with pytest.raises(jupyter_format.ParseError) as info:
        jupyter_format.deserialize(TEXT.replace("{}", "[" * 100_000 + "]" * 100_000))
    assert (info.value.lineno, info.value.colno) == (6, 1)
    assert info.value.msg == (
        "the JSON of notebook_metadata is nested too deeply (a notebook nests at most 400 levels)"
    )
