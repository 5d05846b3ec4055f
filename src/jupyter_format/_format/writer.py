"""Write notebooks in the ``.jupyter`` format.

The functions mirror the grammar in ``docs/spec.md`` and the reader.  A cell or
output is written in its structured form when the structured form can hold it
exactly; anything else (unknown types, extra or missing fields, values of
unexpected types) is written as JSON (``cell_json``, ``output_json``), so that
every notebook nbformat can read comes back identical.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from .._exceptions import SerializeError
from .escaping import UNSAFE_CHARACTER, escape, has_unsafe_character
from .grammar import (
    ATTACHMENT,
    CELL_ID_PREFIX,
    ERROR,
    ESCAPED_INDENT,
    EXECUTE_RESULT,
    EXECUTION_COUNT,
    INDENT,
    NBFORMAT,
    NBFORMAT_MINOR,
    STREAM,
    is_json_mime_type,
)
from .json_blocks import MAX_NESTING, encode_block, nests_deeper
from .shapes import structured_cell_type, structured_output_type

_NOTEBOOK_FIELDS = frozenset({"nbformat", "nbformat_minor", "metadata", "cells"})


def generate_lines(nb: Mapping[str, Any]) -> Iterator[str]:
    r"""Generate the lines of the ``.jupyter`` form of a notebook.

    Each line ends with ``"\n"``, so the result can be passed to
    :meth:`io.TextIOBase.writelines`.

    :param nb: A notebook, as returned by :func:`nbformat.read`.
    :raises SerializeError: if *nb* holds something that is not JSON data or is
        not an nbformat 4 notebook.
    """
    for chunk in render(nb):
        start = 0
        end = chunk.find("\n")
        while end >= 0:
            yield chunk[start : end + 1]
            start = end + 1
            end = chunk.find("\n", start)


def serialize(nb: Mapping[str, Any]) -> str:
    """Convert a notebook to a string in ``.jupyter`` format.

    :param nb: A notebook, as returned by :func:`nbformat.read`.
    :returns: The ``.jupyter`` text.
    :raises SerializeError: if *nb* holds something that is not JSON data or is
        not an nbformat 4 notebook.
    """
    return "".join(render(nb))


def render(nb: Mapping[str, Any]) -> list[str]:
    """Return the ``.jupyter`` text of *nb* as a list of chunks of whole lines."""
    if not isinstance(nb, Mapping):
        raise SerializeError(f"expected a notebook (a dict), got {type(nb).__name__}")
    version = nb.get("nbformat")
    if version != 4 or isinstance(version, bool):
        raise SerializeError(
            f"only nbformat 4 notebooks can be written, this one has nbformat {version!r}; "
            "convert it first with nbformat.convert(nb, 4)"
        )
    if "metadata" not in nb:
        raise SerializeError("the notebook has no 'metadata' field")
    if "cells" not in nb:
        raise SerializeError("the notebook has no 'cells' field")
    out = [f"{NBFORMAT}{_json_line(version, 'nbformat')}\n"]
    if "nbformat_minor" in nb:
        out.append(f"{NBFORMAT_MINOR}{_json_line(nb['nbformat_minor'], 'nbformat_minor')}\n")
    extra_fields = {key: value for key, value in nb.items() if key not in _NOTEBOOK_FIELDS}
    cells = nb["cells"]
    if isinstance(cells, list):
        for index, cell in enumerate(cells):
            try:
                _cell(cell, out)
            except SerializeError as error:
                raise SerializeError(f"cell {index}: {error}") from None
    else:
        extra_fields["cells"] = cells
    if extra_fields:
        out.append("notebook_extra_fields\n")
        out.append(_json_block(extra_fields, "notebook_extra_fields", 0))
    out.append("notebook_metadata\n")
    out.append(_json_block(nb["metadata"], "notebook_metadata", 1))
    return out


def _cell(cell: Any, out: list[str]) -> None:
    cell_type = structured_cell_type(cell)
    if cell_type == "code":
        _code_cell(cell, out)
    elif cell_type is not None:
        _text_cell(cell_type, cell, out)
    else:
        out.append("cell_json\n")
        out.append(_json_block(cell, "cell_json", 2))


def _code_cell(cell: dict[str, Any], out: list[str]) -> None:
    out.append(f"code {CELL_ID_PREFIX}{cell['id']}\n" if "id" in cell else "code\n")
    out.append(text_block(cell["source"]))
    count = cell["execution_count"]
    if count is not None:
        out.append(f"{EXECUTION_COUNT}{count}\n")
    for index, output in enumerate(cell["outputs"]):
        try:
            _output(output, count, out)
        except SerializeError as error:
            raise SerializeError(f"output {index}: {error}") from None
    _cell_metadata(cell["metadata"], out)


def _text_cell(cell_type: str, cell: dict[str, Any], out: list[str]) -> None:
    out.append(f"{cell_type} {CELL_ID_PREFIX}{cell['id']}\n" if "id" in cell else f"{cell_type}\n")
    out.append(text_block(cell["source"]))
    if "attachments" in cell:
        attachments = cell["attachments"]
        if not attachments:
            out.append(" attachments {}\n")
        for name in sorted(attachments):
            out.append(f"{ATTACHMENT}{name}\n")
            _mime_bundle(attachments[name], 5, out)
    _cell_metadata(cell["metadata"], out)


def _cell_metadata(metadata: dict[str, Any], out: list[str]) -> None:
    if metadata:
        out.append(" cell_metadata\n")
        out.append(_json_block(metadata, "cell_metadata", 3))


def _output(output: Any, cell_count: int | None, out: list[str]) -> None:
    output_type = structured_output_type(output, cell_count)
    if output_type == "stream":
        out.append(f"{STREAM}{output['name']}\n")
        out.append(text_block(output["text"]))
    elif output_type == "display_data":
        out.append(" display_data\n")
        _rich_output(output, out)
    elif output_type == "execute_result":
        count = output["execution_count"]
        out.append(" execute_result\n" if count == cell_count else f"{EXECUTE_RESULT}{count}\n")
        _rich_output(output, out)
    elif output_type == "error":
        ename = output["ename"]
        out.append(f"{ERROR}{ename}\n" if ename else " error\n")
        out.append(text_block(output["evalue"]))
        _traceback(output["traceback"], out)
    else:
        out.append(" output_json\n")
        out.append(_json_block(output, "output_json", 4))


def _rich_output(output: dict[str, Any], out: list[str]) -> None:
    _mime_bundle(output["data"], 6, out)
    if output["metadata"]:
        out.append("  output_metadata\n")
        out.append(_json_block(output["metadata"], "output_metadata", 5))


def _traceback(frames: list[str], out: list[str]) -> None:
    # An absent "traceback" line stands for an empty list, so that a
    # traceback of one empty frame stays distinct from none.
    for index, frame in enumerate(frames):
        out.append("  traceback\n" if index == 0 else "   -\n")
        out.append(text_block(frame))


def _mime_bundle(bundle: dict[str, Any], outer: int, out: list[str]) -> None:
    for mime_type in sorted(bundle):
        data = bundle[mime_type]
        out.append(f"   {mime_type}\n")
        if is_json_mime_type(mime_type):
            out.append(_json_block(data, mime_type, outer))
        else:
            out.append(text_block(data))


def text_block(text: str) -> str:
    r"""Return *text* as indented lines: verbatim where possible, escaped where needed.

    Lines are separated by ``"\n"`` only, so ``"\n".join`` of the block's lines
    gives *text* back; an empty line is written without indentation.
    """
    if not text:
        return ""
    if not has_unsafe_character(text):
        has_empty_lines = "\n\n" in text
        if text[-1] == "\n" and not has_empty_lines and text[0] != "\n":
            # The usual text output and base64 image: one empty line, the last.
            return INDENT + text[:-1].replace("\n", "\n    ") + "\n\n"
        block = INDENT + text.replace("\n", "\n    ") + "\n"
        if has_empty_lines or text[-1] == "\n":
            # Two passes: replace() does not see overlapping matches, so a run
            # of empty lines is fixed every other line on each pass.
            block = block.replace("\n    \n", "\n\n").replace("\n    \n", "\n\n")
        if text[0] == "\n":
            block = block[len(INDENT) :]
        return block
    parts = []
    for line in text.split("\n"):
        if not line:
            parts.append("\n")
        elif UNSAFE_CHARACTER.search(line) is None:
            parts.append(f"{INDENT}{line}\n")
        else:
            parts.append(f"{ESCAPED_INDENT}{escape(line)}\n")
    return "".join(parts)


def _json_block(value: Any, what: str, outer: int) -> str:
    """Return *value*, which lies *outer* levels deep in the notebook, as a JSON block."""
    try:
        text = encode_block(value, INDENT)
    except (TypeError, ValueError) as error:
        raise SerializeError(f"{what} is not JSON data: {error}") from None
    _check_nesting(value, text, what, outer)
    return text


def _json_line(value: Any, what: str) -> str:
    try:
        text = json.dumps(value, sort_keys=True)
    except (TypeError, ValueError, RecursionError) as error:
        raise SerializeError(f"{what} is not JSON data: {error}") from None
    _check_nesting(value, text, what, 1)
    return text


def _check_nesting(value: Any, text: str, what: str, outer: int) -> None:
    """Refuse *value* (written as *text*, *outer* levels deep) if it nests too deeply."""
    if nests_deeper(value, text, MAX_NESTING - outer):
        # Readers refuse it: the file could not be opened again.
        raise SerializeError(
            f"{what} is nested too deeply (a notebook nests at most {MAX_NESTING} levels)"
        )
