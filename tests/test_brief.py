"""Briefs: one printable page on a crime type, said only from what the graph holds."""

from __future__ import annotations

import io
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
from lexgraph.core.terms import Lex
from lexgraph.render.brief import (
    MAX_SHOWN,
    MIN_PT,
    Brief,
    make_brief,
    render_brief_html,
    render_brief_md,
    write_brief,
)
from lexgraph.store.build import BuildResult
from lexgraph.store.walk import instances
from lexgraph.views import Context, caption_line, coverage, region_states

HOSTILE = Path(__file__).parent / "data" / "views" / "hostile.ttl"
#: Crime types and regions printed in more than one language here; bench/bench_briefs.py
#: prints every crime type with and without regions, in English and French.
WITH_REGIONS = [
    ("terrorism", "m49-150", "en"),
    ("trafficking-in-persons", "m49-150", "en"),
    ("cybercrime", "m49-002", "en"),
    ("corruption", "m49-142", "fr"),
    ("terrorism", "m49-150", "fr"),
    ("money-laundering", "m49-019", "en"),
]


@pytest.fixture(scope="module")
def brief(graph: tuple[Layout, ox.Store]) -> Brief:
    """The brief on trafficking in persons with the states of Europe."""
    layout, store = graph
    return make_brief("trafficking-in-persons", "m49-150", store=store, layout=layout)


@pytest.fixture(scope="module")
def french(graph: tuple[Layout, ox.Store]) -> Brief:
    """The brief on trafficking in persons with the states of Europe, in French."""
    layout, store = graph
    return make_brief("trafficking-in-persons", "m49-150", lang="fr", store=store, layout=layout)


@pytest.fixture(scope="module")
def hostile_brief(built: tuple[Layout, BuildResult]) -> Brief:
    """A brief made from a tiny graph whose texts try to break out of HTML and Markdown."""
    layout, _ = built
    store = ox.Store()
    store.load(path=str(HOSTILE), format=ox.RdfFormat.TURTLE, base_iri=ID)
    return make_brief("evil", "m49-999", store=store, layout=layout)


def _keys(store: ox.Store) -> set[str]:
    """The machine keys of the graph that are not also words (those with a hyphen or digit)."""
    found = set()
    for quad in store.quads_for_pattern(None, ox.NamedNode(Lex.key), None):
        if re.search(r"[-0-9]", quad.object.value):
            found.add(quad.object.value)
    return found


def _visible(html: str) -> str:
    """The text of an HTML page as a reader sees it: no tags, no addresses."""
    text = re.sub(r"<style>.*?</style>|<[^>]+>", " ", html, flags=re.S)
    return re.sub(r"https?://\S+", " ", text)


def test_three_key_messages_come_first(brief: Brief) -> None:
    """The brief opens with a box of exactly three key messages, then figure, table, sources."""
    assert len(brief.messages) == 3
    html = render_brief_html(brief)
    order = [html.index(m) for m in ('class="messages"', "<figure", "<table", 'class="sources"')]
    assert order == sorted(order)


def test_key_messages_count_the_instruments_in_short_names(
    graph: tuple[Layout, ox.Store], brief: Brief
) -> None:
    """The first message gives the number of instruments, by their short names, not titles."""
    layout, store = graph
    _, _, found, _ = coverage(Context(store, layout), "trafficking-in-persons")
    first = brief.messages[0].text
    assert first.startswith(f"{len(found)} instruments in the graph reach trafficking in persons")
    assert "UNTOC" in first and "United Nations Convention" not in first


def test_region_message_counts_its_states_and_says_data_is_old(
    graph: tuple[Layout, ox.Store], brief: Brief
) -> None:
    """The region's message counts its states, and its note names the old as-at dates."""
    layout, store = graph
    _, _, states = region_states(Context(store, layout), "m49-150")
    third = brief.messages[2]
    assert third.text.startswith(f"Of the {len(states)} states of Europe, ")
    dates = r"\d{4}-\d{2}-\d{2}(, \d{4}-\d{2}-\d{2})*"
    assert re.search(rf"Participation data as at {dates} \(\d+ instruments?\)", third.gap)
    assert "later acts are not counted" in third.gap
    assert "not that a state is not a party" in third.gap


def test_an_instrument_without_cooperation_articles_is_said_next_to_the_count(
    graph: tuple[Layout, ox.Store],
) -> None:
    """Instruments reaching terrorism without a cooperation article recorded: a note says so."""
    layout, store = graph
    found = make_brief("terrorism", store=store, layout=layout)
    assert "No cooperation article is recorded for" in found.messages[0].gap


