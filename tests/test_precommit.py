"""The pre-commit hooks of .pre-commit-hooks.yaml, run by pre-commit on real commits."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import jupyter_format

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", check=False
    )


@pytest.fixture(scope="module")
def hooks_repository(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This checkout as it is now, committed to a repository pre-commit can install from."""
    snapshot = tmp_path_factory.mktemp("hooks")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, snapshot / name)
    env = git_env(tmp_path_factory.mktemp("home"))
    run("git", "init", "-q", cwd=snapshot, env=env)
    run("git", "add", "-A", cwd=snapshot, env=env)
    run("git", "commit", "-q", "-m", "snapshot", cwd=snapshot, env=env)
    revision = run("git", "rev-parse", "HEAD", cwd=snapshot, env=env).stdout.strip()
    return snapshot, revision


def git_env(home: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GIT_", "JUPYTER_FORMAT_", "PRE_COMMIT"))
    }
    env.update(
        HOME=str(home),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Ada",
        GIT_AUTHOR_EMAIL="ada@example.org",
        GIT_COMMITTER_NAME="Ada",
        GIT_COMMITTER_EMAIL="ada@example.org",
        # pre-commit installs the package from source; the JupyterLab extension
        # (built with npm) plays no part in the hooks.
        JUPYTER_FORMAT_SKIP_LABEXTENSION="1",
    )
    return env


@pytest.fixture
def project(
    hooks_repository: tuple[Path, str], tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, str]]:
    """A git repository whose commits run both hooks."""
    snapshot, revision = hooks_repository
    env = git_env(tmp_path / "home")
    # Shared by the tests, so the hooks' environment is built once.
    env["PRE_COMMIT_HOME"] = str(tmp_path_factory.getbasetemp() / "pre-commit-home")
    project = tmp_path / "project"
    project.mkdir()
    run("git", "init", "-q", "-b", "main", cwd=project, env=env)
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n"
        f"  - repo: {snapshot}\n"
        f"    rev: {revision}\n"
        f"    hooks:\n"
        f"      - id: jupyter-format-check\n"
        f"      - id: jupyter-format-convert\n",
        encoding="utf-8",
    )
    installed = run(sys.executable, "-m", "pre_commit", "install", cwd=project, env=env)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return project, env


def notebook(text: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(f"print({text!r})", id="c", execution_count=1)
    cell.outputs.append(nbformat.v4.new_output("stream", text=text + "\n"))
    nb.cells.append(cell)
    return nb


def commit(project: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    run("git", "add", "-A", cwd=project, env=env)
    result = run("git", "commit", "-m", "work", cwd=project, env=env)
    # git shows a hook's output on standard error; the tests read both as one.
    return subprocess.CompletedProcess(
        result.args, result.returncode, result.stdout + result.stderr
    )


def test_staged_ipynb_notebooks_become_jupyter_files(project: tuple[Path, dict[str, str]]) -> None:
    root, env = project
    nbformat.write(notebook("converted"), root / "analysis.ipynb")
    jupyter_format.write(notebook("kept"), root / "notes.jupyter")

    first = commit(root, env)
    # Like a formatter: the hook changes the files, the commit stops so they can be staged.
    assert first.returncode == 1, first.stdout
    assert "jupyter-format check" in first.stdout
    assert "jupyter-format convert to .jupyter" in first.stdout
    assert "files were modified by this hook" in first.stdout
    assert not (root / "analysis.ipynb").exists()
    assert jupyter_format.read(root / "analysis.jupyter") == notebook("converted")

    second = commit(root, env)
    assert second.returncode == 0, second.stdout
    tracked = run("git", "ls-files", cwd=root, env=env).stdout.split()
    assert tracked == [".pre-commit-config.yaml", "analysis.jupyter", "notes.jupyter"]


def test_notebooks_that_do_not_parse_stop_the_commit(
    project: tuple[Path, dict[str, str]],
) -> None:
    root, env = project
    jupyter_format.write(notebook("fine"), root / "fine.jupyter")
    text = jupyter_format.writes(notebook("ours"))
    conflicted = text.replace(
        "    print('ours')\n",
        "<<<<<<< ours\n    print('ours')\n=======\n    print('theirs')\n>>>>>>> theirs\n",
    )
    (root / "merged.jupyter").write_text(conflicted, encoding="utf-8")
    (root / "broken.ipynb").write_text('{"cells": [', encoding="utf-8")

    result = commit(root, env)
    assert result.returncode == 1
    assert "merged.jupyter:4:1: unresolved merge conflict" in result.stdout
    assert "broken.ipynb:1:" in result.stdout
    assert "broken.ipynb: failed: 1:" in result.stdout  # the conversion refuses it too
    assert (root / "merged.jupyter").read_text(encoding="utf-8") == conflicted
    assert (root / "broken.ipynb").read_text(encoding="utf-8") == '{"cells": ['
    assert run("git", "rev-parse", "--verify", "HEAD", cwd=root, env=env).returncode != 0
