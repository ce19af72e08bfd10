"""Releases: checksummed, sorted, self-describing dumps of the built graph, written atomically."""

from __future__ import annotations

import hashlib
import json
import socket
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner

from lexgraph.cli import main
from lexgraph.core.errors import BuildError, NotBuilt
from lexgraph.core.namespaces import PREFIXES
from lexgraph.core.paths import Layout
from lexgraph.publish import release as release_module
from lexgraph.publish.release import ReleaseResult, write_release
from lexgraph.store.build import BuildResult
from lexgraph.store.inference import INFERRED_GRAPH
from lexgraph.store.sources import graph_name

VOID = rdflib.Namespace(PREFIXES["void"])
DCAT = rdflib.Namespace(PREFIXES["dcat"])
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")


@pytest.fixture(scope="module")
def released(built: tuple[Layout, BuildResult]) -> tuple[Layout, ReleaseResult]:
    """A release of the session's build."""
    layout, _ = built
    return layout, write_release(layout)


def _store(layout: Layout) -> ox.Store:
    return ox.Store.read_only(str(layout.store))


def _count(store: ox.Store, query: str) -> int:
    solutions = store.query(query, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    term = next(iter(solutions))[0]
    assert isinstance(term, ox.Literal)
    return int(term.value)


def _void(layout: Layout) -> rdflib.Graph:
    path = layout.release / "void.ttl"
    return rdflib.Graph().parse(
        path, format="turtle", publicID=(layout.release / "void.ttl").as_uri()
    )


def _files(directory: Path) -> list[str]:
    """The release's files by their path in it (the feed's JSON files are in folders)."""
    return sorted(p.relative_to(directory).as_posix() for p in directory.rglob("*") if p.is_file())


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {name: (directory / name).read_bytes() for name in _files(directory)}


def test_every_file_is_in_sha256sums_and_matches(released: tuple[Layout, ReleaseResult]) -> None:
    """SHA256SUMS lists every other file of the release once, each with its true digest."""
    layout, _ = released
    listed = {}
    for line in (layout.release / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    names = set(_files(layout.release)) - {"SHA256SUMS"}
    assert set(listed) == names
    for name, digest in listed.items():
        assert hashlib.sha256((layout.release / name).read_bytes()).hexdigest() == digest, name


def test_release_lists_what_it_wrote(released: tuple[Layout, ReleaseResult]) -> None:
    """The result names exactly the files in the release directory."""
    layout, result = released
    assert sorted(result.files) == _files(layout.release)


def test_ntriples_are_sorted_and_hold_the_union(released: tuple[Layout, ReleaseResult]) -> None:
    """lexgraph.nt is sorted, has no duplicate, and parses to the store's distinct triples."""
    layout, result = released
    data = (layout.release / "lexgraph.nt").read_bytes()
    lines = data.splitlines()
    assert lines == sorted(set(lines))
    union = {q.triple for q in _store(layout)}
    parsed = {q.triple for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)}
    assert len(parsed) == len(union) == len(lines) == result.triples


def test_ntriples_lines_are_canonical(released: tuple[Layout, ReleaseResult]) -> None:
    """Each N-Triples line is exactly what the canonical serialiser writes for its triple."""
    layout, _ = released
    for line in (layout.release / "lexgraph.nt").read_bytes().splitlines(keepends=True):
        triples = [q.triple for q in ox.parse(line, format=ox.RdfFormat.N_TRIPLES)]
        assert ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) == line


def test_nquads_have_one_graph_per_source_file(
    built: tuple[Layout, BuildResult], released: tuple[Layout, ReleaseResult]
) -> None:
    """lexgraph.nq has a named graph for each source file and the inferred one, and no other."""
    _, build = built
    layout, result = released
    quads = list(
        ox.parse((layout.release / "lexgraph.nq").read_bytes(), format=ox.RdfFormat.N_QUADS)
    )
    graphs = {q.graph_name for q in quads}
    assert graphs == {graph_name(f) for f in build.files} | {INFERRED_GRAPH}
    assert len(quads) == result.quads and len(graphs) == result.graphs


