"""Read notebooks in the ``.jupyter`` format.

A ``.jupyter`` file is a sequence of *items*: a line that says what comes
(``code id=...``, `` stream stdout``, ``notebook_metadata``, ...), followed by
the lines of its *block*, which are indented by four spaces (or are blank, or
are escaped lines).  The reader splits the UTF-8 bytes into items with one
regular-expression call per megabyte, then walks the items with one method per
grammar rule.  A block's indentation is removed with one ``bytes.replace``;
blocks with escaped lines or indented blank lines take a slower line-by-line
path.  Files are mapped into memory rather than read, and items are split off
a window at a time, so that reading needs little more memory than the notebook.
Only a file with CRLF line endings is copied, once, to LF.
"""

from __future__ import annotations

import functools
import json
import mmap
import os
import re
import sys
from json.scanner import make_scanner
from typing import TYPE_CHECKING, Any, NoReturn

from nbformat import NotebookNode

from .._exceptions import ParseError
from .escaping import InvalidEscapeError, unescape
from .grammar import (
    ATTACHMENT,
    CELL_ID,
    CELL_ID_PREFIX,
    ERROR,
    EXECUTE_RESULT,
    EXECUTION_COUNT,
    MIME_TYPE_INDENT,
    NBFORMAT,
    NBFORMAT_MINOR,
    STREAM,
    is_json_mime_type,
)
from .json_blocks import MAX_NESTING, nests_deeper
from .schema import NotebookSchema, minor_version_problem, schema_for

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from pathlib import Path

    # What the reader parses: bytes in memory, or a file mapped into memory.
    Buffer = bytes | mmap.mmap

# An item starts after every newline that is not followed by a block line;
# the group is the item's head line.
_ITEM = re.compile(rb"\n(?!    |   \\|\n| {1,3}(?:\n|\Z))([^\n]*)")
# Block lines that need the line-by-line path: escaped lines and blank lines
# indented by one to three spaces (the first pattern misses one at the very
# end, where only a JSON block can be, which does not need the path).
_SPECIAL_LINE = re.compile(rb"\n(?:   \\| {1,3}\n)")
_SPECIAL_BLOCK_LINE = re.compile(rb"\n(?:   \\| {1,3}(?:\n|\Z))")
_CELL_ID = re.compile(CELL_ID.pattern.encode())
# The heads of the grammar, as the bytes the reader compares.
_NBFORMAT = NBFORMAT.encode()
_NBFORMAT_MINOR = NBFORMAT_MINOR.encode()
_CELL_ID_PREFIX = CELL_ID_PREFIX.encode()
_EXECUTION_COUNT = EXECUTION_COUNT.encode()
_ATTACHMENT = ATTACHMENT.encode()
_STREAM = STREAM.encode()
_EXECUTE_RESULT = EXECUTE_RESULT.encode()
_ERROR = ERROR.encode()
_MIME_TYPE_INDENT = MIME_TYPE_INDENT.encode()
_INTEGER = re.compile(rb"-?(?:0|[1-9][0-9]*)")
_UNSIGNED_INTEGER = re.compile(rb"0|[1-9][0-9]*")
# A file with mixed line endings is searched for markers before CRLF become LF.
_CONFLICT_MARKER = re.compile(rb"^(?:<{7,}|={7,}|>{7,}|\|{7,})(?: |\r?\n)", re.MULTILINE)
_LONE_CARRIAGE_RETURN = re.compile(rb"\r(?!\n)")
_LONE_LINE_FEED = re.compile(rb"(?<!\r)\n")
_CRLF = re.compile(rb"\r\n")
_CELL_TYPES = {b"markdown": "markdown", b"code": "code", b"raw": "raw"}
_SPACE = re.compile(r"[ \n]*")
_QUOTE_LIMIT = 40
_WINDOW = 1 << 20
# Windows would keep a mapped file from being replaced while the map is open.
_MAP_FILES = os.name == "posix"
_new_node = dict.__new__
_update = dict.update


def _node(fields: dict[str, Any]) -> NotebookNode:
    # NotebookNode's Python __init__ only stores the class default of
    # _allownew in a new instance __dict__; skipping it halves reading time.
    node: NotebookNode = _new_node(NotebookNode)
    _update(node, fields)
    return node


