"""REST-level tests of the Jupyter integration against real jupyter_server processes."""

from __future__ import annotations

import contextlib
import copy
import hashlib
import itertools
import json
import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat
import pytest

import jupyter_format
from jupyter_format import _files, contents_manager
from jupyter_format._cli import main
from jupyter_format._format.conflicts import with_conflict_markers
from jupyter_format._format.json_blocks import MAX_NESTING
from servers import JupyterServer, jupyter_server

if TYPE_CHECKING:
    from collections.abc import Iterator

MANAGERS = {
    # Nothing configured: the extension derives from the server's default,
    # the asynchronous AsyncLargeFileManager.
    "zero configuration": [],
    "derived from a synchronous manager": [
        "--ServerApp.contents_manager_class="
        "jupyter_server.services.contents.filemanager.FileContentsManager"
    ],
    "explicit FileContentsManager": [
        "--ServerApp.contents_manager_class=jupyter_format.contents_manager.FileContentsManager"
    ],
    "explicit AsyncFileContentsManager": [
        "--ServerApp.contents_manager_class="
        "jupyter_format.contents_manager.AsyncFileContentsManager"
    ],
}
_directories = itertools.count()


@pytest.fixture(scope="module", params=list(MANAGERS), ids=list(MANAGERS))
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[JupyterServer]:
    root = tmp_path_factory.mktemp("root")
    with jupyter_server(root, *MANAGERS[request.param]) as running:
        yield running


@pytest.fixture
def folder(server: JupyterServer) -> str:
    """A fresh directory under the server's root, as an API path."""
    name = f"test-{next(_directories)}"
    (server.root / name).mkdir()
    return name


def notebook(source: str = "print('hello')") -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nb.cells.append(nbformat.v4.new_markdown_cell("# A notebook", id="title"))
    cell = nbformat.v4.new_code_cell(source, id="code", execution_count=1)
    cell.outputs.append(nbformat.v4.new_output("stream", text="hello\n"))
    nb.cells.append(cell)
    return nb


def put_notebook(server: JupyterServer, path: str, nb: Any) -> tuple[int, Any]:
    """Save a notebook; the status is 201 for a new file, 200 for an existing one."""
    status, model = server.request(
        "PUT", f"/api/contents/{path}", {"type": "notebook", "format": "json", "content": nb}
    )
    assert status in (200, 201), model
    return status, model


def test_the_server_uses_a_jupyter_format_manager(server: JupyterServer) -> None:
    assert "jupyter_format: .jupyter files open as notebooks" in server.log_text()


def test_jupyter_files_are_listed_as_notebooks(server: JupyterServer, folder: str) -> None:
    jupyter_format.write(notebook(), server.root / folder / "a.jupyter")
    (server.root / folder / "b.jupyter").mkdir()
    (server.root / folder / "c.txt").write_text("text")
    status, model = server.request("GET", f"/api/contents/{folder}")
    assert status == 200
    types = {item["name"]: item["type"] for item in model["content"]}
    assert types == {"a.jupyter": "notebook", "b.jupyter": "directory", "c.txt": "file"}


def test_a_jupyter_file_opens_as_a_notebook_with_its_hash(
    server: JupyterServer, folder: str
) -> None:
    path = server.root / folder / "a.jupyter"
    jupyter_format.write(notebook(), path)
    status, model = server.request("GET", f"/api/contents/{folder}/a.jupyter?hash=1")
    assert status == 200
    assert model["type"] == "notebook"
    assert model["format"] == "json"
    assert model["hash"] == hashlib.sha256(path.read_bytes()).hexdigest()
    content = model["content"]
    for cell in content["cells"]:
        cell["metadata"].pop("trusted", None)
    assert content == json.loads(json.dumps(notebook()))


