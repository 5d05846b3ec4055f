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
from playwright.sync_api import FrameLocator, Page, expect  # noqa: E402


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
#: Line ends a code editor normalizes: CRLF, a lone CR, a form feed, a line separator.
ODD_LINE_ENDS = "x = 1\r\n# old Mac\ry = 2\n\x0c# page\u2028# separator\r\n"


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
        # VS Code asks whether to remove U+2028 from a cell (a user's choice), which blocks clicks.
        "editor.unusualLineTerminators": "off",
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


def outputs(page: Page) -> FrameLocator:
    """The rendered outputs and markdown of the notebook shown (a webview)."""
    webview = page.locator("iframe.webview.ready:visible").last
    expect(webview).to_be_attached(timeout=TIMEOUT)
    return webview.content_frame.frame_locator("#active-frame")


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
        nbformat.v4.new_code_cell(ODD_LINE_ENDS, id="line-ends"),
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
    expect(editor.locator(".code-cell-row")).to_have_count(5, timeout=TIMEOUT)
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


def type_into_focused_cell(page: Page, text: str) -> None:
    """Replace the text of the cell whose editor has the focus (it must hold some)."""
    editor = page.locator(".notebook-editor:visible .monaco-editor.focused")
    expect(editor).to_be_visible(timeout=TIMEOUT)
    # On a busy machine a key can arrive before the editor takes it (a notification
    # just shown, say): select again until the selection shows.
    selection = editor.locator(".selected-text").first
    for _ in range(10):
        page.keyboard.press("Control+a")
        try:
            expect(selection).to_be_visible(timeout=2000)
            break
        except AssertionError:
            continue
    expect(selection).to_be_visible(timeout=TIMEOUT)
    page.keyboard.type(text)
    page.keyboard.press("Escape")


def edit_code_cell(page: Page, index: int, text: str) -> None:
    """Replace the source of code cell *index* (among code cells) with *text*, as a user types."""
    focus_code_cell(page, index)
    type_into_focused_cell(page, text)


def edit_markdown_cell(page: Page, shown: str, text: str) -> None:
    """Replace the markdown cell that shows the text *shown* with *text*, as a user types."""
    outputs(page).get_by_text(shown).first.dblclick()
    type_into_focused_cell(page, text)


def focus_code_cell(page: Page, index: int) -> None:
    """Put the cursor into code cell *index* (among code cells)."""
    cells = page.locator(".notebook-editor:visible .code-cell-row")
    cells.nth(index).locator(".monaco-editor .view-lines").click()
    expect(page.locator(".notebook-editor:visible .monaco-editor.focused")).to_be_visible(
        timeout=TIMEOUT
    )


def run_code_cell(page: Page, index: int) -> None:
    """Run code cell *index* with the run button beside it."""
    focus_code_cell(page, index)
    cell = page.locator(".notebook-editor:visible .code-cell-row").nth(index)
    cell.locator(".run-button-container .action-label").first.click(timeout=TIMEOUT)


def save(page: Page) -> None:
    page.keyboard.press("Control+s")


def test_edits_are_saved_as_the_expected_jupyter_text(page: Page, code_server: CodeServer) -> None:
    nb = rich_notebook()
    path = write(code_server.folder("edit"), "edited.jupyter", nb)
    open_notebook(page, code_server, path)
    outputs(page)
    edit_markdown_cell(page, "Every output kind.", "# Edited in VS Code")
    edit_code_cell(page, 1, "answer = 6 * 7")
    shoot(page, "edited")
    save(page)
    nb.cells[0].source = "# Edited in VS Code"
    nb.cells[2].source = "answer = 6 * 7"
    expected = jupyter_format.writes(nb)
    wait_until(lambda: path.read_text(encoding="utf-8") == expected, "the edits are saved")
    assert jupyter_format.read(path) == nb


