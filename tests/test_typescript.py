"""The TypeScript implementation of the format (js/format) agrees with this one.

Every valid vector reads to the same notebook and writes back to the same
bytes, every invalid one fails with the same message and position, and so do
the ``.jupyter`` texts that this implementation writes of the corpus.  The
cases go to ``js/format/lib/test/conformance.js`` as JSON lines.  The VS Code
extension's mapping of notebooks to VS Code's NotebookData (js/vscode) keeps
all of them too.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbformat.v4.rwbase import split_lines, strip_transient

import jupyter_format
from jupyter_format._cell_ids import derived_id
from schema_samples import Sampler
from test_corpus import read_like_the_checks

ROOT = Path(__file__).resolve().parents[1]
FORMAT = ROOT / "js" / "format"
VSCODE = ROOT / "js" / "vscode"
VECTORS = ROOT / "tests" / "vectors"
SCHEMA_SAMPLES = 3000


@pytest.fixture(scope="module")
def conformance() -> Path:
    """The built conformance runner (npm installs TypeScript the first time)."""
    npm = shutil.which("npm")
    if npm is None:
        if os.environ.get("JUPYTER_FORMAT_REQUIRE_LABEXTENSION"):
            pytest.fail("npm is not installed; the TypeScript implementation cannot be built")
        pytest.skip("npm is not installed: the TypeScript implementation cannot be built")
    if not (FORMAT / "node_modules" / ".bin" / "tsc").exists():
        install = "ci" if (FORMAT / "package-lock.json").exists() else "install"
        subprocess.run([npm, install, "--no-audit", "--no-fund"], cwd=FORMAT, check=True)
    subprocess.run([npm, "run", "build"], cwd=FORMAT, check=True, capture_output=True)
    return FORMAT / "lib" / "test" / "conformance.js"


def run(runner: Path, cases: list[dict[str, Any]], tmp_path: Path) -> tuple[dict[str, Any], str]:
    """Run the cases; return the counts per kind and the report of failures."""
    path = tmp_path / "cases.jsonl"
    with path.open("w", encoding="utf-8") as file:
        for case in cases:
            file.write(json.dumps(case) + "\n")
    node = shutil.which("node") or "node"
    result = subprocess.run(
        [node, str(runner), str(path)], capture_output=True, text=True, check=False
    )
    lines = result.stdout.splitlines()
    assert lines, result.stderr
    return json.loads(lines[-1]), "\n".join(lines[:-1])


def ipynb_text(nb: nbformat.NotebookNode) -> str:
    """The .ipynb text that nbformat.write writes, but with the transient fields kept.

    nbformat's writer drops ``orig_nbformat``, ``signature`` and ``trusted``;
    the TypeScript one keeps everything, so that the VS Code bridge loses nothing.
    """
    lines = split_lines(copy.deepcopy(nb))
    text = json.dumps(lines, sort_keys=True, indent=1, separators=(",", ": "), ensure_ascii=False)
    return text + "\n"


def read_cases(name: str, path: Path, *, ipynb: bool = False) -> list[dict[str, Any]]:
    """Reading *path* gives Python's notebook, and writing it Python's text.

    With *ipynb*, writing it as .ipynb also gives nbformat's text, and reading that
    gives the notebook back.  Reading it with the schema checks passes where
    Python's does, and fails as Python's does where that fails.
    """
    nb = jupyter_format.deserialize(path.read_bytes(), validate=False)
    case = {
        "kind": "read",
        "name": name,
        "path": str(path),
        "json": json.dumps(nb, sort_keys=True),
        "text": jupyter_format.serialize(nb),
    }
    if ipynb:
        case["ipynb"] = ipynb_text(nb)
    try:
        jupyter_format.deserialize(path.read_bytes())
    except jupyter_format.ParseError as error:
        return [case, error_case(f"{name} (validated)", path, error)]
    return [{**case, "validate": True}]


def error_case(name: str, path: Path, error: jupyter_format.ParseError) -> dict[str, Any]:
    """Reading *path* with the schema checks fails as in Python."""
    return {
        "kind": "error",
        "name": name,
        "path": str(path),
        "line": error.lineno,
        "column": error.colno,
        "message": error.msg,
    }


def test_the_ipynb_text_expected_is_nbformats_where_nothing_is_transient(
    corpus_notebooks: list[Path],
) -> None:
    compared = 0
    for ipynb in corpus_notebooks:
        read = read_like_the_checks(ipynb)
        if read is None or strip_transient(copy.deepcopy(read[0])) != read[0]:
            continue
        assert ipynb_text(read[0]) == nbformat.writes(copy.deepcopy(read[0])) + "\n", ipynb
        compared += 1
    assert compared >= 900


def schema_problem(path: Path) -> str:
    """What reading *path* with nbformat's schema checks finds wrong, as ``line:column: message``.

    Both sides of each conflicted vector are valid: its conflict view opens without a warning.
    """
    text = path.read_text(encoding="utf-8")
    if path.parent.name == "conflicted":
        return ""
    try:
        jupyter_format.deserialize(text)
    except jupyter_format.ParseError as error:
        return f"{error.lineno}:{error.colno}: {error.msg}"
    return ""


def test_every_vector_reads_writes_and_fails_as_in_python(
    conformance: Path, tmp_path: Path
) -> None:
    cases = []
    for directory in ("valid", "unvalidated"):
        for path in sorted((VECTORS / directory).glob("*.jupyter")):
            name = f"{directory}/{path.stem}"
            cases += read_cases(name, path, ipynb=directory == "valid")
    conflicted = VECTORS / "conflicted"
    for path in sorted(conflicted.glob("*.jupyter")):
        if path.stem.endswith((".ours", ".theirs")):
            continue
        view = jupyter_format.reads(path.read_text(encoding="utf-8"), conflicts=True)
        cases.append(
            {
                "kind": "conflict",
                "name": f"conflicted/{path.stem}",
                "path": str(path),
                "json": json.dumps(view, sort_keys=True),
                "ours": (conflicted / f"{path.stem}.ours.jupyter").read_text(encoding="utf-8"),
                "theirs": (conflicted / f"{path.stem}.theirs.jupyter").read_text(encoding="utf-8"),
                # git's diff3 base section is not written back.
                "same": "|||||||" not in path.read_text(encoding="utf-8"),
            }
        )
    for path in sorted((VECTORS / "invalid").glob("*.jupyter")):
        expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        case = {
            "kind": "error",
            "name": f"invalid/{path.stem}",
            "path": str(path),
            "line": expected["line"],
            "column": expected["column"],
            "message": expected["message"],
        }
        cases.append(case)
    counts, failures = run(conformance, cases, tmp_path)
    print(f"TypeScript conformance, vectors: {counts}")
    assert not failures, failures
    assert counts["read"]["passed"] >= 20
    assert counts["error"]["passed"] >= 60
    assert counts["conflict"]["passed"] >= 3


def test_the_schema_checks_fail_as_in_python(conformance: Path, tmp_path: Path) -> None:
    """Random free-form JSON, checked against nbformat's schemas: the same verdict and message."""
    cases = []
    sampler = Sampler(seed=4)
    for number in range(SCHEMA_SAMPLES):
        text = sampler.notebook()
        path = tmp_path / f"{number}.jupyter"
        path.write_text(text, encoding="utf-8", newline="\n")
        name = f"schema sample {number}"
        try:
            nb = jupyter_format.deserialize(text)
        except jupyter_format.ParseError as error:
            cases.append(error_case(name, path, error))
        else:
            case = {"kind": "read", "name": name, "path": str(path), "validate": True}
            cases.append({**case, "json": json.dumps(nb, sort_keys=True)})
    counts, failures = run(conformance, cases, tmp_path)
    print(f"TypeScript conformance, schema samples: {counts}")
    assert not failures, failures
    schema_errors = [case for case in cases if "schema)" in case.get("message", "")]
    assert len(schema_errors) >= SCHEMA_SAMPLES // 3
    assert counts["read"]["passed"] >= SCHEMA_SAMPLES // 3
    assert len({re.sub(r"'.*'|\[.*\]|\d+", "", case["message"]) for case in schema_errors}) >= 50


