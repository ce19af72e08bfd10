"""Remote SPARQL: the read-only server, queries through SPARQLWrapper, and its traps closed.

Real Oxigraph servers run on ephemeral loopback ports; the failure modes of remote endpoints
(429, 503, truncated or non-JSON answers, silence) come from a small stub on 127.0.0.1.
Nothing reaches the internet.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest

from lexgraph.core.paths import Layout
from lexgraph.publish.remote import Endpoint, RemoteError, with_values
from lexgraph.render.formats import render_result
from lexgraph.serve.oxigraph import ServerConfig, free_port, running
from lexgraph.store.build import BuildResult
from lexgraph.store.library import LibraryQuery, Param, read_library
from lexgraph.store.query import open_store, substitutions

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"
QUESTIONS = read_library(ROOT / "queries" / "questions")
HOSTILE = ['x" } ; DROP ALL ; #', "<http://a> . ?s ?p ?o", "'''\n}}"]


@pytest.fixture(scope="module")
def endpoint(built: tuple[Layout, BuildResult]) -> Iterator[str]:
    """The built graph served read-only by Oxigraph; yields the query URL."""
    layout, _ = built
    with running(ServerConfig(layout.store, port=free_port())) as url:
        yield url + "/query"


def _remote_csv(url: str, store: ox.Store, question: LibraryQuery) -> str:
    text = with_values(question.text, substitutions(store, question, {}))
    return render_result(Endpoint(url).query(text, question.name), "csv")


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.name)
def test_question_over_http_matches_golden(
    built: tuple[Layout, BuildResult], endpoint: str, question: LibraryQuery
) -> None:
    """Each library question gives its golden answer from the server, through SPARQLWrapper."""
    layout, _ = built
    store = open_store(layout.store)
    assert _remote_csv(endpoint, store, question) == (GOLDEN / f"{question.name}.csv").read_text()


def test_update_is_refused(endpoint: str) -> None:
    """The served graph is read-only: an UPDATE is refused and changes nothing."""
    before = Endpoint(endpoint).query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows
    request = urllib.request.Request(
        endpoint.replace("/query", "/update"),
        data=b"update=" + urllib.parse.quote(b"INSERT DATA { <urn:a> <urn:b> <urn:c> }").encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=10)
    assert info.value.code >= 400
    assert Endpoint(endpoint).query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows == before


def test_union_default_graph(endpoint: str) -> None:
    """Without GRAPH, a query sees the triples of every named graph (the union)."""
    result = Endpoint(endpoint).query(
        "ASK { <https://w3id.org/lexgraph/id/instrument/untoc> ?p ?o }"
    )
    assert result.boolean is True


def test_construct_over_http(endpoint: str) -> None:
    """A CONSTRUCT comes back as triples, parsed from N-Triples."""
    result = Endpoint(endpoint).query("CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 5")
    assert len(result.triples) == 5


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_value_stays_a_value_remotely(endpoint: str, value: str) -> None:
    """A parameter value that looks like SPARQL reaches the server as one plain literal."""
    question = LibraryQuery(
        name="echo",
        path=Path("echo.rq"),
        text="SELECT ?v WHERE { }",
        summary="echo",
        params=(Param("v", "string", None),),
        tags=(),
    )
    text = with_values(question.text, substitutions(None, question, {"v": value}))
    result = Endpoint(endpoint).query(text)
    assert result.values() == [{"v": value}]


def test_long_query_goes_by_post(endpoint: str) -> None:
    """A query too long for a URL goes by POST and is answered, not refused as "bad formed"."""
    padding = "# " + "x" * 12_000 + "\n"
    result = Endpoint(endpoint).query(padding + "ASK { ?s ?p ?o }")
    assert result.boolean is True


def test_long_query_by_get_is_the_trap(endpoint: str) -> None:
    """Forced to GET, the same query overflows Oxigraph's 8 KB header limit: why POST is used."""
    padding = "# " + "x" * 12_000 + "\n"
    with pytest.raises(RemoteError):
        Endpoint(endpoint, max_get_bytes=10**9).query(padding + "ASK { ?s ?p ?o }")


# ---------------------------------------------------------------------------------------------
# A stub endpoint for the failure modes


