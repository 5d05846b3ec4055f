"""The public API: functions, file handling, errors."""

from __future__ import annotations

import io
import pickle
import re
import stat
from pathlib import Path
from typing import Any

import nbformat
import pytest

import jupyter_format
from strategies import as_json_text

TEXT = "nbformat 4\nnbformat_minor 5\nmarkdown id=a\n    # Hi\nnotebook_metadata\n    {}\n"


def small_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("# Hi", id="a"))
    nb.cells.append(nbformat.v4.new_code_cell("print(1)", id="b", execution_count=1))
    nb.cells[1].outputs.append(nbformat.v4.new_output("stream", text="1\n"))
    return nb


def test_public_names() -> None:
    assert jupyter_format.SUFFIX == ".jupyter"
    assert set(jupyter_format.__all__) >= {
        "serialize",
        "deserialize",
        "generate_lines",
        "ParseError",
        "SUFFIX",
        "reads",
        "writes",
        "read",
        "write",
        "SerializeError",
    }


def test_reads_returns_notebook_nodes_all_the_way_down() -> None:
    nb = jupyter_format.reads(
        TEXT.replace("{}", '{"kernelspec": {"name": "python3", "display_name": "P"}}')
    )
    assert isinstance(nb, nbformat.NotebookNode)
    assert nb.metadata.kernelspec.name == "python3"
    assert nb.cells[0].source == "# Hi"
    nb.cells[0].metadata.tags = ["new"]
    assert nb.cells[0]["metadata"]["tags"] == ["new"]
    assert pickle.loads(pickle.dumps(nb)) == nb
    nbformat.validate(nb)


def test_deserialize_accepts_str_bytes_and_lines() -> None:
    expected = jupyter_format.deserialize(TEXT)
    assert jupyter_format.deserialize(TEXT.encode()) == expected
    assert jupyter_format.deserialize(bytearray(TEXT.encode())) == expected
    assert jupyter_format.deserialize(io.StringIO(TEXT)) == expected
    # Lines of an iterable may omit their newline, as in the original API.
    assert jupyter_format.deserialize(TEXT.splitlines()) == expected


def test_a_missing_final_newline_is_fine() -> None:
    assert jupyter_format.deserialize(TEXT.rstrip("\n")) == jupyter_format.deserialize(TEXT)


def test_lone_surrogates_in_a_string_are_a_parse_error() -> None:
    with pytest.raises(jupyter_format.ParseError) as info:
        jupyter_format.deserialize(TEXT.replace("# Hi", "# H\ud800"))
    assert (info.value.lineno, info.value.colno) == (4, 8)
    assert "lone surrogate" in info.value.msg


def test_parse_error_is_a_value_error_that_pickles() -> None:
    error = jupyter_format.ParseError("expected x, got 'y'", 12, 2)
    assert isinstance(error, ValueError)
    assert str(error) == "line 12, column 2: expected x, got 'y'"
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.msg, copy.lineno, copy.colno, str(copy)) == (
        error.msg,
        error.lineno,
        error.colno,
        str(error),
    )


def test_read_and_write_paths(tmp_path: Path) -> None:
    nb = small_notebook()
    path = tmp_path / "nb.jupyter"
    jupyter_format.write(nb, path)
    assert jupyter_format.read(path) == nb
    assert jupyter_format.read(str(path)) == nb
    assert path.read_bytes() == jupyter_format.serialize(nb).encode()


def test_read_and_write_file_objects(tmp_path: Path) -> None:
    nb = small_notebook()
    path = tmp_path / "nb.jupyter"
    with path.open("w", encoding="utf-8", newline="") as file:
        jupyter_format.write(nb, file)
    with path.open(encoding="utf-8", newline="") as file:
        assert jupyter_format.read(file) == nb
    with path.open("rb") as file:
        assert jupyter_format.read(file) == nb


