"""Schema checks for what the ``.jupyter`` syntax leaves open.

The structured syntax already guarantees most of nbformat's JSON schema: every
structured cell has its type, a string source and the fields its type
requires; stream and error outputs are complete; MIME data of non-JSON types
are strings.  What is left are the free-form JSON parts (notebook and cell
metadata, output metadata, ``cell_json`` and ``output_json``), cell ids and
execution counts.  These are checked here against nbformat's own schema for
the notebook's minor version, with nbformat's configured validator, without
checking the rest again.

The one deliberate difference from :func:`nbformat.validate`: from nbformat 4.5
on, a missing or repeated cell id is an error here, where nbformat silently
replaces it with a random one.
"""

from __future__ import annotations

import ast
import functools
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import nbformat.v4
from nbformat import ValidationError
from nbformat.json_compat import get_current_validator

from .shapes import structured_cell_type, structured_output_type

if TYPE_CHECKING:
    from collections.abc import Mapping

_CACHE_LIMIT = 1024
_CACHED_SOURCE_LIMIT = 4096
MISSING_CELL_ID = "invalid notebook: cell id missing (required from nbformat 4.5 on)"


class _SchemaValidator(Protocol):
    def validate(self, data: Any) -> None: ...  # pragma: no cover


class NotebookSchema:
    """The checks of nbformat's schema for one minor version of nbformat 4.

    Each check returns None, or a message that says what is wrong.
    """

    def __init__(self, minor: int, schema: dict[str, Any]) -> None:
        self.minor = minor
        definitions = schema["definitions"]
        code_cell = definitions["code_cell"]
        self._ids_allowed = "id" in code_cell["properties"] or code_cell.get(
            "additionalProperties", True
        )
        self._ids_required = "id" in code_cell.get("required", ())
        self._id_max_length: int | None = definitions.get("cell_id", {}).get("maxLength")
        self._validator_class = get_current_validator()  # type: ignore[no-untyped-call]
        self._definitions = definitions
        self._validators: dict[str, _SchemaValidator] = {}
        # Cells are checked one by one, so the top level needs no cell schema.
        self._parts: dict[str, dict[str, Any]] = {
            "notebook": {
                **schema,
                "properties": {**schema["properties"], "cells": {"type": "array"}},
            },
            "cell_json": {"$ref": "#/definitions/cell"},
            "output_json": {"$ref": "#/definitions/output"},
        }
        metadata_schemas = {
            cell_type: definitions[f"{cell_type}_cell"]["properties"]["metadata"]
            for cell_type in ("markdown", "code", "raw")
        }
        for cell_type, part in metadata_schemas.items():
            self._parts[f"{cell_type}_metadata"] = part
        for name, definition in definitions.items():
            self._parts[f"definition {name}"] = definition
        # Metadata holding none of the keys its schema describes is valid, if
        # the schema asks only that much; most cells' metadata is like that.
        self._constrained_keys = {
            cell_type: frozenset(part.get("properties", ()))
            for cell_type, part in metadata_schemas.items()
            if set(part) <= {"type", "description", "properties", "additionalProperties"}
            and part.get("additionalProperties", True) is True
            and part.get("type") == "object"
        }
        self._cell_metadata_verdicts: dict[tuple[str, bytes], str | None] = {}

    def _validator(self, part: str) -> _SchemaValidator:
        """Compile the schema of *part* on first use (compiling takes milliseconds)."""
        validator = self._validators.get(part)
        if validator is None:
            schema = {**self._parts[part], "definitions": self._definitions}
            validator = self._validators[part] = self._validator_class(schema)
        return validator

    def notebook(self, skeleton: dict[str, Any]) -> str | None:
        """Check the top level of a notebook whose cells are checked one by one."""
        return self._check(self._validator("notebook"), skeleton, "notebook")

    def cell_id(self, cell_id: str | None) -> str | None:
        """Check the id of a structured cell (which the syntax keeps to nbformat's pattern)."""
        if cell_id is None:
            return MISSING_CELL_ID if self._ids_required else None
        if not self._ids_allowed:
            return (
                f"invalid notebook: cell ids are not allowed in nbformat 4.{self.minor} "
                "(only from 4.5 on)"
            )
        if self._id_max_length is not None and len(cell_id) > self._id_max_length:
            return f"invalid notebook: cell id longer than {self._id_max_length} characters"
        return None

    def execution_count(self, count: int | None) -> str | None:
        """Check the execution count of a structured cell or execute_result."""
        if count is not None and count < 0:
            return "invalid notebook: an execution count must be >= 0"
        return None

    def cell_metadata(self, cell_type: str, metadata: Any, source: bytes = b"") -> str | None:
        """Check the metadata of a structured cell, parsed from *source* if given.

        Cells often repeat the same metadata, so verdicts are cached by source.
        """
        constrained = self._constrained_keys.get(cell_type)
        if (
            constrained is not None
            and isinstance(metadata, dict)
            and constrained.isdisjoint(metadata)
        ):
            return None
        validator = self._validator(f"{cell_type}_metadata")
        if not source:
            return self._check(validator, metadata, "cell_metadata")
        key = (cell_type, source)
        try:
            return self._cell_metadata_verdicts[key]
        except KeyError:
            pass
        verdict = self._check(validator, metadata, "cell_metadata")
        if len(source) <= _CACHED_SOURCE_LIMIT:
            if len(self._cell_metadata_verdicts) >= _CACHE_LIMIT:
                self._cell_metadata_verdicts.clear()
            self._cell_metadata_verdicts[key] = verdict
        return verdict

    def output_metadata(self, metadata: Any) -> str | None:
        """Check the metadata of a structured display_data or execute_result."""
        if isinstance(metadata, dict):
            return None
        return (
            f"invalid notebook (nbformat 4.{self.minor} schema): "
            "output_metadata must be a JSON object"
        )

    def cell(self, cell: Any) -> str | None:
        """Check a whole cell (one in ``cell_json`` form)."""
        problem = self._check(self._validator("cell_json"), cell, "cell_json")
        if problem is None:
            # Cells of unknown types need ids too, rather than random ones.
            if self._ids_required and isinstance(cell, dict) and "id" not in cell:
                return MISSING_CELL_ID
            return None
        return self._explain(cell, "cell_type", "_cell", "cell_json") or problem

    def output(self, output: Any) -> str | None:
        """Check a whole output (one in ``output_json`` form)."""
        problem = self._check(self._validator("output_json"), output, "output_json")
        if problem is None:
            return None
        return self._explain(output, "output_type", "", "output_json") or problem

    def _explain(self, data: Any, type_field: str, suffix: str, what: str) -> str | None:
        """Say why *data* matches none of the schema's alternatives, if its type is known.

        The schema lists cells and outputs as "one of" several definitions, and
        a failed "one of" says little; the definition for the object's own
        type says which field is wrong.
        """
        kind = data.get(type_field) if isinstance(data, dict) else None
        part = f"definition {kind}{suffix}"
        if not isinstance(kind, str) or part not in self._parts:
            return None
        return self._check(self._validator(part), _one_wrong_entry_per_bundle(data), what)

    def _check(self, validator: _SchemaValidator, data: Any, what: str) -> str | None:
        try:
            validator.validate(data)
        except ValidationError as error:
            # Not str(error): jsonschema's adds the whole value, pretty-printed.
            message = with_sorted_key_set(error.message.split("\n", 1)[0])
            message = what + message[4:] if message.startswith("data") else f"{what}: {message}"
            return f"invalid notebook (nbformat 4.{self.minor} schema): {message}"
        except RecursionError:
            # The validators recurse into some values (uniqueItems, messages that
            # quote the value), which a reader must survive however deep it is called.
            return f"the JSON of {what} is nested too deeply to check against nbformat's schema"
        return None


