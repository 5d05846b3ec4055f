"""The shared test vectors in tests/vectors (see tests/vectors/README.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import jupyter_format

VECTORS = Path(__file__).parent / "vectors"


def _names(directory: str, suffix: str) -> list[str]:
    return sorted(path.stem for path in (VECTORS / directory).glob(f"*{suffix}"))


def _json_text(value: object) -> str:
    # Compares as JSON data: key order ignored, but 1, 1.0 and True kept apart.
    return json.dumps(value, sort_keys=True)


def _expected(directory: str, name: str) -> object:
    return json.loads((VECTORS / directory / f"{name}.ipynb").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", _names("valid", ".jupyter"))
def test_valid_vector_reads_to_its_notebook(name: str) -> None:
    nb = jupyter_format.read(VECTORS / "valid" / f"{name}.jupyter")
    assert _json_text(nb) == _json_text(_expected("valid", name))


@pytest.mark.parametrize(
    "name", [n for n in _names("valid", ".ipynb") if not n.startswith("lenient-")]
)
def test_valid_vector_is_the_canonical_text_of_its_notebook(name: str) -> None:
    text = (VECTORS / "valid" / f"{name}.jupyter").read_bytes().decode("utf-8")
    if name.startswith("crlf-"):
        # Its canonical form is its LF form (see the README).
        text = text.replace("\r\n", "\n")
    assert jupyter_format.serialize(_expected("valid", name)) == text


@pytest.mark.parametrize("name", [n for n in _names("valid", ".jupyter") if n.startswith("crlf-")])
def test_crlf_vector_ends_every_line_with_crlf(name: str) -> None:
    # A checkout or an editor that converted it would leave nothing to test.
    data = (VECTORS / "valid" / f"{name}.jupyter").read_bytes()
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"\r" not in data.replace(b"\r\n", b"")


def _with_crlf(directory: str, name: str) -> bytes:
    return (VECTORS / directory / f"{name}.jupyter").read_bytes().replace(b"\n", b"\r\n")


def _without_carriage_returns(directory: str) -> list[str]:
    return [
        name
        for name in _names(directory, ".jupyter")
        if b"\r" not in (VECTORS / directory / f"{name}.jupyter").read_bytes()
    ]


@pytest.mark.parametrize("name", _without_carriage_returns("valid"))
def test_valid_vector_with_crlf_line_endings_reads_the_same(name: str) -> None:
    nb = jupyter_format.deserialize(_with_crlf("valid", name))
    assert _json_text(nb) == _json_text(_expected("valid", name))


@pytest.mark.parametrize("name", _without_carriage_returns("invalid"))
def test_invalid_vector_with_crlf_line_endings_raises_its_error(name: str) -> None:
    # Lines and columns are those of the LF file: CR is no part of a line.
    expected = json.loads((VECTORS / "invalid" / f"{name}.json").read_text(encoding="utf-8"))
    with pytest.raises(jupyter_format.ParseError) as info:
        jupyter_format.deserialize(_with_crlf("invalid", name))
    error = info.value
    assert (error.lineno, error.colno, error.msg) == (
        expected["line"],
        expected["column"],
        expected["message"],
    )


@pytest.mark.parametrize("name", _names("unvalidated", ".jupyter"))
def test_invalid_notebook_is_carried_faithfully_without_validation(name: str) -> None:
    path = VECTORS / "unvalidated" / f"{name}.jupyter"
    expected = _expected("unvalidated", name)
    assert _json_text(jupyter_format.read(path, validate=False)) == _json_text(expected)
    assert jupyter_format.serialize(expected) == path.read_text(encoding="utf-8")
    with pytest.raises(jupyter_format.ParseError, match="invalid notebook"):
        jupyter_format.read(path)


@pytest.mark.parametrize("name", _names("invalid", ".jupyter"))
def test_invalid_vector_raises_its_error(name: str) -> None:
    expected = json.loads((VECTORS / "invalid" / f"{name}.json").read_text(encoding="utf-8"))
    with pytest.raises(jupyter_format.ParseError) as info:
        jupyter_format.read(VECTORS / "invalid" / f"{name}.jupyter")
    error = info.value
    assert (error.lineno, error.colno, error.msg) == (
        expected["line"],
        expected["column"],
        expected["message"],
    )
    assert str(error) == f"line {error.lineno}, column {error.colno}: {error.msg}"


def test_every_vector_has_its_pair() -> None:
    for directory in ("valid", "unvalidated"):
        assert _names(directory, ".jupyter") == _names(directory, ".ipynb")
    assert _names("invalid", ".jupyter") == _names("invalid", ".json")
    assert len(_names("valid", ".jupyter")) >= 15
    assert len(_names("invalid", ".jupyter")) >= 40


CONFLICTED = sorted(
    path.stem
    for path in (VECTORS / "conflicted").glob("*.jupyter")
    if not path.stem.endswith((".ours", ".theirs"))
)


@pytest.mark.parametrize("name", CONFLICTED)
def test_a_conflicted_vector_holds_both_sides_and_plain_reading_rejects_it(name: str) -> None:
    from jupyter_format._format.conflicts import split_conflicts

    directory = VECTORS / "conflicted"
    text = (directory / f"{name}.jupyter").read_text(encoding="utf-8")
    sides = tuple(
        (directory / f"{name}.{side}.jupyter").read_text(encoding="utf-8")
        for side in ("ours", "theirs")
    )
    assert split_conflicts(text) == sides
    for side in sides:
        jupyter_format.deserialize(side)
    first_marker = next(
        number for number, line in enumerate(text.splitlines(), 1) if line.startswith("<<<<<<<")
    )
    with pytest.raises(jupyter_format.ParseError) as caught:
        jupyter_format.deserialize(text)
    error = caught.value
    assert (error.lineno, error.colno) == (first_marker, 1)
    assert error.msg == "unresolved merge conflict (git conflict marker '<<<<<<<')"


def test_there_are_conflicted_vectors() -> None:
    assert len(CONFLICTED) >= 3
