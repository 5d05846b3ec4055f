"""Write ``src/nbformatSchemas.ts``: nbformat's JSON schemas for the TypeScript reader.

The TypeScript implementation checks notebooks against the same schemas as the
Python one, which reads them from the installed nbformat.  The schemas are
copied here, without their descriptions (no message quotes them), so that the
package keeps no runtime dependencies.  ``tests/test_typescript.py`` checks
that the copy is the installed nbformat's; run this script again when
nbformat's schemas change::

    python js/format/scripts/write_nbformat_schemas.py
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat.v4

MODULE = Path(__file__).resolve().parents[1] / "src" / "nbformatSchemas.ts"

HEADER = """\
/**
 * nbformat's JSON schemas for nbformat 4.0 to 4.{latest}, without their
 * descriptions.  Written by scripts/write_nbformat_schemas.py from nbformat's
 * schema files (BSD-3-Clause, Copyright (c) Jupyter Development Team); do not edit.
 */

/** A JSON schema, as nbformat's schema files hold them. */
export type JsonSchema = {{ [keyword: string]: unknown }};

"""


#: Keywords whose values map names to schemas (a schema may be named "description").
NAMED_SCHEMAS = ("properties", "definitions", "patternProperties")


def without_descriptions(node: Any) -> Any:
    """*node* without the ``description`` keyword of any schema in it."""
    if isinstance(node, list):
        return [without_descriptions(item) for item in node]
    if not isinstance(node, dict):
        return node
    result = {}
    for key, value in node.items():
        if key == "description":
            continue
        if key in NAMED_SCHEMAS and isinstance(value, dict):
            result[key] = {name: without_descriptions(item) for name, item in value.items()}
        else:
            result[key] = without_descriptions(value)
    return result


def schemas() -> dict[int, Any]:
    """Return nbformat's schema for each minor version of nbformat 4, by minor version."""
    directory = Path(nbformat.v4.__file__).parent
    table = nbformat.v4.nbformat_schema
    return {
        minor: without_descriptions(json.loads((directory / name).read_text(encoding="utf-8")))
        for (major, minor), name in sorted(table.items(), key=lambda item: str(item[0]))
        if major == 4
    }


def latest_schema() -> Any:
    """Return the schema nbformat checks notebooks newer than itself against, unrelaxed."""
    directory = Path(nbformat.v4.__file__).parent
    name = nbformat.v4.nbformat_schema[(None, None)]
    return without_descriptions(json.loads((directory / name).read_text(encoding="utf-8")))


def module_text() -> str:
    """Return the TypeScript module, as this script writes it."""
    by_minor = schemas()
    parts = [HEADER.format(latest=max(by_minor))]
    parts.append("/** nbformat's schema for each minor version of nbformat 4. */\n")
    parts.append(
        "export const SCHEMAS: ReadonlyMap<number, JsonSchema> = new Map<number, JsonSchema>([\n"
    )
    for minor, schema in by_minor.items():
        parts.append(f"  [{minor}, {json.dumps(schema, ensure_ascii=False)}],\n")
    parts.append("]);\n\n")
    latest = latest_schema()
    latest_minor = next((minor for minor, schema in by_minor.items() if schema == latest), None)
    parts.append("/** The schema that notebooks newer than nbformat meet (relaxed). */\n")
    if latest_minor is None:
        latest_text = json.dumps(latest, ensure_ascii=False)
        parts.append(f"export const LATEST: JsonSchema = {latest_text};\n")
    else:
        parts.append(f"export const LATEST: JsonSchema = SCHEMAS.get({latest_minor})!;\n")
    parts.append(f"export const LATEST_MINOR = {nbformat.v4.nbformat_minor};\n")
    return "".join(parts)


if __name__ == "__main__":
    MODULE.write_text(module_text(), encoding="utf-8", newline="\n")
    print(f"wrote {MODULE}")