def test_saving_writes_jupyter_text(server: JupyterServer, folder: str) -> None:
    path = server.root / folder / "a.jupyter"
    nb = notebook("print('saved')")
    nb.cells[1].metadata["trusted"] = True  # what the frontend sends back
    status, saved = put_notebook(server, f"{folder}/a.jupyter", nb)
    assert status == 201
    text = path.read_text(encoding="utf-8")
    assert text.startswith("nbformat 4\nnbformat_minor 5\n")
    assert "    print('saved')\n" in text
    assert "trusted" not in text
    # What the frontend checks before the next save, to tell whether the file
    # changed on disk meanwhile.
    status, model = server.request("GET", f"/api/contents/{folder}/a.jupyter?content=0&hash=1")
    assert model["hash"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert model["last_modified"] == saved["last_modified"]
    del nb.cells[1].metadata["trusted"]
    assert jupyter_format.read(path) == nb
    # The atomic write left nothing behind.
    assert sorted(p.name for p in path.parent.iterdir()) == [".ipynb_checkpoints", "a.jupyter"]


def test_ipynb_files_are_left_to_the_server(server: JupyterServer, folder: str) -> None:
    put_notebook(server, f"{folder}/a.ipynb", notebook())
    assert nbformat.read(server.root / folder / "a.ipynb", 4) == notebook()
    assert (server.root / folder / "a.ipynb").read_text(encoding="utf-8").startswith("{")


def test_saving_drops_the_volatile_fields_a_project_names(
    server: JupyterServer, folder: str
) -> None:
    (server.root / folder / "pyproject.toml").write_text(
        "[tool.jupyter-format]\ndrop-execution-counts = true\n", encoding="utf-8"
    )
    put_notebook(server, f"{folder}/a.jupyter", notebook())
    saved = jupyter_format.read(server.root / folder / "a.jupyter")
    assert saved.cells[1].execution_count is None
    assert saved.cells[1].outputs == notebook().cells[1].outputs


def test_unusable_project_settings_are_a_400_and_the_file_stays(
    server: JupyterServer, folder: str
) -> None:
    (server.root / folder / "pyproject.toml").write_text(
        "[tool.jupyter-format]\ndrop-timing = 1\n", encoding="utf-8"
    )
    path = server.root / folder / "a.jupyter"
    jupyter_format.write(notebook(), path)
    before = path.read_bytes()
    status, reply = server.request(
        "PUT",
        f"/api/contents/{folder}/a.jupyter",
        {"type": "notebook", "format": "json", "content": notebook("changed")},
    )
    assert status == 400
    assert reply["message"].startswith(f"{folder}/a.jupyter: ")
    assert reply["message"].endswith("[tool.jupyter-format] drop-timing must be true or false")
    assert path.read_bytes() == before


def test_a_file_that_does_not_parse_is_a_400_and_stays_as_it_was(
    server: JupyterServer, folder: str
) -> None:
    path = server.root / folder / "broken.jupyter"
    original = b"nbformat 4\nnbformat_minor 5\nmarkdown id=a\n    text\n stream stdout\n"
    path.write_bytes(original)
    status, reply = server.request("GET", f"/api/contents/{folder}/broken.jupyter")
    assert status == 400
    assert reply["message"] == (
        f"{folder}/broken.jupyter:5:1: expected an attachment, cell_metadata, a new cell or "
        "'notebook_metadata', got ' stream stdout'"
    )
    assert path.read_bytes() == original
    assert sorted(p.name for p in path.parent.iterdir()) == ["broken.jupyter"]


def test_an_invalid_notebook_opens_with_a_message(server: JupyterServer, folder: str) -> None:
    path = server.root / folder / "invalid.jupyter"
    path.write_text(
        'nbformat 4\nnbformat_minor 5\nmarkdown id=a\n cell_metadata\n    {"tags": "x"}\n'
        "notebook_metadata\n    {}\n",
        encoding="utf-8",
    )
    status, model = server.request("GET", f"/api/contents/{folder}/invalid.jupyter")
    assert status == 200
    assert f"{folder}/invalid.jupyter:4:2: invalid notebook" in model["message"]


def test_a_jupyter_file_holding_ipynb_json_opens_and_is_saved_as_text(
    server: JupyterServer, folder: str
) -> None:
    path = server.root / folder / "renamed.jupyter"
    nbformat.write(notebook(), path)
    status, model = server.request("GET", f"/api/contents/{folder}/renamed.jupyter")
    assert status == 200
    assert [cell["source"] for cell in model["content"]["cells"]] == [
        "# A notebook",
        "print('hello')",
    ]
    assert put_notebook(server, f"{folder}/renamed.jupyter", model["content"])[0] == 200
    assert path.read_text(encoding="utf-8").startswith("nbformat 4\n")


def test_renaming_an_ipynb_file_to_jupyter(server: JupyterServer, folder: str) -> None:
    nbformat.write(notebook(), server.root / folder / "a.ipynb")
    status, model = server.request(
        "PATCH", f"/api/contents/{folder}/a.ipynb", {"path": f"{folder}/a.jupyter"}
    )
    assert status == 200
    assert model["type"] == "notebook"
    status, model = server.request("GET", f"/api/contents/{folder}/a.jupyter")
    assert status == 200
    assert put_notebook(server, f"{folder}/a.jupyter", model["content"])[0] == 200
    assert jupyter_format.read(server.root / folder / "a.jupyter") == notebook()


def test_renaming_a_jupyter_file_to_ipynb(server: JupyterServer, folder: str) -> None:
    jupyter_format.write(notebook(), server.root / folder / "a.jupyter")
    status, model = server.request(
        "PATCH", f"/api/contents/{folder}/a.jupyter", {"path": f"{folder}/a.ipynb"}
    )
    assert status == 200
    # The file now holds .jupyter text under an .ipynb name: it opens as what it holds.
    path = server.root / folder / "a.ipynb"
    status, model = server.request("GET", f"/api/contents/{folder}/a.ipynb?hash=1")
    assert status == 200, model
    assert model["hash"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert [cell["source"] for cell in model["content"]["cells"]] == [
        "# A notebook",
        "print('hello')",
    ]
    # The next save writes what the suffix says: nbformat's JSON.
    assert put_notebook(server, f"{folder}/a.ipynb", model["content"])[0] == 200
    assert path.read_text(encoding="utf-8").startswith("{")
    assert nbformat.read(path, 4) == notebook()


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("nbformat 4\nnbformat_minor 5\nmarkdown id=a\n    text\n stream stdout\n", "5:1"),
        ("<<<<<<< ours\nnbformat 4\n=======\nnbformat 4\n>>>>>>> theirs\n", "3:1"),
    ],
    ids=["broken", "merge conflict of broken sides"],
)
def test_an_ipynb_file_of_jupyter_text_that_does_not_parse_is_a_400(
    server: JupyterServer, folder: str, text: str, position: str
) -> None:
    path = server.root / folder / "broken.ipynb"
    path.write_text(text, encoding="utf-8")
    status, reply = server.request("GET", f"/api/contents/{folder}/broken.ipynb")
    assert status == 400
    assert reply["message"].startswith(f"{folder}/broken.ipynb:{position}: ")
    assert "\n" not in reply["message"]
    assert path.read_text(encoding="utf-8") == text


