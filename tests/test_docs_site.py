"""The documentation: built by Sphinx from .jupyter notebooks, then read in a real browser.

``sphinx-build -b html -W docs OUT`` runs every page (the gallery keeps its
stored outputs) and must build without a warning.  Then Debian's chromium,
driven by Playwright, opens every page: it renders, its images load, and every
link inside the site leads to a page (and anchor) that exists.  Screenshots go
to test-artifacts/docs/.
"""

from __future__ import annotations

import functools
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urldefrag

import pytest

from browsers import chromium, require_chromium

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
ARTIFACTS = ROOT / "test-artifacts" / "docs"
PAGES = [
    "index",
    "installation",
    "motivation",
    "spec",
    "jupyter",
    "vscode",
    "version-control",
    "cli",
    "api",
    "gallery/gridspec",
    "gallery/mhist",
    "gallery/numfocus-2020",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", str(DOCS), str(out)],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    return out


def test_every_page_is_built_from_a_jupyter_notebook(site: Path) -> None:
    sources = {
        path.relative_to(DOCS).with_suffix("").as_posix() for path in DOCS.rglob("*.jupyter")
    }
    assert sources == set(PAGES)
    for page in PAGES:
        assert (site / f"{page}.html").is_file()
    # The sources are shown as they are: .jupyter text.
    assert (
        (site / "_sources" / "index.jupyter.txt")
        .read_text(encoding="utf-8")
        .startswith("nbformat 4\n")
    )


def test_pages_were_run_during_the_build(site: Path) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    # The output of index.jupyter's example cell, which the source does not hold.
    assert "code id=hello" in index
    assert "identical" in index
    api = (site / "api.html").read_text(encoding="utf-8")
    assert 'id="jupyter_format.deserialize"' in api  # autodoc ran
    assert 'id="jupyter_format.exporters.JupyterExporter"' in api
    spec = (site / "spec.html").read_text(encoding="utf-8")
    assert "Text blocks and escaping" in spec  # docs/spec.md, included
    assert "line 4, column 1: expected" in spec


def test_the_gallery_shows_its_figures_and_tables(site: Path) -> None:
    gridspec = (site / "gallery" / "gridspec.html").read_text(encoding="utf-8")
    assert gridspec.count("<img") + gridspec.count("<svg") >= 14
    mhist = (site / "gallery" / "mhist.html").read_text(encoding="utf-8")
    assert "67.4 ± 3.1" in mhist
    assert "<table" in mhist
    numfocus = (site / "gallery" / "numfocus-2020.html").read_text(encoding="utf-8")
    assert "$5,140,483.54" in numfocus


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))


@functools.cache
def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_no_link_inside_the_site_is_broken(site: Path) -> None:
    broken = []
    for page in site.rglob("*.html"):
        for link in _parse(page).links:
            if re.match(r"^[a-z][a-z0-9+.-]*:", link):  # http:, mailto:, ...: outside
                continue
            target, anchor = urldefrag(link)
            path = (page.parent / unquote(target)).resolve() if target else page
            if not path.is_file():
                broken.append(f"{page.relative_to(site)}: {link}")
            elif anchor and path.suffix == ".html" and unquote(anchor) not in _parse(path).ids:
                broken.append(f"{page.relative_to(site)}: {link} (no such anchor)")
    assert not broken, "\n".join(broken)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_chromium()
    with chromium() as browser:
        yield browser


@pytest.mark.parametrize("page_name", PAGES)
def test_a_reader_sees_the_page(site: Path, browser: Any, page_name: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto((site / f"{page_name}.html").as_uri(), wait_until="load")
    title = page.locator("h1").first
    assert title.inner_text().strip()
    images = page.evaluate(
        "Array.from(document.images).map(i => [i.currentSrc, i.complete && i.naturalWidth > 0])"
    )
    assert all(loaded for _, loaded in images), [src for src, ok in images if not ok]
    # Requests to other sites (none are expected) would fail here: no network.
    assert not [url for url in failed if url.startswith("file:")], failed
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{page_name.replace('/', '-')}.png"), full_page=False)
    page.close()
