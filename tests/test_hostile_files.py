"""Untrusted data files: what the build and the importers read, refuse, and never fetch.

A user builds their own ``graph/`` and imports files and answers from elsewhere. The build
reads Turtle, N-Triples, N-Quads, TriG and JSON-LD with inline contexts; it refuses RDF/XML
(and N3, OWL/XML, ``.json``) by name rather than skipping it, refuses any JSON-LD context given
by reference before parsing, refuses JSON nested deep enough to crash pyoxigraph, and holds a
size limit per file. Every refusal names the file and says why. A listener on 127.0.0.1 that
records connections proves that nothing is fetched.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from lexgraph.cli import main
from lexgraph.core.errors import InputError, LexgraphError, RdfSyntaxError
from lexgraph.core.paths import Layout
from lexgraph.importers import wikidata
from lexgraph.importers.wikidata import import_wikidata
from lexgraph.store import sources
from lexgraph.store.build import build, load
from lexgraph.store.sources import MAX_JSON_DEPTH, check_directories, parse_data, parse_file

KEY = "budapest-ets185"
ITEM = "Q999000185"
#: A few bytes that expand to 10^9 characters in an RDF/XML parser that expands entities.
LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
    + ']>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns:ex="http://example.org/"><rdf:Description rdf:about="http://example.org/a">'
    "<ex:p>&i;</ex:p></rdf:Description></rdf:RDF>\n"
)


@dataclass
class Listener:
    """A TCP listener on 127.0.0.1 that accepts, records and closes every connection."""

    sock: socket.socket
    connections: list[bytes] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:  # closed at the end of the test
                return
            with conn:
                conn.settimeout(1)
                try:
                    self.connections.append(conn.recv(4096))
                except OSError:
                    self.connections.append(b"")


@pytest.fixture
def listener() -> Iterator[Listener]:
    """A loopback listener; its ``connections`` must stay empty when nothing is fetched."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    recorder = Listener(sock)
    thread = threading.Thread(target=recorder.serve, daemon=True)
    thread.start()
    yield recorder
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)  # wakes the thread's accept()
    sock.close()
    thread.join(5)


def _refused(project: Layout, name: str, text: str) -> str:
    """Write ``graph/<name>``, load the project, and return the error's message."""
    (project.graph / name).write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load(project)
    return str(info.value)


def test_listener_records_a_connection(listener: Listener) -> None:
    """The loopback listener does see a client that connects (so zero connections means
    nothing connected)."""
    with pytest.raises((urllib.error.URLError, ConnectionError, OSError)):
        urllib.request.urlopen(listener.url + "/probe", timeout=5).read()
    assert listener.connections and b"GET /probe" in listener.connections[0]


@pytest.mark.parametrize("name", ["extra.rdf", "extra.owl", "extra.xml"])
def test_rdf_xml_file_is_refused_without_parsing(project: Layout, name: str) -> None:
    """An RDF/XML file in graph/ (here an entity bomb) stops the build with its name and the
    reason, before any parser sees it."""
    message = _refused(project, name, LAUGHS)
    assert message == f"graph/{name}: refused: {sources.REFUSED['.rdf']}"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("extra.n3", "N3 is not accepted"),
        ("extra.owx", "OWL/XML is not accepted"),
        ("extra.json", "JSON-LD is read only from files named .jsonld"),
        ("extra.TTL", "write the suffix as '.ttl'"),
    ],
)
def test_other_unread_rdf_files_are_refused_by_name(
    project: Layout, name: str, reason: str
) -> None:
    """N3, OWL/XML, .json and a capitalised suffix are refused, not silently skipped."""
    assert _refused(project, name, "{}\n").startswith(f"graph/{name}: refused: {reason}")


def test_every_refused_file_is_listed_in_one_message(tmp_path: Path) -> None:
    """All refused files of the source directories are named at once; other files, an XML
    file that is not RDF among them (an editor's catalog), pass."""
    (tmp_path / "graph" / "sub").mkdir(parents=True)
    for name in ("a.rdf", "sub/b.owl", "README.md", "notes.txt", "ok.ttl", "ok.jsonld"):
        (tmp_path / "graph" / name).write_text("x")
    (tmp_path / "graph" / "catalog-v001.xml").write_text(
        '<?xml version="1.0"?><catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog"/>'
    )
    with pytest.raises(InputError) as info:
        check_directories([tmp_path / "graph"], lambda p: p.relative_to(tmp_path).as_posix())
    assert str(info.value).count("refused") == 2
    assert "graph/a.rdf: refused" in str(info.value) and "graph/sub/b.owl: refused" in str(
        info.value
    )


