"""Hypothesis strategies for notebooks full of hostile strings and odd shapes."""

from __future__ import annotations

import json
import re
from typing import Any

from hypothesis import strategies as st

# Strings that have broken line-based formats: line breaks of every kind,
# control characters, lone surrogates, invisible characters that reorder or hide
# text in review (and the joiners that stay raw), and text that looks like
# .jupyter syntax.
HOSTILE = [
    "\n",
    "\r",
    "\r\n",
    "\n\n",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x1d",
    "\x1e",
    "\x85",
    "\u2028",
    "\u2029",
    "\x00",
    "\x07",
    "\x1b[0;31m",
    "\x7f",
    "\x9b",
    "\ud800",
    "\udfff",
    "\\",
    "\\\\",
    "\\x41",
    "\\r",
    " ",
    "    ",
    "   \\",
    "\t",
    "\ufeff",
    "\u200b",
    "\u202e",
    "\u202a",
    "\u202c",
    "\u2066",
    "\u2068",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
    "\u2060",
    "\u2064",
    "\u206f",
    "\xad",
    "\ufff9",
    "\u200c",
    "\u200d",
    "\u180e",
    "😀",
    "é",
    "שלום",
    "code",
    "markdown id=a",
    " stream stdout",
    "notebook_metadata",
    "   text/plain",
    "   -",
    "  traceback",
    "<<<<<<< HEAD",
    "=======",
    ">>>>>>> branch",
    "{",
    "}",
    '"',
    "id=",
]

_SURROGATE_PAIR = re.compile("([\ud800-\udbff])(?=[\udc00-\udfff])")


def _separate_surrogates(text: str) -> str:
    # JSON turns an adjacent high and low surrogate into one character, so
    # strings read from JSON never hold such a pair; any string of a notebook
    # may end up in a JSON block (cell_json, metadata), so none holds one here.
    # tests/test_api.py checks that text blocks keep such pairs apart.
    return _SURROGATE_PAIR.sub(r"\1 ", text)


hostile_text = (
    st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=4), st.characters()), max_size=8)
    .map("".join)
    .map(_separate_surrogates)
)
json_text = hostile_text

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**64, max_value=2**200),
    st.floats(),
    json_text,
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(json_text, children, max_size=3)
    ),
    max_leaves=8,
)
metadata = st.dictionaries(json_text, json_values, max_size=3)
cell_ids = st.one_of(st.from_regex(r"[A-Za-z0-9_-]{1,12}", fullmatch=True), json_text)
counts = st.one_of(st.none(), st.integers(min_value=-3, max_value=10**20))
mime_types = st.one_of(
    st.sampled_from(
        ["text/plain", "text/html", "image/png", "image/svg+xml", "text/latex", "-", "a b"]
    ),
    st.sampled_from(["application/json", "application/vnd.jupyter.widget-view+json"]),
    json_text,
)


@st.composite
def mime_bundles(draw: st.DrawFn) -> dict[str, Any]:
    bundle = {}
    for mime_type in draw(st.lists(mime_types, max_size=3)):
        is_json = re.match(r"^application/(.*\+)?json$", mime_type) is not None
        bundle[mime_type] = draw(json_values if is_json else hostile_text)
    return bundle


@st.composite
def outputs(draw: st.DrawFn, cell_count: int | None) -> Any:
    output_type = draw(
        st.sampled_from(["stream", "display_data", "execute_result", "error", "future"])
    )
    output: dict[str, Any] = {"output_type": output_type}
    if output_type == "stream":
        output["name"] = draw(st.sampled_from(["stdout", "stderr"]) | json_text)
        output["text"] = draw(hostile_text)
    elif output_type == "error":
        output["ename"] = draw(st.sampled_from(["", "ValueError"]) | json_text)
        output["evalue"] = draw(hostile_text)
        output["traceback"] = draw(st.lists(hostile_text, max_size=3))
    elif output_type == "future":
        output["output_type"] = draw(json_text)
    else:
        output["data"] = draw(mime_bundles())
        output["metadata"] = draw(metadata)
        if output_type == "execute_result":
            output["execution_count"] = draw(st.just(cell_count) | counts)
    return draw(_mutated(output))


@st.composite
def cells(draw: st.DrawFn) -> Any:
    cell_type = draw(st.sampled_from(["markdown", "raw", "code", "code", "future"]))
    cell: dict[str, Any] = {
        "cell_type": cell_type if cell_type != "future" else draw(json_text),
        "metadata": draw(metadata),
        "source": draw(hostile_text),
    }
    if draw(st.booleans()):
        cell["id"] = draw(cell_ids)
    if cell_type == "code":
        count = draw(counts)
        cell["execution_count"] = count
        cell["outputs"] = draw(st.lists(outputs(count), max_size=4))
    elif draw(st.integers(0, 3)) == 0:
        cell["attachments"] = draw(
            st.dictionaries(
                st.sampled_from(["a.png", "b c.png"]) | json_text, mime_bundles(), max_size=2
            )
        )
    return draw(_mutated(cell))


@st.composite
def _mutated(draw: st.DrawFn, thing: dict[str, Any]) -> Any:
    """Sometimes drop a field, add one, or give a field a value of another type."""
    choice = draw(st.integers(0, 9))
    if choice == 0 and thing:
        del thing[draw(st.sampled_from(sorted(thing)))]
    elif choice == 1:
        thing[draw(json_text)] = draw(json_values)
    elif choice == 2 and thing:
        thing[draw(st.sampled_from(sorted(thing)))] = draw(json_values)
    elif choice == 3:
        return draw(json_values)
    return thing


@st.composite
def notebooks(draw: st.DrawFn) -> dict[str, Any]:
    """Notebooks nbformat could return from read(), valid or not."""
    nb: dict[str, Any] = {"nbformat": 4, "metadata": draw(metadata)}
    if draw(st.integers(0, 9)):
        nb["nbformat_minor"] = draw(st.integers(0, 9) | json_values)
    nb["cells"] = draw(st.lists(cells(), max_size=5))
    if draw(st.integers(0, 9)) == 0:
        nb[
            draw(
                json_text.filter(
                    lambda k: k not in ("nbformat", "nbformat_minor", "metadata", "cells")
                )
            )
        ] = draw(json_values)
    return nb


def as_json_text(value: Any) -> str:
    """Compare notebooks as JSON data: key order ignored; 1, 1.0, True and -0.0 kept apart."""
    return json.dumps(value, sort_keys=True)