_empty_node: Callable[[], NotebookNode] = functools.partial(_new_node, NotebookNode)


_JSON = json.JSONDecoder(object_hook=_node)
# The C scanner behind JSONDecoder.decode, called directly to skip two Python frames.
_scan_json_value = make_scanner(_JSON)  # type: ignore[arg-type]


def deserialize(source: str | bytes | Iterable[str], *, validate: bool = True) -> NotebookNode:
    r"""Convert ``.jupyter`` text to a notebook.

    :param source: The content of a ``.jupyter`` file: a string, UTF-8 bytes,
        or an iterable of lines (such as a text file object); the lines of an
        iterable may omit their final ``"\n"``.
    :param validate: Check the notebook against nbformat's schema, as
        :func:`nbformat.validate` would, except that a missing or repeated cell
        id is an error instead of being replaced by a random one.  Pass
        ``False`` to read invalid notebooks faithfully.
    :returns: The notebook, made of :class:`nbformat.NotebookNode` objects.
    :raises ParseError: if *source* is not ``.jupyter`` text, or (with
        *validate*) the notebook does not match nbformat's schema.
    """
    return _Reader(_as_bytes(source), validate).notebook()


def deserialize_file(path: Path, *, validate: bool = True) -> NotebookNode:
    """Read a ``.jupyter`` file; see :func:`deserialize`.

    On POSIX systems the file is mapped into memory instead of read, so that
    reading needs little more memory than the notebook itself.
    """
    with path.open("rb") as file:
        try:
            if not _MAP_FILES:
                raise OSError("files are not mapped here")
            data: Buffer = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # also empty files, pipes, some file systems
            data = file.read()
    # A map closes when the reader is gone; no string of the notebook refers to it.
    return _Reader(data, validate).notebook()


def _as_bytes(source: str | bytes | Iterable[str]) -> bytes:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    if not isinstance(source, str):
        source = "".join(line if line.endswith("\n") else line + "\n" for line in source)
    try:
        return source.encode("utf-8")
    except UnicodeEncodeError as error:
        before = source[: error.start]
        raise ParseError(
            f"lone surrogate {source[error.start]!r} cannot be part of a text file",
            before.count("\n") + 1,
            error.start - before.rfind("\n"),
        ) from None


def _line_number(data: Buffer, position: int) -> int:
    return data[:position].count(b"\n") + 1


def _shortened(text: str) -> str:
    return text[:_QUOTE_LIMIT] + "..." if len(text) > _QUOTE_LIMIT else text


