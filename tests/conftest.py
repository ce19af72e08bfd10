"""Shared fixtures: a copy of the project's sources, built once per session."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from lexgraph.core.paths import Layout
from lexgraph.store.build import BuildResult, build

#: The browser fixtures (headless Chromium, network refused): see tests/browser.py; a private
#: Virtuoso: tests/virtuoso.py.
pytest_plugins = ["browser", "listener", "virtuoso"]

ROOT = Path(__file__).resolve().parents[1]


def copy_project(target: Path) -> Layout:
    """Copy the sources a build reads (not build/) into ``target``."""
    for name in ("ontology", "graph", "queries"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copy2(ROOT / "CITATION.cff", target / "CITATION.cff")
    return Layout(target)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Layout, BuildResult]:
    """The project's graph built once, in a scratch copy."""
    layout = copy_project(tmp_path_factory.mktemp("built"))
    return layout, build(layout)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Layout]:
    """A fresh scratch copy of the project that the CLI and library default to."""
    layout = copy_project(tmp_path / "project")
    monkeypatch.setenv("LEXGRAPH_ROOT", str(layout.root))
    yield layout


@pytest.fixture(scope="session")
def graph(built: tuple[Layout, BuildResult]) -> tuple[Layout, ox.Store]:
    """The built graph, copied once into an in-memory store for speed (tests must not change it)."""
    layout, _ = built
    store = ox.Store()
    store.bulk_extend(ox.Store.read_only(str(layout.store)).quads_for_pattern(None, None, None))
    return layout, store


def add_test_sites(layout: Layout) -> None:
    """Give the invented sites that fixtures cite (example.org, the loopback depositary) a
    source tier in a scratch project, so that its build accepts their records."""
    sites = Path(__file__).parent / "data" / "tiers" / "example-sites.ttl"
    (layout.graph / "test-sites.ttl").write_text(sites.read_text(encoding="utf-8"), "utf-8")


def run_in_thread(main: Callable[[], Any]) -> Any:
    """Run ``main`` (an ``asyncio.run``/``anyio.run`` call) on a thread of its own: the session's
    browser fixture keeps an event loop running in the main thread, where a second one cannot
    start."""
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(main).result()