def test_no_machine_key_appears_in_any_brief_text(graph: tuple[Layout, ox.Store]) -> None:
    """Keys (untoc-tip-protocol, m49-150, budapest-ets185) appear nowhere a reader looks."""
    layout, store = graph
    keys = _keys(store)
    for crime, region in [("terrorism", "m49-150"), ("cybercrime", None), ("corruption", None)]:
        found = make_brief(crime, region, store=store, layout=layout)
        words = set(re.findall(r"[\w-]+", _visible(render_brief_html(found))))
        assert words & keys == set(), crime


def test_the_citation_appears_once_and_sources_are_documents(
    graph: tuple[Layout, ox.Store], brief: Brief
) -> None:
    """The dataset citation is printed once; no source is a command line."""
    layout, store = graph
    html = render_brief_html(brief)
    citation = caption_line(layout, store).removeprefix("Source: ")
    assert re.sub(r"<[^>]+>", "", html).count(citation) == 1
    assert all(s.url.startswith("http") or "secondary sources" in s.text for s in brief.sources)
    assert "lexgraph table" not in html and "lexgraph figure" not in html
    assert "lexgraph query" not in html


def test_a_capped_brief_names_every_instrument_it_leaves_out(
    graph: tuple[Layout, ox.Store],
) -> None:
    """Terrorism's 27 instruments: figure and table show 5, a note names the rest."""
    layout, store = graph
    found = make_brief("terrorism", store=store, layout=layout)
    _, _, every, _ = coverage(Context(store, layout), "terrorism")
    assert len(found.rows) == MAX_SHOWN == 5
    note = next(n for n in found.table_notes if "Not shown" in n)
    assert all(c.short in note or c.short in found.text() for c in every)


def test_french_brief_uses_french_words_and_marks_english_names(french: Brief) -> None:
    """In French the sentences are French, the crime's French label is used, and names the
    graph has only in English are set in italics as English, with a note that says so."""
    html = render_brief_html(french)
    assert french.title.startswith("Traite des personnes : ")
    assert french.messages[0].text.endswith(".") and "instruments du graphe visent" in (
        french.messages[0].text
    )
    assert '<html lang="fr">' in html and '<i lang="en">UNTOC</i>' in html
    assert "Les noms en italique sont en anglais" in html


def test_html_brief_inlines_the_matrix_as_svg_with_real_text(brief: Brief) -> None:
    """The HTML brief holds the figure as an inline <svg> whose labels are <text>."""
    text = render_brief_html(brief)
    assert "<svg" in text and "<?xml" not in text and "<img" not in text
    svg = text[text.index("<svg") : text.index("</svg>")]
    assert "<text" in svg and "UNTOC" in svg


def test_markdown_brief_links_an_svg_written_beside_it(
    graph: tuple[Layout, ox.Store], tmp_path: Path
) -> None:
    """A .md brief comes with FILE.matrix.svg next to it, linked by a relative name."""
    layout, store = graph
    paths = write_brief("cybercrime", tmp_path / "brief.md", store=store, layout=layout)
    assert [p.name for p in paths] == ["brief.md", "brief.matrix.svg"]
    text = paths[0].read_text()
    assert "](brief.matrix.svg)" in text and "## Key messages" in text
    assert paths[1].read_text().startswith("<?xml")