class _Reader:
    """A recursive-descent parser over the items of one document.

    Positions are kept as byte offsets while parsing and turned into line and
    column numbers only when an error is reported.
    """

    def __init__(self, data: Buffer, validate: bool) -> None:
        self.data = data
        data = self.data = self.with_lf_line_endings()
        self.heads: list[bytes] = []
        self.blocks: list[bytes] = []
        self.index = -1
        self.window_end = -1
        self.head = self.block = b""
        self.offset = -1
        self.exhausted = False
        self.next_item()
        self.plain_blocks = _SPECIAL_LINE.search(data) is None
        self.validate = validate
        self.schema: NotebookSchema | None = None
        self.cell_ids: dict[str, int] = {}

    # The file as a whole

    def with_lf_line_endings(self) -> Buffer:
        """Check what a text file must be; return the data with LF line endings."""
        data = self.data
        if not data:
            self.error_at_byte("the file is empty; a .jupyter file starts with 'nbformat 4'", 0)
        if data[:3] == b"\xef\xbb\xbf":
            self.error_at_byte(
                "byte order mark (BOM) at the start; .jupyter files are UTF-8 without BOM", 0
            )
        if data.find(b"\r") < 0:
            return data
        # Git for Windows checks text files out with CRLF line endings.  Text in
        # a .jupyter file never holds a raw CR, so LF endings come back exactly.
        converted = bytes(data).replace(b"\r\n", b"\n")
        if b"\r" in converted or len(data) - len(converted) != converted.count(b"\n"):
            self.line_ending_error()
        return converted

    def line_ending_error(self) -> NoReturn:
        """Report the first CR that ends no line, or the first line ending unlike line 1's."""
        data = self.data
        lone = _LONE_CARRIAGE_RETURN.search(data)
        first_newline = data.find(b"\n")
        if first_newline > 0 and data[first_newline - 1] == ord("\r"):
            mixed = _LONE_LINE_FEED.search(data)
            endings = "LF, but line 1 with CRLF"
        else:
            mixed = _CRLF.search(data)
            endings = "CRLF, but line 1 with LF"
        if lone is not None and (mixed is None or lone.start() < mixed.start()):
            self.error_at_byte(
                "carriage return (CR) not followed by LF; .jupyter files hold CR only in CRLF "
                "line endings and write it in text as \\r",
                lone.start(),
            )
        assert mixed is not None
        self.error_at_byte(
            f"mixed line endings: this line ends with {endings}; a .jupyter file ends "
            "every line with LF, or every line with CRLF",
            mixed.start(),
        )

    # Items

    def next_item(self) -> None:
        """Make the next item current; after the last one, the head is b""."""
        self.offset += len(self.head) + len(self.block) + 1
        index = self.index + 1
        while index == len(self.heads):
            if self.window_end >= len(self.data):
                self.head = self.block = b""
                self.exhausted = True
                return
            self.split_window(self.window_end + 1)
            index = 0
        self.index = index
        self.head = self.heads[index]
        self.block = self.blocks[index]
        self.blocks[index] = b""  # the current item holds it; the notebook will

    def split_window(self, start: int) -> None:
        """Split the next few megabytes of the document, from *start*, into items.

        Windows end at item boundaries, so a document is never held twice in
        memory, while splitting stays one call into the regular expression engine.
        Each block is b"" or starts with the newline that ends its head.
        """
        data = self.data
        end = len(data)
        if end - start > _WINDOW:
            boundary = _ITEM.search(data, start + _WINDOW)
            if boundary is not None:
                end = boundary.start()
        # The window includes the newline after its last item, so that the
        # regular expression sees how that item's last line ends.
        window = data if start == 0 and end == len(data) else data[start : end + 1]
        parts = _ITEM.split(window)
        first_head, newline, first_block = parts[0].partition(b"\n")
        heads = [first_head, *parts[1::2]]
        blocks = [newline + first_block, *parts[2::2]]
        if not heads[-1] and not blocks[-1]:  # the empty line after that newline
            heads.pop()
            blocks.pop()
        self.heads, self.blocks, self.window_end = heads, blocks, end

    def at_end(self) -> bool:
        """Tell whether all items are consumed."""
        return self.exhausted

    def take(self, head: bytes) -> bool:
        """If the current item is *head* without a block, consume it."""
        if self.head != head:
            return False
        self.no_block()
        return True

    def take_keyword(self, keyword: bytes) -> bytes | None:
        """If the current head is *keyword* followed by text, return the text.

        The item stays current, so that its block can be read and errors point
        at it.
        """
        if self.head.startswith(keyword):
            return self.head[len(keyword) :]
        return None

    def no_block(self) -> None:
        """Consume the current item, which must have no block."""
        if self.block:
            what = self.head.strip().decode("utf-8", "replace")
            self.error(f"unexpected indented lines after {what!r}", len(self.head) + 1)
        self.next_item()

    def text(self) -> str:
        """Consume the current item and return its block as text."""
        block = self.block
        if not block:
            text = ""
        elif self.plain_blocks or _SPECIAL_BLOCK_LINE.search(block) is None:
            try:
                text = block.replace(b"\n    ", b"\n")[1:].decode("utf-8")
            except UnicodeDecodeError:
                text = self.text_line_by_line(block)
        else:
            text = self.text_line_by_line(block)
        self.next_item()
        return text

    def text_line_by_line(self, block: bytes) -> str:
        lines = []
        column = len(self.head) + 1
        for raw in block[1:].split(b"\n"):
            if raw.startswith(b"    "):
                lines.append(self.decode(raw[4:], column + 4))
            elif raw.startswith(b"   \\"):
                escaped = self.decode(raw[4:], column + 4)
                try:
                    lines.append(unescape(escaped))
                except InvalidEscapeError as error:
                    self.error(
                        r"invalid escape sequence (an escaped line may use \\, \r, \xHH, \uHHHH)",
                        column + 4 + len(escaped[: error.index].encode("utf-8", "surrogatepass")),
                    )
            else:
                lines.append("")
            column += len(raw) + 1
        return "\n".join(lines)

    def json(self, what: str, outer: int) -> Any:
        """Consume the current item and return its block parsed as JSON.

        The value lies *outer* levels deep in the notebook (see MAX_NESTING).
        """
        block = self.block
        column = len(self.head)
        if not block:
            self.error(
                f"expected the JSON value of {what} on the following lines, indented by 4 spaces",
                column,
            )
        text = self.decode(block, column)
        try:
            try:
                value, end = _scan_json_value(text, _SPACE.match(text).end())  # type: ignore[union-attr]
                if end != len(text) and _SPACE.match(text, end).end() != len(text):  # type: ignore[union-attr]
                    raise StopIteration(end)
            except (StopIteration, ValueError):
                # The scanner is fast but terse; decode() raises again with the message.
                value = _JSON.decode(text)
        except json.JSONDecodeError as error:
            before = len(text[: error.pos].encode("utf-8", "surrogatepass"))
            self.error(f"invalid JSON in {what}: {error.msg}", column + before)
        except ValueError:  # Python limits the digits of integers it converts
            limit = sys.get_int_max_str_digits()
            self.error(
                f"invalid JSON in {what}: an integer with more than {limit} digits", column + 1
            )
        except RecursionError:
            # Also when decode() runs out where the scanner, two frames higher, did not.
            self.too_deep(what, column + 1)
        if nests_deeper(value, text, MAX_NESTING - outer):
            self.too_deep(what, column + 1)
        self.next_item()
        return value

    def too_deep(self, what: str, column: int) -> NoReturn:
        self.error(
            f"the JSON of {what} is nested too deeply "
            f"(a notebook nests at most {MAX_NESTING} levels)",
            column,
        )

    def decode(self, raw: bytes, column: int) -> str:
        """Decode UTF-8 found at byte *column* of the current item."""
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as error:
            self.error("invalid UTF-8", column + error.start)

    def word(self, text: bytes, column: int, what: str) -> str:
        """Decode the text after a keyword, such as a stream name."""
        if not text:
            self.error(f"expected {what} after the space", column)
        return self.decode(text, column)

    def integer(self, text: bytes, column: int, pattern: re.Pattern[bytes]) -> int:
        if pattern.fullmatch(text) is None:
            quoted = _shortened(text.decode("utf-8", "replace"))
            self.error(f"expected an integer, got {quoted!r}", column)
        return self.count_from_digits(text, column)

    def count_from_digits(self, digits: bytes, column: int) -> int:
        """Convert the digits of an execution count."""
        try:
            return int(digits)
        except ValueError:  # Python limits the digits of integers it converts
            limit = sys.get_int_max_str_digits()
            self.error(f"an execution count with more than {limit} digits", column)

    # Errors

    def error(self, msg: str, column: int = 0, at: int | None = None) -> NoReturn:
        """Raise a ParseError at byte *column* of the item at offset *at* (default: current)."""
        self.error_at_byte(msg, (self.offset if at is None else at) + column)

    def error_at_byte(self, msg: str, position: int) -> NoReturn:
        """Raise a ParseError at a byte offset, unless the file has merge conflicts."""
        data = self.data
        conflict = _CONFLICT_MARKER.search(data)
        if conflict is not None:
            marker = data[conflict.start() : conflict.start() + 7].decode()
            msg = f"unresolved merge conflict (git conflict marker {marker!r})"
            position = conflict.start()
        line_start = data.rfind(b"\n", 0, position) + 1
        lineno = _line_number(data, line_start)
        colno = len(data[line_start:position].decode("utf-8", "replace")) + 1
        raise ParseError(msg, lineno, colno)

    def unexpected(self, expected: str, column: int = 0) -> NoReturn:
        """Raise a ParseError naming what the current item should have been."""
        if self.at_end():
            self.error(f"expected {expected}, got the end of the file (is it truncated?)")
        head = self.head[column:]
        indent = len(head) - len(head.lstrip(b" "))
        if head[indent : indent + 1] == b"\t":
            self.error("tab in indentation; .jupyter files indent with spaces", column + indent)
        quoted = _shortened(head.decode("utf-8", "replace"))
        self.error(f"expected {expected}, got {quoted!r}", column)

    # Grammar

    def notebook(self) -> NotebookNode:
        nb: dict[str, Any] = {}
        text = self.take_keyword(_NBFORMAT)
        if text is None:
            self.unexpected("'nbformat 4' (a .jupyter file starts with its nbformat version)")
        version = self.json_line(text, len(_NBFORMAT), "nbformat")
        if version != 4 or isinstance(version, bool):
            self.error(
                f"unsupported nbformat {_shortened(text.decode())}; only nbformat 4 is supported",
                len(_NBFORMAT),
            )
        nb["nbformat"] = version
        self.no_block()
        minor_offset = self.offset
        text = self.take_keyword(_NBFORMAT_MINOR)
        if text is not None:
            nb["nbformat_minor"] = self.json_line(text, len(_NBFORMAT_MINOR), "nbformat_minor")
            self.no_block()
        if self.validate:
            self.schema = self.select_schema(nb, minor_offset)

        cells = []
        while not self.head.startswith(b"notebook_"):
            cells.append(self.cell())
        nb["cells"] = cells

        extra_offset = self.offset
        extra_fields: dict[str, Any] = {}
        if self.head == b"notebook_extra_fields":
            extra_fields = self.json("notebook_extra_fields", 0)
            self.check_extra_fields(extra_fields, bool(cells), extra_offset)
            nb.update(extra_fields)
        metadata_offset = self.offset
        if self.head != b"notebook_metadata":
            self.unexpected("'notebook_metadata' (the last item of a .jupyter file)")
        nb["metadata"] = self.json("notebook_metadata", 1)
        if not self.at_end():
            self.unexpected("the end of the file after notebook_metadata")
        if self.schema is not None:
            self.check_top_level(nb, extra_fields, minor_offset, extra_offset, metadata_offset)
        return _node(nb)

    def json_line(self, text: bytes, column: int, what: str) -> Any:
        source = self.decode(text, column)
        try:
            value = json.loads(source)
        except json.JSONDecodeError:
            self.error(f"expected a JSON value for {what}, got {_shortened(source)!r}", column)
        except ValueError:  # Python limits the digits of integers it converts
            limit = sys.get_int_max_str_digits()
            self.error(f"{what} is an integer with more than {limit} digits", column)
        except RecursionError:
            self.too_deep(what, column)
        if nests_deeper(value, source, MAX_NESTING - 1):
            self.too_deep(what, column)
        return value

    def check_extra_fields(self, extra_fields: Any, has_cells: bool, offset: int) -> None:
        if not isinstance(extra_fields, dict):
            self.error("notebook_extra_fields must be a JSON object", at=offset)
        for key in ("nbformat", "nbformat_minor", "metadata"):
            if key in extra_fields:
                self.error(f"notebook_extra_fields must not hold {key!r}", at=offset)
        if "cells" in extra_fields and has_cells:
            self.error(
                "notebook_extra_fields holds 'cells', but the notebook has cells", at=offset
            )

    def select_schema(self, nb: dict[str, Any], minor_offset: int) -> NotebookSchema:
        problem = minor_version_problem(nb)
        if problem is not None:
            self.error(problem, at=minor_offset)
        schema = schema_for(nb["nbformat_minor"])
        assert schema is not None
        return schema

    def check_top_level(
        self,
        nb: dict[str, Any],
        extra_fields: dict[str, Any],
        minor_offset: int,
        extra_offset: int,
        metadata_offset: int,
    ) -> None:
        schema = self.schema
        assert schema is not None
        header = {"nbformat": nb["nbformat"], "nbformat_minor": nb["nbformat_minor"]}
        checks = (
            (minor_offset, {**header, "metadata": {}, "cells": []}),
            (metadata_offset, {**header, "metadata": nb["metadata"], "cells": []}),
            (extra_offset, {**header, "metadata": {}, "cells": [], **extra_fields}),
        )
        for offset, skeleton in checks:
            message = schema.notebook(skeleton)
            if message is not None:
                self.error(message, at=offset)

    def cell(self) -> Any:
        head = self.head
        cell_type = _CELL_TYPES.get(head)
        cell_id = None
        if cell_type is None:
            name, _, rest = head.partition(b" ")
            cell_type = _CELL_TYPES.get(name)
            if cell_type is not None and rest.startswith(_CELL_ID_PREFIX):
                raw_id = rest[len(_CELL_ID_PREFIX) :]
                if _CELL_ID.fullmatch(raw_id) is None:
                    self.error(
                        "expected a cell id of letters, digits, '-' and '_'",
                        len(name) + 1 + len(_CELL_ID_PREFIX),
                    )
                cell_id = raw_id.decode()
            elif cell_type == "code" and _UNSIGNED_INTEGER.fullmatch(rest) is not None:
                # The original format kept the execution count in the cell line.
                if self.schema is not None:
                    self.check_cell_id(None, 0)
                return self.code_cell(None, self.count_from_digits(rest, len(name) + 1))
            elif head == b"cell_json":
                return self.json_cell()
            elif head.startswith(b" "):
                self.unexpected("a cell or 'notebook_metadata' at the start of the line")
            else:
                self.unexpected("a cell (markdown, code, raw or cell_json) or 'notebook_metadata'")
        if self.schema is not None:
            column = len(cell_type) + 1 + len(_CELL_ID_PREFIX)
            self.check_cell_id(cell_id, 0 if cell_id is None else column)
        if cell_type == "code":
            return self.code_cell(cell_id, None)
        return self.text_cell(cell_type, cell_id)

    def json_cell(self) -> Any:
        offset = self.offset
        cell = self.json("cell_json", 2)
        if self.schema is not None:
            message = self.schema.cell(cell)
            if message is not None:
                self.error(message, at=offset)
            if isinstance(cell, dict) and isinstance(cell.get("id"), str):
                # The schema has checked the id itself; only uniqueness is left.
                self.check_unique_cell_id(cell["id"], 0, offset)
        return cell

    def check_cell_id(self, cell_id: str | None, column: int) -> None:
        assert self.schema is not None
        problem = self.schema.cell_id(cell_id)
        if problem is not None:
            if cell_id is None:
                problem += "; add ' id=...' to the cell line"
            self.error(problem, column)
        if cell_id is not None:
            self.check_unique_cell_id(cell_id, column, self.offset)

    def check_unique_cell_id(self, cell_id: str, column: int, offset: int) -> None:
        first = self.cell_ids.setdefault(cell_id, offset)
        if first != offset:
            self.error(
                f"invalid notebook: cell id {cell_id!r} is also used on line "
                f"{_line_number(self.data, first)}",
                column,
                offset,
            )

    def code_cell(self, cell_id: str | None, count: int | None) -> NotebookNode:
        source = self.text()
        if (text := self.take_keyword(_EXECUTION_COUNT)) is not None:
            if count is not None:
                self.error("execution count given twice (in the cell line and here)", 1)
            count = self.execution_count(text, len(_EXECUTION_COUNT))
            self.no_block()
        outputs = []
        while self.head.startswith(b" ") and self.head != b" cell_metadata":
            outputs.append(self.output(count))
        cell = {
            "cell_type": "code",
            "execution_count": count,
            "metadata": self.cell_metadata("code"),
            "outputs": outputs,
            "source": source,
        }
        if cell_id is not None:
            cell["id"] = cell_id
        self.end_of_cell("a new cell or 'notebook_metadata' after cell_metadata")
        node: NotebookNode = _new_node(NotebookNode)
        _update(node, cell)
        return node

    def execution_count(self, text: bytes, column: int) -> int:
        count = self.integer(text, column, _INTEGER)
        if self.schema is not None:
            problem = self.schema.execution_count(count)
            if problem is not None:
                self.error(problem, column)
        return count

    def text_cell(self, cell_type: str, cell_id: str | None) -> NotebookNode:
        cell: dict[str, Any] = {"cell_type": cell_type, "source": self.text()}
        if cell_id is not None:
            cell["id"] = cell_id
        if self.take(b" attachments {}"):
            cell["attachments"] = _empty_node()
        else:
            attachments = _empty_node()
            while (name := self.take_keyword(_ATTACHMENT)) is not None:
                key = self.word(name, len(_ATTACHMENT), "an attachment name")
                if key in attachments:
                    self.error(f"attachment {key!r} given twice", len(_ATTACHMENT))
                self.no_block()
                attachments[key] = self.mime_bundle(5)
            if attachments:
                cell["attachments"] = attachments
        cell["metadata"] = metadata = self.cell_metadata(cell_type)
        self.end_of_cell(
            "a new cell or 'notebook_metadata' after cell_metadata"
            if metadata
            else "an attachment, cell_metadata, a new cell or 'notebook_metadata'"
        )
        node: NotebookNode = _new_node(NotebookNode)
        _update(node, cell)
        return node

    def cell_metadata(self, cell_type: str) -> Any:
        if self.head != b" cell_metadata":
            return _empty_node()
        offset, block = self.offset, self.block
        metadata = self.json("cell_metadata", 3)
        if self.schema is not None:
            message = self.schema.cell_metadata(cell_type, metadata, block)
            if message is not None:
                self.error(message, 1, offset)
        return metadata

    def end_of_cell(self, expected: str) -> None:
        if self.head.startswith(b" "):
            self.unexpected(expected)

    def output(self, cell_count: int | None) -> Any:
        head = self.head
        if (name := self.take_keyword(_STREAM)) is not None:
            stream_name = self.word(name, len(_STREAM), "a stream name")
            return _node({"output_type": "stream", "name": stream_name, "text": self.text()})
        if head == b" display_data":
            self.no_block()
            return self.rich_output("display_data", None)
        if head == b" execute_result":
            self.no_block()
            return self.rich_output("execute_result", cell_count)
        if (text := self.take_keyword(_EXECUTE_RESULT)) is not None:
            count = self.execution_count(text, len(_EXECUTE_RESULT))
            self.no_block()
            return self.rich_output("execute_result", count)
        if head == b" error":
            return self.error_output("")
        if (ename := self.take_keyword(_ERROR)) is not None:
            return self.error_output(self.word(ename, len(_ERROR), "an error name"))
        if head == b" output_json":
            return self.json_output()
        if head.startswith(b"  "):
            self.unexpected("an output or cell_metadata, indented by 1 space")
        return self.unexpected(
            "an output type (stream, display_data, execute_result, error, output_json) "
            "or cell_metadata",
            1,
        )

    def json_output(self) -> Any:
        offset = self.offset
        output = self.json("output_json", 4)
        if self.schema is not None:
            message = self.schema.output(output)
            if message is not None:
                self.error(message, 1, offset)
        return output

    def rich_output(self, output_type: str, count: int | None) -> NotebookNode:
        output: dict[str, Any] = {"output_type": output_type, "data": self.mime_bundle(6)}
        if output_type == "execute_result":
            output["execution_count"] = count
        if self.head == b"  output_metadata":
            offset = self.offset
            metadata = self.json("output_metadata", 5)
            if self.schema is not None:
                problem = self.schema.output_metadata(metadata)
                if problem is not None:
                    self.error(problem, 2, offset)
            output["metadata"] = metadata
        else:
            output["metadata"] = _empty_node()
        return _node(output)

    def error_output(self, ename: str) -> NotebookNode:
        evalue = self.text()
        frames = []
        if self.head == b"  traceback":
            frames.append(self.text())
            while self.head == b"   -":
                frames.append(self.text())
        return _node(
            {"output_type": "error", "ename": ename, "evalue": evalue, "traceback": frames}
        )

    def mime_bundle(self, outer: int) -> NotebookNode:
        """Read a MIME bundle whose values lie *outer* levels deep in the notebook."""
        bundle = _empty_node()
        while self.head.startswith(_MIME_TYPE_INDENT):
            column = len(_MIME_TYPE_INDENT)
            mime_type = self.word(self.head[column:], column, "a MIME type")
            if mime_type in bundle:
                self.error(f"MIME type {mime_type!r} given twice", column)
            if is_json_mime_type(mime_type):
                bundle[mime_type] = self.json(mime_type, outer)
            else:
                bundle[mime_type] = self.text()
        return bundle