@dataclass
class Stub:
    """Answers queued responses in order; records what each request carried."""

    answers: list[tuple[int, dict[str, str], bytes, float]] = field(default_factory=list)
    seen: list[dict[str, str]] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def stub() -> Iterator[Stub]:
    state = Stub()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            state.seen.append({k.lower(): v for k, v in self.headers.items()})
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            code, headers, body, delay = (
                state.answers.pop(0)
                if state.answers
                else (
                    500,
                    {},
                    b"no answer queued",
                    0.0,
                )
            )
            time.sleep(delay)
            self.send_response(code)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = _answer
        do_POST = _answer

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
    yield state
    server.shutdown()
    server.server_close()


JSON_HEADERS = {"Content-Type": "application/sparql-results+json"}
ASK_TRUE = json.dumps({"head": {}, "boolean": True}).encode()


def test_429_is_retried_after_retry_after(stub: Stub) -> None:
    """A 429 answer is retried after the server's Retry-After, then succeeds."""
    waits: list[float] = []
    stub.answers = [
        (429, {"Retry-After": "2"}, b"slow down", 0.0),
        (200, JSON_HEADERS, ASK_TRUE, 0),
    ]
    result = Endpoint(stub.url, sleep=waits.append).query("ASK {}")
    assert result.boolean is True
    assert waits == [2.0]
    assert len(stub.seen) == 2


def test_503_that_persists_is_reported(stub: Stub) -> None:
    """A 503 that outlasts the retries is reported with its code."""
    stub.answers = [(503, {"Retry-After": "0"}, b"busy", 0.0)] * 4
    with pytest.raises(RemoteError, match="503"):
        Endpoint(stub.url, sleep=lambda s: None).query("ASK {}")


