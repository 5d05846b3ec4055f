"""Validation gives nbformat's verdict, checking only what the syntax leaves open."""

from __future__ import annotations

import copy
import os
import warnings
from typing import Any

import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import jupyter_format

_text = st.sampled_from(["", "x", "a,b", "é"])
_cell_metadata = st.fixed_dictionaries(
    {},
    optional={
        "tags": st.lists(_text, max_size=3) | st.just("not a list"),
        "collapsed": st.booleans() | st.just("yes"),
        "scrolled": st.sampled_from([True, False, "auto", "sometimes"]),
        "name": _text | st.integers(),
        "jupyter": st.fixed_dictionaries({}, optional={"source_hidden": st.booleans() | _text})
        | st.just([]),
        "execution": st.dictionaries(
            st.sampled_from(["iopub.status.busy", "x"]), _text | st.integers()
        ),
        "format": _text | st.integers(),
        "custom": st.integers(),
    },
)
_kernelspec = st.fixed_dictionaries(
    {}, optional={"name": _text | st.integers(), "display_name": _text, "language": _text}
)
_notebook_metadata = st.fixed_dictionaries(
    {},
    optional={
        "kernelspec": _kernelspec,
        "language_info": st.fixed_dictionaries(
            {},
            optional={
                "name": _text | st.none(),
                "codemirror_mode": _text | st.just({}) | st.integers(),
            },
        ),
        "title": _text | st.integers(),
        "authors": st.lists(st.fixed_dictionaries({"name": _text})) | _text,
        "orig_nbformat": st.integers(-1, 4),
        "widgets": st.just({"application/vnd.jupyter.widget-state+json": {"state": {}}}),
    },
)
_ids = st.sampled_from(["a", "b", "c", "x" * 64, "y" * 65, "with-dash_and_underscore"])


@st.composite
def _outputs(draw: st.DrawFn, count: int | None) -> dict[str, Any]:
    kind = draw(st.sampled_from(["stream", "display_data", "execute_result", "error", "odd"]))
    if kind == "stream":
        return {"output_type": "stream", "name": draw(_text), "text": draw(_text)}
    if kind == "error":
        return {
            "output_type": "error",
            "ename": "E",
            "evalue": "",
            "traceback": draw(st.lists(_text)),
        }
    if kind == "odd":
        return draw(
            st.sampled_from(
                [
                    {"output_type": "stream", "name": "stdout"},
                    {"output_type": "future", "x": 1},
                    {"output_type": "display_data", "data": {}, "metadata": {}, "extra": 1},
                    {"output_type": "display_data", "data": {"text/plain": 1}, "metadata": {}},
                ]
            )
        )
    output = {
        "output_type": kind,
        "data": draw(st.sampled_from([{}, {"text/plain": "x"}, {"application/json": [1]}])),
        "metadata": draw(st.sampled_from([{}, {"isolated": True}])),
    }
    if kind == "execute_result":
        output["execution_count"] = draw(st.sampled_from([count, None, 0, -1, 3]))
    return output


@st.composite
def _cells(draw: st.DrawFn, minor: int) -> dict[str, Any]:
    kind = draw(st.sampled_from(["markdown", "raw", "code", "code", "odd"]))
    cell: dict[str, Any] = {"cell_type": kind, "metadata": draw(_cell_metadata), "source": "s"}
    if draw(st.integers(0, 9)) < (9 if minor >= 5 else 1):
        cell["id"] = draw(_ids)
    if kind == "code":
        count = draw(st.sampled_from([None, 0, 1, -1]))
        cell["execution_count"] = count
        cell["outputs"] = draw(st.lists(_outputs(count), max_size=3))
    elif kind == "odd":
        cell["cell_type"] = draw(st.sampled_from(["future", "heading", "markdown"]))
        cell["outputs"] = []
    elif draw(st.booleans()):
        cell["attachments"] = draw(st.sampled_from([{}, {"a.png": {"image/png": "AA=="}}]))
    return cell


@st.composite
def plausible_notebooks(draw: st.DrawFn) -> dict[str, Any]:
    """Notebooks that are often valid and otherwise wrong in one of many small ways."""
    minor = draw(st.integers(0, 7))
    nb: dict[str, Any] = {
        "nbformat": 4,
        "nbformat_minor": minor,
        "metadata": draw(_notebook_metadata),
        "cells": draw(st.lists(_cells(minor), max_size=4)),
    }
    if draw(st.integers(0, 19)) == 0:
        nb["extra"] = 1
    return nb


