"""End to end in a real browser: JupyterLab and Notebook 7 open, run and save .jupyter files.

Debian's chromium, driven by Playwright, against servers on loopback and a real
ipykernel.  Screenshots of each step go to test-artifacts/browser/.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat
import pytest

import jupyter_format
from browsers import chromium, require_chromium
from servers import TOKEN, JupyterServer, jupyter_server

if TYPE_CHECKING:
    from collections.abc import Iterator

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "browser"
TIMEOUT = 90_000  # milliseconds; kernels start slowly on busy machines

require_chromium(module=True)
from playwright.sync_api import Page, expect  # noqa: E402


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as browser:
        yield browser


def write_notebook(root: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells.append(nbformat.v4.new_markdown_cell("# Opened from a .jupyter file", id="title"))
    nb.cells.append(nbformat.v4.new_code_cell("print(6 * 7)", id="answer"))
    path = root / "e2e.jupyter"
    jupyter_format.write(nb, path)
    return path


def shoot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def wait_for_file(path: Path, text: str) -> jupyter_format.NotebookNode:  # type: ignore[name-defined]
    """Wait until the notebook on disk has an output containing *text*; return it."""
    deadline = time.monotonic() + 60
    while True:
        nb = jupyter_format.read(path)
        outputs = [output for cell in nb.cells for output in cell.get("outputs", [])]
        if any(text in output.get("text", "") for output in outputs):
            return nb
        if time.monotonic() > deadline:
            raise AssertionError(f"{path.name} never got the output {text!r}:\n{path.read_text()}")
        time.sleep(0.25)


def run_until_output(page: Page, editor: Any, text: str) -> None:
    """Run the cell of *editor* until its output shows *text*.

    On a busy machine JupyterLab may still be connecting to the kernel when the
    cell runs: it then drops the run, or asks which kernel to use.  Do what a
    user would: answer the question (the preselected Python 3), and run the
    cell again if nothing happened.
    """
    output = page.locator(".jp-NotebookPanel .jp-OutputArea-output").first
    choose_kernel = page.locator(".jp-Dialog .jp-mod-accept")
    deadline = time.monotonic() + TIMEOUT / 1000
    next_run = 0.0
    while time.monotonic() < deadline:
        if output.count() and text in output.inner_text():
            return
        if choose_kernel.count() and choose_kernel.first.is_visible():
            choose_kernel.first.click()
            next_run = 0.0
        if time.monotonic() >= next_run:
            editor.click()
            page.keyboard.press("ControlOrMeta+Enter")  # run in place
            next_run = time.monotonic() + 15
        time.sleep(0.25)
    expect(output).to_contain_text(text, timeout=1000)


def edit_run_and_save(page: Page, path: Path, name: str) -> None:
    """In an open notebook: change the code cell, run it, save; check the file."""
    cells = page.locator(".jp-NotebookPanel .jp-Cell")
    expect(cells).to_have_count(2, timeout=TIMEOUT)
    expect(page.locator(".jp-NotebookPanel")).to_contain_text("Opened from a .jupyter file")
    shoot(page, f"{name}-1-opened")
    # Run only once the kernel is up: a cell run while it is still starting makes
    # JupyterLab ask which kernel to use.
    idle = page.locator(".jp-NotebookPanel .jp-Notebook-ExecutionIndicator[data-status='idle']")
    expect(idle.first).to_be_attached(timeout=TIMEOUT)
    editor = page.locator(".jp-NotebookPanel .jp-CodeCell .cm-content").first
    editor.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type('print("from the browser", 6 * 7)')
    run_until_output(page, editor, "from the browser 42")
    shoot(page, f"{name}-2-ran")
    page.keyboard.press("ControlOrMeta+s")
    nb = wait_for_file(path, "from the browser 42")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("nbformat 4\nnbformat_minor 5\n")
    assert '    print("from the browser", 6 * 7)\n' in text
    assert " stream stdout\n    from the browser 42\n" in text
    assert nb.cells[1].execution_count is not None
    # Saving again after another change raises no "File Changed" dialog.
    editor.click()
    page.keyboard.press("End")
    page.keyboard.type("  # again")
    expect(editor).to_contain_text("# again")
    page.keyboard.press("Escape")
    # On a busy machine a key can arrive before the page takes it: save again
    # (which changes nothing once saved) until the file has the change.
    deadline = time.monotonic() + 60
    while "# again" not in path.read_text(encoding="utf-8"):
        assert time.monotonic() < deadline, "the second save did not reach the disk"
        page.keyboard.press("ControlOrMeta+s")
        for _ in range(40):
            if "# again" in path.read_text(encoding="utf-8"):
                break
            time.sleep(0.25)
        time.sleep(0.25)
    page.wait_for_timeout(1000)
    expect(page.locator(".jp-Dialog")).to_have_count(0)
    shoot(page, f"{name}-3-saved")


def serve_notebook(tmp_path: Path, app: str) -> Iterator[JupyterServer]:
    """A server of *app* whose root holds the test notebook."""
    root = tmp_path / "root"
    root.mkdir()
    write_notebook(root)
    with jupyter_server(root, app=app) as server:
        yield server


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[JupyterServer]:
    yield from serve_notebook(tmp_path, "jupyterlab")


@pytest.fixture
def notebook7(tmp_path: Path) -> Iterator[JupyterServer]:
    yield from serve_notebook(tmp_path, "notebook")


@pytest.fixture
def pages(browser: Any, request: pytest.FixtureRequest) -> Iterator[list[Page]]:
    """Pages of a test; if it fails, each is photographed for the artifacts.

    Tests ask for it after their server, so that the pages close first: a
    server with pages still connected takes long to shut down.
    """
    opened: list[Page] = []
    yield opened
    report = getattr(request.node, "rep_call", None)
    for number, page in enumerate(opened):
        if report is not None and report.failed and not page.is_closed():
            shoot(page, f"{request.node.name}-failed-{number}")
        if not page.is_closed():
            page.close()


def new_page(browser: Any, pages: list[Page]) -> Page:
    page: Page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.set_default_timeout(TIMEOUT)
    # (Playwright needs a Python function here, not a bound builtin.)
    page.on("popup", lambda popup: pages.append(popup))  # noqa: PLW0108
    pages.append(page)
    return page


def test_jupyterlab(browser: Any, lab: JupyterServer, pages: list[Page]) -> None:
    page = new_page(browser, pages)
    page.goto(f"{lab.url}/lab?reset&token={TOKEN}")
    item = page.locator(".jp-DirListing-item", has_text="e2e.jupyter")
    expect(item).to_be_visible(timeout=TIMEOUT)
    shoot(page, "lab-0-file-browser")
    item.dblclick()
    edit_run_and_save(page, lab.root / "e2e.jupyter", "lab")
    # Reopened in a fresh session, the notebook shows the saved output.
    page.goto(f"{lab.url}/lab?reset&token={TOKEN}")
    page.locator(".jp-DirListing-item", has_text="e2e.jupyter").dblclick()
    expect(page.locator(".jp-NotebookPanel .jp-OutputArea-output").first).to_contain_text(
        "from the browser 42", timeout=TIMEOUT
    )
    shoot(page, "lab-4-reopened")


def test_notebook7(browser: Any, notebook7: JupyterServer, pages: list[Page]) -> None:
    page = new_page(browser, pages)
    page.goto(f"{notebook7.url}/tree?token={TOKEN}")
    item = page.locator(".jp-DirListing-item", has_text="e2e.jupyter")
    expect(item).to_be_visible(timeout=TIMEOUT)
    shoot(page, "notebook7-0-tree")
    with page.context.expect_page(timeout=TIMEOUT) as opened:
        item.dblclick()
    notebook_page = opened.value
    notebook_page.set_default_timeout(TIMEOUT)
    notebook_page.set_viewport_size({"width": 1400, "height": 900})
    assert "/notebooks/e2e.jupyter" in notebook_page.url
    edit_run_and_save(notebook_page, notebook7.root / "e2e.jupyter", "notebook7")
    notebook_page.reload()
    expect(notebook_page.locator(".jp-OutputArea-output").first).to_contain_text(
        "from the browser 42", timeout=TIMEOUT
    )
    shoot(notebook_page, "notebook7-4-reopened")


def git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, encoding="utf-8", check=check
    )


def conflicted_merge(root: Path, name: str) -> tuple[Path, dict[str, nbformat.NotebookNode]]:
    """A repository in *root* where ``git merge`` left the notebook *name* in conflict.

    Both branches changed the same line of one cell and re-ran it.  Returns the
    notebook's path and its two versions.
    """
    git(root, "init", "-q", "-b", "main")
    subprocess.run(
        [sys.executable, "-m", "jupyter_format", "git", "install"], cwd=root, check=True
    )
    path = root / name

    def save(years: int, count: int | None) -> nbformat.NotebookNode:
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
        nb.cells.append(nbformat.v4.new_markdown_cell("# Decay of cobalt-60", id="intro"))
        source = f"half_life = 5.27\nyears = {years}\nprint(years)"
        cell = nbformat.v4.new_code_cell(source, id="years", execution_count=count)
        if count is not None:
            cell.outputs.append(nbformat.v4.new_output("stream", text=f"{years}\n"))
        nb.cells.append(cell)
        if path.suffix == ".ipynb":
            nbformat.write(nb, path)
        else:
            jupyter_format.write(nb, path)
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", f"years = {years}")
        return nb

    save(10, None)
    git(root, "checkout", "-q", "-b", "theirs")
    theirs = save(20, 3)
    git(root, "checkout", "-q", "main")
    ours = save(30, 2)
    merge = git(root, "merge", "-q", "-m", "merge", "theirs", check=False)
    assert merge.returncode == 1, merge
    assert "<<<<<<< ours\n" in path.read_text(encoding="utf-8")
    return path, {"ours": ours, "theirs": theirs}


@pytest.mark.parametrize(
    ("app", "name", "keep"),
    [("jupyterlab", "decay.jupyter", "ours"), ("notebook", "decay.ipynb", "theirs")],
    ids=["jupyterlab-jupyter-keep-ours", "notebook7-ipynb-keep-theirs"],
)
def test_a_conflicted_merge_is_resolved_in_the_notebook_ui(  # noqa: PLR0917 (fixtures)
    browser: Any,
    tmp_path: Path,
    pages: list[Page],
    monkeypatch: pytest.MonkeyPatch,
    app: str,
    name: str,
    keep: str,
) -> None:
    root = tmp_path / "root"
    root.mkdir()
    # A git user of its own: no settings of this machine's user or system.
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.delenv("GIT_CONFIG_GLOBAL", raising=False)
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Ada")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "ada@example.org")
    path, sides = conflicted_merge(root, name)
    shot = f"conflict-{app}"
    with jupyter_server(root, app=app) as server:
        page = new_page(browser, pages)
        address = f"/lab/tree/{name}?reset" if app == "jupyterlab" else f"/notebooks/{name}?"
        page.goto(f"{server.url}{address}&token={TOKEN}")
        cells = page.locator(".jp-NotebookPanel .jp-Cell")
        # The title, three notes, and both versions of the conflicting cell.
        expect(cells).to_have_count(6, timeout=TIMEOUT)
        panel = page.locator(".jp-NotebookPanel")
        expect(panel).to_contain_text("merge conflict 1 of 1", timeout=TIMEOUT)
        expect(cells.nth(2)).to_contain_text("years = 30")
        expect(cells.nth(4)).to_contain_text("years = 20")
        shoot(page, f"{shot}-1-opened")
        # Resolve as a user would: select the other version's cell and delete it (d, d).
        deleted, kept_text, deleted_text = (
            (4, "years = 30", "years = 20") if keep == "ours" else (2, "years = 20", "years = 30")
        )
        # On a busy machine a click may not select the cell yet: d, d would
        # then delete the cell selected before.
        deadline = time.monotonic() + TIMEOUT / 1000
        while "jp-mod-active" not in (cells.nth(deleted).get_attribute("class") or "").split():
            assert time.monotonic() < deadline, "the cell to delete never became active"
            cells.nth(deleted).locator(".jp-InputPrompt").click()
            page.wait_for_timeout(250)
        page.keyboard.press("Escape")
        page.keyboard.press("d")
        page.keyboard.press("d")
        expect(cells).to_have_count(5, timeout=TIMEOUT)
        expect(panel).to_contain_text(kept_text)
        expect(panel).not_to_contain_text(deleted_text)
        shoot(page, f"{shot}-2-one-version-deleted")
        page.keyboard.press("ControlOrMeta+s")
        deadline = time.monotonic() + 60
        while "<<<<<<<" in path.read_text(encoding="utf-8"):
            assert time.monotonic() < deadline, "the resolved notebook never reached the disk"
            time.sleep(0.25)
        page.wait_for_timeout(500)
        expect(page.locator(".jp-Dialog")).to_have_count(0)
        # The kept version, in the format of the name, with what the kernel that
        # the page started wrote in the metadata.
        if path.suffix == ".ipynb":
            assert path.read_text(encoding="utf-8").startswith("{")
            resolved = nbformat.read(path, 4)
        else:
            resolved = jupyter_format.read(path)
        assert resolved.cells == sides[keep].cells
        assert resolved.metadata.kernelspec.name == "python3"
        check = subprocess.run(
            [sys.executable, "-m", "jupyter_format", "check", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert check.returncode == 0, check.stdout + check.stderr
        git(root, "add", name)
        git(root, "commit", "-q", "--no-edit")
        # The merge is complete (the server's checkpoints aside, which a project ignores).
        assert git(root, "status", "--porcelain").stdout == "?? .ipynb_checkpoints/\n"
        assert not (root / ".git" / "MERGE_HEAD").exists()
        assert len(git(root, "log", "-1", "--format=%P").stdout.split()) == 2
        # Reopened, it is the resolved notebook: no notes left.
        page.goto(f"{server.url}{address}&token={TOKEN}")
        expect(cells).to_have_count(2, timeout=TIMEOUT)
        expect(panel).to_contain_text(kept_text, timeout=TIMEOUT)
        expect(panel).not_to_contain_text("merge conflict")
        shoot(page, f"{shot}-3-resolved-and-reopened")


def test_the_artifacts_folder_is_ignored_by_git() -> None:
    ignored = (Path(__file__).resolve().parents[1] / ".gitignore").read_text(encoding="utf-8")
    assert "test-artifacts/" in ignored.splitlines()
    assert shutil.which("git") is not None
