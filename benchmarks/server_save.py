"""Time of a notebook save through Jupyter's REST API: .jupyter against .ipynb, in the same run.

    python benchmarks/server_save.py [--cells N] [--image-kb KB] [--repeat N] [--sync] [--quick]

Starts a Jupyter server (``python -m jupyter_server``, with jupyter_format's
extension as installed) on 127.0.0.1, in a temporary directory and with its
own configuration directories, and saves one generated notebook - N code
cells, each with a source, a line of text output and a PNG-like image of
about KB kilobytes in base64 (default 500 cells of 40 KB: a 20 MB notebook) -
with ``PUT /api/contents/NAME`` as JupyterLab does, to ``bench.ipynb`` and to
``bench.jupyter`` in turn, --repeat times each.  The first save of each file
(which creates it and its checkpoint) is not timed; the order alternates, so
neither format always follows the other.

Times are medians of the whole request, as the client sees it: the same
20 MB of JSON travel and are decoded for both formats, so the ratio
.jupyter/.ipynb (below 1: .jupyter saves faster) is what a user notices.
``--sync`` runs jupyter_server's synchronous FileContentsManager instead of
its default asynchronous one.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jupyter_server
import nbformat

import jupyter_format

if TYPE_CHECKING:
    from collections.abc import Iterator

TOKEN = "server-save-benchmark"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def generated_notebook(cells: int, image_kb: float) -> Any:
    """A notebook of *cells* code cells with images; the same for the same arguments."""
    generator = random.Random(20240229)
    raw_size = int(image_kb * 1000 * 3 / 4)
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    for index in range(cells):
        image = PNG_SIGNATURE + generator.randbytes(raw_size - len(PNG_SIGNATURE))
        outputs = [
            nbformat.v4.new_output("stream", text=f"figure {index}: mean {index * 0.5}\n"),
            nbformat.v4.new_output(
                "display_data",
                data={
                    # One line and a newline, as IPython encodes images.
                    "image/png": base64.b64encode(image).decode("ascii") + "\n",
                    "text/plain": "<Figure size 640x480 with 1 Axes>",
                },
                metadata={"image/png": {"width": 640, "height": 480}},
            ),
        ]
        nb.cells.append(
            nbformat.v4.new_code_cell(
                f"x = np.linspace(0, {index}, 100)\nplt.plot(x, np.sin(x))\nprint(x.mean())",
                id=f"cell-{index}",
                execution_count=index + 1,
                outputs=outputs,
            )
        )
    return nb


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def request(url: str, method: str, body: bytes | None = None) -> int:
    http_request = urllib.request.Request(
        url,
        data=body,
        method=method,
        headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(http_request, timeout=120) as response:
            response.read()
            status: int = response.status
    except urllib.error.HTTPError as error:
        raise SystemExit(f"{method} {url}: HTTP {error.code} {error.read()!r}") from None
    return status


@contextlib.contextmanager
def running_server(directory: Path, sync: bool) -> Iterator[str]:
    """A server on loopback serving *directory*/root; yields its URL."""
    root = directory / "root"
    root.mkdir()
    port = free_port()
    environment = {
        **os.environ,
        # The user's own configuration stays out; the installed one (which
        # enables jupyter_format) stays in.
        "JUPYTER_CONFIG_DIR": str(directory / "config"),
        "JUPYTER_DATA_DIR": str(directory / "data"),
        "JUPYTER_RUNTIME_DIR": str(directory / "runtime"),
        "HOME": str(directory),
    }
    manager = "jupyter_server.services.contents.filemanager.FileContentsManager"
    command = [
        sys.executable,
        "-m",
        "jupyter_server",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={TOKEN}",
        f"--ServerApp.root_dir={root}",
        *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []),
        *([f"--ServerApp.contents_manager_class={manager}"] if sync else []),
    ]
    log = directory / "server.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            command, stdout=log_file, stderr=subprocess.STDOUT, env=environment
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not start:\n{log.read_text(errors='replace')}")
            with contextlib.suppress(OSError):
                if request(f"{url}/api/status", "GET") == 200:
                    break
            time.sleep(0.2)
        yield url
    finally:
        with contextlib.suppress(OSError, SystemExit):
            request(f"{url}/api/shutdown", "POST")
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def timed_save(url: str, name: str, body: bytes) -> float:
    start = time.perf_counter()
    request(f"{url}/api/contents/{name}", "PUT", body)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cells", type=int, default=500)
    parser.add_argument("--image-kb", type=float, default=40, metavar="KB")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--sync", action="store_true", help="the synchronous contents manager")
    parser.add_argument("--quick", action="store_true", help="50 cells, 3 saves of each")
    args = parser.parse_args(argv)
    if args.quick:
        args.cells, args.repeat = 50, 3
    nb = generated_notebook(args.cells, args.image_kb)
    body = json.dumps({"type": "notebook", "format": "json", "content": nb}).encode()
    names = ("bench.ipynb", "bench.jupyter")
    times: dict[str, list[float]] = {name: [] for name in names}
    with tempfile.TemporaryDirectory(prefix="server-save-benchmark-") as name:
        directory = Path(name)
        with running_server(directory, args.sync) as url:
            for file_name in names:
                timed_save(url, file_name, body)
            for iteration in range(args.repeat):
                for file_name in names if iteration % 2 == 0 else reversed(names):
                    times[file_name].append(timed_save(url, file_name, body))
            sizes = {
                file_name: (directory / "root" / file_name).stat().st_size / 1e6
                for file_name in names
            }
    manager = "FileContentsManager (sync)" if args.sync else "AsyncLargeFileManager (default)"
    print(
        f"{args.cells} cells, {len(body) / 1e6:.1f} MB of JSON per request; "
        f"{manager}; median of {args.repeat} saves each, interleaved"
    )
    print(
        f"jupyter_format {jupyter_format.__version__}, jupyter_server "
        f"{jupyter_server.__version__}, nbformat {nbformat.__version__}, "
        f"Python {platform.python_version()}\n"
    )
    medians = {file_name: statistics.median(times[file_name]) for file_name in names}
    print(f"{'':16}{'file':>10}{'median':>10}{'min':>9}{'max':>9}")
    for file_name in names:
        print(
            f"{file_name:16}{sizes[file_name]:7.1f} MB{medians[file_name]:8.3f} s"
            f"{min(times[file_name]):7.3f} s{max(times[file_name]):7.3f} s"
        )
    print(f"\nratio .jupyter/.ipynb: {medians['bench.jupyter'] / medians['bench.ipynb']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