def test_jsonld_context_is_the_local_file(released: tuple[Layout, ReleaseResult]) -> None:
    """lexgraph.jsonld refers by a relative IRI to context.jsonld, which holds the prefix table."""
    layout, _ = released
    document = json.loads((layout.release / "lexgraph.jsonld").read_text())
    assert document["@context"] == "context.jsonld"
    context = json.loads((layout.release / "context.jsonld").read_text())
    assert context == {"@context": PREFIXES}


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_jsonld_parses_offline_to_the_same_graph(
    released: tuple[Layout, ReleaseResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    """rdflib reads lexgraph.jsonld, with no network, as exactly the store's union of graphs."""
    layout, _ = released

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the JSON-LD tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    graph = rdflib.Graph().parse(layout.release / "lexgraph.jsonld", format="json-ld")
    as_nt = graph.serialize(format="nt", encoding="utf-8")
    parsed = {q.triple for q in ox.parse(as_nt, format=ox.RdfFormat.N_TRIPLES)}
    assert parsed == {q.triple for q in _store(layout)}


def test_void_counts_equal_the_real_counts(released: tuple[Layout, ReleaseResult]) -> None:
    """void.ttl's triples, subjects, properties, class entities and graph sizes are the store's."""
    layout, _ = released
    store, void = _store(layout), _void(layout)
    (dataset,) = void.subjects(VOID.classPartition, None, unique=True)

    def stated(subject: rdflib.term.Node, predicate: rdflib.URIRef) -> int:
        return int(void.value(subject, predicate))  # type: ignore[arg-type]

    assert stated(dataset, VOID.triples) == _count(
        store, "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }"
    )
    assert stated(dataset, VOID.distinctSubjects) == _count(
        store, "SELECT (COUNT(DISTINCT ?s) AS ?n) { ?s ?p ?o }"
    )
    assert stated(dataset, VOID.properties) == _count(
        store, "SELECT (COUNT(DISTINCT ?p) AS ?n) { ?s ?p ?o }"
    )
    partitions = list(void.objects(dataset, VOID.classPartition))
    assert len(partitions) == _count(store, "SELECT (COUNT(DISTINCT ?c) AS ?n) { ?s a ?c }")
    for partition in partitions:
        cls = void.value(partition, VOID["class"])
        query = f"SELECT (COUNT(DISTINCT ?s) AS ?n) {{ ?s a <{cls}> }}"
        assert stated(partition, VOID.entities) == _count(store, query), cls
    subsets = list(void.objects(dataset, VOID.subset))
    assert len(subsets) == len({q.graph_name for q in store})
    for graph in subsets:
        query = f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        assert stated(graph, VOID.triples) == _count(store, query), graph


def test_void_distributions_match_the_files(released: tuple[Layout, ReleaseResult]) -> None:
    """Each dcat:Distribution's download URL, size and SHA-256 are those of a release file."""
    layout, result = released
    void = _void(layout)
    described = set()
    for distribution in void.subjects(rdflib.RDF.type, DCAT.Distribution):
        url = str(void.value(distribution, DCAT.downloadURL))
        path = layout.release / url.removeprefix(layout.release.as_uri() + "/")
        assert url == path.as_uri(), "the download URL is relative to void.ttl"
        data = path.read_bytes()
        checksum = void.value(distribution, SPDX.checksum)
        assert str(void.value(checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()
        assert int(void.value(distribution, DCAT.byteSize)) == len(data)  # type: ignore[arg-type]
        assert void.value(distribution, DCAT.mediaType) is not None
        described.add(path.relative_to(layout.release).as_posix())
    assert described == set(result.files) - {"void.ttl", "SHA256SUMS"}


def test_two_releases_of_one_build_are_byte_identical(
    released: tuple[Layout, ReleaseResult],
) -> None:
    """Releasing the same build again writes the same bytes in every file."""
    layout, _ = released
    first = _snapshot(layout.release)
    write_release(layout)
    assert _snapshot(layout.release) == first


def test_failed_release_leaves_the_previous_one(
    released: tuple[Layout, ReleaseResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A release that fails while switching leaves the previous release and no scratch files."""
    layout, _ = released
    before = _snapshot(layout.release)
    generations = set((layout.build / ".release").iterdir())

    def full(*args: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(release_module, "_switch", full)
    with pytest.raises(BuildError, match="previous release is untouched"):
        write_release(layout)
    assert _snapshot(layout.release) == before
    assert set((layout.build / ".release").iterdir()) == generations


def test_release_needs_a_build(tmp_path: Path) -> None:
    """Releasing a project that was never built raises NotBuilt."""
    with pytest.raises(NotBuilt):
        write_release(Layout(tmp_path))


def test_release_command_exits_0(
    released: tuple[Layout, ReleaseResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`lexgraph release` on a built project exits 0 and names build/release/."""
    layout, _ = released
    monkeypatch.setenv("LEXGRAPH_ROOT", str(layout.root))
    result = CliRunner().invoke(main, ["release"])
    assert result.exit_code == 0, result.output
    assert "build/release/" in result.stdout


def test_release_command_before_build_exits_2(project: Layout) -> None:
    """`lexgraph release` without a build says to build first and exits 2."""
    result = CliRunner().invoke(main, ["release"])
    assert result.exit_code == 2
    assert "lexgraph build" in result.stderr
