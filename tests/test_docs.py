"""The examples in the documentation are what the implementation does."""

from __future__ import annotations

from pathlib import Path

import jupyter_format

ROOT = Path(__file__).resolve().parents[1]


def fenced_blocks(path: Path) -> list[str]:
    """The contents of the fenced code blocks without an info string (``` alone)."""
    blocks, current = [], None
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        if current is None:
            if line.startswith("```"):
                current = [] if line == "```\n" else ["<info>"]
        elif line == "```\n":
            if current[:1] != ["<info>"]:
                blocks.append("".join(current))
            current = None
        else:
            current.append(line)
    return blocks


def test_whole_notebooks_in_the_docs_are_canonical() -> None:
    documents = [
        block
        for path in (ROOT / "docs" / "spec.md", ROOT / "README.md")
        for block in fenced_blocks(path)
        if block.startswith("nbformat 4\n")
    ]
    assert len(documents) >= 2
    for text in documents:
        assert jupyter_format.serialize(jupyter_format.reads(text)) == text


def test_fragments_in_the_spec_come_from_the_vectors() -> None:
    vectors = "".join(
        path.read_text(encoding="utf-8")
        for path in (ROOT / "tests" / "vectors" / "valid").glob("*.jupyter")
    )
    vectors += (ROOT / "examples" / "demo.jupyter").read_text(encoding="utf-8")
    fragments = [
        block
        for block in fenced_blocks(ROOT / "docs" / "spec.md")
        if not block.startswith("nbformat 4\n")
    ]
    assert len(fragments) >= 5
    for fragment in fragments:
        assert fragment in vectors, fragment
