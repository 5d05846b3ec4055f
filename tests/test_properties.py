"""Properties that hold for every notebook, checked on random hostile ones."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import jupyter_format
from strategies import as_json_text, notebooks

# What a line of a .jupyter file may look like: a block line (verbatim,
# escaped or empty) or an item line, which starts with a keyword.
_LINE = re.compile(r"(    .*|   \\.+|| ?[a-z_]+( .*)?|  (output_metadata|traceback)|   -|   \S.*)")
# Characters that reorder or hide text in review (docs/spec.md, escaping).
_INVISIBLE = re.compile(
    "[\xad\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)


@given(notebooks())
def test_every_notebook_comes_back_identical_from_plain_text(nb: dict[str, Any]) -> None:
    text = jupyter_format.serialize(nb)
    back = jupyter_format.deserialize(text, validate=False)
    assert as_json_text(back) == as_json_text(nb)

    # Writing is canonical: what was read is written the same way.
    assert jupyter_format.serialize(back) == text
    lines = list(jupyter_format.generate_lines(nb))
    assert "".join(lines) == text
    assert all(line.endswith("\n") and line.count("\n") == 1 for line in lines)

    # Git for Windows may check the file out with CRLF line endings.
    crlf = jupyter_format.deserialize(text.replace("\n", "\r\n"), validate=False)
    assert as_json_text(crlf) == as_json_text(nb)

    # A text file that git and editors treat as text: UTF-8, LF line endings,
    # no NUL, no other line breaks, no characters hidden from review, every
    # line of a known shape.
    text.encode("utf-8")
    assert "\r" not in text
    assert "\x00" not in text
    assert _INVISIBLE.search(text) is None
    assert text.splitlines() == text.split("\n")[:-1]
    for line in text.split("\n")[:-1]:
        assert _LINE.fullmatch(line), line


@settings(max_examples=500)
@given(notebooks(), st.data())
def test_damaged_files_raise_parse_error_or_read(nb: dict[str, Any], data: st.DataObject) -> None:
    text = jupyter_format.serialize(nb).encode("utf-8")
    position = data.draw(st.integers(0, len(text)))
    damage = data.draw(
        st.sampled_from(["truncate", "delete", "insert", "indent", "dedent", "swap"])
    )
    if damage == "truncate":
        damaged = text[:position]
    elif damage == "delete":
        damaged = text[:position] + text[position + data.draw(st.integers(1, 20)) :]
    elif damage == "insert":
        damaged = text[:position] + data.draw(st.binary(min_size=1, max_size=8)) + text[position:]
    elif damage in ("indent", "dedent"):
        lines = text.split(b"\n")
        index = position % len(lines)
        lines[index] = b" " + lines[index] if damage == "indent" else lines[index][1:]
        damaged = b"\n".join(lines)
    else:
        lines = text.split(b"\n")
        i, j = position % len(lines), data.draw(st.integers(0, len(lines) - 1))
        lines[i], lines[j] = lines[j], lines[i]
        damaged = b"\n".join(lines)
    for validate in (True, False):
        try:
            jupyter_format.deserialize(damaged, validate=validate)
        except jupyter_format.ParseError as error:
            assert error.lineno >= 1
            assert error.colno >= 1


@given(st.binary(max_size=200) | st.text(max_size=200))
def test_garbage_raises_parse_error(garbage: bytes | str) -> None:
    with pytest.raises(jupyter_format.ParseError):
        jupyter_format.deserialize(garbage)


@pytest.mark.parametrize("window", [1, 5, 64])
def test_reading_in_windows_changes_nothing(window: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # Documents larger than the reader's window (1 MB) are split window by
    # window; tiny windows put window edges everywhere in small documents.
    from pathlib import Path

    from jupyter_format._format import reader as _reader

    vectors = sorted((Path(__file__).parent / "vectors").rglob("*.jupyter"))
    expected = {}
    for path in vectors:
        try:
            expected[path] = as_json_text(jupyter_format.read(path, validate=False))
        except jupyter_format.ParseError as error:
            expected[path] = str(error)
    monkeypatch.setattr(_reader, "_WINDOW", window)
    for path in vectors:
        try:
            result = as_json_text(jupyter_format.read(path, validate=False))
        except jupyter_format.ParseError as error:
            result = str(error)
        assert result == expected[path], path.name


@settings(max_examples=300)
@given(notebooks())
def test_tiny_windows_read_every_notebook(nb: dict[str, Any]) -> None:
    from jupyter_format._format import reader as _reader

    text = jupyter_format.serialize(nb)
    original = _reader._WINDOW
    _reader._WINDOW = 3
    try:
        back = jupyter_format.deserialize(text, validate=False)
    finally:
        _reader._WINDOW = original
    assert as_json_text(back) == as_json_text(nb)