CONFLICTED = Path(__file__).parent / "vectors" / "conflicted"


def without_side(content: dict[str, Any], side: str) -> dict[str, Any]:
    """The conflict view after a person deleted the cells of *side*."""
    kept = copy.deepcopy(content)
    kept["cells"] = [
        cell
        for cell in kept["cells"]
        if cell["metadata"].get("jupyter_format_conflict", {}).get("side") != side
    ]
    return kept


@pytest.mark.parametrize("suffix", [".jupyter", ".ipynb"])
def test_a_conflicted_notebook_opens_as_its_conflict_view_and_saves_resolved(
    server: JupyterServer, folder: str, suffix: str
) -> None:
    # An .ipynb file that the merge driver left in conflict holds .jupyter text too.
    conflicted = (CONFLICTED / "cell-source.jupyter").read_text(encoding="utf-8")
    path = server.root / folder / f"merged{suffix}"
    path.write_text(conflicted, encoding="utf-8")
    status, model = server.request("GET", f"/api/contents/{folder}/merged{suffix}")
    assert status == 200, model
    view = model["content"]
    marks = [cell["metadata"].get("jupyter_format_conflict", {}) for cell in view["cells"]]
    assert [mark.get("role") for mark in marks] == [
        None,
        "start",
        "cell",
        "separator",
        "cell",
        "end",
    ]
    assert [mark.get("side") for mark in marks][2:5] == ["ours", None, "theirs"]
    # Saved as it is, the conflict stays: the very same text.
    put_notebook(server, f"{folder}/merged{suffix}", view)
    assert path.read_text(encoding="utf-8") == conflicted
    assert main(["check", str(path)]) == 1
    # Theirs' cell deleted and saved: ours' notebook, in the format the name says.
    put_notebook(server, f"{folder}/merged{suffix}", without_side(view, "theirs"))
    ours = jupyter_format.read(CONFLICTED / "cell-source.ours.jupyter")
    if suffix == ".jupyter":
        expected = (CONFLICTED / "cell-source.ours.jupyter").read_text(encoding="utf-8")
        assert path.read_text(encoding="utf-8") == expected
    else:
        assert path.read_text(encoding="utf-8").startswith("{")
        assert nbformat.read(path, 4) == ours
    assert main(["check", str(path)]) == 0
    status, model = server.request("GET", f"/api/contents/{folder}/merged{suffix}")
    assert [cell["id"] for cell in model["content"]["cells"]] == ["intro", "years"]


