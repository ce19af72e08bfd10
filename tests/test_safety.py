"""Untrusted queries: refused before they run, stopped at their deadline, capped in rows.

A loopback listener (a socket on 127.0.0.1 that counts connections and closes them) shows what
a query really fetches: the raw engine connects to it, lexgraph's checked paths never do.
Nothing reaches the internet.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from lexgraph.core.paths import Layout
from lexgraph.store.build import BuildResult
from lexgraph.store.library import LibraryQuery, read_library
from lexgraph.store.query import Result
from lexgraph.untrusted.free import free_query
from lexgraph.untrusted.gate import (
    LOCAL_GRAPHS,
    MAX_NESTING,
    QueryRefused,
    QueryTimeout,
    QueryTooLarge,
    check_query,
    scan,
)
from listener import Listener

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = read_library(ROOT / "queries" / "questions")
CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?d ?g"


def _variants(url: str) -> dict[str, str]:
    """Ways of writing SERVICE that Oxigraph accepts, found by trying them."""
    iri = f"<{url}>"
    base = url.rsplit("/", 1)[0] + "/"
    return {
        "plain": f"SELECT * {{ ?s ?p ?o SERVICE {iri} {{ ?s ?p ?o }} }}",
        "lower case": f"select * {{ ?s ?p ?o service {iri} {{ ?s ?p ?o }} }}",
        "silent, no spaces": f"SELECT * {{ ?s ?p ?o SERVICESILENT{iri}{{?s ?p ?o}} }}",
        "after an integer": f"SELECT * {{ ?s ?p 1SERVICE{iri}{{?s ?p ?o}} }}",
        "after a dot": f"SELECT * {{ ?s ?p ?o.SERVICE{iri}{{?s ?p ?o}} }}",
        "after a bracket": f"SELECT * {{ ?s ?p ?o FILTER(true)SERVICE{iri}{{?s ?p ?o}} }}",
        "empty prefix": f"PREFIX : <{base}> SELECT * {{ ?s ?p ?o SERVICE:sparql {{?s ?p ?o}} }}",
        "in EXISTS": f"SELECT * {{ ?s ?p ?o FILTER EXISTS {{ SERVICE {iri} {{ ?s ?p ?o }} }} }}",
        "in a subquery": (
            f"SELECT * {{ ?s ?p ?o {{ SELECT * WHERE {{ SERVICE {iri} {{ ?s ?p ?o }} }} }} }}"
        ),
        "in OPTIONAL": f"SELECT * {{ ?s ?p ?o OPTIONAL {{ SERVICE {iri} {{ ?s ?p ?o }} }} }}",
        "in DESCRIBE": f"DESCRIBE ?s WHERE {{ ?s ?p ?o SERVICE {iri} {{ ?s ?p ?o }} }}",
        # rdflib expands \u0022 to a quote before parsing and reads one long string from the
        # first BIND to the second; Oxigraph reads two strings and a SERVICE between them.
        "hidden from rdflib": (
            f'SELECT * {{ ?s ?p ?o BIND("\\u0022" AS ?a) SERVICE {iri} {{ ?s ?p ?o }} '
            'BIND("\\u0022" AS ?b) }'
        ),
    }


def _one_triple_store() -> ox.Store:
    store = ox.Store()
    node = ox.NamedNode("urn:x")
    store.add(ox.Quad(node, node, ox.Literal("1", datatype=ox.NamedNode(XSD_INTEGER))))
    return store


XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
VARIANTS = list(_variants("http://127.0.0.1:9/sparql"))


@pytest.mark.parametrize("name", VARIANTS)
def test_each_variant_really_fetches_on_the_raw_engine(listener: Listener, name: str) -> None:
    """Unchecked, pyoxigraph connects to the SERVICE IRI: each variant is a real fetch."""
    store = _one_triple_store()
    # The listener hangs up, which is an error unless the variant says SILENT.
    with contextlib.suppress(OSError):
        answer = store.query(_variants(listener.url)[name])
        if not isinstance(answer, ox.QueryBoolean):
            list(answer)
    time.sleep(0.05)
    assert listener.connections >= 1


@pytest.mark.parametrize("name", VARIANTS)
def test_each_variant_is_refused_without_a_connection(listener: Listener, name: str) -> None:
    """The free-form path refuses every variant, and nothing connects to the listener."""
    with pytest.raises(QueryRefused, match="SERVICE"):
        free_query(_variants(listener.url)[name], store=_one_triple_store())
    assert listener.connections == 0


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.name)
def test_library_questions_pass_the_check(question: LibraryQuery) -> None:
    """Every question of the library passes the check, with its form read right."""
    parsed = check_query(question.text)
    assert parsed.form in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


@pytest.mark.parametrize(
    "text",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "LOAD <http://127.0.0.1:9/data.ttl>",
        "CLEAR ALL",
        "DROP GRAPH <urn:g>",
        "PREFIX ex: <urn:x> WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "ASK {} ; LOAD <http://127.0.0.1:9/data.ttl>",
    ],
)
def test_updates_are_refused(text: str) -> None:
    """An update of any kind, LOAD included, is refused as such."""
    with pytest.raises(QueryRefused, match=r"update|LOAD"):
        check_query(text)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * FROM <http://127.0.0.1:9/g> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <http://127.0.0.1:9/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "PREFIX x: <http://127.0.0.1:9/> SELECT * FROM x:g WHERE { ?s ?p ?o }",
        "BASE <http://127.0.0.1:9/> SELECT * FROM <g> WHERE { ?s ?p ?o }",
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
    ],
)
def test_from_outside_the_build_is_refused(text: str) -> None:
    """FROM and FROM NAMED may name only the build's source graphs, however the IRI is spelt."""
    with pytest.raises(QueryRefused, match="FROM"):
        check_query(text)


