"""An untrusted query's whole answer as bytes, in the format the client asked for, row-capped.

This runs in the engine's child process (:mod:`lexgraph.untrusted.sandbox`), next to the
in-memory store, so that serialising, counting and cutting rows never hold up the server's
event loop: the server only passes the bytes on.

Row caps act on the serialised answer, in whatever format was chosen: JSON, XML, CSV and TSV
results by their rows, N-Triples and N-Quads by their lines, other RDF syntaxes by parsing and
re-serialising the first triples.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

#: Largest answer sent; past it the query is refused (ask for fewer rows).
MAX_ANSWER_BYTES = 64 * 1024 * 1024

_SOLUTION_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_TYPES = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "text/n3": ox.RdfFormat.N3,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
    "text/plain": ox.RdfFormat.N_TRIPLES,
}


@dataclass(frozen=True)
class Reply:
    """What the engine answered: an HTTP status, a content type, the body, whether rows were cut."""

    status: int
    content_type: str
    body: bytes
    truncated: bool | None = None


def _preferences(accept: str) -> list[str]:
    """The media ranges of an Accept header, best first (q-values; ties keep their order)."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        kind = fields[0].lower()
        if not kind:
            continue
        weight = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if weight > 0:
            ranked.append((-weight, index, kind))
    return [kind for _, _, kind in sorted(ranked)]


def negotiate(accept: str, table: Mapping[str, object], default: str) -> str | None:
    """The media type of ``table`` that ``accept`` prefers; ``default`` for none or ``*/*``.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", _SOLUTION_TYPES, "x")
    'application/sparql-results+xml'
    >>> negotiate("image/png", _SOLUTION_TYPES, "x") is None
    True
    """
    wanted = _preferences(accept)
    if not wanted:
        return default
    for kind in wanted:
        if kind in table:
            return kind
        if kind in ("*/*", f"{default.split('/')[0]}/*"):
            return default
        major = kind.removesuffix("/*")
        if kind.endswith("/*"):
            for known in table:
                if known.startswith(major + "/"):
                    return known
    return None


def answer(
    store: ox.Store,
    text: str,
    *,
    default_graphs: Sequence[str] = (),
    named_graphs: Sequence[str] = (),
    union: bool = True,
    accept: str = "",
    max_rows: int,
    max_bytes: int = MAX_ANSWER_BYTES,
) -> Reply:
    """Run ``text`` (already checked) on ``store`` and serialise its answer for ``accept``.

    With ``default_graphs``/``named_graphs`` (the protocol's ``default-graph-uri`` and
    ``named-graph-uri``), those make the dataset. Otherwise ``union`` makes the union of the
    named graphs the default graph; the caller turns it off when the query has FROM or FROM
    NAMED, so that those select the graphs they name.
    """
    options: dict[str, object] = {}
    if default_graphs or named_graphs:
        try:
            options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        except ValueError as exc:
            return _text(400, f"a graph parameter is not an IRI: {exc}")
    else:
        options["use_default_graph_as_union"] = union
    try:
        result = store.query(text, **options)  # type: ignore[arg-type]
    except SyntaxError as exc:
        return _text(400, f"the query cannot be parsed by Oxigraph: {exc}")
    if isinstance(result, ox.QueryTriples):
        kind = negotiate(accept, _GRAPH_TYPES, "application/n-triples")
        if kind is None:
            return _text(406, f"a graph answer cannot be given as {accept!r}")
        body = result.serialize(format=_GRAPH_TYPES[kind]) or b""
    else:
        kind = negotiate(accept, _SOLUTION_TYPES, "application/sparql-results+json")
        if kind is None:
            return _text(406, f"a results answer cannot be given as {accept!r}")
        body = result.serialize(format=_SOLUTION_TYPES[kind]) or b""
    if len(body) > max_bytes:
        return _text(
            413,
            f"the answer is larger than {max_bytes // 2**20} MB; "
            "ask for fewer rows (LIMIT) or fewer columns",
        )
    content_type = kind if kind != "text/plain" else "application/n-triples"
    if isinstance(result, ox.QueryBoolean):
        return Reply(200, content_type, body, None)
    body, cut = cap_answer(body, content_type, max_rows)
    return Reply(200, content_type, body, cut)


