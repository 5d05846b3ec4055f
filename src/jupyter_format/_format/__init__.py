"""The ``.jupyter`` format itself: what ``docs/spec.md`` and ``tests/vectors/`` describe.

Grammar, escaping, JSON blocks, the shapes of cells and outputs, the reader,
the writer and the checks against nbformat's schema.  Nothing here reads or
writes files, or knows of the command line, git or Jupyter: those layers use
this one, never the other way round (``tests/test_layers.py`` checks it).
"""
