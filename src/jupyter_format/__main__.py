"""``python -m jupyter_format``: the jupyter-format command line."""

import sys

from ._cli import main

sys.exit(main())
