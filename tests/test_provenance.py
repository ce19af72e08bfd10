"""Provenance: each source file's triples stay in its own named graph, and FROM selects graphs.

A source file cannot write into another file's graph (or any graph it names), so the graph a
fact sits in is the file it came from. A query that names graphs (``FROM``, ``FROM NAMED``)
gets those graphs, on the embedded engine and through ``lexgraph serve`` alike, although both
run with the union of the graphs as their default graph otherwise.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from lexgraph.core.errors import InputError
from lexgraph.core.paths import Layout
from lexgraph.serve.run import running
from lexgraph.serve.settings import GatewaySettings
from lexgraph.store.build import BuildResult, load
from lexgraph.store.query import QueryDataset
from lexgraph.store.sources import graph_name, parse_data
from lexgraph.untrusted.free import free_query

OTHER = graph_name("graph/dataset.ttl")
SMALL = "https://w3id.org/lexgraph/source/graph/dataset.ttl"
CONGRESS = "https://w3id.org/lexgraph/source/graph/congress.ttl"
COUNT = "SELECT (COUNT(*) AS ?n) {from} WHERE {{ {pattern} }}"
TRIPLES = "?s ?p ?o"
IN_GRAPHS = "GRAPH ?g { ?s ?p ?o }"


def _size(store: ox.Store, graph: str) -> int:
    return len(list(store.quads_for_pattern(None, None, None, ox.NamedNode(graph))))


# --- source files cannot name graphs -----------------------------------------------------------


@pytest.mark.parametrize(
    ("suffix", "text"),
    [
        (".trig", f"<{OTHER.value}> {{ <http://example.org/a> <http://example.org/b> 1 . }}"),
        (".trig", "<http://example.org/g> { <http://example.org/a> <http://example.org/b> 1 . }"),
        (".trig", "_:g { <http://example.org/a> <http://example.org/b> 1 . }"),
        (
            ".nq",
            f'<http://example.org/a> <http://example.org/b> "1" <{OTHER.value}> .\n',
        ),
        (
            ".jsonld",
            '{"@id": "https://w3id.org/lexgraph/source/build/inferred", '
            '"@graph": [{"@id": "http://example.org/a", "http://example.org/b": "1"}]}',
        ),
    ],
    ids=["other-file", "any-name", "blank-name", "n-quads", "json-ld-inferred"],
)
def test_a_file_naming_a_graph_is_refused(suffix: str, text: str) -> None:
    """Triples a file puts in any graph but its own are refused, naming the file and graph."""
    relative = f"graph/forged{suffix}"
    with pytest.raises(
        InputError, match=r"graph/forged\.\w+: refused: it puts triples in the graph"
    ):
        parse_data(text.encode(), suffix, relative)


def test_a_file_may_name_its_own_graph() -> None:
    """A TriG block named as the file's own graph, and its default graph, are read as usual."""
    own = graph_name("graph/own.trig").value
    text = (
        f"<{own}> {{ <http://example.org/a> <http://example.org/b> 1 . }}\n"
        "<http://example.org/c> <http://example.org/d> 2 .\n"
    )
    quads = parse_data(text.encode(), ".trig", "graph/own.trig")
    assert {q.graph_name.value for q in quads} == {own}  # type: ignore[union-attr]
    assert len(quads) == 2


def test_the_build_refuses_a_forged_graph(project: Layout) -> None:
    """A TriG file under graph/ that writes into another file's graph stops the build."""
    forged = project.root / "graph" / "forged.trig"
    forged.write_text(
        f"<{OTHER.value}> {{ <https://w3id.org/lexgraph/id/crime/x> "
        "<http://purl.org/dc/terms/source> <https://example.org/fake> . }\n"
    )
    with pytest.raises(InputError, match=rf"graph/forged\.trig: .*<{OTHER.value}>"):
        load(project)


# --- FROM and FROM NAMED select graphs -----------------------------------------------------------