def test_word_brief_opens_and_holds_the_messages_table_and_sources(
    graph: tuple[Layout, ox.Store], tmp_path: Path
) -> None:
    """A .docx brief opens in python-docx with the key messages, the table and the sources."""
    docx = pytest.importorskip("docx", reason="pip install 'lexgraph[docx]'")
    layout, store = graph
    (path,) = write_brief("cybercrime", tmp_path / "brief.docx", store=store, layout=layout)
    document = docx.Document(io.BytesIO(path.read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    found = make_brief("cybercrime", store=store, layout=layout)
    assert all(m.text in text for m in found.messages)
    assert "Sources" in text and found.citation in text
    assert document.tables[0].cell(1, 0).text == found.rows[0][0]
    assert len(document.inline_shapes) == 1


def test_html_brief_escapes_hostile_labels(hostile_brief: Brief) -> None:
    """Markup in labels and headings is text in the HTML brief; a javascript: source is no link."""
    text = render_brief_html(hostile_brief)
    for raw in ("<img src=x", "<script>alert", "<b>bold", "<svg onload", "<u>999", 'href="java'):
        assert raw not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text


def test_markdown_brief_escapes_hostile_labels(hostile_brief: Brief) -> None:
    """Markup and Markdown punctuation in labels are escaped in the Markdown brief."""
    text = render_brief_md(hostile_brief, "figure.svg")
    assert "<img" not in text and "<script>" not in text and "&lt;script&gt;" in text
    assert "\\*md\\*" in text and "\\$5" in text and "<javascript" not in text


def test_a_crime_reached_only_through_a_broader_type_is_said_so(
    built: tuple[Layout, BuildResult],
) -> None:
    """A crime type reached by one instrument through its broader type is counted as one."""
    layout, _ = built
    store = ox.Store()
    store.load(path=str(HOSTILE), format=ox.RdfFormat.TURTLE, base_iri=ID)
    found = make_brief("evil-part", store=store, layout=layout)
    assert found.messages[0].text.startswith("One instrument in the graph reaches")
    assert "(broader type: " in found.rows[0][0]


def test_unknown_crime_and_language_are_input_errors(graph: tuple[Layout, ox.Store]) -> None:
    """A crime type or language the graph does not know is a user error that says so."""
    layout, store = graph
    with pytest.raises(InputError, match="unknown crime 'traffiking-in-persons'; did you mean"):
        make_brief("traffiking-in-persons", store=store, layout=layout)
    with pytest.raises(InputError, match="give one of en, fr"):
        make_brief("cybercrime", lang="de", store=store, layout=layout)


def test_brief_command_rejects_other_suffixes(
    built: tuple[Layout, BuildResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``lexgraph brief -o brief.pdf`` is a one-line error, exit 2."""
    layout, _ = built
    monkeypatch.setenv("LEXGRAPH_ROOT", str(layout.root))
    result = CliRunner().invoke(
        main, ["brief", "--crime", "cybercrime", "-o", str(tmp_path / "brief.pdf")]
    )
    assert result.exit_code == 2 and "give a file ending in .html, .md or .docx" in result.output


def _pages(watched: WatchedPage, brief: Brief, path: Path) -> int:
    path.write_text(render_brief_html(brief), encoding="utf-8")
    watched.open(path)
    pdf = watched.page.pdf(prefer_css_page_size=True, print_background=True)
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


#: The smallest font size of any text the page shows, in CSS pixels, in print: HTML text by
#: its computed size, SVG text by its size times the scale at which the SVG is drawn.
_SMALLEST_TEXT = """() => {
  let smallest = Infinity, where = "";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const element = node.parentElement;
    let size = parseFloat(getComputedStyle(element).fontSize);
    const svg = element.closest("svg");
    if (svg) size *= svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    if (size < smallest) { smallest = size; where = node.textContent.trim().slice(0, 40); }
  }
  return [smallest, where];
}"""


def test_every_text_of_the_brief_prints_at_8_pt_or_more(
    brief: Brief, watched_page: WatchedPage, tmp_path: Path
) -> None:
    """In print, no text of the brief, the figure's labels and caption included, is under 8 pt."""
    path = tmp_path / "brief.html"
    path.write_text(render_brief_html(brief), encoding="utf-8")
    watched_page.page.emulate_media(media="print")
    watched_page.open(path, ready="figure svg")
    smallest, where = watched_page.page.evaluate(_SMALLEST_TEXT)
    assert smallest >= MIN_PT * 96 / 72 - 0.01, where
    assert watched_page.blocked == [] and watched_page.errors == []


def test_every_crime_type_prints_on_one_a4_page(
    graph: tuple[Layout, ox.Store], watched_page: WatchedPage, tmp_path: Path
) -> None:
    """Every crime type's brief without a region prints on exactly one A4 page in Chromium."""
    layout, store = graph
    crimes = [n.value.rsplit("/", 1)[-1] for n in instances(store, Lex.CrimeType)]
    assert len(crimes) > 40
    pages = {
        crime: _pages(
            watched_page, make_brief(crime, store=store, layout=layout), tmp_path / "b.html"
        )
        for crime in crimes
    }
    assert {c: n for c, n in pages.items() if n != 1} == {}


@pytest.mark.parametrize(("crime", "region", "lang"), WITH_REGIONS)
def test_briefs_with_a_region_print_on_one_a4_page(
    graph: tuple[Layout, ox.Store],
    watched_page: WatchedPage,
    tmp_path: Path,
    crime: str,
    region: str,
    lang: str,
) -> None:
    """The longest briefs, with a region's counts and in French, still print on one page."""
    layout, store = graph
    found = make_brief(crime, region, lang=lang, store=store, layout=layout)
    assert _pages(watched_page, found, tmp_path / "b.html") == 1
