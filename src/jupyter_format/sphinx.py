"""Sphinx extension: ``.jupyter`` notebooks as documents, with nbsphinx or MyST-NB.

In ``conf.py``::

    extensions = ["myst_nb", "jupyter_format.sphinx"]  # or "nbsphinx"

This registers ``.jupyter`` with whichever of the two is loaded (their
``nbsphinx_custom_formats`` and ``nb_custom_formats`` settings), and makes a
``.jupyter`` file that does not parse, or is not a valid notebook, stop the
build with ``path:line:column: message``.  Without it, nbsphinx would quietly
read such a file as reStructuredText.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.errors import ExtensionError, SphinxError

from . import SUFFIX, __version__
from ._exceptions import ParseError
from ._format.reader import deserialize

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

#: What nbsphinx and MyST-NB call to turn a ``.jupyter`` file's text into a notebook.
READER = "jupyter_format.reads"

_SETTINGS = {"nbsphinx": "nbsphinx_custom_formats", "myst_nb": "nb_custom_formats"}


class NotebookSourceError(SphinxError):
    """A ``.jupyter`` document that does not parse or validate."""

    category = "Unreadable .jupyter notebook"


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the extension with Sphinx."""
    # Before nbsphinx and MyST-NB (priority 500) read their settings.
    app.connect("config-inited", _register_suffix, priority=400)
    app.connect("source-read", _check_source)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}


def _register_suffix(app: Sphinx, config: Config) -> None:
    found = [name for name in _SETTINGS if name in config.extensions]
    if not found:
        raise ExtensionError(
            "jupyter_format.sphinx reads notebooks through nbsphinx or MyST-NB: add "
            '"nbsphinx" or "myst_nb" to extensions in conf.py'
        )
    for name in found:
        setting = _SETTINGS[name]
        formats = dict(getattr(config, setting) or {})
        formats.setdefault(SUFFIX, READER)
        setattr(config, setting, formats)


def _check_source(app: Sphinx, docname: str, source: list[str]) -> None:
    path = Path(app.env.doc2path(docname))
    if path.suffix != SUFFIX:
        return
    try:
        deserialize(source[0])
    except ParseError as error:
        where = Path(app.env.doc2path(docname, False))  # relative to the source directory
        raise NotebookSourceError(f"{where}:{error.lineno}:{error.colno}: {error.msg}") from None