def test_cli_build_reports_a_refused_file_in_one_line(project: Layout) -> None:
    """`lexgraph build` with an RDF/XML file in graph/ exits 2 with one `error:` line."""
    (project.graph / "extra.rdf").write_text(LAUGHS)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1].startswith("error: graph/extra.rdf: refused")
    assert "Traceback" not in result.output and not isinstance(result.exception, Exception)


def _remote_contexts(url: str) -> list[object]:
    """JSON-LD documents that each name ``url`` as a context to load, in every place a
    context can be given."""
    node = {"@id": "http://example.org/a", "http://example.org/p": "x"}
    return [
        {"@context": url, **node},
        {"@context": [url], **node},
        {"@context": [{"@vocab": "http://example.org/"}, url], **node},
        {"@context": {"@import": url}, **node},
        {"@context": {"t": {"@id": "http://example.org/t", "@context": url}}, **node},
        {"@context": {"@version": 1.1, "@propagate": True, "@type": {"@context": url}}, **node},
        {**node, "http://example.org/q": {"@context": url, "@id": "http://example.org/b"}},
        {"@graph": [{"@context": url, **node}]},
        {"@context": {"@vocab": "http://example.org/"}, "@context-like": 1, "@import": url},
    ]


@pytest.mark.parametrize("index", range(len(_remote_contexts("u"))))
def test_remote_json_ld_context_is_refused_and_never_fetched(
    tmp_path: Path, listener: Listener, index: int
) -> None:
    """A JSON-LD file naming a context by URL, anywhere in it, is refused with its name, and
    the URL (a listener on 127.0.0.1) gets no connection."""
    path = tmp_path / "remote.jsonld"
    path.write_text(json.dumps(_remote_contexts(listener.url + "/context.jsonld")[index]))
    with pytest.raises(InputError) as info:
        parse_file(path, "graph/remote.jsonld")
    assert str(info.value).startswith("graph/remote.jsonld: refused: ")
    assert "never fetched" in str(info.value) and listener.url in str(info.value)
    assert listener.connections == []


def test_cli_build_refuses_a_remote_context_without_fetching(
    project: Layout, listener: Listener
) -> None:
    """`lexgraph build` on a graph/ holding a JSON-LD file with a remote context exits 2 with
    one line naming the file, and the context URL gets no connection."""
    doc = {"@context": listener.url + "/context.jsonld", "@id": "http://example.org/a"}
    (project.graph / "remote.jsonld").write_text(json.dumps(doc))
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 2
    assert "error: graph/remote.jsonld: refused: the JSON-LD context" in result.output
    assert "Traceback" not in result.output
    assert listener.connections == []


def test_context_named_by_file_is_refused(project: Layout) -> None:
    """A context given by a relative file name is refused too: only inline contexts are read."""
    message = _refused(project, "file.jsonld", '{"@context": "context.jsonld", "@id": "x"}')
    assert message.startswith("graph/file.jsonld: refused: the JSON-LD context 'context.jsonld'")


def test_pyoxigraph_itself_fetches_no_context(listener: Listener) -> None:
    """Below the check, pyoxigraph's JSON-LD parser has no loader: it fails or ignores an
    unused context, and never connects (the check does not stand alone)."""
    for doc in _remote_contexts(listener.url + "/context.jsonld"):
        with contextlib.suppress(SyntaxError):
            list(ox.parse(json.dumps(doc).encode(), format=ox.RdfFormat.JSON_LD))
    assert listener.connections == []


def test_inline_json_ld_context_is_read() -> None:
    """A JSON-LD file with an inline context parses into its own named graph."""
    doc = {
        "@context": {"ex": "http://example.org/", "name": {"@id": "ex:name", "@language": "en"}},
        "@id": "ex:a",
        "name": "a",
    }
    [quad] = parse_data(json.dumps(doc).encode(), ".jsonld", "graph/x.jsonld")
    assert quad.subject == ox.NamedNode("http://example.org/a")
    assert quad.object == ox.Literal("a", language="en")
    assert quad.graph_name == sources.graph_name("graph/x.jsonld")