def test_the_typescript_copy_of_nbformats_schemas_is_current() -> None:
    script = FORMAT / "scripts" / "write_nbformat_schemas.py"
    spec = importlib.util.spec_from_file_location("write_nbformat_schemas", script)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = (FORMAT / "src" / "nbformatSchemas.ts").read_text(encoding="utf-8")
    assert written == module.module_text(), "run js/format/scripts/write_nbformat_schemas.py"


def test_the_corpus_reads_and_writes_as_in_python(
    conformance: Path, tmp_path: Path, corpus_notebooks: list[Path]
) -> None:
    cases = []
    for number, ipynb in enumerate(corpus_notebooks):
        read = read_like_the_checks(ipynb)
        if read is None:  # not a notebook nbformat reads
            continue
        path = tmp_path / f"{number}.jupyter"
        path.write_text(jupyter_format.serialize(read[0]), encoding="utf-8", newline="\n")
        cases += read_cases(ipynb.name, path, ipynb=True)
    counts, failures = run(conformance, cases, tmp_path)
    print(f"TypeScript conformance, corpus: {counts}")
    assert not failures, failures
    reads = [case for case in cases if case["kind"] == "read"]
    assert counts["read"]["passed"] == len(reads) >= 900
    assert sum(case.get("validate", False) for case in reads) >= 900


