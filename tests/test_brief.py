"""Briefs: one printable page on a crime type, said only from what the graph holds."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from browser import WatchedPage
from lexgraph.cli import main
from lexgraph.core.errors import InputError
from lexgraph.core.namespaces import ID
from lexgraph.core.paths import Layout
from lexgraph.render.brief import Brief, make_brief, render_brief_html, render_brief_md, write_brief
from lexgraph.store.build import BuildResult
from lexgraph.views import Context, coverage, region_states

HOSTILE = Path(__file__).parent / "data" / "views" / "hostile.ttl"


@pytest.fixture(scope="module")
def brief(graph: tuple[Layout, ox.Store]) -> Brief:
    """The brief on trafficking in persons with the states of Europe."""
    layout, store = graph
    return make_brief("trafficking-in-persons", "m49-150", store=store, layout=layout)


@pytest.fixture(scope="module")
def hostile_brief(built: tuple[Layout, BuildResult]) -> Brief:
    """A brief made from a tiny graph whose texts try to break out of HTML and Markdown."""
    layout, _ = built
    store = ox.Store()
    store.load(path=str(HOSTILE), format=ox.RdfFormat.TURTLE, base_iri=ID)
    return make_brief("evil", "m49-999", store=store, layout=layout)


def test_sentences_count_the_instruments_the_graph_holds(
    graph: tuple[Layout, ox.Store], brief: Brief
) -> None:
    """The first sentence gives the number of instruments that reach the crime type."""
    layout, store = graph
    _, _, found, _ = coverage(Context(store, layout), "trafficking-in-persons")
    assert brief.paragraphs[0].startswith(f"The graph holds {len(found)} instruments that reach")
    assert all(c.title in brief.paragraphs[0] for c in found)


def test_sentences_name_the_articles_of_each_modality(brief: Brief) -> None:
    """Modalities are stated with the instrument keys and article numbers that provide them."""
    assert "extradition (untoc art. 16)" in brief.paragraphs[0]


def test_region_sentence_counts_its_states_with_as_at_dates(
    graph: tuple[Layout, ox.Store], brief: Brief
) -> None:
    """The region paragraph gives its number of states and each instrument's as-at date."""
    layout, store = graph
    _, _, states = region_states(Context(store, layout), "m49-150")
    assert brief.paragraphs[1].startswith(f"Europe (M49 150) has {len(states)} states")
    assert (
        "untoc, as at " in brief.paragraphs[1]
        and "not that a state is not a party" in (brief.paragraphs[1])
    )


def test_html_brief_inlines_the_matrix_as_svg(brief: Brief) -> None:
    """The HTML brief holds the figure as an inline <svg>, without an XML prolog."""
    text = render_brief_html(brief)
    assert "<svg" in text and "<?xml" not in text and "<img" not in text


def test_html_brief_prints_on_a4(brief: Brief) -> None:
    """The brief's print CSS asks for A4 pages."""
    assert "@page { size: A4;" in render_brief_html(brief)


def test_brief_cites_the_dataset_and_the_instruments_sources(brief: Brief) -> None:
    """The sources list the dataset citation first, then each instrument's source."""
    text = render_brief_html(brief)
    assert brief.citation in text and brief.citation.startswith("Source: lexgraph contributors")
    assert any(s.startswith("United Nations Convention against") for s in brief.sources)
    assert any(s.startswith("Participation: ") and "as at" in s for s in brief.sources)


def test_markdown_brief_links_an_svg_written_beside_it(
    graph: tuple[Layout, ox.Store], tmp_path: Path
) -> None:
    """A .md brief comes with FILE.matrix.svg next to it, linked by a relative name."""
    layout, store = graph
    paths = write_brief("cybercrime", tmp_path / "brief.md", store=store, layout=layout)
    assert [p.name for p in paths] == ["brief.md", "brief.matrix.svg"]
    assert "](brief.matrix.svg)" in paths[0].read_text() and paths[1].is_file()


def test_html_brief_escapes_hostile_labels(hostile_brief: Brief) -> None:
    """Markup in labels and headings is text in the HTML brief."""
    text = render_brief_html(hostile_brief)
    for raw in ("<img src=x", "<script>alert", "<b>bold", "<svg onload", "<u>999"):
        assert raw not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text


def test_markdown_brief_escapes_hostile_labels(hostile_brief: Brief) -> None:
    """Markup and Markdown punctuation in labels are escaped in the Markdown brief."""
    text = render_brief_md(hostile_brief, "figure.svg")
    assert "<img" not in text and "<script>" not in text and "&lt;script&gt;" in text
    assert "\\*md\\*" in text and "\\$5" in text


def test_a_crime_without_instruments_is_said_so(built: tuple[Layout, BuildResult]) -> None:
    """Where the graph holds no instrument, the brief says that and invents nothing."""
    layout, _ = built
    store = ox.Store()
    store.load(path=str(HOSTILE), format=ox.RdfFormat.TURTLE, base_iri=ID)
    found = make_brief("evil-part", store=store, layout=layout)
    assert found.paragraphs[0].startswith("The graph holds 1 instrument that reaches")
    assert "through a broader type" in found.paragraphs[0]


def test_unknown_crime_is_an_input_error(graph: tuple[Layout, ox.Store]) -> None:
    """A crime type that the graph does not know is a user error with a suggestion."""
    layout, store = graph
    with pytest.raises(InputError, match="unknown crime 'traffiking-in-persons'; did you mean"):
        make_brief("traffiking-in-persons", store=store, layout=layout)


def test_brief_command_rejects_other_suffixes(
    built: tuple[Layout, BuildResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``lexgraph brief -o brief.pdf`` is a one-line error, exit 2."""
    layout, _ = built
    monkeypatch.setenv("LEXGRAPH_ROOT", str(layout.root))
    result = CliRunner().invoke(
        main, ["brief", "--crime", "cybercrime", "-o", str(tmp_path / "brief.pdf")]
    )
    assert result.exit_code == 2 and "give a file ending in .html or .md" in result.output


def test_html_brief_loads_offline_without_console_errors(
    brief: Brief, watched_page: WatchedPage, tmp_path: Path
) -> None:
    """In headless Chromium the brief makes no network request and logs no error."""
    page = tmp_path / "brief.html"
    page.write_text(render_brief_html(brief), encoding="utf-8")
    watched_page.open(page, ready="figure svg")
    assert watched_page.blocked == [] and watched_page.errors == []


def test_html_brief_prints_on_one_a4_page(
    brief: Brief, watched_page: WatchedPage, tmp_path: Path
) -> None:
    """Printed by Chromium with its own page size, the trafficking brief is one A4 page."""
    page = tmp_path / "brief.html"
    page.write_text(render_brief_html(brief), encoding="utf-8")
    watched_page.open(page)
    pdf = watched_page.page.pdf(prefer_css_page_size=True, print_background=True)
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1


def test_brief_on_a_crime_with_many_instruments_still_prints_on_one_page(
    graph: tuple[Layout, ox.Store], watched_page: WatchedPage, tmp_path: Path
) -> None:
    """Terrorism, reached by 27 instruments, prints on one A4 page, naming what it leaves out."""
    layout, store = graph
    brief = make_brief("terrorism", store=store, layout=layout)
    assert "27 instruments" in brief.paragraphs[0]
    assert any("lexgraph table instruments --crime terrorism" in n for n in brief.table.notes)
    page = tmp_path / "terrorism.html"
    page.write_text(render_brief_html(brief), encoding="utf-8")
    watched_page.open(page)
    pdf = watched_page.page.pdf(prefer_css_page_size=True, print_background=True)
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1