def test_truncated_json_is_reported_as_truncated(stub: Stub) -> None:
    """A JSON answer cut short is reported as truncated, not as a parser traceback."""
    stub.answers = [(200, JSON_HEADERS, b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":', 0)]
    with pytest.raises(RemoteError, match="truncated"):
        Endpoint(stub.url).query("SELECT ?x WHERE { ?x ?p ?o }")


A_ROW = {"x": {"type": "literal", "value": "a"}}
ROWS_2 = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": [A_ROW, A_ROW]}}).encode()


@pytest.mark.parametrize(
    ("headers", "body", "cut"),
    [
        ({"X-SPARQL-MaxRows": "2"}, ROWS_2, True),  # Virtuoso, at its ResultSetMaxRows
        ({"X-SPARQL-MaxRows": "3"}, ROWS_2, False),
        ({"X-Lexgraph-Truncated": "true"}, ROWS_2, True),  # lexgraph serve, header
        ({}, ROWS_2[:-1] + b', "truncated": true}', True),  # lexgraph serve, JSON
        ({}, ROWS_2, False),
    ],
)
def test_answer_cut_by_the_server_is_marked_truncated(
    stub: Stub, headers: dict[str, str], body: bytes, cut: bool
) -> None:
    """An answer the server says it cut at its row limit comes back marked truncated."""
    stub.answers = [(200, {**JSON_HEADERS, **headers}, body, 0)]
    result = Endpoint(stub.url).query("SELECT ?x WHERE { ?x ?p ?o }")
    assert len(result.rows) == 2
    assert result.truncated is cut


def test_html_answer_is_reported_as_not_json(stub: Stub) -> None:
    """An HTML page in place of results (a proxy's error page) is named as such."""
    stub.answers = [(200, {"Content-Type": "text/html"}, b"<html>login</html>", 0)]
    with pytest.raises(RemoteError, match="text/html"):
        Endpoint(stub.url).query("SELECT ?x WHERE { ?x ?p ?o }")


def test_http_error_carries_the_server_message(stub: Stub) -> None:
    """An HTTP error gives its code and the start of the server's explanation."""
    stub.answers = [(502, {"Content-Type": "text/plain"}, b"upstream down", 0)]
    with pytest.raises(RemoteError, match=r"502.*upstream down"):
        Endpoint(stub.url).query("ASK {}")


def test_silent_server_times_out(stub: Stub) -> None:
    """A server that does not answer in time gives a timeout message, not a hang."""
    stub.answers = [(200, JSON_HEADERS, ASK_TRUE, 3.0)]
    with pytest.raises(RemoteError, match="no answer within"):
        Endpoint(stub.url, timeout_s=1).query("ASK {}")


def test_requests_name_lexgraph_and_ask_for_json(stub: Stub) -> None:
    """Requests carry lexgraph's User-Agent and ask for SPARQL JSON, not SPARQLWrapper's XML."""
    stub.answers = [(200, JSON_HEADERS, ASK_TRUE, 0)]
    Endpoint(stub.url).query("ASK {}")
    assert stub.seen[0]["user-agent"].startswith("lexgraph/")
    assert "application/sparql-results+json" in stub.seen[0]["accept"]
    assert "xml" not in stub.seen[0]["accept"]


def test_credentials_come_from_the_environment(stub: Stub, monkeypatch: pytest.MonkeyPatch) -> None:
    """A token in LEXGRAPH_ENDPOINT_TOKEN is sent as a bearer Authorization header."""
    monkeypatch.setenv("LEXGRAPH_ENDPOINT_TOKEN", "s3cret")
    stub.answers = [(200, JSON_HEADERS, ASK_TRUE, 0)]
    Endpoint(stub.url).query("ASK {}")
    assert stub.seen[0]["authorization"] == "Bearer s3cret"


def test_unreachable_endpoint_is_named() -> None:
    """A closed port gives 'cannot reach' and the URL."""
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(RemoteError, match="cannot reach"):
        Endpoint(url).query("ASK {}")


def test_not_an_http_url_is_refused() -> None:
    """An endpoint that is not an http(s) URL is refused before any request."""
    with pytest.raises(Exception, match="not an http"):
        Endpoint("file:///etc/passwd")


# ---------------------------------------------------------------------------------------------
# lexgraph serve, as a user runs it


def _lexgraph() -> list[str]:
    return [str(Path(sys.executable).parent / "lexgraph")]


def test_serve_prints_its_url_answers_and_stops_on_ctrl_c(
    built: tuple[Layout, BuildResult],
) -> None:
    """`lexgraph serve` prints its URL, answers queries, and exits 0 on Ctrl-C (SIGINT)."""
    layout, _ = built
    port = free_port()
    env = {**os.environ, "LEXGRAPH_ROOT": str(layout.root)}
    process = subprocess.Popen(
        [*_lexgraph(), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert f"http://127.0.0.1:{port}/query" in first
        result = Endpoint(f"http://127.0.0.1:{port}/query").query("ASK { ?s ?p ?o }")
        assert result.boolean is True
        busy = subprocess.run(
            [*_lexgraph(), "serve", "--port", str(port)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert busy.returncode != 0
        assert "already in use" in busy.stderr
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "stopped" in out


def test_query_page_needs_no_network(endpoint: str) -> None:
    """The query page at / loads its script and style from the server itself."""
    base = endpoint.rsplit("/", 1)[0]
    page = urllib.request.urlopen(base + "/", timeout=10).read().decode()
    assert "http://" not in page.replace(base, "") and "https://" not in page
    for asset in ("yasgui.min.js", "yasgui.min.css"):
        assert f"./{asset}" in page
        with urllib.request.urlopen(f"{base}/{asset}", timeout=10) as response:
            assert response.status == 200
            assert len(response.read()) > 10_000


def test_bad_iri_in_an_answer_is_reported(stub: Stub) -> None:
    """An answer whose IRI is not an IRI is a clear error, not a traceback."""
    body = json.dumps(
        {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "uri", "value": "a b"}}]}}
    ).encode()
    stub.answers = [(200, JSON_HEADERS, body, 0)]
    with pytest.raises(RemoteError, match="malformed"):
        Endpoint(stub.url).query("SELECT ?x WHERE { ?x ?p ?o }")


def test_503_without_retry_after_is_not_retried(stub: Stub) -> None:
    """A 503 without Retry-After (lexgraph serve's answer to a query over its limit) is final."""
    stub.answers = [(503, {}, b"query ran past its limit", 0.0), (200, JSON_HEADERS, ASK_TRUE, 0)]
    with pytest.raises(RemoteError, match="503"):
        Endpoint(stub.url, sleep=lambda s: None).query("ASK {}")
    assert len(stub.seen) == 1
