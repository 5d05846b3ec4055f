"""nbconvert exporters: ``--to jupyter`` and ``--to FORMAT-from-jupyter``.

Installing the package registers them with nbconvert (entry points), so::

    jupyter nbconvert --to jupyter analysis.ipynb              # analysis.jupyter
    jupyter nbconvert --to html-from-jupyter analysis.jupyter  # analysis.html
    jupyter nbconvert --to ipynb-from-jupyter analysis.jupyter # analysis.ipynb

Every exporter nbconvert ships has a ``-from-jupyter`` twin here: the same
class, reading ``.jupyter`` files (and ``.ipynb`` files too, told apart by
their content) through :class:`JupyterImportMixin`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nbconvert import exporters
from nbconvert.utils.exceptions import ConversionException

from ._exceptions import NotebookFileError, ParseError
from ._files import (
    Format,
    Problem,
    content_format,
    lone_surrogate,
    lone_surrogate_message,
    notebook_from_bytes,
)
from ._format.writer import serialize

if TYPE_CHECKING:
    from nbformat import NotebookNode

__all__ = [
    "ASCIIDocExporter",
    "HTMLExporter",
    "JupyterExporter",
    "JupyterImportMixin",
    "LatexExporter",
    "MarkdownExporter",
    "NotebookConversionError",
    "NotebookExporter",
    "NotebookParseError",
    "PDFExporter",
    "PythonExporter",
    "QtPDFExporter",
    "QtPNGExporter",
    "RSTExporter",
    "ScriptExporter",
    "SlidesExporter",
    "WebPDFExporter",
]


class NotebookParseError(ParseError, ConversionException):
    """A notebook given to nbconvert does not parse, or is not a valid notebook.

    A :class:`~jupyter_format.ParseError` that nbconvert reports as a failed
    conversion; the message starts with the file's name.
    """

    def __init__(self, msg: str, lineno: int, colno: int, filename: str) -> None:
        super().__init__(msg, lineno, colno)
        self.filename = filename
        self.args = (f"{filename}:{lineno}:{colno}: {msg}",)

    def __str__(self) -> str:
        return str(self.args[0])

    def __reduce__(self) -> Any:
        return (type(self), (self.msg, self.lineno, self.colno, self.filename))


class NotebookConversionError(ConversionException):
    """A notebook cannot be written in the format asked for.

    The message starts with the file's name.
    """


class _OneLineErrors(logging.Filter):
    """Log our conversion errors as their one-line message, without a traceback.

    nbconvert logs every failed conversion with its traceback, which for a
    file that does not parse is 15 lines of nbconvert's internals ahead of
    the line that says where the file is wrong.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, (NotebookParseError, NotebookConversionError)):
            record.msg, record.args = "%s", (str(error),)
            record.exc_info = record.exc_text = None
        return True


def _report_in_one_line(log: Any) -> None:
    """Have *log* (nbconvert's application's, when it runs) log our errors in one line."""
    logger: logging.Logger = getattr(log, "logger", log)  # a LoggerAdapter's, or log itself
    if not any(isinstance(known, _OneLineErrors) for known in logger.filters):
        logger.addFilter(_OneLineErrors())


class JupyterImportMixin:
    """Allow ``*.jupyter`` files as input to exporters.

    This is used in all exporters here as a "mixin" class, before the
    nbconvert exporter it extends.
    """

    #: The format of the file being converted (None: given a notebook, not a file).
    source_format: Format | None = None
    #: The name of the file being converted, for messages.
    source_name = "<notebook>"

    def from_file(
        self,
        file_stream: Any,
        resources: dict[str, Any] | None = None,
        jupyter_format: bool | None = None,
        **kw: Any,
    ) -> tuple[Any, dict[str, Any]]:
        """Convert a notebook read from *file_stream*.

        :param jupyter_format: whether the stream holds ``.jupyter`` text
            (``True``) or ``.ipynb`` JSON (``False``); by default its
            content tells.
        """
        text = file_stream.read()
        data = text.encode("utf-8") if isinstance(text, str) else text
        name = str(getattr(file_stream, "name", "<stream>"))
        if jupyter_format is None:
            file_format = content_format(Path(name), data)
        else:
            file_format = Format.JUPYTER if jupyter_format else Format.IPYNB
        _report_in_one_line(self.log)  # type: ignore[attr-defined]
        try:
            nb, problems = notebook_from_bytes(data, file_format)
        except ParseError as error:
            raise NotebookParseError(error.msg, error.lineno, error.colno, name) from None
        except NotebookFileError as error:  # an .ipynb file that is not a notebook
            raise _problem_error(error.problem, name) from None
        if problems:
            # nbconvert stops on invalid notebooks after its first preprocessor, with
            # a schema dump; this says where the problem is, before anything runs.
            raise _problem_error(problems[0], name)
        self.source_format, self.source_name = file_format, name
        try:
            return self.from_notebook_node(nb, resources=resources, **kw)  # type: ignore[attr-defined,no-any-return]
        finally:
            self.source_format, self.source_name = None, "<notebook>"


