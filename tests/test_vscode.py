"""End to end in a real VS Code: the extension (js/vscode) opens, runs and saves .jupyter files.

VS Code is code-server (the npm package, which bundles VS Code) on 127.0.0.1,
in Debian's chromium driven by Playwright.  JUPYTER_FORMAT_CODE_SERVER names
its executable; .ci/run installs it (with Node.js 24 from PyPI) in a step of
its own.  The extension's .vsix is built from js/vscode with npm and installed
with --install-extension, beside a test-only extension (tests/vscode) whose
notebook controller runs cells in a real local ipykernel.  Screenshots of each
step go to test-artifacts/vscode/.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import time
import urllib.request
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat
import pytest

import jupyter_format
from browsers import chromium, require_chromium

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

ROOT = Path(__file__).resolve().parents[1]
EXTENSION = ROOT / "js" / "vscode"
TEST_EXTENSION = ROOT / "tests" / "vscode" / "kernel-extension"
KERNEL_PROCESS = ROOT / "tests" / "vscode" / "kernel_process.py"
ARTIFACTS = ROOT / "test-artifacts" / "vscode"
TIMEOUT = 90_000  # milliseconds; VS Code and kernels start slowly on busy machines
CODE_SERVER = os.environ.get("JUPYTER_FORMAT_CODE_SERVER", "")

if not CODE_SERVER or not Path(CODE_SERVER).exists():
    if os.environ.get("JUPYTER_FORMAT_REQUIRE_VSCODE"):
        raise RuntimeError(
            "JUPYTER_FORMAT_REQUIRE_VSCODE is set, but JUPYTER_FORMAT_CODE_SERVER "
            f"({CODE_SERVER!r}) names no code-server executable"
        )
    pytest.skip(
        "set JUPYTER_FORMAT_CODE_SERVER to a code-server executable (see .ci/run)",
        allow_module_level=True,
    )
require_chromium(module=True)
from playwright.sync_api import Frame, Page, expect  # noqa: E402


def png(width: int, height: int) -> str:
    """A red PNG image of that size, base64-encoded as in a notebook."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\0" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    image = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
    return base64.b64encode(image + chunk(b"IEND", b"")).decode()


PNG = png(120, 40)
TABLE = "<table><tr><td>mhist</td></tr></table>"
PROGRESS_TEXT = "\r 33%\r 66%\r100%|##########|\n"
PROGRESS_HTML = '<progress value="3" max="3"></progress> 3/3'


