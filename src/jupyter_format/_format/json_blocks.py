"""JSON blocks: indented like nbformat writes JSON, keys sorted.

``json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False)`` gives the
same text, but with ``indent`` set the standard library falls back from its C
encoder to a generator-based Python encoder, which made JSON most of the cost
of writing a notebook.  This encoder appends to one list instead and still
uses the C string encoder.  It is stricter than :func:`json.dumps` in one way:
dictionary keys must be strings, where the standard library would silently
turn ``1`` into ``"1"``.
"""

from __future__ import annotations

import math
from json.encoder import encode_basestring
from typing import Any

from .escaping import JSON_UNSAFE_CHARACTER, json_escape

_INFINITY = float("inf")

#: How deeply a notebook's JSON may nest, the notebook object being level 1.
#: nbformat's reader, writer and validators recurse, two or more Python frames
#: a level: on Python 3.11 a script runs out of stack at about 490 levels, a
#: Jupyter server (some 150 frames deep) sooner.  Readers, the writer and the
#: server all hold to this one limit, so that what opens can be saved, and the
#: same file reads or fails alike however deep the caller.
MAX_NESTING = 400


def nests_deeper(value: Any, text: str, levels: int) -> bool:
    """Tell whether *value*, the JSON data of *text*, nests more than *levels* levels.

    A list or object is one level more than the deepest value it holds;
    anything else is level 0.
    """
    # Each level takes a bracket: the count rules out almost every value at no cost.
    if text.count("[") + text.count("{") <= levels:
        return False
    # Iterative: the value may be deeper than the stack.
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        container, depth = pending.pop()
        if not isinstance(container, (dict, list)):
            continue
        if depth > levels:
            return True
        items = container.values() if isinstance(container, dict) else container
        pending.extend((item, depth + 1) for item in items if isinstance(item, (dict, list)))
    return False


def encode_block(value: Any, indent: str) -> str:
    """Return *value* as JSON lines, each starting with *indent* and ending with a newline.

    :raises TypeError: if *value* is not JSON data.
    :raises ValueError: if *value* is nested too deeply or circular.
    """
    parts = [indent]
    try:
        _encode(value, "\n" + indent, parts)
    except RecursionError:
        raise ValueError("nested too deeply (or circular)") from None
    parts.append("\n")
    text = "".join(parts)
    # DEL is the one ASCII character to escape; isascii() takes no time, "in" little.
    unsafe_possible = not text.isascii() or "\x7f" in text
    if unsafe_possible and JSON_UNSAFE_CHARACTER.search(text) is not None:
        text = json_escape(text)
    return text


def _encode(value: Any, newline: str, parts: list[str]) -> None:
    if isinstance(value, str):
        parts.append(encode_basestring(value))
    elif value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif isinstance(value, int):
        parts.append(int.__repr__(value))
    elif isinstance(value, float):
        parts.append(_float(value))
    elif isinstance(value, dict):
        if not value:
            parts.append("{}")
            return
        inner = newline + " "
        separator = "{" + inner
        for key, item in sorted(value.items()):
            if not isinstance(key, str):
                raise TypeError(f"keys must be strings, not {type(key).__name__}: {key!r}")
            parts.append(separator)
            parts.append(encode_basestring(key))
            parts.append(": ")
            _encode(item, inner, parts)
            separator = "," + inner
        parts.append(newline + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            parts.append("[]")
            return
        inner = newline + " "
        separator = "[" + inner
        for item in value:
            parts.append(separator)
            _encode(item, inner, parts)
            separator = "," + inner
        parts.append(newline + "]")
    else:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _float(value: float) -> str:
    # The same spelling as the json module, which reads it back.
    if math.isnan(value):
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return float.__repr__(value)