def _nested(depth: int) -> bytes:
    """A JSON-LD node whose property value nests ``depth`` levels deep in all."""
    return (
        '{"@id": "http://example.org/a", '
        + '"http://example.org/p": {' * (depth - 1)
        + '"@value": 1'
        + "}" * (depth - 1)
        + "}"
    ).encode()


def test_json_ld_at_the_depth_limit_is_read() -> None:
    """A document nested exactly MAX_JSON_DEPTH deep is parsed."""
    assert (
        len(parse_data(_nested(MAX_JSON_DEPTH), ".jsonld", "graph/d.jsonld")) == MAX_JSON_DEPTH - 1
    )


def test_json_ld_past_the_depth_limit_is_refused() -> None:
    """One level more than MAX_JSON_DEPTH is refused, naming the file."""
    with pytest.raises(InputError, match=r"^graph/d.jsonld: refused: JSON nested more than "):
        parse_data(_nested(MAX_JSON_DEPTH + 1), ".jsonld", "graph/d.jsonld")


def test_json_ld_that_crashes_pyoxigraph_is_refused() -> None:
    """JSON-LD nested 5,000 deep, which overflows pyoxigraph's stack (a segfault, not an
    error), is refused; a child process shows the refusal comes with no crash."""
    code = (
        "import sys\n"
        "from lexgraph.core.errors import InputError\n"
        "from lexgraph.store.sources import parse_data\n"
        f"doc = {_nested(5000)!r}\n"
        "try:\n"
        "    parse_data(doc, '.jsonld', 'graph/deep.jsonld')\n"
        "except InputError as exc:\n"
        "    print(exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("graph/deep.jsonld: refused: JSON nested more than")


def test_json_too_deep_for_python_is_refused() -> None:
    """JSON nested past Python's own recursion limit is refused, not a RecursionError."""
    with pytest.raises(InputError, match="nested more than"):
        parse_data(b"[" * 200_000 + b"]" * 200_000, ".jsonld", "graph/deep.jsonld")


def test_json_ld_that_is_not_json_names_line_and_column() -> None:
    """A JSON-LD file that is not JSON is a syntax error at its line and column."""
    with pytest.raises(RdfSyntaxError) as info:
        parse_data(b'{"@id": "http://example.org/a",\n  "p": }', ".jsonld", "graph/bad.jsonld")
    assert str(info.value).startswith("graph/bad.jsonld:2:")


def test_oversized_file_is_refused_naming_it(
    project: Layout, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A source file over MAX_FILE_BYTES is refused before parsing, naming the file."""
    monkeypatch.setattr(sources, "MAX_FILE_BYTES", 1000)
    (project.graph / "big.ttl").write_text("# padding\n" * 200)
    with pytest.raises(InputError) as info:
        load(project)
    assert str(info.value) == "graph/big.ttl: over the limit of 1000 bytes per source file"


def test_cli_build_reports_an_oversized_file(
    project: Layout, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`lexgraph build` refuses an oversized file with one line and exit 2, and leaves no
    build behind."""
    monkeypatch.setattr(sources, "MAX_FILE_BYTES", 1000)
    (project.graph / "big.ttl").write_text("# padding\n" * 200)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 2
    assert "error: graph/big.ttl: over the limit of 1000 bytes" in result.output
    assert "Traceback" not in result.output
    assert not (project.build / "current").exists()


def test_file_at_the_size_limit_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file of exactly MAX_FILE_BYTES is read."""
    text = "<http://example.org/a> <http://example.org/p> 1 .\n"
    path = tmp_path / "x.ttl"
    path.write_text(text)
    monkeypatch.setattr(sources, "MAX_FILE_BYTES", len(text.encode()))
    assert len(parse_file(path, "graph/x.ttl")) == 1


def test_refused_file_leaves_the_previous_build(project: Layout) -> None:
    """A refused file stops the build before it writes: the previous generation stays
    current and unchanged."""
    generation = project.build / ".gen" / "previous"
    generation.mkdir(parents=True)
    (generation / "lexgraph.nt").write_text("<urn:a> <urn:b> <urn:c> .\n")
    (project.build / "current").symlink_to(".gen/previous")
    (project.graph / "extra.rdf").write_text(LAUGHS)
    with pytest.raises(LexgraphError):
        build(project)
    assert (project.build / "current").resolve() == generation.resolve()
    assert (project.build / "current" / "lexgraph.nt").read_text() == "<urn:a> <urn:b> <urn:c> .\n"
    assert [p.name for p in (project.build / ".gen").iterdir()] == ["previous"]


def test_importer_reading_a_broken_graph_file_names_it(project: Layout, tmp_path: Path) -> None:
    """An importer that reads a graph/ file which does not parse (here the participant names)
    exits 2 with one line naming that file, not with rdflib's traceback."""
    names = project.graph / "participant-names.ttl"
    names.write_text(names.read_text() + "\n<broken\n")
    csv = tmp_path / "records.csv"
    csv.write_text(
        "instrument_key,state_iso3,action,action_date,entry_into_force_for_state,"
        "source_url,source_as_at,source_kind,note\n"
        "UNTOC,JPN,ratification,2017-07-11,,https://example.org/s,2017-09-01,primary,x\n"
    )
    result = CliRunner().invoke(main, ["import", "csv", str(csv)])
    assert result.exit_code == 2, result.output
    assert f"error: {names}: cannot parse as Turtle" in result.output
    assert "Traceback" not in result.output


# ---------------------------------------------------------------------------------------------
# Answers from a SPARQL endpoint (the Wikidata importer)


class _Answer(http.server.BaseHTTPRequestHandler):
    """Answers every POST with the body and Content-Type the test sets on the server."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body, content_type = self.server.answer  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def answering() -> Iterator[http.server.HTTPServer]:
    """A loopback SPARQL endpoint stand-in whose answer the test chooses."""
    server = http.server.HTTPServer(("127.0.0.1", 0), _Answer)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def aligned(project: Layout) -> Layout:
    """The scratch project with the Budapest Convention aligned to a Wikidata item."""
    with (project.graph / "instruments" / "cybercrime.ttl").open("a", encoding="utf-8") as f:
        f.write(
            f"\n<https://w3id.org/lexgraph/id/instrument/{KEY}> "
            f"<http://www.w3.org/2002/07/owl#sameAs> <http://www.wikidata.org/entity/{ITEM}> .\n"
        )
    return project


@pytest.mark.parametrize(
    "content_type", ["application/ld+json", "application/rdf+xml", "text/turtle", "text/html"]
)
def test_endpoint_answer_that_is_not_json_is_refused_unparsed(
    aligned: Layout,
    answering: http.server.HTTPServer,
    listener: Listener,
    content_type: str,
) -> None:
    """An endpoint answering RDF (JSON-LD naming a remote context, an RDF/XML entity bomb)
    instead of SPARQL JSON results is refused by its content type: no RDF parser runs and
    the context URL gets no connection."""
    body = (
        LAUGHS
        if "xml" in content_type
        else json.dumps({"@context": listener.url + "/c.jsonld", "@id": "http://example.org/a"})
    ).encode()
    answering.answer = (body, content_type)  # type: ignore[attr-defined]
    endpoint = f"http://127.0.0.1:{answering.server_address[1]}/sparql"
    with pytest.raises(InputError) as info:
        import_wikidata(KEY, aligned, endpoint)
    assert str(info.value).startswith(f"{endpoint}: the answer is {content_type}, not SPARQL")
    assert listener.connections == []
    assert not (aligned.participation / "wikidata").exists()


def test_oversized_endpoint_answer_is_refused(
    aligned: Layout, answering: http.server.HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An answer over MAX_ANSWER_BYTES is refused, naming the endpoint."""
    monkeypatch.setattr(wikidata, "MAX_ANSWER_BYTES", 100)
    answering.answer = (b'{"results": {"bindings": []}}' + b" " * 200, "application/json")  # type: ignore[attr-defined]
    endpoint = f"http://127.0.0.1:{answering.server_address[1]}/sparql"
    with pytest.raises(InputError, match=rf"^{endpoint}: the answer is over 100 bytes"):
        import_wikidata(KEY, aligned, endpoint)
