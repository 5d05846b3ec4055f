"""Builds the JupyterLab extension (js/) into the package when the wheel is built.

The extension is compiled from TypeScript with packages from the npm registry,
so building a wheel from a checkout needs Node.js and npm.  A wheel built
before (or an sdist, which carries the built extension) needs neither.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

ROOT = Path(__file__).parent
JS = ROOT / "js"
BUILT = ROOT / "src" / "jupyter_format" / "labextension" / "package.json"


class LabExtensionBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Compile js/ into src/jupyter_format/labextension unless it is there already."""

    PLUGIN_NAME = "labextension"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if BUILT.exists() and not os.environ.get("JUPYTER_FORMAT_REBUILD_LABEXTENSION"):
            return
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError(
                "Building jupyter-format's JupyterLab extension needs Node.js and npm "
                "(or install a released wheel instead)."
            )
        import jupyterlab  # noqa: PLC0415 - only the build environment has it

        staging = Path(jupyterlab.__file__).parent / "staging"
        install = "ci" if (JS / "package-lock.json").exists() else "install"
        subprocess.run([npm, install, "--no-audit", "--no-fund"], cwd=JS, check=True)
        subprocess.run([npm, "run", "build:lib"], cwd=JS, check=True)
        # The application's own package data, from the jupyterlab in the build
        # environment, instead of a download of it.
        subprocess.run(
            [sys.executable, "-m", "jupyterlab.labextensions", "build", "--core-path", str(staging), str(JS)],
            cwd=ROOT,
            check=True,
        )