#: fastjsonschema names unexpected keys as a Python set, in an order that
#: changes from one run to the next (string hashes are randomized).
_KEY_SET = re.compile(r"(must not contain )(\{.*\})( properties)$")


def with_sorted_key_set(message: str) -> str:
    """*message* with the keys of a set it quotes in sorted order: the same every run."""
    match = _KEY_SET.search(message)
    if match is None:
        return message
    try:
        keys = ast.literal_eval(match[2])
    except (ValueError, SyntaxError):  # not a set of literals after all
        return message
    if not (isinstance(keys, set) and all(isinstance(key, str) for key in keys)):
        return message
    listed = "{" + ", ".join(map(repr, sorted(keys))) + "}"
    return message[: match.start(2)] + listed + match[3]


#: The MIME types whose data nbformat's schema leaves free (as fastjsonschema
#: matches its pattern: ``$`` is the very end).
_JSON_MIME_KEY = re.compile(r"^application/(.*\+)?json\Z")


def _one_wrong_entry_per_bundle(data: dict[str, Any]) -> dict[str, Any]:
    """*data*, an output or cell, with no MIME bundle holding more than one wrong entry.

    fastjsonschema checks the entries of a bundle in the order of a Python set,
    which changes from run to run (string hashes are randomized), and names the
    first wrong one it meets.  With the wrong entries after the first (in the
    bundle's own order) made right, it names that first one, every time.
    """
    bundles: dict[str, Any] = {}
    if isinstance(data.get("data"), dict):
        bundles["data"] = _with_one_wrong_entry(data["data"])
    attachments = data.get("attachments")
    if isinstance(attachments, dict):
        bundles["attachments"] = {
            name: _with_one_wrong_entry(bundle) if isinstance(bundle, dict) else bundle
            for name, bundle in attachments.items()
        }
    return {**data, **bundles} if bundles else data