def test_a_conflict_view_that_cannot_be_resolved_is_a_400_and_the_file_stays(
    server: JupyterServer, folder: str
) -> None:
    ours = notebook()
    theirs = notebook()
    ours.metadata["owner"], theirs.metadata["owner"] = "ana", "bo"
    conflicted = with_conflict_markers(jupyter_format.writes(ours), jupyter_format.writes(theirs))[
        0
    ]
    path = server.root / folder / "merged.jupyter"
    path.write_text(conflicted, encoding="utf-8")
    status, model = server.request("GET", f"/api/contents/{folder}/merged.jupyter")
    view = without_side(model["content"], "theirs")
    view["cells"][1]["source"] = "{not json"
    status, reply = server.request(
        "PUT",
        f"/api/contents/{folder}/merged.jupyter",
        {"type": "notebook", "format": "json", "content": view},
    )
    assert status == 400
    assert reply["message"] == (
        f"{folder}/merged.jupyter:1:2: the notebook metadata kept in cell 2 is not JSON: "
        "Expecting property name enclosed in double quotes"
    )
    assert path.read_text(encoding="utf-8") == conflicted


@pytest.mark.parametrize("suffix", [".jupyter", ".ipynb"])
def test_saving_through_a_symbolic_link_keeps_the_link(
    server: JupyterServer, folder: str, suffix: str
) -> None:
    # The link's target is in another directory: a temporary file beside the
    # link, renamed over it, would replace the link and leave the target behind.
    target = server.root / folder / "elsewhere" / f"real{suffix}"
    target.parent.mkdir()
    write, read = (
        (jupyter_format.write, jupyter_format.read)
        if suffix == ".jupyter"
        else (nbformat.write, lambda path: nbformat.read(path, 4))
    )
    write(notebook("first"), target)
    link = server.root / folder / f"alias{suffix}"
    link.symlink_to(Path("elsewhere") / target.name)
    assert put_notebook(server, f"{folder}/alias{suffix}", notebook("second"))[0] == 200
    assert link.is_symlink()
    assert link.readlink() == Path("elsewhere") / target.name
    assert read(target) == notebook("second")
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]
    status, model = server.request("GET", f"/api/contents/{folder}/alias{suffix}")
    assert status == 200
    assert model["content"]["cells"][1]["source"] == "second"


