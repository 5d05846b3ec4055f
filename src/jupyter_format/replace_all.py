"""Replace ``.ipynb`` files by ``.jupyter`` files (or back), safely.

Usage::

    jupyter-format replace-all --recursive --yes [DIR]
    python -m jupyter_format.replace_all --recursive --yes

Without ``--yes`` it only lists what it would do.  Each notebook is written to
a temporary file, flushed to disk, read back and compared with the source,
renamed into place, and only then is the source removed: a run that is killed
at any moment leaves every notebook in at least one complete form, and running
again finishes the job.  Symbolic links are skipped, hidden directories and
``.ipynb_checkpoints`` are not entered, and a target that exists already is
only accepted if it holds the same notebook.
"""

from __future__ import annotations

import sys

from ._exceptions import ReplaceError
from ._replace import (
    Outcome,
    ipynb_to_jupyter,
    jupyter_to_ipynb,
    replace_all_recursive,
    replace_one,
)

__all__ = [
    "Outcome",
    "ReplaceError",
    "ipynb_to_jupyter",
    "jupyter_to_ipynb",
    "replace_all_recursive",
    "replace_one",
]

if __name__ == "__main__":
    from ._cli import main

    sys.exit(main(["replace-all", *sys.argv[1:]]))
