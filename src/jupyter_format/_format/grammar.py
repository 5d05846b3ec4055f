"""Facts about the ``.jupyter`` grammar shared by the reader and the writer."""

from __future__ import annotations

import re
from typing import Final

INDENT: Final = "    "
ESCAPED_INDENT: Final = "   \\"

# Heads followed by a value on the same line.  The reader counts the columns
# of its errors from their lengths.
NBFORMAT: Final = "nbformat "
NBFORMAT_MINOR: Final = "nbformat_minor "
CELL_ID_PREFIX: Final = "id="
EXECUTION_COUNT: Final = " execution_count "
ATTACHMENT: Final = " attachment "
STREAM: Final = " stream "
EXECUTE_RESULT: Final = " execute_result "
ERROR: Final = " error "
# What a MIME type's head starts with, in a MIME bundle.
MIME_TYPE_INDENT: Final = "   "

# nbformat's pattern for cell ids; other ids are kept in cell_json form.
CELL_ID: Final = re.compile(r"[A-Za-z0-9_-]+")

# JSON-valued MIME types, the same pattern as nbformat's schema.
JSON_MIME_TYPE: Final = re.compile(r"^application/(.*\+)?json$")


def is_json_mime_type(mime_type: str) -> bool:
    """Tell whether nbformat stores data of this MIME type as JSON."""
    return JSON_MIME_TYPE.match(mime_type) is not None