def test_saving_through_a_symbolic_link_to_another_file_system(
    server: JupyterServer, folder: str
) -> None:
    # The temporary file of the atomic write must be beside the link's target:
    # from beside the link, it could not be renamed onto another file system.
    shared_memory = Path("/dev/shm")
    if not shared_memory.is_dir() or shared_memory.stat().st_dev == server.root.stat().st_dev:
        pytest.skip("needs /dev/shm on a file system of its own")
    with tempfile.TemporaryDirectory(dir=shared_memory) as name:
        target = Path(name) / "real.jupyter"
        jupyter_format.write(notebook("first"), target)
        inode = target.stat().st_ino
        link = server.root / folder / "alias.jupyter"
        link.symlink_to(target)
        assert put_notebook(server, f"{folder}/alias.jupyter", notebook("second"))[0] == 200
        assert link.is_symlink()
        assert jupyter_format.read(target) == notebook("second")
        # Replaced by a new file (atomically), not rewritten in place.
        assert target.stat().st_ino != inode
        assert sorted(p.name for p in target.parent.iterdir()) == ["real.jupyter"]


def release(fifo: Path) -> None:
    """Let a server that opened *fifo* go on: be the other end, for a moment."""
    with contextlib.suppress(OSError):  # ENXIO: nobody waits to read
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        with contextlib.suppress(BlockingIOError):
            os.read(reader, 1 << 20)
    finally:
        os.close(reader)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
@pytest.mark.parametrize("name", ["x.jupyter", "x.ipynb"])
def test_a_fifo_is_a_400_and_never_opened(server: JupyterServer, folder: str, name: str) -> None:
    fifo = server.root / folder / name
    os.mkfifo(fifo)
    expected = f"{folder}/{name}: not a regular file (a directory, FIFO, socket or device)"
    try:
        # Opening the FIFO would wait for a writer: the request would hang.
        status, reply = server.request("GET", f"/api/contents/{folder}/{name}", timeout=10)
        assert (status, reply["message"]) == (400, expected)
        # And saving, for a reader.
        status, reply = server.request(
            "PUT",
            f"/api/contents/{folder}/{name}",
            {"type": "notebook", "format": "json", "content": notebook()},
            timeout=10,
        )
        assert (status, reply["message"]) == (400, expected)
        assert fifo.is_fifo()
        assert server.request("GET", "/api/status", timeout=10)[0] == 200
    finally:
        release(fifo)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_saving_a_file_to_a_fifo_or_a_notebook_to_a_directory_is_a_400(
    server: JupyterServer, folder: str
) -> None:
    fifo = server.root / folder / "log.txt"
    os.mkfifo(fifo)
    try:
        status, reply = server.request(
            "PUT",
            f"/api/contents/{folder}/log.txt",
            {"type": "file", "format": "text", "content": "text"},
            timeout=10,
        )
        assert status == 400
        assert reply["message"] == f"{folder}/log.txt: {contents_manager.NOT_A_REGULAR_FILE}"
    finally:
        release(fifo)
    (server.root / folder / "d.jupyter").mkdir()
    status, reply = server.request(
        "PUT",
        f"/api/contents/{folder}/d.jupyter",
        {"type": "notebook", "format": "json", "content": notebook()},
        timeout=10,
    )
    assert status == 400
    assert reply["message"] == f"{folder}/d.jupyter: {contents_manager.NOT_A_REGULAR_FILE}"


@pytest.mark.parametrize(
    "text",
    [
        "nbformat 4\nnbformat_minor 5\ncode id=a\n    x\n execution_count "
        + "1" * 5000
        + "\nnotebook_metadata\n    {}\n",
        'nbformat 4\nnbformat_minor 5\nnotebook_metadata\n    {"a": '
        + "[" * 500
        + "]" * 500
        + "}\n",
    ],
    ids=["5000 digits", "500 levels"],
)
def test_hostile_jupyter_files_are_a_400(server: JupyterServer, folder: str, text: str) -> None:
    path = server.root / folder / "hostile.jupyter"
    path.write_text(text, encoding="utf-8")
    status, reply = server.request("GET", f"/api/contents/{folder}/hostile.jupyter")
    assert status == 400, reply
    assert re.match(rf"{folder}/hostile\.jupyter:\d+:\d+: \S", reply["message"]), reply
    assert "\n" not in reply["message"]


def nested(levels: int) -> Any:
    """A notebook whose JSON nests *levels* deep: its metadata holds nested lists."""
    value: list[Any] = []
    for _ in range(levels - 3):
        value = [value]
    nb = notebook()
    nb.metadata["a"] = value
    return nb


