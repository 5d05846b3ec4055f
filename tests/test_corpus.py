"""Every real notebook of the shared corpus comes back identical."""

from __future__ import annotations

import copy
import warnings
from pathlib import Path

import nbformat

import jupyter_format
from strategies import as_json_text


def read_like_the_checks(path: Path) -> tuple[nbformat.NotebookNode, bool] | None:
    """Read a notebook as nbformat.read does; return it and whether nbformat accepts it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception:
            return None
        try:
            nbformat.validate(copy.deepcopy(nb))
        except nbformat.ValidationError:
            return nb, False
    return nb, True


def test_corpus_round_trip(corpus_notebooks: list[Path]) -> None:
    failures = []
    read = valid = 0
    for path in corpus_notebooks:
        result = read_like_the_checks(path)
        if result is None:
            continue
        nb, is_valid = result
        read += 1
        valid += is_valid
        text = jupyter_format.serialize(nb)
        try:
            back = jupyter_format.deserialize(text, validate=is_valid)
        except jupyter_format.ParseError as error:
            failures.append(f"{path.name}: {error}")
            continue
        if as_json_text(back) != as_json_text(nb):
            failures.append(f"{path.name}: differs after the round trip")
        if not is_valid:
            try:
                jupyter_format.deserialize(text)
            except jupyter_format.ParseError:
                pass
            else:
                failures.append(f"{path.name}: invalid, but accepted with validation")
        # .ipynb -> .jupyter -> .ipynb gives what nbformat itself writes.
        assert nbformat.writes(back) == nbformat.writes(nb), path.name
    assert not failures, "\n".join(failures)
    assert read >= 900
    assert valid >= 900


def test_corpus_reads_the_same_with_crlf_line_endings(corpus_notebooks: list[Path]) -> None:
    # What Git for Windows checks out (core.autocrlf=true) where the attributes
    # of `jupyter-format git install` are missing.
    failures = []
    checked = 0
    for path in corpus_notebooks:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                nb = nbformat.read(path, as_version=4)
            except Exception:
                continue
        text = jupyter_format.serialize(nb)
        try:
            back = jupyter_format.deserialize(text.replace("\n", "\r\n"), validate=False)
        except jupyter_format.ParseError as error:
            failures.append(f"{path.name}: {error}")
            continue
        checked += 1
        # Writing is lossless and canonical: the same text means the same notebook.
        if jupyter_format.serialize(back) != text:
            failures.append(f"{path.name}: differs after reading it with CRLF line endings")
    assert not failures, "\n".join(failures)
    assert checked >= 900
