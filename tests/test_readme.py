"""The README's commands and the bundled example do what the README says."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

import jupyter_format

ROOT = Path(__file__).resolve().parents[1]
IN_A_NEW_VENV = "python3 -m venv .venv && . .venv/bin/activate && "


def readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", readme)[:2]


def test_the_readme_starts_with_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    before_first_section = readme.split("\n## ", 1)[0]
    assert len(re.findall(r"```sh\n", before_first_section)) == 2
    install_and_demo, install_and_test = readme_commands()
    # A system Python may refuse pip install outside a virtual environment.
    assert install_and_demo.startswith(f"{IN_A_NEW_VENV}python -m pip install . && ")
    assert install_and_test.startswith(
        f'{IN_A_NEW_VENV}python -m pip install -e ".[test]" && python -m pytest'
    )


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert readme_commands()[1] in ci.splitlines()


def test_the_demo_command_round_trips_the_example(tmp_path: Path) -> None:
    # The README's first command, minus the installation, in a copy of examples/.
    examples = tmp_path / "examples"
    shutil.copytree(ROOT / "examples", examples)
    command = readme_commands()[0].removeprefix(IN_A_NEW_VENV).split(" && ", 1)[1]
    command = command.replace("jupyter-format", f"{sys.executable} -m jupyter_format")
    result = subprocess.run(
        command, shell=True, cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("round trip: identical\n")
    assert "\n code id=error" not in result.stdout
    assert "code id=figure\n" in result.stdout


def test_the_committed_example_is_current() -> None:
    nb = nbformat.read(ROOT / "examples" / "demo.ipynb", as_version=4)
    text = (ROOT / "examples" / "demo.jupyter").read_text(encoding="utf-8")
    assert jupyter_format.serialize(nb) == text
    # The example holds every kind of output the README mentions.
    kinds = {output.output_type for cell in nb.cells for output in cell.get("outputs", [])}
    assert kinds == {"stream", "display_data", "execute_result", "error"}
    assert "   \\\\rprocessing" in text
