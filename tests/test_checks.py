"""The quality rules of queries/checks/: each flags its invalid fixture, the shipped graph none.

A rule that can be said in SPARQL lives in its ``.rq`` file, not in a test: the build runs the
checks, and these tests hold each check to a small fixture that breaks it (first lines
``# breaks: <check>`` and ``# node: <offending IRI>``, read with the ontology as background).
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from lexgraph.core.paths import Layout
from lexgraph.store.build import BuildResult
from lexgraph.store.inference import infer
from lexgraph.store.validate import run_checks

ROOT = Path(__file__).resolve().parents[1]
CHECKS = ROOT / "queries" / "checks"
FIXTURES = Path(__file__).parent / "data" / "checks"
BACKGROUND = [
    ROOT / "ontology" / "lexgraph.ttl",
    ROOT / "ontology" / "alignments.ttl",
    *sorted((ROOT / "ontology" / "vocab").glob("*.ttl")),
    ROOT / "graph" / "imported" / "sdg.ttl",  # the targets the crime types contribute to
    ROOT / "graph" / "source-domains.ttl",  # the tier of every cited source
    Path(__file__).parent / "data" / "tiers" / "example-sites.ttl",  # and of the fixtures
]


def _flagged(path: Path) -> set[tuple[str, str]]:
    """Every (check, node) that the checks report on ``path`` over the background."""
    store = ox.Store()
    for source in [*BACKGROUND, path]:
        store.load(path=str(source), format=ox.RdfFormat.TURTLE)
    store.extend(infer(store))
    return {(f.rule, f.node) for f in run_checks(store, CHECKS)}


@pytest.mark.parametrize(
    "path", sorted(FIXTURES.glob("*.invalid.ttl")), ids=lambda p: p.name.split(".")[0]
)
def test_invalid_fixture_breaks_its_check(path: Path) -> None:
    """The invalid fixture of a check is flagged by that check alone, at the node it names."""
    head = dict(re.findall(r"^# (breaks|node): (\S+)$", path.read_text(encoding="utf-8"), re.M))
    assert path.name.startswith(head["breaks"] + ".")
    assert _flagged(path) == {(head["breaks"], head["node"])}


def test_background_alone_trips_no_check() -> None:
    """The ontology, its vocabularies and the SDG targets they name, alone, trip no check."""
    assert _flagged(BACKGROUND[0]) == set()


def test_shipped_graph_trips_no_check_or_shape(built: tuple[Layout, BuildResult]) -> None:
    """The shipped graph gives no finding at all, warnings included."""
    _, result = built
    assert [f.line() for f in result.findings] == []