def _text(status: int, message: str) -> Reply:
    return Reply(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))


_LINE_FORMATS = {"application/n-triples", "application/n-quads", "text/plain"}


def media_type(content_type: str) -> str:
    """The media type of a Content-Type header, without parameters, in lower case."""
    return content_type.split(";", 1)[0].strip().lower()


def _cap_json(body: bytes, max_rows: int) -> tuple[bytes, bool | None]:
    if b'"bindings"' not in body:
        return body, None  # an ASK answer: nothing to count
    if body.count(b"{") <= max_rows:
        return body, False  # each row opens at least one brace: there cannot be too many
    doc = json.loads(body)
    bindings = doc["results"]["bindings"]
    if len(bindings) <= max_rows:
        return body, False
    doc["results"]["bindings"] = bindings[:max_rows]
    doc["truncated"] = True
    doc["maxRows"] = max_rows
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode(), True


def _cap_xml(body: bytes, max_rows: int) -> tuple[bytes, bool | None]:
    if b"<results" not in body:
        return body, None
    if body.count(b"<result>") <= max_rows:
        return body, False
    end = -1
    for _ in range(max_rows):
        end = body.index(b"</result>", end + 1)
    cut = body.index(b"<results>") + len(b"<results>") if end < 0 else end + len(b"</result>")
    return body[:cut] + b"</results></sparql>", True


def _cap_lines(body: bytes, max_rows: int, header: int) -> tuple[bytes, bool]:
    if body.count(b"\n") - header <= max_rows:
        return body, False
    end = -1
    for _ in range(max_rows + header):
        end = body.index(b"\n", end + 1)
    return body[: end + 1], True


def _cap_csv(body: bytes, max_rows: int) -> tuple[bytes, bool]:
    if body.count(b"\n") - 1 <= max_rows:
        return body, False  # every row ends with a line break
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
    if len(rows) - 1 <= max_rows:
        return body, False
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows[: max_rows + 1])
    return out.getvalue().encode("utf-8"), True


def _cap_rdf(body: bytes, kind: str, max_rows: int) -> tuple[bytes, bool | None]:
    rdf_format = ox.RdfFormat.from_media_type(kind)
    if rdf_format is None:
        return body, None
    triples = [quad.triple for quad in ox.parse(body, format=rdf_format)]
    if len(triples) <= max_rows:
        return body, False
    return ox.serialize(triples[:max_rows], format=rdf_format) or b"", True


def cap_answer(body: bytes, content_type: str, max_rows: int) -> tuple[bytes, bool | None]:
    """Cut an answer to ``max_rows`` rows or triples; say whether it was cut (None: not counted).

    >>> doc = b'{"head":{"vars":["x"]},"results":{"bindings":[{},{},{}]}}'
    >>> cap_answer(doc, "application/sparql-results+json", 2)
    (b'{"head":{"vars":["x"]},"results":{"bindings":[{},{}]},"truncated":true,"maxRows":2}', True)
    """
    kind = media_type(content_type)
    if kind in ("application/sparql-results+json", "application/json"):
        return _cap_json(body, max_rows)
    if kind in ("application/sparql-results+xml", "application/xml"):
        return _cap_xml(body, max_rows)
    if kind == "text/tab-separated-values":
        return _cap_lines(body, max_rows, header=1)
    if kind == "text/csv":
        return _cap_csv(body, max_rows)
    if kind in _LINE_FORMATS:
        return _cap_lines(body, max_rows, header=0)
    return _cap_rdf(body, kind, max_rows)
