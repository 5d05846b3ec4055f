"""Many clients saving at once: files on disk always parse, the last save wins intact."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import nbformat
import pytest

import jupyter_format
from servers import jupyter_server

CLIENTS = 20
SECONDS = float(os.environ.get("JUPYTER_FORMAT_LOAD_SECONDS", "30"))


def version(client: int, iteration: int) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell(f"client {client}", id="who"))
    cell = nbformat.v4.new_code_cell(
        f"iteration = {iteration}", id="run", execution_count=iteration
    )
    # Enough text that a write takes a while and a torn one would show.
    cell.outputs.append(nbformat.v4.new_output("stream", text=f"{client}:{iteration}\n" * 2000))
    nb.cells.append(cell)
    return nb


@pytest.mark.parametrize(
    "option",
    [
        "",
        "--ServerApp.contents_manager_class="
        "jupyter_server.services.contents.filemanager.FileContentsManager",
    ],
    ids=["async manager", "sync manager"],
)
def test_concurrent_saves(tmp_path: Path, option: str) -> None:
    root = tmp_path / "root"
    root.mkdir()
    saved: dict[str, set[str]] = {f"client-{n}.jupyter": set() for n in range(CLIENTS)}
    saved["shared.jupyter"] = set()
    lock = threading.Lock()
    problems: list[str] = []
    stop = threading.Event()
    saves = [0] * CLIENTS

    with jupyter_server(root, *([option] if option else [])) as server:

        def save(name: str, nb: nbformat.NotebookNode) -> None:
            text = jupyter_format.serialize(nb)
            with lock:
                saved[name].add(text)
            status, reply = server.request(
                "PUT",
                f"/api/contents/{name}",
                {"type": "notebook", "format": "json", "content": nb},
            )
            if status not in (200, 201):
                problems.append(f"{name}: HTTP {status} {reply}")

        def client(number: int) -> None:
            iteration = 0
            while not stop.is_set():
                iteration += 1
                save(f"client-{number}.jupyter", version(number, iteration))
                save("shared.jupyter", version(number, iteration))
                saves[number] += 1

        def watcher() -> None:
            # Every file on disk, at any moment: a notebook that was saved whole.
            while not stop.is_set():
                for path in root.glob("*.jupyter"):
                    try:
                        data = path.read_bytes()
                        jupyter_format.deserialize(data)
                    except jupyter_format.ParseError as error:
                        problems.append(f"{path.name} did not parse: {error}")
                        continue
                    with lock:
                        if data.decode() not in saved[path.name]:
                            problems.append(f"{path.name} holds a version nobody saved")

        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        threads.append(threading.Thread(target=watcher))
        for thread in threads:
            thread.start()
        time.sleep(SECONDS)
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
        last = version(-1, 0)
        save("shared.jupyter", last)
        assert not problems, problems[:5]
        assert jupyter_format.read(root / "shared.jupyter") == last
        assert all(count > 0 for count in saves), saves
        # No temporary file of the atomic writes is left behind.
        assert sorted(p.name for p in root.iterdir() if p.name != ".ipynb_checkpoints") == sorted(
            saved
        )