@pytest.mark.parametrize(
    ("clause", "pattern", "expected"),
    [
        (f"FROM <{SMALL}>", TRIPLES, lambda s: _size(s, SMALL)),
        (
            f"FROM <{SMALL}> FROM <{CONGRESS}>",
            TRIPLES,
            lambda s: _size(s, SMALL) + _size(s, CONGRESS),
        ),
        (f"FROM <{SMALL}> FROM <{SMALL}>", TRIPLES, lambda s: _size(s, SMALL)),
        (f"FROM <{SMALL}>", IN_GRAPHS, lambda s: 0),
        (f"FROM NAMED <{CONGRESS}>", IN_GRAPHS, lambda s: _size(s, CONGRESS)),
        (f"FROM NAMED <{CONGRESS}>", TRIPLES, lambda s: 0),
        ("", TRIPLES, lambda s: len(s)),
    ],
    ids=["from", "from-two", "from-twice", "from-no-named", "named", "named-no-default", "union"],
)
def test_from_selects_graphs_on_the_embedded_engine(
    graph: tuple[Layout, ox.Store], clause: str, pattern: str, expected: object
) -> None:
    """FROM merges its graphs into the default graph; FROM NAMED gives GRAPH only its own."""
    _, store = graph
    result = free_query(COUNT.format(**{"from": clause, "pattern": pattern}), store=store)
    assert result.values()[0]["n"] == expected(store)  # type: ignore[operator]


def test_from_selects_graphs_in_the_time_limited_child(
    built: tuple[Layout, BuildResult], graph: tuple[Layout, ox.Store]
) -> None:
    """The child process that runs a free query on the on-disk store honours FROM too; its
    location may be given as a string."""
    layout, _ = built
    text = COUNT.format(**{"from": f"FROM <{SMALL}>", "pattern": TRIPLES})
    result = free_query(text, location=str(layout.store), timeout_s=20)
    assert result.values()[0]["n"] == _size(graph[1], SMALL)


def test_dataset_params_name_each_graph_once() -> None:
    """The protocol parameters of a dataset list each graph once, FROM first."""
    dataset = QueryDataset((SMALL, SMALL), (CONGRESS,))
    assert dataset.protocol_params() == [
        ("default-graph-uri", SMALL),
        ("named-graph-uri", CONGRESS),
    ]
    assert not QueryDataset()


@pytest.fixture(scope="module")
def gateway(built: tuple[Layout, BuildResult]) -> Iterator[str]:
    """`lexgraph serve` over the built store on an ephemeral port; yields its base URL."""
    layout, _ = built
    with running(GatewaySettings(layout.store, port=0, timeout_s=10)) as url:
        yield url


@pytest.mark.parametrize(
    ("clause", "pattern", "graph_of"),
    [
        (f"FROM <{SMALL}>", TRIPLES, SMALL),
        (f"FROM NAMED <{CONGRESS}>", IN_GRAPHS, CONGRESS),
    ],
    ids=["from", "from-named"],
)
def test_from_selects_graphs_through_the_server(
    gateway: str, graph: tuple[Layout, ox.Store], clause: str, pattern: str, graph_of: str
) -> None:
    """Through `lexgraph serve`, FROM and FROM NAMED select their graphs, as on the engine."""
    text = COUNT.format(**{"from": clause, "pattern": pattern})
    answer = httpx.get(
        gateway + "/query", params={"query": text}, headers={"Accept": "text/csv"}, timeout=30
    )
    assert answer.status_code == 200, answer.text
    rows = list(csv.reader(io.StringIO(answer.text)))
    assert int(rows[1][0]) == _size(graph[1], graph_of)


def test_without_from_the_server_answers_from_the_union(
    gateway: str, graph: tuple[Layout, ox.Store]
) -> None:
    """A query that names no graph still sees every graph's triples through `lexgraph serve`."""
    text = COUNT.format(**{"from": "", "pattern": TRIPLES})
    answer = httpx.get(
        gateway + "/query", params={"query": text}, headers={"Accept": "text/csv"}, timeout=30
    )
    assert int(answer.text.splitlines()[1]) == len(graph[1])


def test_graph_names_of_odd_file_names_are_iris() -> None:
    """A file name with a space or '>' still gives a valid graph IRI, percent-encoded."""
    quads = parse_data(
        b"<http://example.org/a> <http://example.org/b> 1 .", ".ttl", "graph/a b>.ttl"
    )
    assert quads[0].graph_name.value.endswith("graph/a%20b%3E.ttl")  # type: ignore[union-attr]


def test_no_library_question_names_graphs() -> None:
    """Library questions run trusted on the union of the graphs, so none may carry a FROM that
    the engine's union switch would silently override (free queries get theirs honoured)."""
    from lexgraph.store.library import read_library
    from lexgraph.untrusted.gate import scan

    root = Path(__file__).resolve().parents[1] / "queries"
    for directory in ("questions", "views", "checks"):
        for question in read_library(root / directory):
            parsed = scan(question.text, max_bytes=1 << 20)
            assert (parsed.default_graphs, parsed.named_graphs) == ((), ()), question.name
