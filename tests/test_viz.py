"""The interactive pages: self-contained, escaped, searchable, and the same in Jupyter.

The browser tests load the pages from ``file://`` in headless Chromium with every network
request refused and counted (fixtures of ``tests/browser.py``); the whole-corpus page is
loaded once for the module, since drawing it takes a second or two.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from browser import WatchedPage, colours, watch
from lexgraph.cli import main
from lexgraph.core.namespaces import ID
from lexgraph.core.paths import Layout
from lexgraph.render.viz import focus_page, page, positions, show, write_page
from lexgraph.render.viz.groups import label_plan, owners
from lexgraph.store.build import BuildResult
from lexgraph.views import grouped
from lexgraph.views.subgraph import Subgraph, load_file, select

if TYPE_CHECKING:
    from playwright.sync_api import Browser

HOSTILE = Path(__file__).parent / "data" / "viz" / "hostile.ttl"
HOSTILE_TITLE = 'lexgraph: </script><img src=x onerror=window.__pwned=1> & "quotes"'
READY = "body[data-ready]"
CITE = "Cite <me> & \u2028 here."
CORRUPTION = ID + "crime/corruption"


@pytest.fixture(scope="module")
def store(graph: tuple[Layout, ox.Store]) -> ox.Store:
    """The built graph, in memory for speed: the session's copy (read only here)."""
    return graph[1]


@pytest.fixture(scope="module")
def corpus(store: ox.Store) -> Subgraph:
    """The whole corpus with the states, the largest page the project draws."""
    return select(store, with_states=True)


@pytest.fixture(scope="module")
def hostile() -> Subgraph:
    """The graph of labels that try to break out of the page."""
    return select(load_file(HOSTILE))


def _open(browser: Browser, subgraph: Subgraph, path: Path, title: str) -> WatchedPage:
    write_page(subgraph, path, title=title, citation=CITE)
    watched = watch(browser)
    watched.open(path, ready=READY)
    return watched


@pytest.fixture(scope="module")
def corpus_page(
    browser: Browser, corpus: Subgraph, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WatchedPage]:
    """The whole-corpus page, loaded once and settled."""
    watched = _open(browser, corpus, tmp_path_factory.mktemp("viz") / "corpus.html", "corpus")
    yield watched
    watched.close()


@pytest.fixture(scope="module")
def hostile_page(
    browser: Browser, hostile: Subgraph, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WatchedPage]:
    """The hostile graph's page, loaded once and settled."""
    path = tmp_path_factory.mktemp("viz") / "hostile.html"
    watched = _open(browser, hostile, path, HOSTILE_TITLE)
    yield watched
    watched.close()


def _neighbourhood(subgraph: Subgraph, iri: str) -> set[str]:
    return (
        {iri}
        | {e.target for e in subgraph.edges if e.source == iri}
        | {e.source for e in subgraph.edges if e.target == iri}
    )


def _within(subgraph: Subgraph, iri: str, steps: int) -> set[str]:
    reached = {iri}
    for _ in range(steps):
        reached = set().union(*(_neighbourhood(subgraph, n) for n in reached))
    return reached


