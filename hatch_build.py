"""Builds the JupyterLab extension (js/jupyterlab/) into the package when a wheel is built.

The extension is compiled from TypeScript with packages from the npm registry,
so building from a checkout uses Node.js and npm; the build environment then
also gets jupyterlab, whose package data the compilation needs.  A checkout
with the extension built already (or an sdist, which carries it) needs neither.

Without npm the package is built without the extension, with a warning: the
command line, the library and the server extension work, and JupyterLab opens
.jupyter files through "Open With > Notebook".  Set
JUPYTER_FORMAT_REQUIRE_LABEXTENSION=1 to make that an error instead (CI does),
or JUPYTER_FORMAT_SKIP_LABEXTENSION=1 to skip the extension on purpose.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

ROOT = Path(__file__).parent
JS = ROOT / "js" / "jupyterlab"
BUILT = ROOT / "src" / "jupyter_format" / "labextension" / "package.json"


def _must_build() -> bool:
    if os.environ.get("JUPYTER_FORMAT_SKIP_LABEXTENSION"):
        return False
    return not BUILT.exists() or bool(os.environ.get("JUPYTER_FORMAT_REBUILD_LABEXTENSION"))


class LabExtensionBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Compile js/jupyterlab/ into src/jupyter_format/labextension unless it is there already."""

    PLUGIN_NAME = "labextension"

    def dependencies(self) -> list[str]:
        return ["jupyterlab>=4.0,<5"] if _must_build() and shutil.which("npm") else []

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if not _must_build():
            return
        npm = shutil.which("npm")
        if npm is None:
            message = (
                "npm is not installed: jupyter-format is built without its JupyterLab "
                "extension (double-clicking .jupyter files will open the text editor)."
            )
            if os.environ.get("JUPYTER_FORMAT_REQUIRE_LABEXTENSION"):
                raise RuntimeError(message)
            warnings.warn(message, stacklevel=1)
            return
        import jupyterlab  # noqa: PLC0415 - a dependency of the build, not of the package

        staging = Path(jupyterlab.__file__).parent / "staging"
        install = "ci" if (JS / "package-lock.json").exists() else "install"
        subprocess.run([npm, install, "--no-audit", "--no-fund"], cwd=JS, check=True)
        subprocess.run([npm, "run", "build:lib"], cwd=JS, check=True)
        # The application's package data comes from the jupyterlab installed in
        # the build environment, not from a download.
        build = [sys.executable, "-m", "jupyterlab.labextensions", "build"]
        subprocess.run([*build, "--core-path", str(staging), str(JS)], cwd=ROOT, check=True)
