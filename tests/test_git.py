"""git integration: jupyter-format git install|uninstall|status, textconv, the merge driver."""

from __future__ import annotations

import subprocess
from pathlib import Path

import nbformat
import pytest

import jupyter_format
from jupyter_format import _git
from jupyter_format._cli import main

ATTRIBUTES_BLOCK = [_git.BEGIN, *_git.ATTRIBUTES, _git.END]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user of their own: git reads no settings of this machine's user or system."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.delenv("GIT_CONFIG_GLOBAL", raising=False)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Ada")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "ada@example.org")
    monkeypatch.chdir(tmp_path)
    return home


@pytest.fixture
def repo(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    git("init", "-q", "-b", "main", cwd=repo)
    monkeypatch.chdir(repo)
    return repo


def git(
    *args: str, cwd: Path | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8", check=check
    )


def commit_all(message: str) -> None:
    git("add", "-A")
    git("commit", "-q", "-m", message)


def notebook(cells: int = 4) -> nbformat.NotebookNode:
    """A run notebook: every code cell has a count and an output."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nb.cells.append(nbformat.v4.new_markdown_cell("# Title\n\nSome prose.", id="intro"))
    for index in range(cells):
        cell = nbformat.v4.new_code_cell(f"x{index} = {index}\nx{index}", id=f"cell-{index}")
        cell.execution_count = index + 1
        cell.outputs.append(
            nbformat.v4.new_output(
                "execute_result", {"text/plain": str(index)}, execution_count=index + 1
            )
        )
        nb.cells.append(cell)
    return nb


def edited(nb: nbformat.NotebookNode, index: int, tag: str) -> nbformat.NotebookNode:
    """*nb* with code cell *index* edited and re-run: new line, new count, new output."""
    nb = nbformat.from_dict(nb)
    cell = nb.cells[index + 1]
    cell.source += f"\nprint({tag!r})"
    cell.execution_count = (cell.execution_count or 0) + 100
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text=f"{tag}\n"),
        nbformat.v4.new_output(
            "execute_result", {"text/plain": tag}, execution_count=cell.execution_count
        ),
    ]
    return nb


def both_edits(
    nb: nbformat.NotebookNode, first: tuple[int, str], second: tuple[int, str]
) -> nbformat.NotebookNode:
    return edited(edited(nb, *first), *second)


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=nbformat.NO_CONVERT)


def branches(
    path: Path,
    base: nbformat.NotebookNode,
    ours: nbformat.NotebookNode,
    theirs: nbformat.NotebookNode,
) -> subprocess.CompletedProcess[str]:
    """Commit *base*, *ours* on main and *theirs* on a branch; merge the branch into main."""
    write = nbformat.write if path.suffix == ".ipynb" else write_jupyter
    write(base, path)
    commit_all("base")
    git("checkout", "-q", "-b", "theirs")
    write(theirs, path)
    commit_all("theirs")
    git("checkout", "-q", "main")
    write(ours, path)
    commit_all("ours")
    return git("merge", "-q", "-m", "merge", "theirs", check=False)


def write_jupyter(nb: nbformat.NotebookNode, path: Path) -> None:
    from jupyter_format import write

    write(nb, path)


def keep_side(text: str, side: str) -> str:
    """Resolve every conflict in *text* as a person in an editor would: keep one side."""
    kept, region = [], None
    for line in text.splitlines(keepends=True):
        if line.startswith("<<<<<<<"):
            region = "ours"
        elif line.startswith("|||||||") and region is not None:
            region = "base"
        elif line.startswith("=======") and region is not None:
            region = "theirs"
        elif line.startswith(">>>>>>>") and region is not None:
            region = None
        elif region is None or region == side:
            kept.append(line)
    return "".join(kept)


# --- install, uninstall, status ------------------------------------------------


def test_install_twice_then_uninstall_leaves_the_repository_as_it_was(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    attributes = repo / ".git" / "info" / "attributes"
    attributes.write_text("*.csv text\n", encoding="utf-8")
    git("config", "diff.other.textconv", "cat")
    config_before = (repo / ".git" / "config").read_text(encoding="utf-8")

    assert main(["git", "install"]) == 0
    assert main(["git", "install"]) == 0
    out = capsys.readouterr().out
    assert "installed (local): .ipynb files diff and merge as .jupyter text" in out
    assert attributes.read_text(encoding="utf-8").splitlines() == ["*.csv text", *ATTRIBUTES_BLOCK]
    for key, value in _git.settings().items():
        assert git("config", "--local", "--get-all", key).stdout.splitlines() == [value]
    assert git("check-attr", "diff", "merge", "--", "a.ipynb").stdout.splitlines() == [
        "a.ipynb: diff: jupyter-format",
        "a.ipynb: merge: jupyter-format",
    ]
    assert git("check-attr", "eol", "diff", "--", "a.jupyter").stdout.splitlines() == [
        "a.jupyter: eol: lf",
        "a.jupyter: diff: jupyter-format-text",
    ]

    assert main(["git", "uninstall"]) == 0
    assert main(["git", "uninstall"]) == 0
    assert attributes.read_text(encoding="utf-8") == "*.csv text\n"
    assert (repo / ".git" / "config").read_text(encoding="utf-8") == config_before
    assert "uninstalled (local)" in capsys.readouterr().out


def test_uninstall_removes_an_attributes_file_that_only_install_wrote(repo: Path) -> None:
    attributes = repo / ".git" / "info" / "attributes"
    attributes.unlink(missing_ok=True)
    assert main(["git", "install"]) == 0
    assert attributes.is_file()
    assert main(["git", "uninstall"]) == 0
    assert not attributes.exists()


def test_uninstall_removes_a_block_whose_end_line_was_deleted(repo: Path) -> None:
    attributes = repo / ".git" / "info" / "attributes"
    attributes.write_text(
        "\n".join([_git.BEGIN, *_git.ATTRIBUTES, "*.csv text"]) + "\n", encoding="utf-8"
    )
    assert main(["git", "uninstall"]) == 0
    assert attributes.read_text(encoding="utf-8") == "*.csv text\n"


def test_status_reports_each_scope_and_exits_zero_only_when_it_works(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["git", "status"]) == 1
    out = capsys.readouterr().out
    assert "local: not installed" in out
    assert "global: not installed" in out
    assert "notebooks in this repository use: diff=unspecified merge=unspecified" in out

    main(["git", "install"])
    capsys.readouterr()
    assert main(["git", "status"]) == 0
    out = capsys.readouterr().out
    assert "local: installed (attributes: " in out
    assert "notebooks in this repository use: diff=jupyter-format merge=jupyter-format" in out

    git("config", "--local", "--unset", "merge.jupyter-format.driver")
    assert main(["git", "status"]) == 1
    assert (
        "local: partly installed; missing: git config merge.jupyter-format.driver"
        in capsys.readouterr().out
    )
    git("config", "--local", "merge.jupyter-format.driver", "something else")
    assert main(["git", "status"]) == 1
    assert "merge.jupyter-format.driver (points elsewhere)" in capsys.readouterr().out

    main(["git", "uninstall"])
    main(["git", "install", "--global"])
    capsys.readouterr()
    assert main(["git", "status"]) == 0
    # A repository's own .gitattributes overrides the user's attributes.
    (repo / ".gitattributes").write_text("*.ipynb -diff\n", encoding="utf-8")
    assert main(["git", "status"]) == 1
    out = capsys.readouterr().out
    assert "global: installed" in out
    assert "use: diff=unset merge=jupyter-format" in out


def test_install_into_the_tracked_gitattributes_serves_every_clone(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".gitattributes").write_text("*.csv text\n", encoding="utf-8")
    assert main(["git", "install", "--attributes", ".gitattributes"]) == 0
    assert (repo / ".gitattributes").read_text(encoding="utf-8").splitlines() == [
        "*.csv text",
        *ATTRIBUTES_BLOCK,
    ]
    assert not (repo / ".git" / "info" / "attributes").exists()
    capsys.readouterr()
    assert main(["git", "status"]) == 0
    assert f"local: installed (attributes: {repo / '.gitattributes'})" in capsys.readouterr().out

    # A clone made with Windows' defaults (core.autocrlf=true) keeps .jupyter files LF.
    write_jupyter(notebook(), repo / "analysis.jupyter")
    commit_all("notebook and attributes")
    clone = tmp_path / "clone"
    git("clone", "-q", "-c", "core.autocrlf=true", str(repo), str(clone))
    assert b"\r" not in (clone / "analysis.jupyter").read_bytes()
    assert b"\r\n" in (clone / ".gitattributes").read_bytes()

    assert main(["git", "uninstall", "--attributes", ".gitattributes"]) == 0
    assert (repo / ".gitattributes").read_text(encoding="utf-8") == "*.csv text\n"
    assert main(["git", "install", "--global", "--attributes", "x"]) == 2
    assert "cannot go with --global" in capsys.readouterr().err


def test_status_inside_the_git_directory_has_no_work_tree_to_look_in(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["git", "install"])
    capsys.readouterr()
    monkeypatch.chdir(repo / ".git")
    assert main(["git", "status"]) == 0
    assert "local: installed (attributes: " in capsys.readouterr().out


def test_status_names_missing_attributes(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["git", "install"])
    (repo / ".git" / "info" / "attributes").write_text("", encoding="utf-8")
    capsys.readouterr()
    assert main(["git", "status"]) == 1
    assert "missing: the attributes in " in capsys.readouterr().out


def test_global_install_serves_every_repository(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["git", "install", "--global"]) == 0
    attributes = home / ".config" / "git" / "attributes"
    assert attributes.read_text(encoding="utf-8").splitlines() == ATTRIBUTES_BLOCK
    assert (
        git("config", "--global", "merge.jupyter-format.driver").stdout.strip()
        == (_git.settings()["merge.jupyter-format.driver"])
    )
    capsys.readouterr()
    # Outside any repository, status looks at the user's settings only.
    assert main(["git", "status"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("global: installed")
    assert "local" not in out

    other = tmp_path / "other"
    git("init", "-q", str(other))
    assert (
        git("check-attr", "merge", "--", "x.ipynb", cwd=other)
        .stdout.strip()
        .endswith("merge: jupyter-format")
    )

    assert main(["git", "uninstall", "--global"]) == 0
    assert not attributes.exists()
    assert "jupyter-format" not in (home / ".gitconfig").read_text(encoding="utf-8")


def test_global_install_uses_the_configured_attributes_file(home: Path) -> None:
    git("config", "--global", "core.attributesFile", "~/my-attributes")
    (home / "my-attributes").write_text("*.png binary\n", encoding="utf-8")
    assert main(["git", "install", "--global"]) == 0
    assert (home / "my-attributes").read_text(encoding="utf-8").splitlines() == [
        "*.png binary",
        *ATTRIBUTES_BLOCK,
    ]
    assert not (home / ".config" / "git" / "attributes").exists()


def test_global_install_follows_xdg_config_home(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert main(["git", "install", "--global"]) == 0
    assert (tmp_path / "xdg" / "git" / "attributes").is_file()


def test_local_install_outside_a_repository_is_refused(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["git", "install"]) == 2
    assert capsys.readouterr().err == (
        "jupyter-format git: not in a git repository (use --global to set up every repository)\n"
    )


def test_without_git_the_command_says_so(
    home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert main(["git", "install", "--global"]) == 2
    assert capsys.readouterr().err == "jupyter-format git: git is not installed (or not on PATH)\n"


def test_a_failing_git_command_is_reported(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (home / ".gitconfig").write_text("[broken\n", encoding="utf-8")
    assert main(["git", "install", "--global"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("jupyter-format git: fatal: bad config line 1 in file ")
    assert err.count("\n") == 1


def test_a_broken_repository_is_reported_as_git_reports_it(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".git" / "config").write_text("[broken\n", encoding="utf-8")
    assert main(["git", "install"]) == 2
    assert capsys.readouterr().err.startswith("jupyter-format git: fatal: bad config line 1 ")


def test_a_git_error_without_a_message_names_the_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def silent_failure(*args: object, **kwargs: object) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(["git"], 1, "", "")

    monkeypatch.setattr(_git.subprocess, "run", silent_failure)
    with pytest.raises(_git.GitSetupError, match=r"^git config --local a b failed$"):
        _git._git("config", "--local", "a", "b")


# --- diff ------------------------------------------------------------------------


def test_git_diff_and_log_show_ipynb_changes_as_jupyter_text(repo: Path) -> None:
    main(["git", "install"])
    path = repo / "analysis.ipynb"
    nbformat.write(notebook(), path)
    commit_all("base")
    nbformat.write(edited(notebook(), 2, "changed"), path)

    diff = git("diff").stdout
    changed = [
        line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    assert changed == [
        "- execution_count 3",
        "+    print('changed')",
        "+ execution_count 103",
        "+ stream stdout",
        "+    changed",
        "+",
        "-    2",
        "+    changed",
    ]
    assert "@@ code id=cell-" in diff  # the hunk names the cell it is in
    assert '"source"' not in diff

    commit_all("edit")
    log = git("log", "-p", "-1").stdout
    assert "+    print('changed')" in log
    assert '"outputs"' not in log


def test_git_diff_of_jupyter_files_names_the_cell(repo: Path) -> None:
    main(["git", "install"])
    path = repo / "analysis.jupyter"
    write_jupyter(notebook(6), path)
    commit_all("base")
    write_jupyter(edited(notebook(6), 5, "changed"), path)
    diff = git("diff").stdout
    assert "+    print('changed')" in diff
    assert "@@ code id=cell-" in diff


def test_textconv_prints_a_file_that_is_not_a_notebook_as_it_is(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    path = tmp_path / "broken.ipynb"
    path.write_bytes(b'{"cells": [\n')
    assert main(["cat", "--textconv", str(path)]) == 0
    assert capsysbinary.readouterr().out == b'{"cells": [\n'


# --- merge -------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".ipynb", ".jupyter"])
@pytest.mark.parametrize(
    ("ours_cell", "theirs_cell"), [(0, 3), (1, 2)], ids=["different-cells", "adjacent-cells"]
)
def test_edits_of_different_cells_merge_cleanly(
    repo: Path, suffix: str, ours_cell: int, theirs_cell: int
) -> None:
    main(["git", "install"])
    path = repo / f"analysis{suffix}"
    base = notebook()
    ours, theirs = edited(base, ours_cell, "ours"), edited(base, theirs_cell, "theirs")
    result = branches(path, base, ours, theirs)
    assert result.returncode == 0, result.stdout + result.stderr
    expected = both_edits(base, (ours_cell, "ours"), (theirs_cell, "theirs"))
    if suffix == ".ipynb":
        assert read(path) == expected
        assert path.read_text(encoding="utf-8").startswith("{")
    else:
        from jupyter_format import read as read_jupyter

        assert read_jupyter(path) == expected


def test_cells_inserted_on_both_branches_merge_cleanly(repo: Path) -> None:
    main(["git", "install"])
    path = repo / "analysis.ipynb"
    base = notebook()
    ours, theirs = nbformat.from_dict(base), nbformat.from_dict(base)
    ours.cells.insert(2, nbformat.v4.new_code_cell("ours = 1", id="new-ours"))
    theirs.cells.insert(4, nbformat.v4.new_markdown_cell("theirs", id="new-theirs"))
    assert branches(path, base, ours, theirs).returncode == 0
    expected = nbformat.from_dict(ours)
    expected.cells.insert(5, theirs.cells[4])
    assert read(path) == expected


@pytest.mark.parametrize("side", ["ours", "theirs"])
def test_a_conflict_in_one_cell_is_left_as_text_that_an_editor_resolves(
    repo: Path, side: str, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["git", "install"])
    path = repo / "analysis.ipynb"
    base = notebook()
    ours, theirs = edited(base, 1, "ours"), edited(base, 1, "theirs")
    result = branches(path, base, ours, theirs)
    assert result.returncode == 1
    assert "CONFLICT (content): Merge conflict in analysis.ipynb" in result.stdout
    assert "analysis.ipynb: 1 conflict (1 marked);" in result.stderr
    assert "analysis.ipynb: conflict: cell cell-1: source" in result.stderr
    assert result.stderr.endswith(
        "analysis.ipynb now holds the .jupyter text of the merge with conflict markers: open it"
        " in JupyterLab or Notebook 7 (each conflict shows as both versions' cells: delete the"
        " one you do not keep, and save), or resolve it in a text editor and run\n"
        "    jupyter-format convert --to ipynb -- analysis.ipynb\n"
        "then git add -- analysis.ipynb\n"
    )
    text = path.read_text(encoding="utf-8")
    assert text.startswith("nbformat 4\n")
    assert "<<<<<<< ours\n" in text
    assert ">>>>>>> theirs\n" in text

    capsys.readouterr()
    assert main(["check", str(path)]) == 1
    report = capsys.readouterr().out + capsys.readouterr().err
    assert "analysis.ipynb:" in report
    assert "unresolved merge conflict" in report

    path.write_text(keep_side(text, side), encoding="utf-8")
    assert main(["convert", "--to", "ipynb", str(path), "-o", str(path)]) == 0
    assert read(path) == (ours if side == "ours" else theirs)
    assert main(["check", str(path)]) == 0


def test_the_conflict_markers_have_the_size_git_asks_for(tmp_path: Path) -> None:
    base, ours, theirs = (tmp_path / name for name in ("base", "ours", "theirs"))
    nbformat.write(notebook(), base)
    nbformat.write(edited(notebook(), 0, "ours"), ours)
    nbformat.write(edited(notebook(), 0, "theirs"), theirs)
    assert _git.merge_driver(base, ours, theirs, 9, "nb.ipynb") == 1
    lines = ours.read_text(encoding="utf-8").splitlines()
    assert "<<<<<<<<< ours" in lines
    assert "<<<<<<< ours" not in lines
    assert main(["check", str(ours)]) == 1


def test_notebooks_added_on_both_branches_merge_without_a_base(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["git", "install"])
    (repo / "README").write_text("base\n", encoding="utf-8")
    commit_all("base")
    path = repo / "new.ipynb"
    git("checkout", "-q", "-b", "theirs")
    theirs = edited(notebook(), 0, "theirs")
    nbformat.write(theirs, path)
    commit_all("theirs")
    git("checkout", "-q", "main")
    nbformat.write(edited(notebook(), 0, "ours"), path)
    commit_all("ours")
    result = git("merge", "-q", "-m", "merge", "theirs", check=False)
    assert result.returncode == 1
    assert "conflict" in result.stderr
    path.write_text(keep_side(path.read_text(encoding="utf-8"), "theirs"), encoding="utf-8")
    assert main(["convert", "--to", "ipynb", str(path), "-o", str(path)]) == 0
    assert read(path) == theirs


def test_identical_notebooks_added_on_both_branches_merge_cleanly(tmp_path: Path) -> None:
    base, ours, theirs = (tmp_path / name for name in ("base", "ours", "theirs"))
    base.write_bytes(b"")
    nbformat.write(notebook(), ours)
    nbformat.write(notebook(), theirs)
    assert _git.merge_driver(base, ours, theirs, 7, "nb.ipynb") == 0
    assert read(ours) == notebook()


def test_files_that_are_not_notebooks_merge_line_by_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, ours, theirs = (tmp_path / name for name in ("base", "ours", "theirs"))
    base.write_text("one\ntwo\nthree\n", encoding="utf-8")
    ours.write_text("ONE\ntwo\nthree\n", encoding="utf-8")
    theirs.write_text("one\ntwo\nTHREE\n", encoding="utf-8")
    assert _git.merge_driver(base, ours, theirs, 7, "data.ipynb") == 0
    assert ours.read_text(encoding="utf-8") == "ONE\ntwo\nTHREE\n"
    assert "data.ipynb: not a notebook on every side" in capsys.readouterr().err


def test_one_cell_put_in_two_places_is_a_conflict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each branch inserts a cell with the same id at a different place: never kept twice."""
    base, ours, theirs = (tmp_path / name for name in ("base", "ours", "theirs"))
    nb = notebook()
    nbformat.write(nb, base)
    for path, index in ((ours, 1), (theirs, 4)):
        side = nbformat.from_dict(nb)
        side.cells.insert(index, nbformat.v4.new_code_cell(f"at_{index}", id="same-id"))
        nbformat.write(side, path)
    assert _git.merge_driver(base, ours, theirs, 7, "nb.ipynb") == 1
    err = capsys.readouterr().err
    assert "nb.ipynb: conflict: cell same-id: the sides put this cell in different places" in err
    text = ours.read_text(encoding="utf-8")
    assert text.count("<<<<<<< ours\n") == 2
    for side in ("ours", "theirs"):
        resolved = jupyter_format.deserialize(keep_side(text, side))
        assert [cell.id for cell in resolved.cells].count("same-id") == 1


def test_a_cell_made_markdown_while_the_other_side_ran_it_loses_only_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, ours, theirs = (tmp_path / name for name in ("base", "ours", "theirs"))
    nb = notebook(2)
    nb.cells[1].source = "a = 1\nb = 2\nc = 3"
    nb.cells[1].execution_count = None
    nb.cells[1].outputs = []
    nbformat.write(nb, base)
    as_markdown = nbformat.from_dict(nb)
    as_markdown.cells[1] = nbformat.v4.new_markdown_cell(nb.cells[1].source, id="cell-0")
    nbformat.write(as_markdown, ours)
    nbformat.write(edited(nb, 0, "run"), theirs)
    assert _git.merge_driver(base, ours, theirs, 7, "nb.ipynb") == 0
    assert "nb.ipynb: cell cell-0: outputs dropped: it is a markdown cell now" in (
        capsys.readouterr().err
    )
    # Theirs' new line is kept; the outputs of its run are not, under markdown.
    assert read(ours).cells[1] == nbformat.v4.new_markdown_cell(
        "a = 1\nb = 2\nc = 3\nprint('run')", id="cell-0"
    )


def test_invalid_sides_may_merge_into_a_notebook_as_invalid_as_they_were(tmp_path: Path) -> None:
    base, ours, theirs = (tmp_path / name for name in ("base", "ours", "theirs"))
    nb = notebook()
    nb.cells[1]["unknown_key"] = "tolerated by nbformat, rejected by its schema"
    for path, side in ((base, nb), (ours, edited(nb, 0, "ours")), (theirs, edited(nb, 3, "t"))):
        nbformat.write(side, path)
    assert _git.merge_driver(base, ours, theirs, 7, "nb.ipynb") == 0
    merged = read(ours)
    assert merged == both_edits(nb, (0, "ours"), (3, "t"))


def test_the_merge_driver_command_reports_unreadable_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing"
    assert main(["git", "merge-driver", str(missing), str(missing), str(missing)]) == 2
    assert capsys.readouterr().err.startswith(f"{missing}: merge failed: ")


def test_conflicts_in_a_jupyter_file_need_no_conversion(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, ours, theirs = (tmp_path / name for name in ("base", "ours", "theirs"))
    write_jupyter(notebook(), base)
    write_jupyter(edited(edited(notebook(), 0, "ours"), 3, "ours"), ours)
    write_jupyter(edited(edited(notebook(), 0, "theirs"), 3, "theirs"), theirs)
    assert _git.merge_driver(base, ours, theirs, 7, "nb.jupyter") == 1
    err = capsys.readouterr().err
    assert err.startswith("nb.jupyter: 2 conflicts (2 marked);")
    assert "convert --to ipynb" not in err
    assert err.endswith(
        "nb.jupyter holds the merge with conflict markers: open it in JupyterLab or Notebook 7"
        " (each conflict shows as both versions' cells: delete the one you do not keep, and"
        " save), or resolve it in a text editor; then git add -- nb.jupyter\n"
    )
    assert ours.read_text(encoding="utf-8").count("<<<<<<< ours\n") == 2


def test_unusable_merge_settings_fall_back_to_a_line_merge(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    git("config", "jupyter-format.merge.both-ran", "mine")
    base, ours, theirs = (repo / name for name in ("base", "ours", "theirs"))
    nbformat.write(notebook(), base)
    nbformat.write(edited(notebook(), 0, "ours"), ours)
    nbformat.write(notebook(), theirs)
    assert _git.merge_driver(base, ours, theirs, 7, "nb.ipynb") == 0
    err = capsys.readouterr().err
    assert (
        "nb.ipynb: merge settings: both-ran must be one of ours, theirs, conflict, not 'mine'"
        in err
    )
    assert read(ours) == edited(notebook(), 0, "ours")


# --- hostile file names ----------------------------------------------------------

# Each name is run through git's drivers a dozen times: few names, many traits.
HOSTILE_NAMES = ["-dash.ipynb", "--a space, 'quotes\".ipynb", "ünï ☃\nnew line.ipynb"]


def test_git_diffs_merges_rebases_and_cherry_picks_hostile_names(repo: Path) -> None:
    main(["git", "install"])
    paths = [repo / name for name in HOSTILE_NAMES]
    base = notebook()
    for path in paths:
        nbformat.write(base, path)
    commit_all("base")

    for path in paths:
        nbformat.write(edited(base, 0, "diffed"), path)
    diff = git("diff")
    assert diff.returncode == 0
    assert diff.stdout.count("+    print('diffed')") == len(paths)
    git("checkout", "-q", "--", ".")

    git("checkout", "-q", "-b", "theirs")
    for path in paths:
        nbformat.write(edited(base, 3, "theirs"), path)
    commit_all("theirs")
    git("checkout", "-q", "main")
    for path in paths:
        nbformat.write(edited(base, 0, "ours"), path)
    commit_all("ours")
    both = both_edits(base, (0, "ours"), (3, "theirs"))

    for command in (["merge", "-q", "-m", "merge", "theirs"], ["cherry-pick", "theirs"]):
        git("checkout", "-q", "-B", "work", "main")
        result = git(*command, check=False)
        assert result.returncode == 0, (command, result.stdout, result.stderr)
        assert all(read(path) == both for path in paths), command

    git("checkout", "-q", "-B", "work", "theirs")
    result = git("rebase", "-q", "main", check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert all(read(path) == both for path in paths)


def test_a_conflict_in_a_hostile_name_keeps_both_sides(repo: Path) -> None:
    main(["git", "install"])
    paths = [repo / name for name in HOSTILE_NAMES]
    base = notebook()
    ours, theirs = edited(base, 1, "ours"), edited(base, 1, "theirs")
    for path in paths:
        nbformat.write(base, path)
    commit_all("base")
    git("checkout", "-q", "-b", "theirs")
    for path in paths:
        nbformat.write(theirs, path)
    commit_all("theirs")
    git("checkout", "-q", "main")
    for path in paths:
        nbformat.write(ours, path)
    commit_all("ours")
    result = git("merge", "-q", "-m", "merge", "theirs", check=False)
    assert result.returncode == 1
    assert "usage:" not in result.stderr
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert "<<<<<<< ours\n" in text, path.name
        assert "print('ours')" in text
        assert "print('theirs')" in text


# --- notebook-aware merging through git ----------------------------------------


def rerun(nb: nbformat.NotebookNode, index: int, output: str) -> nbformat.NotebookNode:
    """*nb* with code cell *index* re-run, its source unchanged: a new count and output."""
    nb = nbformat.from_dict(nb)
    cell = nb.cells[index + 1]
    cell.execution_count = (cell.execution_count or 0) + 50
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=output)]
    return nb


def read_either(path: Path) -> nbformat.NotebookNode:
    return read(path) if path.suffix == ".ipynb" else jupyter_format.read(path)


@pytest.mark.parametrize("suffix", [".ipynb", ".jupyter"])
def test_both_branches_re_running_a_cell_merge_rebase_cherry_pick_and_stash_pop(
    repo: Path, suffix: str
) -> None:
    main(["git", "install"])
    path = repo / f"analysis{suffix}"
    write = nbformat.write if suffix == ".ipynb" else write_jupyter
    base = notebook()
    ours, theirs = rerun(base, 1, "ours\n"), rerun(edited(base, 3, "theirs"), 1, "theirs\n")
    assert branches(path, base, ours, theirs).returncode == 0
    merged = read_either(path)
    # Rule b: both re-ran cell-1, ours kept; theirs' edit of cell-3 is in.
    assert merged.cells[2] == ours.cells[2]
    assert merged.cells[4] == theirs.cells[4]

    git("checkout", "-q", "-b", "replay", "theirs")
    assert git("rebase", "-q", "main~1", check=False).returncode == 0  # onto ours
    assert read_either(path).cells[2] == ours.cells[2]
    git("checkout", "-q", "main~1")
    assert git("cherry-pick", "theirs", check=False).returncode == 0
    assert read_either(path) == merged

    git("checkout", "-q", "main~1")
    stashed = edited(base, 0, "stashed")
    write(stashed, path)
    git("stash", "-q")
    git("checkout", "-q", "theirs")
    assert git("stash", "pop", "-q", check=False).returncode == 0
    popped = read_either(path)
    assert popped.cells[1] == stashed.cells[1]
    assert popped.cells[2:] == theirs.cells[2:]


@pytest.mark.parametrize("suffix", [".ipynb", ".jupyter"])
def test_a_true_conflict_through_git_is_reported_and_marked_in_the_cell(
    repo: Path, suffix: str
) -> None:
    main(["git", "install"])
    path = repo / f"analysis{suffix}"
    base = notebook()
    result = branches(path, base, edited(base, 0, "ours"), edited(base, 0, "theirs"))
    assert result.returncode == 1
    assert f"analysis{suffix}: conflict: cell cell-0: source" in result.stderr
    text = path.read_text(encoding="utf-8")
    assert text.count("<<<<<<< ours\n") == 1
    # The conflict is inside cell-0, after its unchanged lines.
    assert "code id=cell-0\n    x0 = 0\n    x0\n<<<<<<< ours\n" in text
