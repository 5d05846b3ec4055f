"""Regenerate the canonical test vectors: ``python tests/vectors/generate.py``.

Each vector is a notebook given here as plain data.  The script writes
``NAME.ipynb`` (the notebook as JSON, strings unsplit, so that ``json.load``
gives it back exactly) and ``NAME.jupyter`` (its canonical ``.jupyter`` text).
Review the diff of every regenerated ``.jupyter`` file by eye: these files
pin down the format.  Vectors whose names start with ``lenient-`` are written
by hand (non-canonical input the reader accepts) and are not regenerated;
those whose names start with ``crlf-`` are written with CRLF line endings.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jupyter_format
from jupyter_format._format.escaping import JSON_UNSAFE_CHARACTER

HERE = Path(__file__).parent
KERNEL = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python", "version": "3.11.7"},
}


def notebook(cells: list[dict[str, Any]], minor: int = 5, **metadata: Any) -> dict[str, Any]:
    return {"nbformat": 4, "nbformat_minor": minor, "metadata": metadata, "cells": cells}


def md(source: str, cell_id: str | None = "md1", **fields: Any) -> dict[str, Any]:
    cell = {"cell_type": "markdown", "metadata": {}, "source": source, **fields}
    if cell_id is not None:
        cell["id"] = cell_id
    return cell


def code(
    source: str, count: int | None = None, outputs: list[Any] | None = None, **fields: Any
) -> dict[str, Any]:
    cell = {
        "cell_type": "code",
        "execution_count": count,
        "metadata": {},
        "outputs": outputs or [],
        "source": source,
        **fields,
    }
    cell.setdefault("id", "code1")
    if cell["id"] is None:
        del cell["id"]
    return cell


def stream(text: str, name: str = "stdout") -> dict[str, Any]:
    return {"output_type": "stream", "name": name, "text": text}


def nested_lists(levels: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(levels - 1):
        value = [value]
    return value


# The notebook object is level 1; the JSON data of an output is at level 7.
DEEPEST_OUTPUT = nested_lists(jupyter_format.MAX_NESTING - 6)

VALID: dict[str, dict[str, Any]] = {
    "empty-notebook": notebook([]),
    "deepest-json": notebook(
        [
            code(
                "deep",
                1,
                [
                    {
                        "output_type": "display_data",
                        "data": {"application/json": DEEPEST_OUTPUT, "text/plain": "deep"},
                        "metadata": {},
                    }
                ],
                id="deep",
            )
        ]
    ),
    "markdown": notebook(
        [md("# Title\n\nSome *markdown* with `code`, a \\backslash and $\\LaTeX$.")],
        **KERNEL,
    ),
    "source-final-newlines": notebook(
        [
            md("no final newline", "a"),
            md("one final newline\n", "b"),
            md("two final newlines\n\n", "c"),
            md("\nleading empty line", "d"),
            md("", "e"),
            md("\n", "f"),
        ]
    ),
    "whitespace": notebook(
        [
            code(
                "def f():\n\treturn 1  \n    \n  \n\n\t\n",
                id="spaces",
            )
        ]
    ),
    "code-outputs": notebook(
        [
            code(
                "print('hello')\n3 * 7",
                1,
                [
                    stream("hello\n"),
                    {
                        "output_type": "execute_result",
                        "execution_count": 1,
                        "data": {"text/plain": "21"},
                        "metadata": {},
                    },
                ],
            )
        ],
        **KERNEL,
    ),
    "streams": notebook(
        [
            code(
                "import sys",
                2,
                [
                    stream("no final newline"),
                    stream("final newline\n"),
                    stream("to stderr\n\n", "stderr"),
                    stream(""),
                ],
            )
        ]
    ),
    "execute-result-counts": notebook(
        [
            code(
                "x",
                5,
                [
                    {
                        "output_type": "execute_result",
                        "execution_count": 4,
                        "data": {"text/plain": "differs from the cell's"},
                        "metadata": {},
                    }
                ],
                id="differs",
            ),
            code(
                "y",
                None,
                [
                    {
                        "output_type": "execute_result",
                        "execution_count": None,
                        "data": {"text/plain": "never run"},
                        "metadata": {},
                    },
                    {
                        "output_type": "execute_result",
                        "execution_count": 7,
                        "data": {},
                        "metadata": {},
                    },
                ],
                id="not-run",
            ),
        ]
    ),
    "rich-outputs": notebook(
        [
            code(
                "display(df)",
                3,
                [
                    {
                        "output_type": "display_data",
                        "data": {
                            "text/html": "<table>\n<tr><td>1</td></tr>\n</table>\n",
                            "text/plain": "   a\n0  1",
                            "image/png": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGBgAAAABQABpfZFQAAAAABJRU5ErkJggg==\n",
                        },
                        "metadata": {"image/png": {"width": 1, "height": 1}},
                    },
                    {
                        "output_type": "display_data",
                        "data": {
                            "application/json": {"b": [1, 2.5, None, True], "a": "x"},
                            "application/vnd.jupyter.widget-view+json": {
                                "model_id": "4b1c",
                                "version_major": 2,
                                "version_minor": 0,
                            },
                            "text/plain": "",
                        },
                        "metadata": {},
                    },
                    {"output_type": "display_data", "data": {}, "metadata": {}},
                ],
            )
        ]
    ),
    "error-outputs": notebook(
        [
            code(
                "1/0",
                4,
                [
                    {
                        "output_type": "error",
                        "ename": "ZeroDivisionError",
                        "evalue": "division by zero",
                        "traceback": [
                            "\x1b[0;31m-----------------------------------------------------\x1b[0m",
                            "\x1b[0;31mZeroDivisionError\x1b[0m  Traceback (most recent call last)\n"
                            "Cell \x1b[0;32mIn[4], line 1\x1b[0m\n\x1b[0;32m----> 1\x1b[0m 1\x1b[38;5;241m/\x1b[39m\x1b[38;5;241m0\x1b[39m",
                            "\x1b[0;31mZeroDivisionError\x1b[0m: division by zero",
                        ],
                    }
                ],
                id="zero",
            ),
            code(
                "raise Empty",
                5,
                [
                    {"output_type": "error", "ename": "", "evalue": "", "traceback": []},
                    {
                        "output_type": "error",
                        "ename": "E",
                        "evalue": "two\nlines\n",
                        "traceback": ["", "a\n", ""],
                    },
                    {"output_type": "error", "ename": "E", "evalue": "x", "traceback": [""]},
                ],
                id="empty",
            ),
        ]
    ),
    "escapes": notebook(
        [
            code(
                "print('progress')",
                6,
                [
                    stream("  0%|          | 0/3\r 33%|###       | 1/3\r100%|##########| 3/3\n"),
                    stream("windows line\r\nnext\r\n", "stderr"),
                ],
                id="progress",
            ),
            md(
                "form\x0cfeed, vertical\x0btab, file\x1cgroup\x1drecord\x1eseparators\n"
                "next line\x85, line\u2028and paragraph\u2029separators\n"
                "NUL\x00, DEL\x7f, C1\x9b, lone surrogates \ud800 and \udfff\n"
                "a backslash \\ on an escaped line\x07 and \\x41 that stays as written\n"
                "a verbatim line keeps \\r, \\n and \\x00 as they are",
                "controls",
            ),
        ]
    ),
    "unicode": notebook(
        [
            md(
                "Emoji 😀👩\u200d🔬 (with a zero width joiner), accents éü, CJK 数据, "
                "RTL שלום, Persian \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 (with a "
                "zero width non-joiner), no-break\xa0space, combining e\u0301",
                "unicode",
            )
        ],
        title="Ünïcödé tïtle ✓",
    ),
    "invisible-characters": notebook(
        [
            md(
                "Bidirectional controls reorder what a reviewer sees:\n"
                "overrides \u202dLRO\u202c \u202eRLO\u202c, embeddings \u202aLRE\u202c "
                "\u202bRLE\u202c,\n"
                "isolates \u2066LRI\u2069 \u2067RLI\u2069 \u2068FSI\u2069, "
                "marks LRM\u200e RLM\u200f ALM\u061c.\n"
                "Others show as nothing: zero\u200bwidth space, word\u2060joiner, "
                "f\u2061(x), 2\u20623, x\u2063y, 1\u20642, BOM\ufeff in text, soft\xadhyphen,\n"
                "annotation anchors \ufff9base\ufffaruby\ufffb, deprecated\u206a\u206fcontrols.\n"
                "Written as they are: 👩\u200d🔬 (zero width joiner), "
                "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 (zero width non-joiner).",
                "hidden",
            ),
            code(
                'access_level = "user"\n'
                'if access_level != "user\u202e \u2066# Check if admin\u2069 \u2066":\n'
                '    print("You are an admin.")\n',
                1,
                [
                    stream("zero\u200bwidth\n"),
                    {"output_type": "stream", "name": "std\u200bout", "text": "a hidden name"},
                    {
                        "output_type": "display_data",
                        "data": {
                            "application/json": {"user\u202e": "\u2066admin\u2069"},
                            "text/plain": "{'user\u202e': '\u2066admin\u2069'}",
                        },
                        "metadata": {},
                    },
                ],
                metadata={"tags": ["\u2067hidden\u2069"], "note": "RLO \u202e in JSON"},
                id="trojan-source",
            ),
        ],
        title="\u202eeltit",
    ),
    "crlf-line-endings": notebook(
        [
            md(
                "# Checked out by Git for Windows\n\nEvery line ends with CRLF.",
                "crlf-md",
            ),
            code(
                "print('a\\r\\nb')",
                1,
                [stream("a\r\nb\n")],
                metadata={"tags": ["windows"]},
                id="crlf-code",
            ),
        ],
        **KERNEL,
    ),
    "metadata": notebook(
        [
            code(
                "pass",
                None,
                metadata={
                    "tags": ["hide-input", "parameters"],
                    "jupyter": {"source_hidden": True},
                    "collapsed": False,
                    "scrolled": "auto",
                    "execution": {"iopub.status.busy": "2026-01-01T00:00:00.000Z"},
                },
                id="tagged",
            ),
            md("raw metadata", "meta", metadata={"unicode key ✓": {"nested": [[], {}]}}),
        ],
        **KERNEL,
        big_integer=123456789012345678901234567890,
        floats=[0.1, -0.0, 1e-300, 1.7976931348623157e308],
    ),
    "raw-cells": notebook(
        [
            {
                "cell_type": "raw",
                "id": "rst",
                "metadata": {"raw_mimetype": "text/restructuredtext"},
                "source": ".. note::\n\n   Raw cells are kept verbatim.",
            },
            {"cell_type": "raw", "id": "empty-raw", "metadata": {}, "source": ""},
        ]
    ),
    "attachments": notebook(
        [
            md(
                "![dot](attachment:dot.png)",
                "with-attachment",
                attachments={
                    "dot.png": {"image/png": "iVBORw0KGgo=\n"},
                    "data.json": {"application/json": {"k": 1}, "text/plain": "k=1"},
                },
            ),
            md("pasted, then deleted", "empty-attachments", attachments={}),
            {
                "cell_type": "raw",
                "id": "raw-attachment",
                "metadata": {},
                "source": "",
                "attachments": {"a b.png": {"image/png": "AA=="}},
            },
        ]
    ),
    "pre-4.5": notebook(
        [
            md("No cell ids before nbformat 4.5.", None),
            code("x = 1", 1, id=None),
            md(
                "An attachment name with a leading space needs JSON.",
                None,
                attachments={" spaced.png": {"image/png": "AA=="}},
            ),
        ],
        minor=4,
    ),
    "json-forms": notebook(
        [
            {
                "cell_type": "future cell",
                "id": "future",
                "metadata": {},
                "source": "an unknown cell type",
                "future field": [1, 2],
            },
            code(
                "outputs nobody knows yet",
                1,
                [
                    {"output_type": "future output", "some key": "some value"},
                    {"output_type": "stream", "name": "stdout", "text": "x", "future": True},
                ],
                id="future-outputs",
            ),
        ],
        minor=6,
    ),
}

# Notebooks that nbformat reads but does not accept as valid.  They are read
# with validate=False, which keeps every field exactly as it is.
UNVALIDATED: dict[str, dict[str, Any]] = {
    "ids-before-4.5": notebook([md("nbformat 4.4 with an id", "an-id")], minor=4),
    "missing-and-extra-fields": notebook(
        [
            {"cell_type": "code", "metadata": {}, "outputs": [], "source": "no execution_count"},
            {"cell_type": "markdown", "metadata": {}, "source": "x", "outputs": []},
            {"cell_type": "markdown", "id": "not an id!", "metadata": {}, "source": "odd id"},
            {"cell_type": "raw", "metadata": {}, "source": "", "attachments": {"a.png": "AA=="}},
            {"cell_type": "heading", "level": 1, "metadata": {}, "source": "v3 heading"},
            code(
                "odd outputs",
                3,
                [
                    {"output_type": "execute_result", "data": {}, "metadata": {}},
                    {
                        "output_type": "execute_result",
                        "execution_count": None,
                        "data": {},
                        "metadata": {},
                    },
                    {"output_type": "stream", "name": "", "text": "empty name"},
                    {"output_type": "stream", "name": "stdout", "text": ["not", "joined", 1]},
                    {"output_type": "display_data", "data": {"text/plain": 5}, "metadata": {}},
                    {"output_type": "error", "ename": " padded ", "evalue": "", "traceback": []},
                ],
                id="odd-outputs",
            ),
            code("negative", -1, id="negative"),
        ]
    ),
    "cells-not-a-list": {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": {}},
    "top-level-extras": {
        "nbformat": 4,
        "metadata": {"orig_nbformat": 3},
        "cells": [],
        "extra": {"top": "level"},
    },
}


HEADER = "nbformat 4\nnbformat_minor 5\n"
TRAILER = "notebook_metadata\n    {}\n"
OLD_HEADER = "nbformat 4\nnbformat_minor 4\n"

# Documents the reader rejects, each with the error it reports.
INVALID: dict[str, str] = {
    "empty-file": "",
    "byte-order-mark": "\ufeff" + HEADER + TRAILER,
    "mixed-line-endings-crlf-first": HEADER.replace("\n", "\r\n") + TRAILER,
    "mixed-line-endings-lf-first": HEADER + TRAILER.replace("\n", "\r\n"),
    "carriage-return-in-text": HEADER + "markdown id=a\n    text\rmore\n" + TRAILER,
    "carriage-return-in-crlf-text": (HEADER + "markdown id=a\n    text\rmore\n" + TRAILER).replace(
        "\n", "\r\n"
    ),
    "not-a-jupyter-file": '{\n "cells": []\n}\n',
    "unsupported-nbformat": "nbformat 3\nnbformat_minor 0\n" + TRAILER,
    "nbformat-not-json": "nbformat four\n" + TRAILER,
    "tab-indentation": HEADER + "code id=a\n\tx = 1\n" + TRAILER,
    "reindented-block": HEADER + "code id=a\n  x = 1\n" + TRAILER,
    "unknown-cell-type": HEADER + "markdown id=a\n    # Title\nfoo\n" + TRAILER,
    "unknown-output-type": HEADER
    + "code id=a\n    print(1)\n execution_count 1\n stream stdout\n    1\n foo\n"
    + TRAILER,
    "output-before-any-cell": HEADER + " stream stdout\n    text\n" + TRAILER,
    "item-indented-by-two": HEADER + "code id=a\n  output_metadata\n    {}\n" + TRAILER,
    "truncated-file": HEADER + "markdown id=a\n    # Title\n",
    "truncated-json": HEADER + 'notebook_metadata\n    {\n     "kernelspec": {\n',
    "missing-json-block": HEADER + "markdown id=a\n cell_metadata\n" + TRAILER,
    "unknown-notebook-item": HEADER + "notebook_data\n    {}\n" + TRAILER,
    "content-after-metadata": HEADER + TRAILER + "markdown id=a\n",
    "invalid-json": HEADER
    + 'code id=a\n cell_metadata\n    {\n     "tags": ["a", nope]\n    }\n'
    + TRAILER,
    "json-trailing-text": HEADER + "notebook_metadata\n    {}\n    trailing\n",
    "json-integer-too-long": HEADER + "notebook_metadata\n    " + "9" * 5000 + "\n",
    "json-nested-one-level-too-deep": HEADER
    + "code id=a\n display_data\n   application/json\n    "
    + "[" * (jupyter_format.MAX_NESTING - 5)
    + "]" * (jupyter_format.MAX_NESTING - 5)
    + "\n"
    + TRAILER,
    "deeply-nested-json": HEADER + "notebook_metadata\n    " + "[" * 100000 + "]" * 100000 + "\n",
    "invalid-escape": HEADER + "markdown id=a\n   \\tab\\tbad\n" + TRAILER,
    "invalid-utf8": HEADER + "markdown id=a\n    caf\udce9\n" + TRAILER,
    "merge-conflict": HEADER
    + "code id=a\n<<<<<<< ours\n    x = 1\n=======\n    x = 2\n>>>>>>> theirs\n"
    + TRAILER,
    "duplicate-mime-type": HEADER
    + "code id=a\n display_data\n   text/plain\n    a\n   text/plain\n    b\n"
    + TRAILER,
    "duplicate-attachment": HEADER
    + "markdown id=a\n attachment x.png\n   image/png\n    AA==\n attachment x.png\n"
    + TRAILER,
    "execution-count-twice": OLD_HEADER + "code 1\n execution_count 2\n" + TRAILER,
    "execution-count-not-integer": HEADER + "code id=a\n execution_count one\n" + TRAILER,
    "execution-count-too-many-digits": HEADER
    + "code id=a\n execution_count "
    + "9" * 5000
    + "\n"
    + TRAILER,
    "execute-result-count-too-many-digits": HEADER
    + "code id=a\n execute_result "
    + "9" * 5000
    + "\n   text/plain\n    x\n"
    + TRAILER,
    "original-count-too-many-digits": OLD_HEADER + "code " + "9" * 5000 + "\n" + TRAILER,
    "nbformat-minor-too-many-digits": "nbformat 4\nnbformat_minor " + "9" * 5000 + "\n" + TRAILER,
    "deeply-nested-json-line": "nbformat 4\nnbformat_minor "
    + "[" * 100000
    + "]" * 100000
    + "\n"
    + TRAILER,
    "bad-cell-id": HEADER + "code id=a:b\n" + TRAILER,
    "empty-stream-name": HEADER + "code id=a\n stream \n    x\n" + TRAILER,
    "block-after-count": HEADER + "code id=a\n execution_count 1\n    x\n" + TRAILER,
    "item-after-cell-metadata": HEADER
    + 'code id=a\n cell_metadata\n    {"tags": []}\n stream stdout\n'
    + TRAILER,
    "extra-fields-not-object": HEADER + "notebook_extra_fields\n    []\n" + TRAILER,
    "extra-fields-with-metadata": HEADER
    + 'notebook_extra_fields\n    {"metadata": {}}\n'
    + TRAILER,
    "extra-fields-with-cells": HEADER
    + 'markdown id=a\nnotebook_extra_fields\n    {"cells": {}}\n'
    + TRAILER,
    "schema-missing-id": HEADER + "markdown\n    no id\n" + TRAILER,
    "schema-id-before-4.5": OLD_HEADER + "markdown id=a\n" + TRAILER,
    "schema-duplicate-id": HEADER + "markdown id=a\nmarkdown id=b\nraw id=a\n" + TRAILER,
    "schema-long-id": HEADER + "markdown id=" + "x" * 65 + "\n" + TRAILER,
    "schema-negative-count": HEADER + "code id=a\n execution_count -1\n" + TRAILER,
    "schema-negative-result-count": HEADER
    + "code id=a\n execute_result -2\n   text/plain\n    x\n"
    + TRAILER,
    "schema-cell-metadata": HEADER
    + 'code id=a\n cell_metadata\n    {"collapsed": "yes"}\n'
    + TRAILER,
    "schema-output-metadata": HEADER
    + "code id=a\n display_data\n  output_metadata\n    []\n"
    + TRAILER,
    "schema-notebook-metadata": HEADER + 'notebook_metadata\n    {"kernelspec": {}}\n',
    "schema-cell-json": HEADER + 'cell_json\n    {"cell_type": "code", "source": ""}\n' + TRAILER,
    "schema-output-json": HEADER
    + 'code id=a\n output_json\n    {"output_type": "stream"}\n'
    + TRAILER,
    "schema-json-cell-without-id": "nbformat 4\nnbformat_minor 6\n"
    + 'cell_json\n    {"cell_type": "future", "metadata": {}}\n'
    + TRAILER,
    "schema-extra-fields": HEADER + 'notebook_extra_fields\n    {"extra": 1}\n' + TRAILER,
    "schema-missing-minor": "nbformat 4\n" + TRAILER,
    "schema-minor-not-integer": 'nbformat 4\nnbformat_minor "5"\n' + TRAILER,
    "schema-negative-minor": "nbformat 4\nnbformat_minor -1\n" + TRAILER,
}


def write_invalid_vector(name: str, text: str) -> None:
    directory = HERE / "invalid"
    directory.mkdir(exist_ok=True)
    data = text.encode("utf-8", "surrogateescape")
    (directory / f"{name}.jupyter").write_bytes(data)
    try:
        jupyter_format.deserialize(data)
    except jupyter_format.ParseError as error:
        expected = {"line": error.lineno, "column": error.colno, "message": error.msg}
    else:
        raise AssertionError(f"{name}: no ParseError")
    expected_text = json.dumps(expected, indent=1, ensure_ascii=False)
    (directory / f"{name}.json").write_text(expected_text + "\n", encoding="utf-8")


def write_vector(directory: Path, name: str, nb: dict[str, Any]) -> None:
    directory.mkdir(exist_ok=True)
    # Lone surrogates cannot be written as UTF-8, and invisible characters would
    # hide in review what a vector holds; JSON escapes them, as .jupyter files do.
    ipynb = json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False)
    ipynb = JSON_UNSAFE_CHARACTER.sub(lambda m: f"\\u{ord(m.group()):04x}", ipynb)
    (directory / f"{name}.ipynb").write_text(ipynb + "\n", encoding="utf-8")
    jupyter = jupyter_format.serialize(nb)
    newline = "\r\n" if name.startswith("crlf-") else "\n"
    (directory / f"{name}.jupyter").write_text(jupyter, encoding="utf-8", newline=newline)


def main() -> None:
    for name, nb in VALID.items():
        write_vector(HERE / "valid", name, nb)
    for name, nb in UNVALIDATED.items():
        write_vector(HERE / "unvalidated", name, nb)
    for name, text in INVALID.items():
        write_invalid_vector(name, text)


if __name__ == "__main__":
    main()