def test_a_save_without_edits_keeps_the_bytes(page: Page, code_server: CodeServer) -> None:
    """Even bytes the writer would write otherwise (CRLF line ends) stay as they are."""
    path = code_server.folder("unedited") / "windows.jupyter"
    original = (ROOT / "tests" / "vectors" / "valid" / "crlf-line-endings.jupyter").read_bytes()
    assert jupyter_format.writes(jupyter_format.reads(original)).encode() != original
    path.write_bytes(original)
    open_notebook(page, code_server, path)
    outputs(page)
    dirty = page.locator(".tabs-container .tab.active.dirty")
    # Typing a letter and deleting it leaves the notebook dirty but as it was read.
    focus_code_cell(page, 0)
    page.keyboard.press("End")
    page.keyboard.type("x")
    page.keyboard.press("Backspace")
    expect(dirty).to_have_count(1, timeout=TIMEOUT)
    written = path.stat().st_mtime_ns
    save(page)
    expect(dirty).to_have_count(0, timeout=TIMEOUT)
    wait_until(lambda: path.stat().st_mtime_ns != written, "the notebook is written")
    assert path.read_bytes() == original
    edit_code_cell(page, 0, "print('edited')")
    save(page)
    wait_until(lambda: path.read_bytes() != original, "the edit is saved")
    assert b"print('edited')" in path.read_bytes()
    focus_code_cell(page, 0)
    # Auto-closed brackets and quotes make typing several undo steps; more undos stop at the
    # notebook as it was opened.
    for _ in range(12):
        page.keyboard.press("Control+z")
    expect(dirty).to_have_count(1, timeout=TIMEOUT)
    save(page)
    wait_until(lambda: path.read_bytes() == original, "the undone edit is saved as the original")
    shoot(page, "unedited")


def test_an_outside_change_reloads_the_notebook(page: Page, code_server: CodeServer) -> None:
    nb = rich_notebook()
    path = write(code_server.folder("outside"), "changed.jupyter", nb)
    open_notebook(page, code_server, path)
    frame = outputs(page)
    expect(frame.locator("h1", has_text="Results")).to_be_visible(timeout=TIMEOUT)
    nb.cells[0].source = "# Changed by git pull"
    jupyter_format.write(nb, path)
    expect(frame.locator("h1", has_text="Changed by git pull")).to_be_visible(timeout=TIMEOUT)
    shoot(page, "reloaded")


def test_a_file_that_does_not_read_shows_its_error_and_is_never_written(
    page: Page, code_server: CodeServer
) -> None:
    path = code_server.folder("broken") / "broken.jupyter"
    broken = b"nbformat 4\nnbformat_minor 5\nmarkdown id=a\n    text\nnot a cell\n"
    path.write_bytes(broken)
    with pytest.raises(jupyter_format.ParseError) as error:
        jupyter_format.reads(broken)
    where = f"{error.value.lineno}:{error.value.colno}: {error.value.msg}"
    open_notebook(page, code_server, path)
    notification = page.locator(".notifications-toasts", has_text=f"{path}:{where}")
    expect(notification).to_be_visible(timeout=TIMEOUT)
    frame = outputs(page)
    expect(frame.get_by_text(error.value.msg)).to_be_visible(timeout=TIMEOUT)
    shoot(page, "unreadable")
    edit_markdown_cell(page, error.value.msg, "overwrite?")
    save(page)
    expect(page.locator(".notifications-toasts", has_text="not saved")).to_be_visible(
        timeout=TIMEOUT
    )
    assert path.read_bytes() == broken


def test_a_notebook_that_breaks_nbformats_schema_opens_with_a_warning_and_saves(
    page: Page, code_server: CodeServer
) -> None:
    """As in Jupyter: the schema's complaint is a warning; the notebook is the user's to fix."""
    path = code_server.folder("invalid") / "invalid.jupyter"
    invalid = (
        b"nbformat 4\nnbformat_minor 5\nmarkdown id=a\n    Schema aside\n"
        b' cell_metadata\n    {"tags": "draft"}\nnotebook_metadata\n    {}\n'
    )
    path.write_bytes(invalid)
    with pytest.raises(jupyter_format.ParseError) as error:
        jupyter_format.deserialize(invalid)
    assert "cell_metadata.tags must be array" in error.value.msg
    where = f"{error.value.lineno}:{error.value.colno}: {error.value.msg}"
    open_notebook(page, code_server, path)
    notification = page.locator(".notifications-toasts", has_text=f"{path}:{where}")
    expect(notification).to_be_visible(timeout=TIMEOUT)
    frame = outputs(page)
    expect(frame.get_by_text("Schema aside")).to_be_visible(timeout=TIMEOUT)
    shoot(page, "invalid")
    edit_markdown_cell(page, "Schema aside", "Edited anyway")
    save(page)
    nb = jupyter_format.deserialize(invalid, validate=False)
    nb.cells[0].source = "Edited anyway"
    expected = jupyter_format.serialize(nb).encode()
    wait_until(lambda: path.read_bytes() == expected, "the edit is saved, metadata and all")


