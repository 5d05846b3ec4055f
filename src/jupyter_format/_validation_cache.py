"""Keep nbformat's validation strict after nbconvert has relaxed it.

Before nbformat 5.11, ``nbformat.validate(nb, relax_add_props=True)``, which
nbconvert calls on every notebook it exports, stored its relaxed validator
under the same cache key as the strict one.  Every later check in the process
then let unknown fields through: after one export, an invalid ``.ipynb`` read
as valid.  nbformat 5.11 keys its cache by the flag and never stores such an
entry, so there this finds nothing to do.
"""

from __future__ import annotations

from typing import Any

import nbformat.v4
import nbformat.validator
from nbformat.json_compat import get_current_validator


def forget_relaxed_validator(minor: int) -> None:
    """Drop nbformat's cached validator for ``4.minor`` if nbconvert relaxed it."""
    if minor > nbformat.v4.nbformat_minor:
        # Notebooks newer than nbformat are checked relaxed on purpose.
        return
    # Typed by nbformat 5.11 for its own four-part keys.
    cache: dict[Any, Any] = nbformat.validator.validators
    key = (get_current_validator().name, 4, minor)  # type: ignore[no-untyped-call]
    cached = cache.get(key)
    schema = getattr(cached, "_schema", None)
    if isinstance(schema, dict) and schema.get("additionalProperties") is True:
        del cache[key]