def nbformat_verdict(nb: dict[str, Any]) -> bool:
    """Whether nbformat.validate accepts the notebook as it is, without repairing it."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            nbformat.validate(copy.deepcopy(nb))
        except nbformat.ValidationError:
            return False
    # A missing or duplicate id is repaired (with a warning) rather than rejected.
    return not caught


@settings(max_examples=2000)
@given(plausible_notebooks())
def test_verdict_is_nbformats(nb: dict[str, Any]) -> None:
    expected = nbformat_verdict(nb)
    text = jupyter_format.serialize(nb)
    try:
        jupyter_format.deserialize(text)
    except jupyter_format.ParseError as error:
        assert not expected, f"rejected a valid notebook: {error}"
        assert "invalid notebook" in error.msg
    else:
        assert expected, "accepted a notebook nbformat rejects"
    try:
        jupyter_format.writes(nb, validate=True)
    except nbformat.ValidationError as error:
        assert not expected, f"rejected a valid notebook on writing: {error}"
    else:
        assert expected, "wrote a notebook nbformat rejects"


def test_writing_an_invalid_notebook_names_the_problem() -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("x"))
    nb.cells[0].execution_count = -1
    with pytest.raises(nbformat.ValidationError, match=r"cell 0: .*execution count must be >= 0"):
        jupyter_format.writes(nb, validate=True)
    assert jupyter_format.writes(nb).startswith("nbformat 4\n")


def test_metadata_verdicts_are_cached_by_text() -> None:
    cell = 'code id={}\n cell_metadata\n    {{\n     "collapsed": {}\n    }}\n'
    text = "nbformat 4\nnbformat_minor 5\n" + "".join(
        cell.format(f"c{index}", "false") for index in range(3)
    )
    bad = text + cell.format("bad", '"no"') + "notebook_metadata\n    {}\n"
    jupyter_format.deserialize(text + "notebook_metadata\n    {}\n")
    with pytest.raises(jupyter_format.ParseError, match="collapsed must be boolean"):
        jupyter_format.deserialize(bad)


def test_cache_of_verdicts_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from jupyter_format._format import schema as _validate

    monkeypatch.setattr(_validate, "_CACHE_LIMIT", 2)
    schema = _validate.schema_for(5)
    assert schema is not None
    for index in range(5):
        metadata = {"tags": [str(index)]}
        assert schema.cell_metadata("code", metadata, f"{index}".encode()) is None
    assert schema.cell_metadata("code", {"collapsed": 1}, b"x" * 5000) is not None
    assert len(schema._cell_metadata_verdicts) <= 2


def test_validator_choice_follows_nbformat(monkeypatch: pytest.MonkeyPatch) -> None:
    from jupyter_format._format import schema as _validate

    monkeypatch.setenv("NBFORMAT_VALIDATOR", "jsonschema")
    schema = _validate.NotebookSchema(5, _load(5))
    problem = schema.cell_metadata("code", {"collapsed": "yes"})
    assert problem == (
        "invalid notebook (nbformat 4.5 schema): cell_metadata: 'yes' is not of type 'boolean'"
    )


@pytest.mark.parametrize("validator", ["fastjsonschema", "jsonschema"])
def test_values_too_deep_to_check_get_a_message(
    validator: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jupyter_format._format import schema as _validate

    monkeypatch.setenv("NBFORMAT_VALIDATOR", validator)
    schema = _validate.NotebookSchema(5, _load(5))
    deep: list[Any] = []
    for _ in range(100_000):
        deep = [deep]
    # Both validators compare tags recursively (the schema wants them unique).
    assert schema.cell_metadata("code", {"tags": [deep, deep]}) == (
        "the JSON of cell_metadata is nested too deeply to check against nbformat's schema"
    )
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("x", id="a"))
    nb.cells[0].metadata["tags"] = [deep, deep]
    assert _validate.notebook_problem(nb) == (
        "cell 0: the JSON of cell_metadata is nested too deeply to check against nbformat's schema"
    )


def _load(minor: int) -> dict[str, Any]:
    import json
    from pathlib import Path

    path = Path(nbformat.v4.__file__).parent / nbformat.v4.nbformat_schema[(4, minor)]
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def test_a_validator_relaxed_by_an_export_is_not_used_for_reading(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # What nbformat before 5.11 leaves behind after nbconvert's relaxed check of
    # an export: the relaxed validator under the key of the strict one.  (The
    # nbconvert test shows the effect where that nbformat is installed.)
    import nbformat.validator
    from nbformat.json_compat import get_current_validator

    from jupyter_format._files import Format, notebook_from_bytes

    cache = dict(nbformat.validator.validators)
    monkeypatch.setattr(nbformat.validator, "validators", cache)
    name = get_current_validator().name
    relaxed = nbformat.validator._relax_additional_properties(
        nbformat.validator._get_schema_json(nbformat.v4, version=4, version_minor=5)
    )
    strict = nbformat.validator._get_schema_json(nbformat.v4, version=4, version_minor=4)
    cache[(name, 4, 5)] = relaxed_validator = get_current_validator()(relaxed)
    cache[(name, 4, 4)] = kept = get_current_validator()(strict)
    cell = '{"cell_type": "raw", "id": "a", "metadata": {}, "source": "", "extra": 1}'
    for minor in (5, 4, nbformat.v4.nbformat_minor + 1):
        ipynb = f'{{"nbformat": 4, "nbformat_minor": {minor}, "metadata": {{}}, '
        ipynb += f'"cells": [{cell}]}}'
        _, problems = notebook_from_bytes(ipynb.encode(), Format.IPYNB)
        if minor <= nbformat.v4.nbformat_minor:
            assert "Additional properties are not allowed ('extra'" in problems[-1].message
    assert cache.get((name, 4, 5)) is not relaxed_validator
    assert cache[(name, 4, 4)] is kept


def messages_in_runs(text: str) -> set[str]:
    """The errors that reading *text* raises in processes with different string hashes."""
    import subprocess
    import sys

    probe = (
        "import sys, jupyter_format\n"
        "try:\n"
        "    jupyter_format.reads(sys.stdin.read())\n"
        "except jupyter_format.ParseError as error:\n"
        "    print(error)\n"
    )
    return {
        subprocess.run(
            [sys.executable, "-c", probe],
            input=text,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
        ).stdout
        for seed in range(6)
    }


def test_the_message_of_unexpected_fields_is_the_same_in_every_run() -> None:
    # fastjsonschema names them as a Python set, whose order depends on the
    # process's string hashes; the message must not.
    text = "nbformat 4\nnbformat_minor 5\nnotebook_extra_fields\n"
    text += '    {"zeta": 1, "alpha": 2, "mid": 3}\nnotebook_metadata\n    {}\n'
    assert messages_in_runs(text) == {
        "line 3, column 1: invalid notebook (nbformat 4.5 schema): notebook must not contain "
        "{'alpha', 'mid', 'zeta'} properties\n"
    }


@pytest.mark.parametrize(
    ("item", "json", "named"),
    [
        (
            " output_json",
            '{"output_type": "display_data", "metadata": {}, "data": {"b/x": 1, "a/y": 2}}',
            "4, column 2: invalid notebook (nbformat 4.5 schema): output_json.data.b/x",
        ),
        (
            "cell_json",
            '{"cell_type": "markdown", "id": "b", "metadata": {}, "source": "",'
            ' "attachments": {"a.png": {"b/x": 1, "a/y": 2}, "b.png": 3}}',
            "4, column 1: invalid notebook (nbformat 4.5 schema): cell_json.attachments.a.png.b/x",
        ),
    ],
)
def test_the_wrong_mime_entry_named_is_the_same_in_every_run(
    item: str, json: str, named: str
) -> None:
    # fastjsonschema checks a bundle's entries in the order of a Python set;
    # the message names the first wrong one in the bundle's order.
    text = f"nbformat 4\nnbformat_minor 5\ncode id=a\n{item}\n    {json}\n"
    text += "notebook_metadata\n    {}\n"
    assert messages_in_runs(text) == {
        f"line {named} must be valid exactly by one definition (0 matches found)\n"
    }


def test_only_sets_of_names_in_messages_are_sorted() -> None:
    from jupyter_format._format.schema import with_sorted_key_set

    assert with_sorted_key_set("x must not contain {'b', 'a'} properties") == (
        "x must not contain {'a', 'b'} properties"
    )
    for unchanged in (
        "x must be object",
        "x must not contain {b a} properties",
        "x must not contain {2, 1} properties",
        "x must not contain {'a': 1} properties",
    ):
        assert with_sorted_key_set(unchanged) == unchanged