def test_from_a_source_graph_is_allowed() -> None:
    """FROM a source graph of the build passes, and the check reports which."""
    graph = LOCAL_GRAPHS + "graph/instruments/untoc.ttl"
    parsed = check_query(
        f"BASE <{LOCAL_GRAPHS}> SELECT * FROM <graph/instruments/untoc.ttl> FROM NAMED <{graph}> "
        "WHERE { ?s ?p ?o }"
    )
    assert parsed.default_graphs == (graph,)
    assert parsed.named_graphs == (graph,)


@pytest.mark.parametrize(
    "text",
    [
        'SELECT ?service WHERE { ?service ?p "service of documents" } # SERVICE <urn:x>',
        "PREFIX ex: <urn:ex:> SELECT * WHERE { ?s ex:serviceOf ex:SERVICE }",
        "SELECT * WHERE { ?s ?p <http://example.org/SERVICE> }",
        "SELECT * WHERE { ?s ?p _:service }",
    ],
)
def test_the_word_service_is_fine_where_it_is_not_a_keyword(text: str) -> None:
    """'service' in strings, IRIs, comments, variables and local names is not SERVICE."""
    assert check_query(text).form == "SELECT"


def test_size_limit() -> None:
    """A query over the size limit is refused with its size, before it is lexed."""
    text = "ASK {}" + " " * 2000
    with pytest.raises(QueryTooLarge, match="2006 bytes"):
        check_query(text, max_bytes=1000)


def test_deep_nesting_is_refused() -> None:
    """Brackets nested past the limit are refused before rdflib's recursive parser sees them."""
    depth = MAX_NESTING + 1
    with pytest.raises(QueryRefused, match="nests brackets"):
        scan("SELECT * { FILTER(" + "(" * depth + "1" + ")" * depth + ") }")


def test_rdflib_parses_long_triple_blocks() -> None:
    """A block of 500 triple patterns passes: rdflib runs with a deep enough stack."""
    text = "SELECT * WHERE { " + " ".join(f"?s{i} <urn:p> ?o{i} ." for i in range(500)) + " }"
    assert check_query(text).form == "SELECT"


def test_syntax_errors_are_refused_with_a_position() -> None:
    """A query that does not parse is refused with a line and column."""
    with pytest.raises(QueryRefused, match=r"line 1, column \d+"):
        check_query("SELECT * WHERE { ?s ?p }")


def test_result_keeps_its_fields_and_adds_truncated() -> None:
    """Result's fields and defaults are as before, with truncated False by default."""
    result = Result(variables=("x",), rows=((ox.Literal("a"),),))
    assert result.values() == [{"x": "a"}]
    assert result.truncated is False


# ---------------------------------------------------------------------------------------------
# Running untrusted queries on the built store


def test_free_query_is_capped_and_flagged(built: tuple[Layout, BuildResult]) -> None:
    """The free-form query returns at most max_rows rows and says it was cut."""
    layout, _ = built
    result = free_query("SELECT * WHERE { ?s ?p ?o }", location=layout.store, max_rows=7)
    assert len(result.rows) == 7
    assert result.truncated is True
    small = free_query("SELECT * WHERE { ?s ?p ?o } LIMIT 3", location=layout.store, max_rows=7)
    assert len(small.rows) == 3
    assert small.truncated is False


def test_free_query_runs_on_the_built_store(built: tuple[Layout, BuildResult]) -> None:
    """An ordinary free-form query gives the same answer as the embedded engine."""
    layout, _ = built
    text = "ASK { <https://w3id.org/lexgraph/id/instrument/untoc> ?p ?o }"
    assert free_query(text, location=layout.store).boolean is True


def _sandbox_children() -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == os.getpid() and b"lexgraph.untrusted.sandbox" in cmdline:
            found.append(int(entry.name))
    return found


def test_free_query_is_killed_at_its_deadline(built: tuple[Layout, BuildResult]) -> None:
    """A cartesian-product ORDER BY is stopped at the deadline and its process is gone."""
    layout, _ = built
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="limit of 2 s"):
        free_query(CARTESIAN, location=layout.store, timeout_s=2)
    assert time.monotonic() - started < 2 + 10  # the limit and a generous margin
    assert _sandbox_children() == []


def test_free_query_service_makes_no_connection(
    built: tuple[Layout, BuildResult], listener: Listener
) -> None:
    """SERVICE to a loopback listener is refused on the built store with no connection made."""
    layout, _ = built
    with pytest.raises(QueryRefused, match="SERVICE"):
        free_query(f"SELECT * {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}", location=layout.store)
    assert listener.connections == 0


def test_cli_query_file_with_service_is_refused(
    built: tuple[Layout, BuildResult], listener: Listener, tmp_path: Path
) -> None:
    """`lexgraph query FILE.rq` refuses a SERVICE query with exit 2, one line, no connection."""
    layout, _ = built
    path = tmp_path / "fetch.rq"
    path.write_text(f"#+ summary: fetch\nSELECT * {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}\n")
    done = subprocess.run(
        [str(Path(sys.executable).parent / "lexgraph"), "query", str(path)],
        env={**os.environ, "LEXGRAPH_ROOT": str(layout.root)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {path}: SERVICE at line 2")
    assert "Traceback" not in done.stderr
    assert listener.connections == 0