@pytest.mark.parametrize("suffix", [".jupyter", ".ipynb"])
def test_notebooks_nested_too_deeply_are_a_400_and_nothing_is_written(
    server: JupyterServer, folder: str, suffix: str
) -> None:
    limit = MAX_NESTING
    existing = server.root / folder / f"existing{suffix}"
    put_notebook(server, f"{folder}/existing{suffix}", notebook())
    before = existing.read_bytes()
    # Deeper than nbformat can go, not yet too deep for the server's JSON decoder.
    for name in (f"new{suffix}", f"existing{suffix}"):
        status, reply = server.request(
            "PUT",
            f"/api/contents/{folder}/{name}",
            {"type": "notebook", "format": "json", "content": nested(700)},
        )
        assert status == 400, reply
        assert reply["message"] == (
            f"{folder}/{name}: the notebook's JSON is nested more than {limit} levels deep, "
            "more than nbformat can handle"
        )
    assert existing.read_bytes() == before
    assert not (server.root / folder / f"new{suffix}").exists()
    # The limit itself is fine.
    assert put_notebook(server, f"{folder}/deep{suffix}", nested(limit))[0] == 201
    status, _ = server.request(
        "PUT",
        f"/api/contents/{folder}/deeper{suffix}",
        {"type": "notebook", "format": "json", "content": nested(limit + 1)},
    )
    assert status == 400


def with_lone_surrogate() -> nbformat.NotebookNode:
    return notebook("print('\ud800')")


def test_a_lone_surrogate_cannot_go_to_an_ipynb_file(server: JupyterServer, folder: str) -> None:
    path = server.root / folder / "s.ipynb"
    nbformat.write(notebook(), path)
    before = path.read_bytes()
    for name in ("s.ipynb", "new.ipynb"):
        status, reply = server.request(
            "PUT",
            f"/api/contents/{folder}/{name}",
            {"type": "notebook", "format": "json", "content": with_lone_surrogate()},
        )
        assert status == 400, reply
        assert reply["message"] == (
            f"{folder}/{name}: cannot be written as .ipynb: it holds a lone surrogate "
            "(U+D800), which UTF-8 files cannot hold; a .jupyter file can"
        )
    assert path.read_bytes() == before
    assert not (server.root / folder / "new.ipynb").exists()
    # Other characters beyond ASCII are no lone surrogates, in keys or values.
    non_ascii = notebook("print('café')")
    non_ascii.metadata["clé"] = "valeur"
    assert put_notebook(server, f"{folder}/accents.ipynb", non_ascii)[0] == 201
    assert nbformat.read(server.root / folder / "accents.ipynb", 4) == non_ascii


def test_a_lone_surrogate_goes_to_a_jupyter_file_untrusted(
    server: JupyterServer, folder: str
) -> None:
    path = server.root / folder / "s.jupyter"
    # Trusted: the server would sign it, and nbformat's signatures hash UTF-8.
    nb = with_lone_surrogate()
    for cell in nb.cells:
        cell.metadata["trusted"] = True
    assert put_notebook(server, f"{folder}/s.jupyter", nb)[0] == 201
    assert jupyter_format.read(path) == with_lone_surrogate()
    status, model = server.request("GET", f"/api/contents/{folder}/s.jupyter")
    assert status == 200
    assert model["content"]["cells"][1]["source"] == "print('\ud800')"
    assert model["content"]["cells"][1]["metadata"]["trusted"] is False
    assert "is not signed: it holds a lone surrogate (U+D800)" in server.log_text()


def test_an_ipynb_file_with_an_escaped_lone_surrogate_opens(
    server: JupyterServer, folder: str
) -> None:
    # JSON's \ud800 escape holds one; nbformat reads it, and the server's
    # signature check used to fail on it.
    path = server.root / folder / "s.ipynb"
    path.write_text(json.dumps(with_lone_surrogate()), encoding="utf-8")
    status, model = server.request("GET", f"/api/contents/{folder}/s.ipynb")
    assert status == 200, model
    assert model["content"]["cells"][1]["source"] == "print('\ud800')"
    assert model["content"]["cells"][1]["metadata"]["trusted"] is False