def _data(text: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="lg-data">(.*?)</script>', text, re.S)
    assert match, "no data block"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def _js(watched: WatchedPage, script: str, arg: object = None) -> Any:
    return watched.page.evaluate(script, arg)


# ---- the page as text ----


def test_page_loads_no_file_and_no_url(hostile: Subgraph) -> None:
    """No element of the page refers to a script, style, image or frame elsewhere."""
    text = page(hostile, title="t", citation="c")
    assert not re.findall(r"<(?:script|link|img|iframe|embed|object)\b[^>]*\b(?:src|href)=", text)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', text)
    assert csp
    assert html.unescape(csp.group(1)).startswith("default-src 'none';")


def test_page_inlines_the_files_pyvis_ships(hostile: Subgraph) -> None:
    """vis-network and tom-select come from the installed pyvis package, inline."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "lib"
    text = page(hostile, title="t", citation="c")
    for name in ("vis-9.1.2/vis-network.min.js", "tom-select/tom-select.complete.min.js"):
        assert (lib / name).read_text(encoding="utf-8")[-2000:] in text


def test_data_block_escapes_markup_and_line_separators(hostile: Subgraph) -> None:
    """The JSON block holds no <, >, & or U+2028/2029, and still gives back every label."""
    text = page(hostile, title="t", citation="c")
    block = re.search(r'id="lg-data">(.*?)</script>', text, re.S)
    assert block
    assert not set(block.group(1)) & {"<", ">", "&", "\u2028", "\u2029"}
    assert [n["label"] for n in _data(text)["info"]] == [n.label for n in hostile.nodes]


def test_title_and_citation_are_escaped(hostile: Subgraph) -> None:
    """Markup in the title and citation reaches the page as character references."""
    text = page(hostile, title=HOSTILE_TITLE, citation="<b>cite</b>")
    assert "<img src=x" not in text.split('id="lg-data"')[0]
    assert "&lt;/script&gt;&lt;img src=x onerror=window.__pwned=1&gt;" in text
    assert "&lt;b&gt;cite&lt;/b&gt;" in text


def test_only_http_sources_are_passed_on(hostile: Subgraph) -> None:
    """A javascript: source is dropped; an https source is kept."""
    info = {n["iri"]: n for n in _data(page(hostile, title="t", citation="c"))["info"]}
    assert info[ID + "instrument/hostile"]["source"] is None
    assert info[ID + "instrument/hostile/article/1"]["source"].startswith("https://example.org/")


def test_page_is_the_same_for_the_same_seed(hostile: Subgraph) -> None:
    """Two pages of one view and seed are byte-identical; another seed moves the nodes."""
    first = page(hostile, title="t", citation="c", seed=3)
    assert first == page(hostile, title="t", citation="c", seed=3)
    other = page(hostile, title="t", citation="c", seed=4)
    xy = [[(n["x"], n["y"]) for n in _data(t)["nodes"]] for t in (first, other)]
    assert xy[0] != xy[1]


def test_positions_place_every_node_apart(corpus: Subgraph) -> None:
    """Every node of the corpus gets a position, and no two share one."""
    where = positions(corpus, seed=7)
    assert set(where) == {n.iri for n in corpus.nodes}
    assert len(set(where.values())) == len(where)


def test_notebook_view_is_an_iframe_of_the_page(hostile: Subgraph) -> None:
    """_repr_html_ is a sandboxed iframe whose srcdoc is the escaped page."""
    view = show(hostile, title=HOSTILE_TITLE, citation="c")
    frame = view._repr_html_()
    match = re.fullmatch(r'<iframe srcdoc="([^"]*)" title="([^"]*)" sandbox="([^"]*)" .*', frame)
    assert match, frame[:200]
    assert html.unescape(match.group(1)) == view.html
    assert html.unescape(match.group(2)) == HOSTILE_TITLE
    assert "allow-scripts" in match.group(3) and "allow-same-origin" not in match.group(3)


# ---- the command ----


@pytest.fixture
def in_built(built: tuple[Layout, BuildResult], monkeypatch: pytest.MonkeyPatch) -> Layout:
    """The CLI pointed at the session's built copy of the project."""
    layout, _ = built
    monkeypatch.setenv("LEXGRAPH_ROOT", str(layout.root))
    return layout


def test_cli_viz_draws_a_focus_of_the_built_graph(
    in_built: Layout, store: ox.Store, tmp_path: Path
) -> None:
    """`lexgraph viz --crime` writes the page and says how many nodes and edges it drew."""
    out = tmp_path / "corruption.html"
    result = CliRunner().invoke(main, ["viz", "--crime", "corruption", "-o", str(out)])
    assert result.exit_code == 0, result.output
    sub = grouped.select(store, crime="corruption")
    assert result.output == f"wrote {out}: {len(sub.nodes)} nodes, {len(sub.edges)} edges\n"
    assert "corruption (crime type)" in out.read_text(encoding="utf-8")


def test_cli_viz_draws_an_input_file(in_built: Layout, tmp_path: Path) -> None:
    """`lexgraph viz --input FILE` draws that file instead of the build."""
    out = tmp_path / "hostile.html"
    result = CliRunner().invoke(main, ["viz", "--input", str(HOSTILE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.endswith(": 7 nodes, 7 edges\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--crime", "no-such-crime"], "error: unknown crime 'no-such-crime'"),
        (["--input", "missing.ttl"], "error: missing.ttl: "),
        (["--input", str(HOSTILE.with_suffix(".csv"))], "error: "),
    ],
)
def test_cli_viz_rejects_bad_input(
    in_built: Layout, tmp_path: Path, args: list[str], message: str
) -> None:
    """A bad filter or input file is one error line and exit code 2."""
    result = CliRunner().invoke(main, ["viz", *args, "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 2
    assert result.output.startswith(message)
    assert not (tmp_path / "x.html").exists()


def test_cli_viz_wants_an_html_output(in_built: Layout, tmp_path: Path) -> None:
    """The page is written only to an .html file."""
    result = CliRunner().invoke(main, ["viz", "-o", str(tmp_path / "x.svg")])
    assert result.exit_code == 2
    assert "must be an .html file" in result.output


# ---- the pages in a browser ----


def test_corpus_page_makes_no_request_and_logs_no_error(corpus_page: WatchedPage) -> None:
    """Loading the whole corpus asks nothing of the network and the console stays clean."""
    assert corpus_page.blocked == []
    assert corpus_page.errors == []


def test_corpus_page_draws_every_node_and_edge(corpus_page: WatchedPage, corpus: Subgraph) -> None:
    """The network holds as many nodes and edges as the subgraph, and draws all but the
    articles, which are grouped under their instruments."""
    counts = _js(
        corpus_page,
        "() => [lexgraphViz.nodes.length, Object.keys(lexgraphViz.network.getPositions()).length,"
        " lexgraphViz.edges.get({filter: (e) => typeof e.id === 'number'}).length]",
    )
    articles = sum(n.kind == "provision" for n in corpus.nodes)
    assert counts == [len(corpus.nodes), len(corpus.nodes) - articles, len(corpus.edges)]


def test_search_finds_a_node(corpus_page: WatchedPage) -> None:
    """Searching for a label lists the node first and selects it."""
    found = _js(corpus_page, "() => lexgraphViz.search('Corruption')")
    assert found[0] == CORRUPTION
    listed = _js(corpus_page, "() => document.querySelector('#lg-matches button').textContent")
    assert listed.lower() == "corruption"
    selected = _js(corpus_page, "() => lexgraphViz.network.getSelectedNodes().map(lexgraphViz.iri)")
    assert CORRUPTION in selected
    _js(corpus_page, "() => lexgraphViz.search('')")


def test_highlight_keeps_exactly_the_neighbours(corpus_page: WatchedPage, corpus: Subgraph) -> None:
    """Highlighting a node keeps it, its neighbours and their instruments in colour and dims
    every other node."""
    got = _js(corpus_page, "(iri) => lexgraphViz.highlight(iri)", CORRUPTION)
    expected = _neighbourhood(corpus, CORRUPTION)
    assert set(got) == expected
    grouped_under = owners(corpus)
    # The instruments whose articles are its neighbours stay in colour too.
    kept = expected | {grouped_under[iri] for iri in expected if iri in grouped_under}
    dimmed = _js(
        corpus_page,
        "() => lexgraphViz.nodes.get({filter: (n) => n.color === '#e8e8e8'}).length",
    )
    assert dimmed == len(corpus.nodes) - len(kept)
    _js(corpus_page, "() => lexgraphViz.highlight(null)")


def test_filter_menu_keeps_two_steps_around_its_choice(
    corpus_page: WatchedPage, corpus: Subgraph
) -> None:
    """Choosing a crime type shows what lies within two steps of it, and clearing shows all."""
    shown = _js(corpus_page, "(iri) => lexgraphViz.choose('crime', iri)", CORRUPTION)
    assert set(shown) == _within(corpus, CORRUPTION, 2)
    assert len(_js(corpus_page, "() => lexgraphViz.choose('crime', null)")) == len(corpus.nodes)


def test_class_filter_hides_a_kind(corpus_page: WatchedPage, corpus: Subgraph) -> None:
    """Unticking a class in the legend hides its nodes, and ticking it shows them again."""
    shown = _js(corpus_page, "() => lexgraphViz.showKind('provision', false)")
    assert set(shown) == {n.iri for n in corpus.nodes if n.kind != "provision"}
    assert len(_js(corpus_page, "() => lexgraphViz.showKind('provision', true)")) == len(
        corpus.nodes
    )


def test_corpus_screenshot_is_not_blank(corpus_page: WatchedPage) -> None:
    """The drawn graph has more than one colour."""
    assert colours(corpus_page.page.locator("#lg-network").screenshot(), enough=3) > 1


def _dom_point(watched: WatchedPage, iri: str) -> tuple[float, float]:
    x, y = _js(
        watched,
        """(iri) => {
            const v = lexgraphViz, i = v.index(iri);
            const p = v.network.canvasToDOM(v.network.getPositions([i])[i]);
            const box = document.getElementById("lg-network").getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }""",
        iri,
    )
    return float(x), float(y)


def test_click_highlights_the_neighbours(hostile_page: WatchedPage, hostile: Subgraph) -> None:
    """Clicking an instrument on the canvas highlights it and exactly its neighbours, and
    opens its articles; clicking it again closes them."""
    iri = ID + "instrument/hostile"
    assert _js(hostile_page, "() => lexgraphViz.opened()") == []
    hostile_page.page.mouse.click(*_dom_point(hostile_page, iri))
    got = _js(hostile_page, "() => lexgraphViz.highlighted")
    assert set(got) == _neighbourhood(hostile, iri)
    assert _js(hostile_page, "() => lexgraphViz.opened()") == [iri]
    hostile_page.page.mouse.click(*_dom_point(hostile_page, iri))
    assert _js(hostile_page, "() => lexgraphViz.opened()") == []
    _js(hostile_page, "() => lexgraphViz.highlight(null)")


def test_hostile_labels_render_as_text(hostile_page: WatchedPage, hostile: Subgraph) -> None:
    """Every hostile label shows as the same text in the details panel, and nothing ran."""
    for node in hostile.nodes:
        _js(hostile_page, "(iri) => lexgraphViz.highlight(iri)", node.iri)
        shown = _js(hostile_page, "() => document.querySelector('#lg-details h2').textContent")
        assert shown == node.label
    _js(hostile_page, "() => lexgraphViz.highlight(null)")
    assert _js(hostile_page, "() => typeof window.__pwned") == "undefined"
    assert _js(hostile_page, "() => document.querySelectorAll('img, body script[src]').length") == 0
    assert hostile_page.page.title() == HOSTILE_TITLE
    assert _js(hostile_page, "() => document.getElementById('lg-title').textContent") == (
        HOSTILE_TITLE
    )


def test_hostile_labels_in_menus_and_tooltips_are_text(
    hostile_page: WatchedPage, hostile: Subgraph
) -> None:
    """The filter menus and the hover tooltip show the labels as they are."""
    page_ = hostile_page.page
    page_.click("#lg-filter-crime + .ts-wrapper .ts-control")
    # tom-select fills the dropdown after the click returns; read it once it is drawn.
    page_.wait_for_selector(".ts-dropdown .option >> visible=true")
    options = page_.locator(".ts-dropdown:visible .option").all_text_contents()
    crimes = [n.label for n in hostile.nodes if n.kind == "crime"]
    assert sorted(options) == sorted(["any", *crimes])
    page_.keyboard.press("Escape")
    iri = ID + "instrument/hostile"
    page_.mouse.move(*_dom_point(hostile_page, iri))
    page_.wait_for_selector("#lg-tooltip:not([hidden])")
    assert page_.locator("#lg-tooltip strong").text_content() == hostile.node(iri).label
    assert _js(hostile_page, "() => typeof window.__pwned") == "undefined"


def test_links_are_http_only_and_open_without_opener(hostile_page: WatchedPage) -> None:
    """The details panel links an https source with rel=noopener, never a javascript: one."""
    _js(hostile_page, "(iri) => lexgraphViz.highlight(iri)", ID + "instrument/hostile/article/1")
    rel = _js(hostile_page, "() => document.querySelector('#lg-details dd a').rel")
    assert "noopener" in rel
    _js(hostile_page, "(iri) => lexgraphViz.highlight(iri)", ID + "instrument/hostile")
    hrefs = _js(hostile_page, "() => [...document.querySelectorAll('a')].map((a) => a.href)")
    assert all(href.startswith(("http://", "https://")) for href in hrefs)
    _js(hostile_page, "() => lexgraphViz.highlight(null)")


def test_hostile_page_makes_no_request_and_logs_no_error(hostile_page: WatchedPage) -> None:
    """The hostile page also stays offline and error-free."""
    assert hostile_page.blocked == []
    assert hostile_page.errors == []


def test_layout_is_the_same_on_every_load(
    watched_page: WatchedPage, hostile_page: WatchedPage, tmp_path: Path, hostile: Subgraph
) -> None:
    """Loading the same page again settles every node at the same place."""
    script = "() => lexgraphViz.network.getPositions()"
    write_page(hostile, tmp_path / "again.html", title=HOSTILE_TITLE, citation=CITE)
    watched_page.open(tmp_path / "again.html", ready=READY)
    assert _js(watched_page, script) == _js(hostile_page, script)


def test_notebook_view_renders_in_its_frame(
    watched_page: WatchedPage, hostile: Subgraph, tmp_path: Path
) -> None:
    """The iframe of _repr_html_ draws the page, offline and without errors."""
    notebook = tmp_path / "notebook.html"
    view = show(hostile, title="in a notebook", citation="c")
    notebook.write_text(f"<!DOCTYPE html><body>{view._repr_html_()}</body>", encoding="utf-8")
    watched_page.open(notebook)
    frame = watched_page.page.frames[1]
    frame.wait_for_selector(READY, state="attached")
    assert frame.evaluate("() => lexgraphViz.nodes.length") == len(hostile.nodes)
    assert watched_page.blocked == []
    assert watched_page.errors == []


# ---- what an analyst sees (issue 14) ----

SCREENSHOTS = Path(__file__).resolve().parents[1] / "build" / "screenshots"


@pytest.mark.parametrize(("kind", "key"), [("instrument", "untoc"), ("state", "NGA")])
def test_focus_page_reads_at_a_glance(
    watched_page: WatchedPage, store: ox.Store, tmp_path: Path, kind: str, key: str
) -> None:
    """On the default view of a focus page no two drawn labels overlap, the focus title is
    visible, modality nodes are drawn and labelled, and articles are grouped away; the
    screenshot is kept under build/screenshots/."""
    path = tmp_path / f"{key}.html"
    path.write_text(focus_page(store, **{kind: key}, citation=CITE), encoding="utf-8")
    watched_page.open(path, ready=READY)
    found = _js(watched_page, "() => lexgraphViz.overlaps()")
    assert found["pairs"] == []
    drawn = {box["iri"] for box in found["labels"]}
    assert any("/modality/" in iri for iri in drawn)
    assert not any("/article/" in iri for iri in drawn)
    assert min(box["px"] for box in found["labels"]) >= 6
    assert watched_page.page.locator("#lg-title").is_visible()
    assert (
        _js(watched_page, "() => document.getElementById('lg-filter-modality').disabled") is False
    )
    focus = grouped.select(store, **{kind: key}).focus[0]
    assert focus in drawn
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = watched_page.page.screenshot(path=str(SCREENSHOTS / f"viz-{kind}-{key}.png"))
    assert colours(shot, enough=3) > 1
    assert watched_page.blocked == [] and watched_page.errors == []


def test_instrument_view_has_modalities_and_groups_its_articles(store: ox.Store) -> None:
    """UNTOC at depth 1 draws the modalities its articles provide for, one edge per modality
    from UNTOC standing for its articles' edges, and labels in short names."""
    sub = grouped.select(store, instrument="untoc")
    untoc = ID + "instrument/untoc"
    modalities = {n.iri for n in sub.nodes if n.kind == "modality"}
    assert ID + "modality/extradition" in modalities
    data = _data(page(sub, title="t", citation="c"))
    index = {n.iri: i for i, n in enumerate(sub.nodes)}
    standing_for = {
        (g["to"], g["label"]) for g in data["groups"]["edges"] if g["from"] == index[untoc]
    }
    assert (index[ID + "modality/extradition"], "provides for") in standing_for
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    assert labels[index[untoc]] == "UNTOC"
    assert all("…" not in label or label.endswith("…") for label in labels.values())


def test_a_view_says_what_it_cannot_show(store: ox.Store, in_built: Layout, tmp_path: Path) -> None:
    """--with-states that adds no state says why on the page and on stderr."""
    sub = grouped.select(store, crime="corruption", with_states=True)
    assert sub.notes and "--depth 2" in sub.notes[0]
    out = tmp_path / "c.html"
    result = CliRunner().invoke(
        main, ["viz", "--crime", "corruption", "--with-states", "-o", str(out)]
    )
    assert result.exit_code == 0
    assert "No state is drawn" in out.read_text(encoding="utf-8")


def test_state_edges_say_the_act_and_date(store: ox.Store) -> None:
    """A state's participation edges carry the act and its date."""
    sub = grouped.select(store, state="NGA")
    party = [e for e in sub.edges if e.label in ("party to", "signed")]
    assert party and all(re.search(r"\d{4}-\d\d-\d\d", e.note) for e in party)


def test_a_capped_selection_says_what_it_left_out(store: ox.Store) -> None:
    """select with max_nodes notes how many nodes it left out and how to see them."""
    whole = select(store, crime="corruption", depth=2)
    capped = select(store, crime="corruption", depth=2, max_nodes=10)
    assert len(capped.nodes) == 10
    assert capped.notes == (
        f"Capped at 10 of {len(whole.nodes)} nodes: the {len(whole.nodes) - 10} furthest from "
        "the focus are left out; raise the cap to see them all.",
    )
    assert whole.notes == ()


def test_labels_are_short_names_never_cut_mid_word(corpus: Subgraph) -> None:
    """Every drawn label is made of whole words of the node's short name, in order."""
    plan = label_plan(corpus)
    for node in corpus.nodes:
        text = plan[node.iri][0].replace("\n", " ").removesuffix("…")
        words = node.name.split()
        if node.kind == "provision":
            words = words[words.index("art.") :] if "art." in words else words
        assert words[: len(text.split())] == text.split(), (node.iri, text)
