"""`lexgraph publish` uploads the build to a real read-write Oxigraph and checks it."""

from __future__ import annotations

import hashlib
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner

from lexgraph.cli import main
from lexgraph.core.namespaces import SOURCE_GRAPH
from lexgraph.core.paths import Layout
from lexgraph.publish.graphstore import default_graph_store, local_graphs, publish, remote_counts
from lexgraph.publish.remote import Endpoint, RemoteError, digest_authorization, with_values
from lexgraph.render.formats import render_result
from lexgraph.serve.oxigraph import ServerConfig, free_port, running
from lexgraph.store.build import BuildResult
from lexgraph.store.library import read_library
from lexgraph.store.query import open_store, substitutions
from listener import QuietHandler, serving

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"
QUESTIONS = read_library(ROOT / "queries" / "questions")


@pytest.fixture
def store_server(tmp_path: Path) -> Iterator[str]:
    """An empty read-write Oxigraph on a loopback port; yields its base URL."""
    with running(ServerConfig(tmp_path / "remote", port=free_port(), read_only=False)) as url:
        yield url


def _put(url: str, graph: str, body: bytes) -> None:
    request = urllib.request.Request(
        f"{url}/store?{urllib.parse.urlencode({'graph': graph})}",
        data=body,
        method="PUT",
        headers={"Content-Type": "application/n-triples"},
    )
    urllib.request.urlopen(request, timeout=10).read()


def test_publish_then_questions_give_golden_answers(
    built: tuple[Layout, BuildResult], store_server: str
) -> None:
    """After publishing, every library question answers remotely as its golden file says."""
    layout, _ = built
    store = open_store(layout.store)
    result = publish(store, store_server + "/query")
    assert result.graphs == len(local_graphs(store))
    for question in QUESTIONS:
        text = with_values(question.text, substitutions(store, question, {}))
        answer = render_result(Endpoint(store_server + "/query").query(text), "csv")
        assert answer == (GOLDEN / f"{question.name}.csv").read_text(), question.name


def test_one_named_graph_per_source_file(
    built: tuple[Layout, BuildResult], store_server: str
) -> None:
    """The server ends up with one graph per source file plus the inferred graph."""
    layout, result = built
    publish(open_store(layout.store), store_server + "/query")
    graphs = set(remote_counts(Endpoint(store_server + "/query")))
    expected = {SOURCE_GRAPH + name for name in result.files}
    assert expected <= graphs
    assert SOURCE_GRAPH + "build/inferred" in graphs


def test_publishing_twice_converges(built: tuple[Layout, BuildResult], store_server: str) -> None:
    """A second publication (as after an interrupted one) leaves the same counts."""
    layout, _ = built
    store = open_store(layout.store)
    first = publish(store, store_server + "/query")
    second = publish(store, store_server + "/query")
    assert first.checked == second.checked


def test_stale_graph_kept_and_reported_without_replace(
    built: tuple[Layout, BuildResult], store_server: str
) -> None:
    """A lexgraph graph the build no longer has is left alone and reported as stale."""
    layout, _ = built
    stale = SOURCE_GRAPH + "graph/removed.ttl"
    _put(store_server, stale, b"<urn:a> <urn:b> <urn:c> .\n")
    result = publish(open_store(layout.store), store_server + "/query")
    assert result.stale == (stale,)
    assert stale in remote_counts(Endpoint(store_server + "/query"))


def test_replace_deletes_stale_graphs(built: tuple[Layout, BuildResult], store_server: str) -> None:
    """With replace, the server's lexgraph graphs become exactly the build's."""
    layout, _ = built
    stale = SOURCE_GRAPH + "graph/removed.ttl"
    _put(store_server, stale, b"<urn:a> <urn:b> <urn:c> .\n")
    result = publish(open_store(layout.store), store_server + "/query", replace=True)
    assert result.removed == (stale,)
    assert stale not in remote_counts(Endpoint(store_server + "/query"))


def test_unreachable_graph_store_is_a_clear_error(built: tuple[Layout, BuildResult]) -> None:
    """Publishing to a closed port says it cannot reach the server."""
    layout, _ = built
    with pytest.raises(RemoteError, match="cannot reach"):
        publish(open_store(layout.store), f"http://127.0.0.1:{free_port()}/query")


def test_graph_store_url_must_be_given_when_it_cannot_be_guessed() -> None:
    """A query URL not ending in /query needs --graph-store, and the message names the servers."""
    with pytest.raises(Exception, match=r"--graph-store.*Fuseki"):
        default_graph_store("http://localhost:3030/ds/sparql")


def test_cli_publish_and_remote_query(
    built: tuple[Layout, BuildResult], store_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`lexgraph publish` then `lexgraph query --endpoint` answer like the embedded engine."""
    layout, _ = built
    monkeypatch.setenv("LEXGRAPH_ROOT", str(layout.root))
    runner = CliRunner()
    done = runner.invoke(main, ["publish", "--endpoint", store_server + "/query"])
    assert done.exit_code == 0, done.output
    assert "counts match" in done.output
    args = ["query", "instruments-providing-modality", "-p", "modality=extradition"]
    local = runner.invoke(main, [*args, "--format", "csv"])
    remote = runner.invoke(main, [*args, "--format", "csv", "--endpoint", store_server + "/query"])
    assert remote.exit_code == 0, remote.output
    assert remote.output == local.output


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


class _DigestStore(QuietHandler):
    """A Graph Store stub that wants HTTP Digest (``dba``/``pw``, realm SPARQL) for a PUT."""

    received: ClassVar[list[tuple[str, bytes]]] = []

    def _challenge(self) -> None:
        self.send_response(401)
        self.send_header(
            "WWW-Authenticate",
            'Digest realm="SPARQL", nonce="n0nce", opaque="0p", qop="auth", algorithm="MD5"',
        )
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self) -> None:
        """Answer with the challenge."""
        self._challenge()

    def do_PUT(self) -> None:
        """Take the body when the Digest response is right, else challenge."""
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        fields = urllib.request.parse_keqv_list(
            urllib.request.parse_http_list(self.headers.get("Authorization", "")[7:])
        )
        nonce = f"n0nce:{fields.get('nc')}:{fields.get('cnonce')}:auth"
        expected = _md5(f"{_md5('dba:SPARQL:pw')}:{nonce}:{_md5('PUT:' + self.path)}")
        if fields.get("response") != expected:
            self._challenge()
            return
        type(self).received.append((self.path, body))
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()


def _put_with(url: str, header: str | None) -> int:
    request = urllib.request.Request(
        url,
        data=b"<urn:a> <urn:b> <urn:c> .\n",
        method="PUT",
        headers={"Authorization": header or ""},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def test_digest_answer_is_ready_before_the_body_is_sent() -> None:
    """The Digest challenge comes from a HEAD, so an upload goes once, already answered."""
    _DigestStore.received = []
    with serving(_DigestStore) as url:
        target = f"{url}/sparql-graph-crud-auth?graph=urn%3Ag"
        assert _put_with(target, digest_authorization("PUT", target, ("dba", "wrong"), 10)) == 401
        assert _put_with(target, digest_authorization("PUT", target, ("dba", "pw"), 10)) == 201
    assert _DigestStore.received == [
        ("/sparql-graph-crud-auth?graph=urn%3Ag", b"<urn:a> <urn:b> <urn:c> .\n")
    ]
