"""Sphinx configuration: the documentation is written as .jupyter notebooks.

Build it with ``sphinx-build -b html docs OUT``; the pages are run during the
build (the gallery notebooks keep the outputs they are stored with: running
them takes minutes, and tests/test_gallery.py runs them).
"""

import jupyter_format

project = "jupyter-format"
author = "jupyter-format developers"
copyright = "2026, jupyter-format developers"
release = jupyter_format.__version__
version = release

extensions = [
    "myst_nb",
    "jupyter_format.sphinx",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
]

# spec.md is included by spec.jupyter, not a page of its own.
exclude_patterns = ["_build", "**/.ipynb_checkpoints", "spec.md"]

nb_execution_mode = "force"
nb_execution_excludepatterns = ["gallery/*"]
nb_execution_timeout = 300
nb_execution_raise_on_error = True
nb_merge_streams = True

myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3

autodoc_member_order = "bysource"
autodoc_typehints = "description"

html_theme = "alabaster"
html_title = "jupyter-format"
html_theme_options = {
    "description": "Plain-text Jupyter notebooks, outputs included",
    "fixed_sidebar": True,
}
