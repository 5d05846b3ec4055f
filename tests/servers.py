"""Real Jupyter servers on loopback, started as the user would start them."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator

TOKEN = "jupyter-format-tests"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class JupyterServer:
    """A running server: its root directory, URL and a small REST client."""

    def __init__(self, root: Path, port: int, process: subprocess.Popen[bytes], log: Path) -> None:
        self.root = root
        self.port = port
        self.process = process
        self.log = log
        self.url = f"http://127.0.0.1:{port}"

    def request(
        self, method: str, path: str, body: Any = None, timeout: float = 60
    ) -> tuple[int, Any]:
        """Call the REST API; return the status and the decoded JSON reply (or None).

        :raises TimeoutError: if no reply comes within *timeout* seconds.
        """
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url}{path}",
            data=data,
            method=method,
            headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                status, payload = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, payload = error.code, error.read()
        return status, json.loads(payload) if payload else None

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextmanager
def jupyter_server(
    root: Path, *options: str, app: str = "jupyter_server", home: Path | None = None
) -> Iterator[JupyterServer]:
    """Start ``python -m APP`` (jupyter_server, jupyterlab or notebook) serving *root*."""
    port = free_port()
    home = home or root.parent / f"home-{port}"
    env = {
        **os.environ,
        # The user's own configuration stays out; the installed one (which
        # enables jupyter_format) stays in.
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "IPYTHONDIR": str(home / "ipython"),
        "HOME": str(home),
    }
    log = root.parent / f"server-{port}.log"
    command = [
        sys.executable,
        "-m",
        app,
        "--no-browser",
        f"--ServerApp.port={port}",
        "--ServerApp.ip=127.0.0.1",
        f"--IdentityProvider.token={TOKEN}",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.port_retries=0",
        *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []),
        *options,
    ]
    with log.open("wb") as log_file:
        process = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT, env=env)
    server = JupyterServer(root, port, process, log)
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited:\n{server.log_text()}")
            try:
                status, _ = server.request("GET", "/api/status")
            except (urllib.error.URLError, ConnectionError):
                status = 0
            if status == 200:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start:\n{server.log_text()}")
            time.sleep(0.2)
        yield server
    finally:
        _stop(process, server)


def _stop(process: subprocess.Popen[bytes], server: JupyterServer) -> None:
    """Stop the server, asking it first: it then shuts its kernels down too."""
    if process.poll() is None:
        with contextlib.suppress(OSError, urllib.error.URLError):
            server.request("POST", "/api/shutdown")
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
