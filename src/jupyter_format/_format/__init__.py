"""The ``.jupyter`` format itself: what ``docs/spec.md`` and ``tests/vectors/`` describe.

Grammar, escaping, JSON blocks, the shapes of cells and outputs, the reader,
the writer, the checks against nbformat's schema, and git's conflict markers
(the conflict form of the spec).  Nothing here reads or
writes files, or knows of the command line, git or Jupyter: those layers use
this one, never the other way round (``tests/test_layers.py`` checks it).
"""
