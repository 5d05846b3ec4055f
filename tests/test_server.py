"""REST-level tests of the Jupyter integration against real jupyter_server processes."""

from __future__ import annotations

import hashlib
import itertools
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat
import pytest

import jupyter_format
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
    from jupyter_format._files import without_transient_fields

    odd = {"nbformat": 4, "metadata": [], "cells": [{"cell_type": "x"}, "not a cell"]}
    assert without_transient_fields(odd) == odd
    assert without_transient_fields({"nbformat": 4, "cells": {}}) == {"nbformat": 4, "cells": {}}
    upgraded = notebook()
    upgraded.metadata.update(orig_nbformat=3, signature="sha256:x")
    upgraded.cells[0].metadata["trusted"] = True
    assert without_transient_fields(upgraded) == notebook()
    assert upgraded.metadata.orig_nbformat == 3  # the caller's notebook is left alone


def test_api_paths_outside_the_root() -> None:
    from types import SimpleNamespace

    from jupyter_format.contents_manager import _api_path

    manager = SimpleNamespace(root_dir="/nonexistent/root")
    assert _api_path(manager, "/elsewhere/a.jupyter") == "/elsewhere/a.jupyter"
    assert _api_path(manager, "/nonexistent/root/sub/a.jupyter") == "sub/a.jupyter"
