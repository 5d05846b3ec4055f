"""Which cells and outputs the structured syntax can hold exactly.

Everything else is written as JSON (``cell_json``, ``output_json``).  The
writer and the write-side validation ask the same questions, so they live here.
"""

from __future__ import annotations

from typing import Any

from .escaping import UNSAFE_CHARACTER
from .grammar import CELL_ID, is_json_mime_type

_TEXT_CELL_REQUIRED = frozenset({"cell_type", "metadata", "source"})
_TEXT_CELL_ALLOWED = _TEXT_CELL_REQUIRED | {"id", "attachments"}
_CODE_CELL_REQUIRED = frozenset({"cell_type", "metadata", "source", "outputs", "execution_count"})
_CODE_CELL_ALLOWED = _CODE_CELL_REQUIRED | {"id"}
_STREAM_FIELDS = frozenset({"output_type", "name", "text"})
_DISPLAY_DATA_FIELDS = frozenset({"output_type", "data", "metadata"})
_EXECUTE_RESULT_FIELDS = _DISPLAY_DATA_FIELDS | {"execution_count"}
_ERROR_FIELDS = frozenset({"output_type", "ename", "evalue", "traceback"})


def structured_cell_type(cell: Any) -> str | None:
    """Return the cell's type if the structured syntax can hold the cell, else None."""
    if not isinstance(cell, dict):
        return None
    cell_type = cell.get("cell_type")
    keys = cell.keys()
    if cell_type == "code":
        structured = (
            _CODE_CELL_REQUIRED <= keys <= _CODE_CELL_ALLOWED
            and _has_valid_id_or_none(cell)
            and isinstance(cell["metadata"], dict)
            and isinstance(cell["source"], str)
            and isinstance(cell["outputs"], list)
            and is_count(cell["execution_count"])
        )
    elif cell_type in ("markdown", "raw"):
        structured = (
            _TEXT_CELL_REQUIRED <= keys <= _TEXT_CELL_ALLOWED
            and _has_valid_id_or_none(cell)
            and isinstance(cell["metadata"], dict)
            and isinstance(cell["source"], str)
            and _has_structured_attachments(cell)
        )
    else:
        return None
    return cell_type if structured else None


def structured_output_type(output: Any, cell_count: int | None) -> str | None:
    """Return the output's type if the structured syntax can hold it, else None.

    *cell_count* is the execution count of the output's cell: an
    ``execute_result`` count of None can only be written if the cell's is None.
    """
    if not isinstance(output, dict):
        return None
    output_type = output.get("output_type")
    keys = output.keys()
    if output_type == "stream":
        name = output.get("name")
        structured = (
            keys == _STREAM_FIELDS
            and isinstance(name, str)
            and is_word(name)
            and isinstance(output["text"], str)
        )
    elif output_type == "display_data":
        structured = keys == _DISPLAY_DATA_FIELDS and _is_rich(output)
    elif output_type == "execute_result":
        count = output.get("execution_count")
        structured = (
            keys == _EXECUTE_RESULT_FIELDS
            and _is_rich(output)
            and is_count(count)
            and (count is not None or cell_count is None)
        )
    elif output_type == "error":
        structured = keys == _ERROR_FIELDS and _is_structured_error(output)
    else:
        return None
    return output_type if structured else None


def is_count(value: Any) -> bool:
    """Tell whether *value* is an execution count the syntax can hold (an int or None)."""
    return value is None or (isinstance(value, int) and not isinstance(value, bool))


def is_word(text: str) -> bool:
    """Tell whether *text* can stand as the rest of a line, e.g. a stream name."""
    return (
        text != ""
        and text == text.strip()
        and "\n" not in text
        and UNSAFE_CHARACTER.search(text) is None
    )


def _has_valid_id_or_none(cell: dict[str, Any]) -> bool:
    if "id" not in cell:
        return True
    cell_id = cell["id"]
    return isinstance(cell_id, str) and CELL_ID.fullmatch(cell_id) is not None


def _has_structured_attachments(cell: dict[str, Any]) -> bool:
    attachments = cell.get("attachments", {})
    return isinstance(attachments, dict) and all(
        isinstance(name, str) and is_word(name) and _is_mime_bundle(bundle)
        for name, bundle in attachments.items()
    )


def _is_rich(output: dict[str, Any]) -> bool:
    return _is_mime_bundle(output["data"]) and isinstance(output["metadata"], dict)


def _is_mime_bundle(bundle: Any) -> bool:
    if not isinstance(bundle, dict):
        return False
    for mime_type, data in bundle.items():
        # A MIME type line starting with a backslash would read as an escaped line.
        if not (isinstance(mime_type, str) and is_word(mime_type)) or mime_type[0] == "\\":
            return False
        if not isinstance(data, str) and not is_json_mime_type(mime_type):
            return False
    return True


def _is_structured_error(output: dict[str, Any]) -> bool:
    ename, evalue, frames = output["ename"], output["evalue"], output["traceback"]
    return (
        isinstance(ename, str)
        and (ename == "" or is_word(ename))
        and isinstance(evalue, str)
        and isinstance(frames, list)
        and all(isinstance(frame, str) for frame in frames)
    )