def _with_one_wrong_entry(bundle: dict[str, Any]) -> dict[str, Any]:
    wrong = [
        mime_type
        for mime_type, value in bundle.items()
        if _JSON_MIME_KEY.search(mime_type) is None and not _is_multiline_string(value)
    ]
    if len(wrong) < 2:
        return bundle
    made_right = set(wrong[1:])
    return {key: "" if key in made_right else value for key, value in bundle.items()}


def _is_multiline_string(value: Any) -> bool:
    return isinstance(value, str) or (
        isinstance(value, list) and all(isinstance(line, str) for line in value)
    )


def minor_version_problem(nb: Mapping[str, Any]) -> str | None:
    """Say what is wrong with the notebook's nbformat_minor, if anything."""
    if "nbformat_minor" not in nb:
        return "invalid notebook: nbformat_minor is missing"
    minor = nb["nbformat_minor"]
    if not isinstance(minor, int) or isinstance(minor, bool):
        return "invalid notebook: nbformat_minor must be an integer"
    if schema_for(minor) is None:
        return f"invalid notebook: nbformat has no schema for nbformat 4.{minor}"
    return None


@functools.cache
def schema_for(minor: int) -> NotebookSchema | None:
    """Return the checks for nbformat ``4.minor``, or None if nbformat has no schema."""
    table = nbformat.v4.nbformat_schema
    if (4, minor) in table:
        file_name, from_the_future = table[(4, minor)], False
    elif minor > nbformat.v4.nbformat_minor:
        file_name, from_the_future = table[(None, None)], True
    else:
        return None
    path = Path(nbformat.v4.__file__).parent / file_name
    schema = json.loads(path.read_text(encoding="utf-8"))
    if from_the_future:
        # As nbformat does for notebooks newer than itself: allow unknown
        # fields everywhere and unknown cell and output types.
        schema = _allow_additional_properties(schema)
        definitions = schema["definitions"]
        definitions["cell"]["oneOf"].append({"$ref": "#/definitions/unrecognized_cell"})
        definitions["output"]["oneOf"].append({"$ref": "#/definitions/unrecognized_output"})
    return NotebookSchema(minor, schema)


def _allow_additional_properties(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            key: True if key == "additionalProperties" else _allow_additional_properties(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_allow_additional_properties(item) for item in node]
    return node


def notebook_problem(nb: Mapping[str, Any]) -> str | None:
    """Return what nbformat's schema finds wrong with *nb* (an nbformat 4 notebook), or None.

    This is the check of :func:`deserialize` applied to a notebook in memory:
    what the structured syntax would hold is checked only where the syntax
    leaves it open.
    """
    problem = minor_version_problem(nb)
    if problem is not None:
        return problem
    schema = schema_for(nb["nbformat_minor"])
    assert schema is not None
    cells = nb.get("cells")
    skeleton = {**nb, "cells": cells if not isinstance(cells, list) else []}
    problem = schema.notebook(skeleton)
    if problem is not None or not isinstance(cells, list):
        return problem
    seen_ids: set[str] = set()
    for index, cell in enumerate(cells):
        problem = _cell_problem(schema, cell, seen_ids)
        if problem is not None:
            return f"cell {index}: {problem}"
    return None


def _cell_problem(schema: NotebookSchema, cell: Any, seen_ids: set[str]) -> str | None:
    cell_type = structured_cell_type(cell)
    if cell_type is None:
        problem = schema.cell(cell)
        cell_id = cell.get("id") if isinstance(cell, dict) else None
    else:
        cell_id = cell.get("id")
        problem = schema.cell_id(cell_id)
        if problem is None and cell_type == "code":
            problem = schema.execution_count(cell["execution_count"]) or _outputs_problem(
                schema, cell["outputs"], cell["execution_count"]
            )
        if problem is None and cell["metadata"]:
            problem = schema.cell_metadata(cell_type, cell["metadata"])
    if problem is None and isinstance(cell_id, str):
        if cell_id in seen_ids:
            return f"invalid notebook: cell id {cell_id!r} is used twice"
        seen_ids.add(cell_id)
    return problem


def _outputs_problem(schema: NotebookSchema, outputs: list[Any], count: int | None) -> str | None:
    for index, output in enumerate(outputs):
        output_type = structured_output_type(output, count)
        if output_type is None:
            problem = schema.output(output)
        elif output_type == "execute_result":
            problem = schema.execution_count(output["execution_count"])
        else:
            problem = None
        if problem is not None:
            return f"output {index}: {problem}"
    return None
