"""Plain-text Jupyter notebooks, outputs included.

Read and write notebooks in the lossless, line-oriented ``.jupyter`` format::

    import jupyter_format

    nb = jupyter_format.read("analysis.jupyter")
    jupyter_format.write(nb, "analysis.jupyter")

The format is specified in ``docs/spec.md``.
"""

from __future__ import annotations

from ._exceptions import ParseError, SerializeError
from ._format.json_blocks import MAX_NESTING
from ._format.reader import deserialize
from ._format.writer import generate_lines, serialize
from ._io import read, reads, write, writes

__version__ = "1.0.0.dev0"

SUFFIX = ".jupyter"


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    # Found by jupyter_server when the extension is enabled (the package
    # installs the configuration that does it); importing is cheap until then.
    return [{"module": "jupyter_format._server_extension"}]


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "jupyter-format"}]


__all__ = [
    "MAX_NESTING",
    "SUFFIX",
    "ParseError",
    "SerializeError",
    "__version__",
    "deserialize",
    "generate_lines",
    "read",
    "reads",
    "serialize",
    "write",
    "writes",
]