def _problem_error(problem: Problem, name: str) -> NotebookParseError:
    return NotebookParseError(problem.message, problem.line or 1, problem.column or 1, name)


class JupyterExporter(JupyterImportMixin, exporters.Exporter):
    """Convert Jupyter notebooks to ``.jupyter`` format."""

    file_extension = ".jupyter"
    output_mimetype = "text/plain"

    def from_notebook_node(  # type: ignore[override]  # text, as nbconvert's text exporters
        self, nb: NotebookNode, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[str, dict[str, Any]]:
        """Return the ``.jupyter`` text of *nb* (after nbconvert's preprocessors)."""
        nb_copy, resources = super().from_notebook_node(nb, resources, **kw)
        if self.source_format is Format.JUPYTER:
            # As nbconvert does for .ipynb to .ipynb: x.nbconvert.jupyter, not over x.jupyter.
            resources["output_suffix"] = ".nbconvert"
        return serialize(nb_copy), resources


# nbconvert's exporters, reading .jupyter files too.


class ASCIIDocExporter(JupyterImportMixin, exporters.ASCIIDocExporter):
    """See :class:`nbconvert.exporters.ASCIIDocExporter`."""


class HTMLExporter(JupyterImportMixin, exporters.HTMLExporter):
    """See :class:`nbconvert.exporters.HTMLExporter`."""


class LatexExporter(JupyterImportMixin, exporters.LatexExporter):
    """See :class:`nbconvert.exporters.LatexExporter`."""


class MarkdownExporter(JupyterImportMixin, exporters.MarkdownExporter):
    """See :class:`nbconvert.exporters.MarkdownExporter`."""


class NotebookExporter(JupyterImportMixin, exporters.NotebookExporter):
    """See :class:`nbconvert.exporters.NotebookExporter` (``.ipynb`` output)."""

    def from_notebook_node(  # type: ignore[override]  # JSON text, as nbconvert's
        self, nb: NotebookNode, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[str, dict[str, Any]]:
        """Return the ``.ipynb`` JSON of *nb*, named after a ``.jupyter`` source as it is."""
        output: str
        output, resources = super().from_notebook_node(nb, resources, **kw)  # type: ignore[no-untyped-call]
        surrogate = lone_surrogate(output)
        if surrogate is not None:
            # nbconvert would fail writing it, and leave an empty file behind.
            raise NotebookConversionError(
                f"{self.source_name}: {lone_surrogate_message(surrogate)}"
            )
        if self.source_format is Format.JUPYTER:
            # x.jupyter becomes x.ipynb: there is no source file to keep clear of.
            resources.pop("output_suffix", None)
        return output, resources


class PDFExporter(JupyterImportMixin, exporters.PDFExporter):
    """See :class:`nbconvert.exporters.PDFExporter`."""


class PythonExporter(JupyterImportMixin, exporters.PythonExporter):
    """See :class:`nbconvert.exporters.PythonExporter`."""


class QtPDFExporter(JupyterImportMixin, exporters.QtPDFExporter):
    """See :class:`nbconvert.exporters.QtPDFExporter`."""


class QtPNGExporter(JupyterImportMixin, exporters.QtPNGExporter):
    """See :class:`nbconvert.exporters.QtPNGExporter`."""


class RSTExporter(JupyterImportMixin, exporters.RSTExporter):
    """See :class:`nbconvert.exporters.RSTExporter`."""


class ScriptExporter(JupyterImportMixin, exporters.ScriptExporter):
    """See :class:`nbconvert.exporters.ScriptExporter`."""


class SlidesExporter(JupyterImportMixin, exporters.SlidesExporter):
    """See :class:`nbconvert.exporters.SlidesExporter`."""


class WebPDFExporter(JupyterImportMixin, exporters.WebPDFExporter):
    """See :class:`nbconvert.exporters.WebPDFExporter`."""