def test_write_is_atomic_and_keeps_permissions(tmp_path: Path) -> None:
    path = tmp_path / "nb.jupyter"
    path.write_text("old content", encoding="utf-8")
    path.chmod(0o640)
    jupyter_format.write(small_notebook(), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["nb.jupyter"]


def test_failed_write_leaves_the_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "nb.jupyter"
    path.write_text("old content", encoding="utf-8")
    nb = small_notebook()
    nb.metadata["bad"] = {1, 2}
    with pytest.raises(jupyter_format.SerializeError):
        jupyter_format.write(nb, path)
    assert path.read_text(encoding="utf-8") == "old content"

    def refuse(written: bytes) -> None:
        raise RuntimeError("disk said no")

    from jupyter_format._io import atomic_write_text

    with pytest.raises(RuntimeError, match="disk said no"):
        atomic_write_text(path, "new", refuse)
    assert path.read_text(encoding="utf-8") == "old content"
    assert [p.name for p in tmp_path.iterdir()] == ["nb.jupyter"]


def test_versions_convert_like_nbformat() -> None:
    nb = small_notebook()
    v3 = jupyter_format.reads(jupyter_format.writes(nb), as_version=3)
    assert v3.nbformat == 3
    assert jupyter_format.reads(jupyter_format.writes(nb), nbformat.NO_CONVERT) == nb
    # A v3 notebook is upgraded on writing, as nbformat.writes(nb, 4) would.
    upgraded = jupyter_format.reads(jupyter_format.writes(v3))
    assert upgraded.nbformat == 4
    assert [cell.source for cell in upgraded.cells] == ["# Hi", "print(1)"]
    assert jupyter_format.writes(nb, nbformat.NO_CONVERT) == jupyter_format.serialize(nb)


@pytest.mark.parametrize(
    ("nb", "message"),
    [
        ([], "expected a notebook (a dict), got list"),
        ({"nbformat": 3, "metadata": {}, "cells": []}, "only nbformat 4 notebooks can be written"),
        ({"nbformat": True, "metadata": {}, "cells": []}, "only nbformat 4"),
        ({"nbformat": 4, "cells": []}, "the notebook has no 'metadata' field"),
        ({"nbformat": 4, "metadata": {}}, "the notebook has no 'cells' field"),
        (
            {"nbformat": 4, "metadata": {"x": b"bytes"}, "cells": []},
            "notebook_metadata is not JSON data",
        ),
        ({"nbformat": 4, "metadata": {1: "int key"}, "cells": []}, "keys must be strings"),
        ({"nbformat": 4, "nbformat_minor": {1}, "metadata": {}, "cells": []}, "not JSON data"),
        (
            {"nbformat": 4, "metadata": {}, "cells": [{"cell_type": "code", "x": object()}]},
            "cell 0: cell_json is not JSON data",
        ),
        (
            {
                "nbformat": 4,
                "metadata": {},
                "cells": [
                    {
                        "cell_type": "code",
                        "source": "",
                        "metadata": {},
                        "execution_count": None,
                        "outputs": [
                            {
                                "output_type": "display_data",
                                "metadata": {},
                                "data": {"application/json": {1j}},
                            }
                        ],
                    }
                ],
            },
            "cell 0: output 0: application/json is not JSON data",
        ),
    ],
)
def test_what_the_format_cannot_hold_is_a_serialize_error(nb: Any, message: str) -> None:
    with pytest.raises(jupyter_format.SerializeError, match=re.escape(message)):
        jupyter_format.serialize(nb)


def test_circular_metadata_is_a_serialize_error() -> None:
    nb = small_notebook()
    loop: list[Any] = []
    loop.append(loop)
    nb.metadata["loop"] = loop
    with pytest.raises(jupyter_format.SerializeError, match="nested too deeply"):
        jupyter_format.serialize(nb)


def test_json_blocks_match_nbformats_json() -> None:
    import json

    from jupyter_format._json import encode_block

    value = {
        "b": [1, 2.5, -0.0, float("inf"), float("-inf"), None, True, False, (1,)],
        "a": {},
        "c": [],
    }
    expected = json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False)
    assert encode_block(value, "") == expected + "\n"
    assert encode_block(float("nan"), "    ") == "    NaN\n"


def test_nan_survives_the_round_trip() -> None:
    nb = small_notebook()
    nb.metadata["nan"] = float("nan")
    back = jupyter_format.deserialize(jupyter_format.serialize(nb))
    assert as_json_text(back) == as_json_text(nb)


def test_the_original_cell_line_reads_without_validation() -> None:
    text = "nbformat 4\nnbformat_minor 4\ncode 3\n    x\nnotebook_metadata\n    {}\n"
    assert jupyter_format.deserialize(text, validate=False).cells[0].execution_count == 3


def test_writing_with_validation_checks_the_minor_version() -> None:
    nb = {"nbformat": 4, "metadata": {}, "cells": []}
    with pytest.raises(nbformat.ValidationError, match="nbformat_minor is missing"):
        jupyter_format.writes(nb, validate=True)


def test_python_dash_m(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import runpy

    monkeypatch.setattr("sys.argv", ["jupyter-format", "--version"])
    with pytest.raises(SystemExit) as info:
        runpy.run_module("jupyter_format", run_name="__main__")
    assert info.value.code == 0
    assert capsys.readouterr().out.startswith("jupyter-format ")


def test_text_blocks_keep_adjacent_lone_surrogates_apart() -> None:
    # JSON cannot (it would read a pair as one character), escaped lines can.
    nb = small_notebook()
    nb.cells[0].source = "high \ud800\udfff low"
    text = jupyter_format.serialize(nb)
    assert "   \\high \\ud800\\udfff low\n" in text
    assert jupyter_format.deserialize(text).cells[0].source == "high \ud800\udfff low"


def test_files_are_read_without_mapping_where_mapping_is_unwelcome(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jupyter_format import _reader

    path = tmp_path / "nb.jupyter"
    path.write_text(TEXT, encoding="utf-8")
    monkeypatch.setattr(_reader, "_MAP_FILES", False)
    assert jupyter_format.read(path) == jupyter_format.reads(TEXT)
    # The file can be replaced at once, as Windows requires of unmapped files.
    jupyter_format.write(jupyter_format.read(path), path)


def test_jupyter_finds_the_extensions() -> None:
    from pathlib import Path

    points = jupyter_format._jupyter_server_extension_points()
    assert points == [{"module": "jupyter_format._server_extension"}]
    (labextension,) = jupyter_format._jupyter_labextension_paths()
    built = Path(jupyter_format.__file__).parent / labextension["src"] / "package.json"
    assert built.is_file()
    assert labextension["dest"] == "jupyter-format"