def test_the_typescript_round_trip_of_hostile_notebooks(conformance: Path) -> None:
    """fast-check's property tests: write, read back, write again, with hostile strings; and
    conflict views of merges of such notebooks resolve to either side exactly."""
    node = shutil.which("node") or "node"
    properties = FORMAT / "lib" / "test" / "properties.js"
    result = subprocess.run([node, str(properties)], capture_output=True, text=True, check=False)
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "round trip: 2000 notebooks" in result.stdout
    viewed = re.search(
        r"conflict views: 1000 merges, (\d+) viewed and resolved both ways", result.stdout
    )
    assert viewed is not None, result.stdout
    assert int(viewed[1]) >= 100


@pytest.fixture(scope="module")
def mapping(conformance: Path) -> Path:
    """The VS Code extension's mapping, built to run in Node on a stand-in of VS Code's API."""
    npm = shutil.which("npm")
    assert npm is not None  # the conformance fixture has made sure
    if not (VSCODE / "node_modules" / ".bin" / "esbuild").exists():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=VSCODE, check=True)
    subprocess.run([npm, "run", "test:mapping"], cwd=VSCODE, check=True, capture_output=True)
    return VSCODE / "lib-test" / "mapping.js"


def test_the_vscode_mapping_keeps_every_notebook(
    mapping: Path, tmp_path: Path, corpus_notebooks: list[Path]
) -> None:
    """Every vector and corpus notebook maps to NotebookData and back to itself.

    Invalid ones too (missing fields, future cell types), but for one whose cells
    are not a list, which the extension shows as a file it cannot read.  Those
    that break nbformat's schema open with Python's message as the warning.
    Conflicted vectors map as their conflict views.
    """
    paths = sorted((VECTORS / "valid").glob("*.jupyter"))
    paths += sorted(
        path
        for path in (VECTORS / "unvalidated").glob("*.jupyter")
        if path.stem != "cells-not-a-list"
    )
    paths += sorted(
        path
        for path in (VECTORS / "conflicted").glob("*.jupyter")
        if not path.stem.endswith((".ours", ".theirs"))
    )
    for number, ipynb in enumerate(corpus_notebooks):
        read = read_like_the_checks(ipynb)
        if read is not None:
            path = tmp_path / f"{number}.jupyter"
            path.write_text(jupyter_format.serialize(read[0]), encoding="utf-8", newline="\n")
            paths.append(path)
    listing = tmp_path / "files.txt"
    listing.write_text("".join(f"{path}\t{schema_problem(path)}\n" for path in paths))
    node = shutil.which("node") or "node"
    result = subprocess.run(
        [node, str(mapping), str(listing)], capture_output=True, text=True, check=False
    )
    lines = result.stdout.splitlines()
    assert lines, result.stderr
    counts = json.loads(lines[-1])
    print(f"VS Code mapping: {counts}")
    assert result.returncode == 0, "\n".join(lines[:-1]) + result.stderr
    assert counts["notebooks"] == {"passed": len(paths), "failed": 0}
    assert len(paths) >= 900
    assert sum(bool(schema_problem(path)) for path in paths) >= 20
    # The kernel-made cell there has no id: it gets the one this implementation derives.
    assert counts["kernel_outputs"] == {"passed": 1, "failed": 0}
    assert derived_id({"cell_type": "code", "source": "plot()"}, set()) == "05d7f4f3"
