"""Random ``.jupyter`` texts whose free-form JSON tests the schema checks.

Each sample puts one random JSON value where the syntax leaves the schema
open (notebook metadata and extra fields, cell metadata, output metadata,
``cell_json``, ``output_json``), in a notebook of a random nbformat minor
version.  The values lean towards what nbformat's schemas constrain: their own
keys, almost-right types, duplicate tags, ids of the wrong length.

JSON nested deeply enough for Python's checks to hit the recursion limit is
kept out: where that happens depends on how deep the caller's stack is.
"""

from __future__ import annotations

import json
import random
from typing import Any

METADATA_KEYS = [
    "collapsed", "scrolled", "deletable", "editable", "format", "name", "tags",
    "jupyter", "execution", "source_hidden", "outputs_hidden", "kernelspec",
    "language_info", "orig_nbformat", "title", "authors", "display_name", "codemirror_mode",
    "file_extension", "mimetype", "pygments_lexer", "isolated", "trusted", "extra",
]  # fmt: skip
CELL_KEYS = ["id", "metadata", "source", "outputs", "execution_count", "attachments", "extra"]
OUTPUT_KEYS = [
    "name", "text", "data", "metadata", "execution_count", "ename", "evalue", "traceback", "extra",
]  # fmt: skip
CELL_TYPES = ["markdown", "code", "raw", "future", 1, None]
OUTPUT_TYPES = ["stream", "display_data", "execute_result", "error", "future", 1, None]
STRINGS = [
    "", "x", "a,b", ",", "auto", "code", "markdown", "stdout", "text/plain", "c-1_d",
    "x" * 65, "line\nbreak", "\u00e9\u2028", "\U0001f600",
]  # fmt: skip
MIME_TYPES = ["text/plain", "text/html", "image/png", "application/json", "application/vnd+json"]
PARTS = [
    "notebook_metadata", "notebook_extra_fields", "markdown_metadata", "code_metadata",
    "raw_metadata", "output_metadata", "cell_json", "output_json",
]  # fmt: skip