def test_a_conflicted_file_opens_as_its_conflict_view_and_resolves_to_the_side_kept(
    page: Page, code_server: CodeServer
) -> None:
    conflicted = ROOT / "tests" / "vectors" / "conflicted"
    path = code_server.folder("conflicted") / "merged.jupyter"
    text = (conflicted / "cell-source.jupyter").read_bytes()
    path.write_bytes(text)
    open_notebook(page, code_server, path)
    frame = outputs(page)
    expect(frame.get_by_text("merge conflict 1 of 1").first).to_be_visible(timeout=TIMEOUT)
    cells = page.locator(".notebook-editor:visible .code-cell-row")
    expect(cells).to_have_count(2, timeout=TIMEOUT)  # ours' and theirs' version of one cell
    expect(frame.get_by_text("30", exact=True)).to_be_visible(timeout=TIMEOUT)
    expect(frame.get_by_text("20", exact=True)).to_be_visible(timeout=TIMEOUT)
    shoot(page, "conflict-view")
    # Keep ours: delete theirs' version, then save.
    focus_code_cell(page, 1)
    cells.nth(1).get_by_role("button", name="Delete Cell").first.click(timeout=TIMEOUT)
    expect(cells).to_have_count(1, timeout=TIMEOUT)
    save(page)
    ours = (conflicted / "cell-source.ours.jupyter").read_bytes()
    wait_until(lambda: path.read_bytes() == ours, "the resolved notebook is saved")
    assert path.read_bytes() != text
    shoot(page, "conflict-resolved")


def test_cells_run_in_the_jupyter_text_editor(page: Page, code_server: CodeServer) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell("print(6 * 7)\n6 * 7", id="answer")]
    path = write(code_server.folder("run-text"), "run.jupyter", nb)
    open_notebook(page, code_server, path)
    run_code_cell(page, 0)
    frame = outputs(page)
    expect(frame.get_by_text("42").first).to_be_visible(timeout=TIMEOUT)
    save(page)
    wait_until(lambda: jupyter_format.read(path).cells[0].execution_count == 1, "the run is saved")
    cell = jupyter_format.read(path).cells[0]
    assert [output.output_type for output in cell.outputs] == ["stream", "execute_result"]
    assert cell.outputs[0].text == "42\n"
    assert cell.outputs[1].data["text/plain"] == "42"
    assert cell.outputs[1].execution_count == 1
    shoot(page, "ran-in-jupyter-text")


def test_open_with_jupyter_kernel_runs_cells_and_saves_the_jupyter_file(
    page: Page, code_server: CodeServer
) -> None:
    nb = rich_notebook()
    # VS Code's ipynb extension keeps execution counts only in notebooks that name their
    # language (a Jupyter kernel sets it on its first run; the test controller does not).
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells.append(nbformat.v4.new_code_cell("import os\nprint(6 * 7)", id="run"))
    path = write(code_server.folder("bridge"), "kernel.jupyter", nb)
    open_notebook(page, code_server, path)
    outputs(page)
    shoot(page, "bridge-before")
    # The notebook's toolbar has the button, in its "More Actions" where the toolbar is narrow.
    toolbar = page.locator(".notebook-editor:visible .notebook-toolbar-container")
    button = toolbar.get_by_role("button", name="Open with Jupyter Kernel")
    if not button.count():
        toolbar.get_by_role("button", name="More Actions...").click()
        button = page.locator(".context-view .action-item", has_text="Open with Jupyter Kernel")
    button.click(timeout=TIMEOUT)
    tab = page.locator(".tabs-container .tab.active")
    expect(tab).to_contain_text("kernel.jupyter", timeout=TIMEOUT)
    expect(page.locator(".notebook-editor .code-cell-row").last).to_be_visible(timeout=TIMEOUT)
    breadcrumbs = page.locator(".notebook-editor:visible")
    expect(breadcrumbs.locator(".code-cell-row")).to_have_count(6, timeout=TIMEOUT)
    run_code_cell(page, 5)
    expect(outputs(page).get_by_text("42").first).to_be_visible(timeout=TIMEOUT)
    # The ipynb extension copies the execution count into the cell's metadata after the run.
    count = page.locator(".notebook-editor:visible .code-cell-row").nth(5)
    expect(count.locator(".execution-count-label")).to_have_text("[1]", timeout=TIMEOUT)
    shoot(page, "bridge-ran")
    save(page)
    wait_until(lambda: jupyter_format.read(path).cells[-1].execution_count == 1, "the run saves")
    saved = jupyter_format.read(path)
    assert saved.cells[-1].outputs[0].text == "42\n"
    assert saved.cells[-1].execution_count == 1
    nb.cells[-1].outputs = saved.cells[-1].outputs
    nb.cells[-1].execution_count = 1
    assert saved.cells[:-1] == nb.cells[:-1]
    assert path.read_text(encoding="utf-8").startswith("nbformat 4\n")
