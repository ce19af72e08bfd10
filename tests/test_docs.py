"""The ontology documentation page and the citation line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from lexgraph import __version__
from lexgraph.cli import main
from lexgraph.core.errors import InputError
from lexgraph.core.namespaces import LEX
from lexgraph.core.paths import Layout
from lexgraph.publish.ontodocs import drop_external, write_docs
from lexgraph.store.build import BuildResult
from lexgraph.views.citation import citation_line, read_citation

ROOT = Path(__file__).resolve().parents[1]
_EXTERNAL = re.compile(
    r"<script\b[^>]*\bsrc\s*=\s*[\"']?(https?:)?//|<link\b[^>]*\bhref\s*=\s*[\"']?(https?:)?//"
    r"|@import\s+(url\()?[\"']?(https?:)?//",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def page(built: tuple[Layout, BuildResult]) -> str:
    """The documentation page of the session's project copy."""
    layout, _ = built
    return write_docs(layout).read_text(encoding="utf-8")


def test_docs_page_is_written_to_build_docs(built: tuple[Layout, BuildResult], page: str) -> None:
    """write_docs writes an HTML page at build/docs/index.html."""
    layout, _ = built
    assert (layout.docs / "index.html").is_file()
    assert page.startswith("<!DOCTYPE html>")


def test_docs_name_a_class_and_a_property(page: str) -> None:
    """The page documents lex:Participation and lex:providesFor by their IRIs."""
    assert f"{LEX}Participation<" in page
    assert f"{LEX}providesFor<" in page


def test_docs_load_nothing_from_other_hosts(page: str) -> None:
    """No script, stylesheet or import of the page is fetched from another host."""
    assert _EXTERNAL.search(page) is None
    assert "<style>" in page, "pyLODE's stylesheet is inlined"


def test_docs_document_the_vocabularies(page: str) -> None:
    """The page has a section per SKOS scheme that lists its concepts with their keys."""
    section = page[page.index('id="vocabularies"') :]
    assert "cooperation modalities" in section
    assert "<code>extradition</code>" in section
    assert 'href="#vocabularies"' in page


def test_docs_are_deterministic(built: tuple[Layout, BuildResult], page: str) -> None:
    """Writing the page again from the same sources gives the same bytes."""
    layout, _ = built
    assert write_docs(layout).read_text(encoding="utf-8") == page


def test_drop_external_keeps_inline_resources() -> None:
    """drop_external removes CDN scripts and stylesheets and keeps inline and data: ones."""
    html = (
        '<link rel="stylesheet" href="https://cdn.example/a.css">'
        '<script src="//cdn.example/a.js"></script>'
        "<style>@import url('https://fonts.example/f.css'); p {}</style>"
        '<link rel="icon" href="data:image/png;base64,AA==">'
        '<script type="application/ld+json">{}</script>'
    )
    assert drop_external(html) == (
        "<style> p {}</style>"
        '<link rel="icon" href="data:image/png;base64,AA==">'
        '<script type="application/ld+json">{}</script>'
    )


def test_docs_command_exits_0(
    built: tuple[Layout, BuildResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`lexgraph docs` exits 0 and names the page it wrote."""
    layout, _ = built
    monkeypatch.setenv("LEXGRAPH_ROOT", str(layout.root))
    result = CliRunner().invoke(main, ["docs"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "wrote build/docs/index.html"


def test_citation_line_reads_citation_cff() -> None:
    """The repository's CITATION.cff gives the one-line citation that figures carry."""
    assert citation_line(Layout(ROOT)) == (
        f"lexgraph contributors (2026). lexgraph {__version__} [dataset]. "
        "https://w3id.org/lexgraph/. CC BY 4.0."
    )


def test_citation_version_is_the_package_version() -> None:
    """CITATION.cff states the version of the package."""
    keys, authors = read_citation(ROOT / "CITATION.cff")
    assert keys["version"] == __version__
    assert authors == ["lexgraph contributors"]


def test_citation_without_title_is_an_input_error(tmp_path: Path) -> None:
    """A CITATION.cff without a title is refused with the file named."""
    (tmp_path / "CITATION.cff").write_text("cff-version: 1.2.0\nversion: 1.0\n")
    with pytest.raises(InputError, match=r"CITATION\.cff: no title"):
        citation_line(Layout(tmp_path))