class Sampler:
    """Random JSON values and notebooks, reproducible from the seed."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)

    def scalar(self) -> Any:
        return self.random.choice(
            [None, True, False, 0, 1, -1, 4, 5, 2**70, 1.0, 0.5, -0.0, float("nan"), *STRINGS]
        )

    def value(self, depth: int = 0) -> Any:
        roll = self.random.random()
        if depth >= 3 or roll < 0.5:
            return self.scalar()
        if roll < 0.75:
            return [self.value(depth + 1) for _ in range(self.random.randrange(4))]
        return self.mapping(METADATA_KEYS, depth + 1)

    def mapping(self, keys: list[str], depth: int = 0) -> dict[str, Any]:
        chosen = self.random.sample(keys, self.random.randrange(4))
        return {key: self.field(key, depth) for key in chosen}

    def field(self, key: str, depth: int) -> Any:
        """A value for *key*, right more often than not."""
        if key in ("data", "attachments"):
            if self.random.random() < 0.2:
                return self.scalar()
            if key == "data":
                return self.bundle()
            second = self.bundle() if self.random.random() < 0.8 else 1
            return {"a.png": self.bundle(), "b.png": second}
        if self.random.random() < 0.3:
            return self.value(depth)
        if key == "tags":
            return [self.random.choice([*STRINGS, 1, 1.0, None]) for _ in range(3)]
        if key in ("metadata", "jupyter", "execution", "kernelspec", "language_info"):
            return self.mapping(METADATA_KEYS, depth + 1) if depth < 3 else {}
        if key in ("source", "text", "evalue", "ename", "name", "id"):
            return self.random.choice([self.random.choice(STRINGS), [self.random.choice(STRINGS)]])
        if key == "outputs":
            return [self.output() for _ in range(self.random.randrange(3))]
        if key == "traceback":
            return [self.random.choice(STRINGS) for _ in range(2)]
        return self.scalar()

    def bundle(self) -> dict[str, Any]:
        """A MIME bundle, whose data of non-JSON types may be wrong."""
        bundle: dict[str, Any] = {}
        for mime_type in self.random.sample(MIME_TYPES, self.random.randrange(4)):
            bundle[mime_type] = self.value(2) if "json" in mime_type else ["x\n", "y"]
        for mime_type in self.random.sample(["text/markdown", "image/jpeg", "text/csv"], 2):
            if self.random.random() < 0.4:
                bundle[mime_type] = self.scalar()
        return bundle

    def complete(self, type_field: str, kind: Any) -> dict[str, Any]:
        """A cell or output of type *kind* with every field it needs, right."""
        result: dict[str, Any] = {type_field: kind}
        if kind in ("markdown", "raw", "code"):
            result |= {"metadata": self.mapping(METADATA_KEYS), "source": ["a\n", "b"]}
        if kind in ("markdown", "raw") and self.random.random() < 0.3:
            result["attachments"] = self.field("attachments", 1)
        if kind == "code":
            result["outputs"] = [self.output() for _ in range(self.random.randrange(3))]
            result["execution_count"] = self.random.choice([None, 0, 3])
        if kind == "future":
            result["metadata"] = {}
        if kind == "stream":
            result |= {"name": "stdout", "text": "x\n"}
        if kind in ("display_data", "execute_result"):
            result |= {"data": self.bundle(), "metadata": self.mapping(METADATA_KEYS)}
        if kind == "execute_result":
            result["execution_count"] = self.random.choice([None, 1])
        if kind == "error":
            result |= {"ename": "E", "evalue": "v", "traceback": ["t"]}
        return result

    def mutated(self, value: dict[str, Any], keys: list[str]) -> dict[str, Any]:
        """*value* with up to two fields removed, replaced or added."""
        for _ in range(self.random.randrange(3)):
            key = self.random.choice([*value, *keys])
            if key in value and self.random.random() < 0.4:
                del value[key]
            else:
                value[key] = self.field(key, 1)
        return value

    def output(self) -> dict[str, Any]:
        kind = self.random.choice(OUTPUT_TYPES)
        return self.mutated(self.complete("output_type", kind), ["output_type", *OUTPUT_KEYS])

    def cell(self, with_id: bool) -> dict[str, Any]:
        cell = self.complete("cell_type", self.random.choice(CELL_TYPES))
        if with_id and self.random.random() < 0.9:
            cell["id"] = self.random.choice(["c1", "c2", "x" * 64])
        return self.mutated(cell, ["cell_type", *CELL_KEYS])

    def part_value(self, part: str, minor: int) -> Any:
        if part == "cell_json":
            return self.cell(with_id=minor >= 5)
        if part == "output_json":
            return self.output()
        if part == "notebook_extra_fields" and self.random.random() < 0.8:
            return self.mapping(["cells", "extra", "signature", "more"], 1)
        if self.random.random() < 0.85:
            return self.mapping(METADATA_KEYS)
        return self.value(1)

    def notebook(self) -> str:
        """A .jupyter text with one random part."""
        minor = self.random.choice([0, 3, 4, 5, 5, 5, 6])
        part = self.random.choice(PARTS)
        value = json.dumps(self.part_value(part, minor))
        cell_id = " id=c" if minor >= 5 else ""
        lines = ["nbformat 4", f"nbformat_minor {minor}"]
        if part in ("markdown_metadata", "code_metadata", "raw_metadata"):
            lines += [f"{part.removesuffix('_metadata')}{cell_id}", "    x", " cell_metadata"]
        elif part == "output_metadata":
            lines += [f"code{cell_id}", " display_data", "   text/plain", "    x"]
            lines += ["  output_metadata"]
        elif part == "output_json":
            lines += [f"code{cell_id}", " output_json"]
        elif part == "cell_json":
            lines += ["cell_json"]
        if part not in ("notebook_metadata", "notebook_extra_fields"):
            lines += [f"    {value}", "notebook_metadata", "    {}"]
        elif part == "notebook_extra_fields":
            lines += ["notebook_extra_fields", f"    {value}", "notebook_metadata", "    {}"]
        else:
            lines += ["notebook_metadata", f"    {value}"]
        return "\n".join(lines) + "\n"
