"""Shared fixtures: a copy of the project's sources, built once per session.

Speed (the suite must stay well under its 15 minutes on two shared cores):

- The SHACL shapes and checks are the slowest step of a build (about three quarters of it).
  Their answer depends only on what they read, so :func:`validation_memo` keeps it per content
  (the digest of every source file and of ``queries/checks/``): a scratch copy of the shipped
  sources is validated once per session, whatever test builds it, and a copy that a test
  changed is validated afresh. ``LEXGRAPH_TEST_NO_MEMO=1`` turns this memo and the next off.
- The importers read the hand-edited graph with rdflib (participant names, the instrument
  files: most of a second per import); :func:`reading_memo` keeps what they read per content
  of the files read, so the many importer tests on scratch copies parse it once.
- :func:`project_built` gives a scratch copy that already holds the session's build (copied,
  not rebuilt), for tests whose subject is not the build itself.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from lexgraph.core.paths import Layout
from lexgraph.store.build import BuildResult, Dataset, build
from lexgraph.store.validate import Finding

#: The browser fixtures (headless Chromium, network refused): see tests/browser.py; a private
#: Virtuoso: tests/virtuoso.py.
pytest_plugins = ["browser", "listener", "virtuoso"]

ROOT = Path(__file__).resolve().parents[1]
#: The module, not the function that ``lexgraph`` re-exports under the same name.
build_module = importlib.import_module("lexgraph.store.build")


def copy_project(target: Path) -> Layout:
    """Copy the sources a build reads (not build/) into ``target``."""
    for name in ("ontology", "graph", "queries"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copy2(ROOT / "CITATION.cff", target / "CITATION.cff")
    return Layout(target)


def _validation_key(layout: Layout, dataset: Dataset) -> tuple[str, int, str]:
    """What validation reads: the sources (the dataset's digest covers every source file,
    shapes included) and the checks."""
    checks = hashlib.sha256()
    for path in sorted(layout.checks.rglob("*")) if layout.checks.is_dir() else ():
        if path.is_file():
            checks.update(path.relative_to(layout.checks).as_posix().encode() + b"\0")
            checks.update(path.read_bytes() + b"\0")
    return dataset.digest, len(dataset.store), checks.hexdigest()


@pytest.fixture(scope="session", autouse=True)
def validation_memo() -> Iterator[dict[tuple[str, int, str], list[Finding]]]:
    """Validate each content once per session (see the module docstring); tests that replace
    ``validate_dataset`` themselves (monkeypatch) replace the memo with it, as before."""
    memo: dict[tuple[str, int, str], list[Finding]] = {}
    original = build_module.validate_dataset
    if os.environ.get("LEXGRAPH_TEST_NO_MEMO"):
        yield memo
        return

    validate_module = importlib.import_module("lexgraph.store.validate")
    parts = [
        (module, name, getattr(module, name))
        for module, names in (
            (build_module, ("run_shacl", "run_checks", "load_shapes", "to_rdflib", "data_quads")),
            (validate_module, ("shacl_validate", "run_check", "read_library")),
        )
        for name in names
    ]

    def validate_dataset(layout: Layout, dataset: Dataset) -> list[Finding]:
        if any(getattr(module, name) is not f for module, name, f in parts):
            return original(layout, dataset)  # a test replaced a part of validation
        key = _validation_key(layout, dataset)
        if key not in memo:
            memo[key] = original(layout, dataset)
        return list(memo[key])

    build_module.validate_dataset = validate_dataset
    try:
        yield memo
    finally:
        build_module.validate_dataset = original


#: The modules whose readings :func:`reading_memo` keeps, and those that call them.
READERS = tuple(
    f"lexgraph.importers.{name}"
    for name in ("participation", "records", "coe", "wikidata", "update", "bilateral", "untc")
)


def _files_key(root: Path, files: Iterable[Path]) -> tuple[tuple[str, str], ...]:
    """The files' paths under ``root`` and a digest of their bytes: the key of a reading."""
    return tuple(
        (path.relative_to(root).as_posix(), hashlib.sha256(path.read_bytes()).hexdigest())
        for path in files
        if path.is_file()
    )


def _by_content(
    read: Callable[[Path], Any], files: Callable[[Layout], Iterable[Path]]
) -> Callable[[Path], Any]:
    """``read(root)`` kept per content of ``files(Layout(root))``; a reading that fails (a
    broken file) is not kept, and the next one fails the same way."""
    memo: dict[tuple[tuple[str, str], ...], Any] = {}
    importers = importlib.import_module("lexgraph.importers")
    parse_turtle = importers.parse_turtle
    readers = [importers, *(sys.modules[n] for n in READERS if n in sys.modules)]

    def cached(root: Path) -> Any:
        if any(getattr(m, "parse_turtle", parse_turtle) is not parse_turtle for m in readers):
            return read(root)  # a test replaced the parser
        key = _files_key(Path(root), files(Layout(Path(root))))
        if key not in memo:
            memo[key] = read(root)
        return memo[key]

    return cached


@pytest.fixture(scope="session", autouse=True)
def reading_memo() -> Iterator[None]:
    """The importers' readings of the hand-edited graph, kept per content (see the module
    docstring). Their results are only read by the importers; IRIs in these files are
    absolute or under ``@base``, so the same bytes give the same graph in any copy."""
    if os.environ.get("LEXGRAPH_TEST_NO_MEMO"):
        yield
        return
    participation = importlib.import_module("lexgraph.importers.participation")
    records = importlib.import_module("lexgraph.importers.records")
    wikidata = importlib.import_module("lexgraph.importers.wikidata")
    users = [importlib.import_module(name) for name in READERS]

    def participants(layout: Layout) -> Iterable[Path]:
        return layout.participant_files

    def instruments(layout: Layout) -> Iterable[Path]:
        return sorted(layout.instruments.glob("*.ttl"))

    names = participation.ParticipantNames
    load = names.__dict__["load"]
    graph = records.instrument_graph
    aligned = wikidata.aligned_participants
    names_of = _by_content(lambda root: load.__func__(names, root), participants)
    replacements = {
        graph: _by_content(graph, instruments),
        aligned: _by_content(aligned, participants),
    }
    patched = [
        (module, attribute, value)
        for module in users
        for attribute, value in vars(module).items()
        if any(value is original for original in replacements)
    ]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(names, "load", classmethod(lambda cls, root: names_of(root)))
        for module, attribute, value in patched:
            patch.setattr(module, attribute, replacements[value])
        yield


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


@pytest.fixture
def project_built(built: tuple[Layout, BuildResult], project: Layout) -> Iterator[Layout]:
    """:func:`project` with the session's build copied into its ``build/`` (links kept), as
    if ``lexgraph build`` had run there: for tests that need a build but are not about
    building."""
    source = built[0].build
    keep = {".gen", "current", *build_module.OUTPUTS}  # not what later tests wrote (release/)
    shutil.copytree(
        source,
        project.build,
        symlinks=True,
        ignore=lambda folder, names: [] if folder != str(source) else set(names) - keep,
    )
    yield project


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
