"""The package's layers: the format core depends on nothing outside it, and no imports go round."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "jupyter_format"

#: What the format core may import from the rest of the package: the
#: exception classes, which import nothing.
CORE_MAY_IMPORT = {"jupyter_format._exceptions"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking_block(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.If)
        and isinstance(node.test, ast.Name)
        and node.test.id == "TYPE_CHECKING"
    )


def imported_modules(path: Path) -> set[str]:
    """The modules of the package that *path* imports when it runs (typing-only imports aside)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    pending: list[ast.AST] = [ast.parse(path.read_text(encoding="utf-8"))]
    while pending:
        node = pending.pop()
        if _is_type_checking_block(node):
            continue
        if isinstance(node, ast.ImportFrom):
            target = node.module or ""
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
            for alias in node.names:
                # "from . import x" imports the module x, or a name of the package.
                submodule = f"{target}.{alias.name}"
                found.add(submodule if submodule in MODULES else target)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        pending.extend(ast.iter_child_nodes(node))
    return {module for module in found if module.split(".")[0] == "jupyter_format"} - {name}


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def test_the_format_core_imports_nothing_from_the_outer_layers() -> None:
    core = {name for name in MODULES if name.startswith("jupyter_format._format")}
    assert "jupyter_format._format.reader" in core
    for name in sorted(core):
        outside = imported_modules(MODULES[name]) - core - CORE_MAY_IMPORT
        assert not outside, f"{name} imports {sorted(outside)}"


def test_no_module_imports_itself_through_others() -> None:
    graph = {name: imported_modules(path) & MODULES.keys() for name, path in MODULES.items()}
    # Every package imports its parent package first: that is no cycle.
    for name in graph:
        graph[name] -= {parent for parent in graph if name.startswith(parent + ".")}
    cycles = []
    for start in sorted(graph):
        pending = [(start, [start])]
        seen: set[str] = set()
        while pending:
            name, route = pending.pop()
            for imported in graph[name]:
                if imported == start:
                    cycles.append(" -> ".join([*route, start]))
                elif imported not in seen:
                    seen.add(imported)
                    pending.append((imported, [*route, imported]))
    assert not cycles, "\n".join(cycles)


def test_the_checks_see_a_cycle_and_a_core_import(tmp_path: Path) -> None:
    # The tests above would pass on a parser that found no imports at all.
    cli = imported_modules(PACKAGE / "_cli" / "__init__.py")
    assert {"jupyter_format._cli.batch", "jupyter_format._cli.options"} <= cli
    assert "jupyter_format._replace" in imported_modules(PACKAGE / "replace_all.py")
    assert "jupyter_format._exceptions" in imported_modules(PACKAGE / "_format" / "reader.py")
    assert "jupyter_format._format.escaping" in imported_modules(PACKAGE / "_format" / "writer.py")


def test_running_replace_all_as_a_module_runs_its_code_once() -> None:
    # python -m runs the module as __main__; had the command it calls imported
    # it again under its own name, its code would run twice.
    probe = (
        "import runpy, sys\n"
        "sys.argv = ['replace_all', '--help']\n"
        "try:\n"
        "    runpy.run_module('jupyter_format.replace_all', run_name='__main__', alter_sys=True)\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('imported again:', 'jupyter_format.replace_all' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert "usage: jupyter-format replace-all" in result.stdout
    assert result.stdout.splitlines()[-1] == "imported again: False"


#: Exceptions defined elsewhere, and why: they extend another library's
#: exception (imported only with it), or never leave their module.
EXCEPTIONS_ELSEWHERE = {
    "jupyter_format.exporters": {"NotebookParseError", "NotebookConversionError"},
    "jupyter_format.sphinx": {"NotebookSourceError"},
    "jupyter_format._format.escaping": {"InvalidEscapeError"},
}


def test_exceptions_live_in_one_module() -> None:
    defined: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and node.name.endswith(("Error", "Exception")):
                defined.setdefault(name, set()).add(node.name)
    assert "CommandError" in defined.pop("jupyter_format._exceptions")
    assert defined == EXCEPTIONS_ELSEWHERE


def test_ci_tests_the_lowest_versions_the_package_declares() -> None:
    import re

    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib

    root = PACKAGE.parents[1]
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = [
        *project["dependencies"],
        *(
            requirement
            for extra in project["optional-dependencies"].values()
            for requirement in extra
        ),
    ]
    minimums = {}
    for requirement in declared:
        if (match := re.fullmatch(r"([A-Za-z0-9_.-]+)>=([0-9.]+)", requirement)) is not None:
            minimums[match[1].lower().replace("-", "_")] = match[2]
    pinned = {}
    for line in (root / ".ci" / "lowest-versions.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pinned[name.lower().replace("-", "_")] = version
    assert {"nbformat", "jupyter_server", "nbconvert", "nbclient"} <= pinned.keys()
    for name, version in pinned.items():
        # 5.7 and 5.7.0 name the same lowest release.
        assert version.removesuffix(".0") == minimums[name].removesuffix(".0"), name