def test_checkpoints(server: JupyterServer, folder: str) -> None:
    path = server.root / folder / "a.jupyter"
    api = f"/api/contents/{folder}/a.jupyter/checkpoints"
    jupyter_format.write(notebook("first"), path)
    status, checkpoint = server.request("POST", api)
    assert status == 201
    status, listed = server.request("GET", api)
    assert [item["id"] for item in listed] == [checkpoint["id"]]
    put_notebook(server, f"{folder}/a.jupyter", notebook("second"))
    assert jupyter_format.read(path).cells[1].source == "second"
    status, _ = server.request("POST", f"{api}/{checkpoint['id']}")
    assert status == 204
    assert jupyter_format.read(path) == notebook("first")
    status, _ = server.request("DELETE", f"{api}/{checkpoint['id']}")
    assert status == 204
    assert server.request("GET", api)[1] == []


def html_notebook() -> nbformat.NotebookNode:
    nb = notebook()
    nb.cells[1].outputs.append(
        nbformat.v4.new_output(
            "display_data",
            data={"text/html": "<b>bold</b>", "application/javascript": "console.log(1)"},
        )
    )
    return nb


def trusted(model: dict[str, Any]) -> bool:
    return bool(model["content"]["cells"][1]["metadata"]["trusted"])


def test_trust_survives_saving_and_reopening(server: JupyterServer, folder: str) -> None:
    api = f"/api/contents/{folder}/html.jupyter"
    jupyter_format.write(html_notebook(), server.root / folder / "html.jupyter")
    # A notebook from elsewhere: its HTML and JavaScript outputs do not run.
    assert not trusted(server.request("GET", api)[1])
    assert server.request("POST", f"{api}/trust")[0] == 201
    status, model = server.request("GET", api)
    assert status == 200
    assert trusted(model)
    assert put_notebook(server, f"{folder}/html.jupyter", model["content"])[0] == 200
    assert trusted(server.request("GET", api)[1])
    # Changed outside the server, it is untrusted again.
    changed = html_notebook()
    changed.cells[1].outputs[1].data["text/html"] = "<script>alert(1)</script>"
    jupyter_format.write(changed, server.root / folder / "html.jupyter")
    assert not trusted(server.request("GET", api)[1])


def test_new_notebooks_stay_ipynb_by_default(server: JupyterServer, folder: str) -> None:
    status, model = server.request("POST", f"/api/contents/{folder}", {"type": "notebook"})
    assert status == 201
    assert model["name"] == "Untitled.ipynb"
    status, model = server.request(
        "POST", f"/api/contents/{folder}", {"type": "notebook", "ext": ".jupyter"}
    )
    assert status == 201
    assert model["name"] == "Untitled.jupyter"
    assert jupyter_format.read(server.root / folder / "Untitled.jupyter").cells == []
    status, model = server.request(
        "PUT",
        f"/api/contents/{folder}/new.jupyter",
        {"type": "notebook", "format": "json", "content": nbformat.v4.new_notebook()},
    )
    assert status == 201
    assert (
        (server.root / folder / "new.jupyter")
        .read_text(encoding="utf-8")
        .startswith("nbformat 4\n")
    )


