"""The jupyter_server extension: the server handles ``.jupyter`` notebooks.

The package installs a configuration file that turns it on, so that JupyterLab
and Notebook 7 open ``.jupyter`` files with no further configuration.
"""

from __future__ import annotations

from typing import Any

from .contents_manager import JupyterFormatContentsManager, build_contents_manager_class


def _link_jupyter_server_extension(serverapp: Any) -> None:
    # Linking happens before the server creates its contents manager, so the
    # class it will create can still be swapped for one derived from it.
    def derive(change: object = None) -> None:
        configured = serverapp.contents_manager_class
        derived = build_contents_manager_class(configured)
        if derived is not configured:
            serverapp.contents_manager_class = derived

    derive()
    # Extensions linked later pass the user's configuration to the server
    # again, which may name a contents manager class again.
    serverapp.observe(derive, names="contents_manager_class")


def _load_jupyter_server_extension(serverapp: Any) -> None:
    manager = serverapp.contents_manager
    if isinstance(manager, JupyterFormatContentsManager):
        serverapp.log.info(
            "jupyter_format: .jupyter files open as notebooks (contents manager %s)",
            type(manager).__name__,
        )
    else:  # pragma: no cover - only if another extension replaced the manager
        serverapp.log.warning(
            "jupyter_format: the contents manager %s does not handle .jupyter files; set "
            "c.ServerApp.contents_manager_class = "
            "'jupyter_format.contents_manager.AsyncFileContentsManager'",
            type(manager).__name__,
        )
