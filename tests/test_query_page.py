"""The query page of `lexgraph serve` as people see it, in headless Chromium (from its files,
so that the browser fixture's rule of no request off the machine holds)."""

from __future__ import annotations

from pathlib import Path

from browser import WatchedPage
from lexgraph.core.paths import Layout
from lexgraph.serve.page import page
from lexgraph.store.build import BuildResult
from lexgraph.store.query import open_store


def test_query_page_offers_the_library_ready_to_run(
    built: tuple[Layout, BuildResult], tmp_path: Path, watched_page: WatchedPage
) -> None:
    """Picking an example puts its text, parameters bound, in the box; a screenshot is kept."""
    layout, _ = built
    for path, (body, _kind) in page(layout.questions, open_store(layout.store)).items():
        target = tmp_path / ("index.html" if path == "/" else path.lstrip("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
    watched_page.open(tmp_path / "index.html", ready="#example option[value='modality-scheme']")
    box = watched_page.page.locator("#query")
    assert "PREFIX lex:" in box.input_value()
    watched_page.page.select_option("#example", "instruments-providing-modality")
    assert "VALUES (?modality)" in box.input_value()
    shots = Path(__file__).resolve().parents[1] / "build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    watched_page.page.screenshot(path=str(shots / "serve-query-page.png"), full_page=True)
    assert watched_page.blocked == [] and watched_page.errors == []