def npm(*args: str, cwd: Path) -> None:
    command = shutil.which("npm")
    assert command is not None, "npm builds the extension"
    subprocess.run([command, *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def extensions(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The extension's .vsix, built by its package's build, and the test controller's."""
    if not (EXTENSION / "node_modules" / ".bin" / "vsce").exists():
        npm("ci", "--no-audit", "--no-fund", cwd=EXTENSION)
        npm("ci", "--no-audit", "--no-fund", cwd=ROOT / "js" / "format")
    npm("run", "package", cwd=EXTENSION)
    controller = tmp_path_factory.mktemp("vsix") / "test-ipykernel.vsix"
    vsce = EXTENSION / "node_modules" / ".bin" / "vsce"
    subprocess.run(
        [
            vsce,
            "package",
            "--no-dependencies",
            "--skip-license",
            "--allow-missing-repository",
            "--out",
            str(controller),
        ],
        cwd=TEST_EXTENSION,
        check=True,
        capture_output=True,
    )
    return [EXTENSION / "dist" / "jupyter-format.vsix", controller]


class CodeServer:
    def __init__(self, url: str, root: Path) -> None:
        self.url = url
        self.root = root

    def folder(self, name: str) -> Path:
        folder = self.root / name
        folder.mkdir()
        return folder


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def code_server(
    extensions: list[Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CodeServer]:
    home = tmp_path_factory.mktemp("code-server")
    data, extension_dir, workspaces = home / "data", home / "extensions", home / "workspaces"
    (data / "User").mkdir(parents=True)
    workspaces.mkdir()
    settings = {
        "security.workspace.trust.enabled": False,
        "workbench.startupEditor": "none",
        "telemetry.telemetryLevel": "off",
        "extensions.autoCheckUpdates": False,
        "extensions.autoUpdate": False,
        "update.mode": "none",
        "workbench.tips.enabled": False,
        "chat.disableAIFeatures": True,
        "files.autoSave": "off",
        "notebook.output.scrolling": False,
    }
    (data / "User" / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "share"),
        "JUPYTER_FORMAT_TEST_PYTHON": sys.executable,
        "JUPYTER_FORMAT_TEST_KERNEL": str(KERNEL_PROCESS),
    }
    common = ["--extensions-dir", str(extension_dir), "--user-data-dir", str(data)]
    installs = [arg for vsix in extensions for arg in ("--install-extension", str(vsix))]
    subprocess.run([CODE_SERVER, *common, *installs], env=env, check=True, capture_output=True)
    port = free_port()
    log = (home / "code-server.log").open("wb")
    server = subprocess.Popen(
        [
            CODE_SERVER,
            *common,
            "--auth",
            "none",
            "--bind-addr",
            f"127.0.0.1:{port}",
            "--disable-telemetry",
            "--disable-update-check",
            "--disable-workspace-trust",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=5):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((home / "code-server.log").read_text()) from None
                time.sleep(0.5)
        yield CodeServer(url, workspaces)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@pytest.fixture
def page(code_server: CodeServer, request: pytest.FixtureRequest) -> Iterator[Page]:
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 2400})
        try:
            yield page
        finally:
            shoot(page, f"{request.node.name}-last")


def shoot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def open_notebook(page: Page, server: CodeServer, path: Path) -> None:
    """Open the folder of *path* in VS Code, then *path* from the Explorer."""
    page.goto(f"{server.url}/?folder={path.parent}")
    # The test extension's status bar item: the extensions' contributions are known by then.
    expect(page.locator(".statusbar", has_text="test-ipykernel ready")).to_be_visible(
        timeout=TIMEOUT
    )
    page.locator(".explorer-folders-view .monaco-list-row", has_text=path.name).dblclick()
    expect(page.locator(".notebook-editor .cell-list-container").first).to_be_visible(
        timeout=TIMEOUT
    )


def outputs(page: Page) -> Frame:
    """The frame of the notebook's rendered outputs (a webview), once it has some."""
    deadline = time.monotonic() + TIMEOUT / 1000
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "webview" in frame.url and frame.locator(".output").count():
                return frame
        time.sleep(0.25)
    raise AssertionError("no rendered outputs")


def command(page: Page, name: str) -> None:
    """Run a command from the command palette."""
    page.keyboard.press("F1")
    palette = page.locator(".quick-input-widget input")
    expect(palette).to_be_visible(timeout=TIMEOUT)
    palette.fill(f">{name}")
    row = page.locator(".quick-input-list .monaco-list-row", has_text=name).first
    expect(row).to_be_visible(timeout=TIMEOUT)
    page.keyboard.press("Enter")


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting until {what}")
        time.sleep(0.25)


def rich_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["odd"] = {"big": 2**64, "float": 1.0}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Results\n\nEvery output kind.", id="title"),
        nbformat.v4.new_code_cell(
            "plot()",
            id="image",
            execution_count=1,
            outputs=[
                nbformat.v4.new_output(
                    "display_data",
                    data={"image/png": PNG, "text/plain": "<Figure>"},
                    metadata={"width": 40},
                )
            ],
        ),
        nbformat.v4.new_code_cell(
            "table()",
            id="html",
            execution_count=2,
            outputs=[
                nbformat.v4.new_output(
                    "execute_result",
                    data={"text/html": TABLE, "text/plain": "t"},
                    execution_count=2,
                )
            ],
        ),
        nbformat.v4.new_code_cell(
            "for step in range(3): progress(step)",
            id="progress",
            execution_count=3,
            outputs=[
                nbformat.v4.new_output("stream", name="stderr", text=PROGRESS_TEXT),
                nbformat.v4.new_output(
                    "display_data",
                    data={"text/html": PROGRESS_HTML, "text/plain": "3/3"},
                ),
            ],
        ),
        nbformat.v4.new_code_cell(
            "1 / 0",
            id="error",
            execution_count=4,
            outputs=[
                nbformat.v4.new_output(
                    "error",
                    ename="ZeroDivisionError",
                    evalue="division by zero",
                    traceback=["\x1b[31mZeroDivisionError\x1b[0m: division by zero"],
                )
            ],
        ),
    ]
    return nb


def write(folder: Path, name: str, nb: nbformat.NotebookNode) -> Path:
    path = folder / name
    jupyter_format.write(nb, path)
    return path


def test_every_cell_and_output_renders(page: Page, code_server: CodeServer) -> None:
    path = write(code_server.folder("render"), "results.jupyter", rich_notebook())
    open_notebook(page, code_server, path)
    editor = page.locator(".notebook-editor")
    expect(editor.locator(".markdown-cell-row")).to_have_count(1, timeout=TIMEOUT)
    expect(editor.locator(".code-cell-row")).to_have_count(4, timeout=TIMEOUT)
    frame = outputs(page)
    expect(frame.locator("h1", has_text="Results")).to_be_visible(timeout=TIMEOUT)
    expect(frame.locator("img").first).to_be_visible(timeout=TIMEOUT)
    expect(frame.locator("td", has_text="mhist")).to_be_visible(timeout=TIMEOUT)
    expect(frame.locator("progress")).to_be_visible(timeout=TIMEOUT)
    expect(frame.get_by_text("100%|##########|")).to_be_visible(timeout=TIMEOUT)
    expect(frame.get_by_text("division by zero").first).to_be_visible(timeout=TIMEOUT)
    image = frame.locator("img").first.get_attribute("src") or ""
    assert base64.b64encode(base64.b64decode(PNG)).decode() in image or image.startswith("blob:")
    shoot(page, "rendered")