def test_new_notebooks_are_jupyter_files_when_configured(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    option = "--JupyterFormatContentsManager.new_notebook_suffix=.jupyter"
    with jupyter_server(root, option) as running:
        status, model = running.request("POST", "/api/contents", {"type": "notebook"})
        assert status == 201
        assert model["name"] == "Untitled.jupyter"
        status, model = running.request(
            "POST", "/api/contents", {"type": "notebook", "ext": ".ipynb"}
        )
        assert model["name"] == "Untitled1.jupyter"
        status, model = running.request("POST", "/api/contents", {"type": "file", "ext": ".txt"})
        assert model["name"] == "untitled.txt"
        status, model = running.request("POST", "/api/contents", {"type": "directory"})
        assert model["name"] == "Untitled Folder"
    assert jupyter_format.read(root / "Untitled.jupyter").cells == []


def test_edge_cases_answer_in_one_line(server: JupyterServer, folder: str) -> None:
    # An .ipynb file still opens through the server's own reader.
    nbformat.write(notebook(), server.root / folder / "plain.ipynb")
    status, model = server.request("GET", f"/api/contents/{folder}/plain.ipynb")
    assert (status, model["type"]) == (200, "notebook")
    # A .jupyter file holding JSON that is no notebook.
    (server.root / folder / "json.jupyter").write_text("{}", encoding="utf-8")
    status, reply = server.request("GET", f"/api/contents/{folder}/json.jupyter")
    assert status == 400
    assert reply["message"].startswith(f"{folder}/json.jupyter: not a notebook")
    # A notebook the format cannot hold is refused, and nothing is written.
    old = nbformat.v3.new_notebook()
    status, reply = server.request(
        "PUT",
        f"/api/contents/{folder}/old.jupyter",
        {"type": "notebook", "format": "json", "content": old},
    )
    assert status == 400
    assert "only nbformat 4 notebooks can be written" in reply["message"]
    assert not (server.root / folder / "old.jupyter").exists()
    # An invalid notebook is saved as it is, with nbformat's complaint.
    invalid = notebook()
    invalid.cells[0].metadata["tags"] = "not a list"
    status, reply = put_notebook(server, f"{folder}/invalid.jupyter", invalid)
    assert "invalid notebook" in reply["message"]
    assert jupyter_format.read(server.root / folder / "invalid.jupyter", validate=False) == invalid
    # New notebooks in a folder that does not exist.
    status, reply = server.request(
        "POST", "/api/contents/missing", {"type": "notebook", "ext": ".jupyter"}
    )
    assert status == 404


def test_transient_fields_of_odd_notebooks() -> None:
    without_transient_fields = _files.without_transient_fields
    odd = {"nbformat": 4, "metadata": [], "cells": [{"cell_type": "x"}, "not a cell"]}
    assert without_transient_fields(odd) == odd
    assert without_transient_fields({"nbformat": 4, "cells": {}}) == {"nbformat": 4, "cells": {}}
    assert without_transient_fields(["not", "a notebook"]) == ["not", "a notebook"]
    upgraded = notebook()
    upgraded.metadata.update(orig_nbformat=3, signature="sha256:x")
    upgraded.cells[0].metadata["trusted"] = True
    assert without_transient_fields(upgraded) == notebook()
    assert upgraded.metadata.orig_nbformat == 3  # the caller's notebook is left alone
    assert upgraded.cells[0].metadata.trusted is True


def test_api_paths_outside_the_root() -> None:
    from types import SimpleNamespace

    from jupyter_format.contents_manager import _api_path

    manager = SimpleNamespace(root_dir="/nonexistent/root")
    assert _api_path(manager, "/elsewhere/a.jupyter") == "/elsewhere/a.jupyter"
    assert _api_path(manager, "/nonexistent/root/sub/a.jupyter") == "sub/a.jupyter"


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_options_of_later_jupyter_servers_reach_their_ipynb_writer(
    tmp_path: Path, asynchronous: bool
) -> None:
    import asyncio

    from jupyter_server.services.contents.largefilemanager import (
        AsyncLargeFileManager,
        LargeFileManager,
    )

    received: list[dict[str, Any]] = []

    class Later(LargeFileManager):  # type: ignore[misc]
        def _save_notebook(self, os_path: str, nb: Any, **kwargs: Any) -> None:
            received.append(kwargs)

    class AsyncLater(AsyncLargeFileManager):  # type: ignore[misc]
        async def _save_notebook(self, os_path: str, nb: Any, **kwargs: Any) -> None:
            received.append(kwargs)

    manager = contents_manager.build_contents_manager_class(AsyncLater if asynchronous else Later)(
        root_dir=str(tmp_path)
    )
    for name in ("a.ipynb", "a.jupyter"):
        saved = manager._save_notebook(str(tmp_path / name), notebook(), future_option=1)
        if asynchronous:
            asyncio.run(saved)
    assert received == [{"capture_validation_error": None, "future_option": 1}]
    assert jupyter_format.read(tmp_path / "a.jupyter") == notebook()
