"""The static site: a page per entity, relative links that resolve, queries beside the pages."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pyoxigraph as ox
import pytest

from browser import WatchedPage, colours
from lexgraph.core.errors import InputError
from lexgraph.core.namespaces import ID, PREFIXES
from lexgraph.core.paths import Layout
from lexgraph.render.site import MARKER, _state_store, page_path, write_site
from lexgraph.store.build import BuildResult
from lexgraph.store.library import read_query
from lexgraph.store.query import execute, substitutions
from lexgraph.views.subgraph import Subgraph, select

HOSTILE = Path(__file__).parent / "data" / "views" / "hostile.ttl"
_LINK = re.compile(r"""(?:href|src)="([^"]*)\"""")


@pytest.fixture(scope="module")
def site(built: tuple[Layout, BuildResult], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the project's graph, written once for this module."""
    layout, _ = built
    out = tmp_path_factory.mktemp("site") / "site"
    write_site(out, store=ox.Store.read_only(str(layout.store)), layout=layout)
    return out


def _hostile_store() -> ox.Store:
    store = ox.Store()
    store.load(path=str(HOSTILE), format=ox.RdfFormat.TURTLE, base_iri=ID)
    return store


@pytest.fixture(scope="module")
def hostile_site(
    built: tuple[Layout, BuildResult], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The site of a tiny graph whose labels and sources try to break out of HTML."""
    layout, _ = built
    out = tmp_path_factory.mktemp("hostile") / "site"
    write_site(out, store=_hostile_store(), layout=layout)
    return out


def _pages(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


def _instances(store: ox.Store, cls: str) -> set[str]:
    return {
        q.subject.value
        for q in store.quads_for_pattern(
            None, ox.NamedNode(PREFIXES["rdf"] + "type"), ox.NamedNode(PREFIXES["lex"] + cls)
        )
        if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(ID)
    }


def test_every_relative_link_resolves_to_a_file(site: Path) -> None:
    """Each href and src that is not an http(s) URL names a file of the site."""
    # The site's files, listed once: resolving each of the pages' links on the disk took
    # most of this test's time. A link not found in the list is still resolved on the disk.
    files = {os.path.normpath(p) for p in site.rglob("*") if p.is_file()}
    broken = []
    for page in _pages(site):
        folder = str(page.parent)
        for link in _LINK.findall(page.read_text(encoding="utf-8")):
            parts = urlsplit(link)
            if parts.scheme in ("http", "https") or link.startswith("#"):
                continue
            assert not parts.scheme and not link.startswith("/"), (page, link)
            target = os.path.join(folder, unquote(parts.path))
            if os.path.normpath(target) not in files and not Path(target).resolve().is_file():
                broken.append((page.relative_to(site).as_posix(), link))
    assert broken == []


def test_there_is_a_page_per_instrument_crime_type_modality_and_state(
    built: tuple[Layout, BuildResult], site: Path
) -> None:
    """The site has one page for each instrument, crime type, modality and State."""
    layout, _ = built
    store = ox.Store.read_only(str(layout.store))
    for folder, cls in (
        ("instrument", "Instrument"),
        ("crime", "CrimeType"),
        ("modality", "CooperationModality"),
        ("state", "State"),
    ):
        expected = {page_path(iri[len(ID) :]) for iri in _instances(store, cls)}
        found = {
            p.relative_to(site).as_posix()
            for p in (site / folder).glob("*.html")
            if not p.name.endswith(".graph.html")
        }
        assert found == expected, folder


def test_each_page_links_the_query_files_that_produced_it(site: Path) -> None:
    """Every entity page links at least one .rq file of the site, and each of them parses."""
    for folder in ("instrument", "crime", "modality", "state"):
        for page in (site / folder).glob("*.html"):
            if page.name.endswith(".graph.html"):
                continue
            links = [x for x in _LINK.findall(page.read_text()) if x.endswith(".rq")]
            assert links, page
    for query in (site / "queries").glob("*.rq"):
        assert read_query(query).summary


def test_a_pages_rows_are_those_of_its_query_file(
    built: tuple[Layout, BuildResult], site: Path
) -> None:
    """The UNTOC page lists the acts its .rq file returns for it: one row per act (state, kind,
    date, entry into force), with every source that reports it, states in name order."""
    layout, _ = built
    store = ox.Store.read_only(str(layout.store))
    question = read_query(site / "queries" / "participation-of-instrument.rq")
    rows = execute(store, question.text, substitutions(store, question, {"instrument": "untoc"}))
    acts = {(r["state"], r["act"], r["date"], r["inForce"]) for r in rows.values()}
    sources = {str(r["source"]) for r in rows.values()}
    page = (site / "instrument" / "untoc.html").read_text()
    section = page.split("<h2>Participation records</h2>", 1)[1].split("<h2>", 1)[0]
    assert section.count("<tr>") - 1 == len(acts) < len(rows.values())
    assert all(html.escape(s) in section for s in sources)
    states = re.findall(r"<tr><td><a [^>]*>([^<]*)</a>", section)
    assert states == sorted(states, key=str.casefold)
    assert '<span class="date">2003-09-29</span>' in section or "2003" in section


def test_each_page_embeds_its_neighbourhood_graph(site: Path) -> None:
    """An entity page frames its sibling .graph.html, whose big scripts are shared assets."""
    page = (site / "crime" / "cybercrime.html").read_text()
    assert '<iframe class="graph" src="cybercrime.graph.html"' in page
    graph = site / "crime" / "cybercrime.graph.html"
    assert graph.stat().st_size < 200_000
    assert 'src="../assets/' in graph.read_text()


def test_pages_escape_hostile_labels(hostile_site: Path) -> None:
    """Markup in labels, headings and definitions is text on every page and graph."""
    for page in _pages(hostile_site):
        text = page.read_text()
        for raw in ("<img src=x", "<script>alert", "<b>bold", "<svg onload", "<i>heading"):
            assert raw not in text, (page, raw)


def test_only_http_sources_become_links(hostile_site: Path) -> None:
    """A ``javascript:`` source is shown as text, never as a link."""
    page = (hostile_site / "instrument" / "evil-convention.html").read_text()
    assert "javascript:alert(4)" in page and 'href="javascript' not in page


def test_writing_twice_gives_the_same_bytes(
    built: tuple[Layout, BuildResult], tmp_path: Path
) -> None:
    """Two sites of the same graph are byte-identical, file for file."""
    layout, _ = built
    first = write_site(tmp_path / "a", store=_hostile_store(), layout=layout).directory
    second = write_site(tmp_path / "b", store=_hostile_store(), layout=layout).directory
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)


def test_a_new_site_replaces_the_previous_one(
    built: tuple[Layout, BuildResult], tmp_path: Path
) -> None:
    """Writing again into the same directory leaves no file of the previous site behind."""
    layout, _ = built
    out = tmp_path / "site"
    write_site(out, store=_hostile_store(), layout=layout)
    (out / "stale.html").write_text("old")
    write_site(out, store=_hostile_store(), layout=layout)
    assert not (out / "stale.html").exists() and (out / MARKER).is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_a_directory_that_is_not_a_site_is_left_alone(
    built: tuple[Layout, BuildResult], tmp_path: Path
) -> None:
    """The site is not written over a non-empty directory that lexgraph did not write."""
    layout, _ = built
    (tmp_path / "notes.txt").write_text("keep me")
    with pytest.raises(InputError, match="is not a site lexgraph wrote"):
        write_site(tmp_path, store=_hostile_store(), layout=layout)
    assert (tmp_path / "notes.txt").read_text() == "keep me"


def test_the_graph_writer_can_be_replaced(
    built: tuple[Layout, BuildResult], tmp_path: Path
) -> None:
    """Each neighbourhood graph is written by one function, which a caller may replace."""
    layout, _ = built
    seen: list[int] = []

    def stub(subgraph: Subgraph, path: Path, title: str, citation: str) -> None:
        seen.append(len(subgraph.nodes))
        path.write_text("<!DOCTYPE html><title>graph</title>")

    result = write_site(tmp_path / "s", store=_hostile_store(), layout=layout, graph_writer=stub)
    assert len(seen) == result.graphs > 0


def test_a_states_selection_without_other_states_records_is_the_same(
    built: tuple[Layout, BuildResult],
) -> None:
    """Selecting a state from the graph with only its own records gives the full selection."""
    layout, _ = built
    full = ox.Store()
    full.bulk_extend(ox.Store.read_only(str(layout.store)).quads_for_pattern(None, None, None))
    expected = select(full, state="FRA", depth=1)
    by_state, taken = _state_store(full)
    assert taken > 0
    full.extend(by_state[ID + "state/FRA"])
    assert select(full, state="FRA", depth=1) == expected


def test_index_loads_offline_without_console_errors(site: Path, watched_page: WatchedPage) -> None:
    """In headless Chromium the index makes no network request and logs no error."""
    watched_page.open(site / "index.html", ready="ul.columns a")
    assert watched_page.blocked == [] and watched_page.errors == []


@pytest.mark.parametrize("page", ["instrument/untoc-tip-protocol.html", "state/FRA.html"])
def test_entity_page_draws_its_graph_offline(
    site: Path, watched_page: WatchedPage, page: str
) -> None:
    """A page and its framed graph load from file:// with no request off the machine, no
    console error, and the graph draws something."""
    watched_page.open(site / page, ready="iframe.graph")
    frame = watched_page.page.locator("iframe.graph")
    frame.scroll_into_view_if_needed()
    watched_page.page.frame_locator("iframe.graph").locator("body[data-ready]").wait_for(
        state="attached", timeout=30_000
    )
    assert watched_page.blocked == [] and watched_page.errors == []
    assert colours(frame.screenshot(), enough=16) >= 16


def test_site_directory_is_readable_by_others(site: Path) -> None:
    """The site's top directory is world-readable like its pages (mkdtemp would make it 0700)."""
    assert site.stat().st_mode & 0o755 == 0o755


def test_site_under_an_unwritable_place_is_one_line(
    built: tuple[Layout, BuildResult], tmp_path: Path
) -> None:
    """A site whose directory cannot be made is a clear error, not a traceback."""
    from lexgraph.core.errors import InputError

    layout, _ = built
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory\n")
    with pytest.raises(InputError, match="cannot write"):
        write_site(
            blocker / "site" / "out", store=ox.Store.read_only(str(layout.store)), layout=layout
        )


def test_index_is_organised_with_counts_and_searches_offline(
    site: Path, watched_page: WatchedPage
) -> None:
    """The index groups entities by what people look for, counts them, and its search box
    filters them (accents and case ignored) with the site's own script; a screenshot is kept."""
    page = (site / "index.html").read_text()
    for title in ("Crime types, by family", "Cooperation modalities", "States, by region"):
        assert re.search(re.escape(title) + r" \(\d+\)", page), title
    assert "Deposited with the Secretary-General of the United Nations (" in page
    assert re.search(r"<h3>Europe \(\d+\)</h3>", page)
    watched_page.open(site / "index.html", ready="#find")
    watched_page.page.fill("#find", "IVORY coast")
    shown = watched_page.page.locator("section.kind li:not(.hidden)")
    assert shown.count() == 1
    assert "Ivory Coast" in shown.first.inner_text()
    assert watched_page.page.locator("#found").inner_text() == "1 found"
    shots = Path(__file__).resolve().parents[1] / "build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    watched_page.page.fill("#find", "")
    watched_page.page.screenshot(path=str(shots / "site-index.png"), full_page=False)
    assert watched_page.blocked == [] and watched_page.errors == []


_COMMAND = re.compile(r"<code>lexgraph query ([\w-]+)((?: -p [\w]+=[^ <]+)*)( --all)?</code>")


def test_every_rerun_command_binds_every_parameter(site: Path) -> None:
    """A rerun command binds each parameter its question declares, or says --all: never a
    default that would answer for another entity."""
    checked = 0
    for path in site.rglob("*.html"):
        if path.name.endswith(".graph.html"):
            continue
        for name, params, free in _COMMAND.findall(path.read_text()):
            declared = sorted(p.name for p in read_query(site / "queries" / f"{name}.rq").params)
            bound = sorted(re.findall(r"-p (\w+)=", params))
            assert bound == declared or (free and not bound and declared), (path, name)
            checked += 1
    assert checked > 1000


def test_page_text_names_no_internals(site: Path) -> None:
    """No page speaks of the code (module paths, 'depth-1 selection') or shows keys as text."""
    for path in site.rglob("*.html"):
        if path.name.endswith(".graph.html"):
            continue
        text = re.sub(r"<[^>]+>", " ", path.read_text())
        assert not re.search(r"\blexgraph\.(?:views|finder|store|render|core)\b", text), path
        assert "depth-1" not in text and "subgraph" not in text, path


def test_modality_page_links_articles_in_article_order(site: Path) -> None:
    """A modality page gives one row per instrument, its articles as links to their rows on
    the instrument's page, in article order (2 before 14)."""
    page = (site / "modality" / "extradition.html").read_text()
    row = next(r for r in page.split("<tr>") if "ETS 24 Extradition Convention" in r)
    numbers = re.findall(r'href="[^"]*coe-extradition-ets24\.html#art-(\w+)"', row)
    assert numbers and numbers == sorted(numbers, key=lambda n: (len(n), n))
    target = (site / "instrument" / "coe-extradition-ets24.html").read_text()
    assert all(f'id="art-{n}"' in target for n in numbers)
