"""Read the RDF source files of a project into quads, one named graph per file.

Each file's triples go into the named graph ``https://w3id.org/lexgraph/source/<path>``, so a
query, a validation report or a diff can say which file a fact came from. Blank nodes get
labels derived from the file and their order of appearance, which keeps builds deterministic.

The files are untrusted: a user builds their own ``graph/``. What is read, and what is refused:

- Turtle, N-Triples, N-Quads, TriG and JSON-LD, each file at most :data:`MAX_FILE_BYTES`.
- RDF/XML (``.rdf``, ``.owl``, and ``.xml`` that names the RDF namespace) is refused, not
  parsed under a bound: the build has no use for it, rdflib's RDF/XML parser has expanded a
  few bytes of nested entities for minutes, and a time bound would need a separate process.
  A refused file stops the build with a message naming it, since a file that is silently
  skipped is a fact silently lost; so do N3, OWL/XML, ``.json`` and an accepted suffix in
  capitals. Other files (``README.md``, an XML catalog of an ontology editor) are not RDF
  and are left alone, as before.
- JSON-LD only with its contexts inline: a context given by reference (a URL, a file name, or
  ``@import``) is refused before parsing, so nothing is ever fetched. pyoxigraph has no loader
  for contexts, but the check gives a clear message and does not depend on that.
- JSON-LD nested more than :data:`MAX_JSON_DEPTH` deep is refused: pyoxigraph's JSON-LD parser
  recurses, slows quadratically with depth and overflows its stack (a crash, not an error) at a
  few thousand levels.
- A file cannot name graphs. The named graph is the build's record of where a fact came from,
  so a TriG, N-Quads or JSON-LD file that puts triples in any graph but its own (another file's,
  the inferred graph, any other name) is refused with a message naming the file and the graph;
  its default graph, and a graph block named exactly as its own graph, are read as usual.
- A file name is written into its graph's IRI percent-encoded (``graph/a%20b.ttl``), so a
  space or a ``>`` in a name cannot make an IRI that is not one.
- A UTF-8 byte-order mark at the start of a file is dropped before parsing: it marks the
  encoding and is not content (editors on Windows write one; JSON allows a parser to ignore it).
- A literal or IRI longer than pyoxigraph's token buffer (16 MiB) is refused with a message,
  not a ``MemoryError``.
"""

from __future__ import annotations

import hashlib
import json
import re
import urllib.parse
from collections.abc import Callable, Iterable
from pathlib import Path

import pyoxigraph as ox

from lexgraph.core.errors import InputError, RdfSyntaxError
from lexgraph.core.namespaces import SOURCE_GRAPH

FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
}
#: Largest source file accepted; bigger ones are refused before parsing.
MAX_FILE_BYTES = 64 * 1024 * 1024
#: Deepest nesting of arrays and objects accepted in a JSON-LD file.
MAX_JSON_DEPTH = 100
_RDF_XML = (
    "RDF/XML is not accepted (its parsers can be made to expand entities without bound); "
    "convert the file to Turtle"
)
_RDF_NS = b"http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#: Suffixes of RDF files that the build refuses rather than skips, and why.
REFUSED: dict[str, str] = {
    ".rdf": _RDF_XML,
    ".owl": _RDF_XML,
    ".xml": _RDF_XML,
    ".owx": "OWL/XML is not accepted; convert the file to Turtle",
    ".n3": "N3 is not accepted; convert the file to Turtle",
    ".json": "JSON-LD is read only from files named .jsonld",
}

#: The longest token (a literal or IRI) that pyoxigraph's parsers hold in their buffer.
MAX_TOKEN_BYTES = 16 * 1024 * 1024
_BOM = b"\xef\xbb\xbf"
#: Characters a path keeps as they are in its graph's IRI (RFC 3987 ``ipath`` less ``%``).
_PATH_SAFE = "/!$&'()*+,;=:@-._~"
_POSITION = re.compile(r"^Parser error (?:at line \d+ between columns \d+ and \d+|between .*?): ")


def graph_name(relative_path: str) -> ox.NamedNode:
    """Return the named graph that holds a source file's triples.

    The path is percent-encoded where a character cannot stand in an IRI:

    >>> graph_name("graph/instruments/untoc.ttl").value
    'https://w3id.org/lexgraph/source/graph/instruments/untoc.ttl'
    >>> graph_name("graph/a b>c.ttl").value
    'https://w3id.org/lexgraph/source/graph/a%20b%3Ec.ttl'
    """
    return ox.NamedNode(SOURCE_GRAPH + urllib.parse.quote(relative_path, safe=_PATH_SAFE))


def _syntax_error(relative: str, exc: SyntaxError) -> RdfSyntaxError:
    message = _POSITION.sub("", str(exc.msg if exc.msg else exc)).strip()
    return RdfSyntaxError(relative, exc.lineno or 0, exc.offset or 0, message or "syntax error")


def refusal(path: Path) -> str | None:
    """Return why the build refuses a file of a source directory, or None if it is not refused.

    A file that is read (``.ttl``) or is not RDF (``README.md``) is not refused.

    >>> refusal(Path("graph/x.rdf")).startswith("RDF/XML is not accepted")
    True
    >>> refusal(Path("graph/x.TTL"))
    "write the suffix as '.ttl'"
    """
    suffix = path.suffix
    if suffix in FORMATS:
        return None
    if suffix.lower() in FORMATS:
        return f"write the suffix as {suffix.lower()!r}"
    if suffix.lower() == ".xml":  # RDF/XML, or some other XML such as catalog-v001.xml
        try:
            with path.open("rb") as handle:
                head = handle.read(4096)
        except OSError:
            return None
        return _RDF_XML if _RDF_NS in head else None
    return REFUSED.get(suffix.lower())


def check_directories(directories: Iterable[Path], relative: Callable[[Path], str]) -> None:
    """Raise :class:`InputError` naming every refused file under ``directories``, and why."""
    refused = sorted(
        (relative(path), reason)
        for base in directories
        if base.is_dir()
        for path in base.rglob("*")
        if path.is_file() and (reason := refusal(path)) is not None
    )
    if refused:
        raise InputError("; ".join(f"{name}: refused: {reason}" for name, reason in refused))


def read_source(path: Path, relative: str) -> bytes:
    """Read a source file's bytes, refusing unsupported, unreadable or oversized files."""
    if path.suffix not in FORMATS:
        reason = refusal(path) or f"unsupported file type {path.suffix!r}"
        raise InputError(f"{relative}: {reason}")
    too_big = f"{relative}: over the limit of {MAX_FILE_BYTES} bytes per source file"
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise InputError(too_big)
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)  # the file may grow after the stat
    except OSError as exc:
        raise InputError(f"{relative}: cannot read: {exc.strerror or exc}") from exc
    if len(data) > MAX_FILE_BYTES:
        raise InputError(too_big)
    return data


class _Object(tuple[tuple[str, object], ...]):
    """A JSON object as the list of its members, duplicates kept (``object_pairs_hook``)."""


def _context_references(value: object) -> Iterable[str]:
    """Yield each reference to a context document in the value of an ``@context``."""
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            yield item
        elif isinstance(item, _Object):
            yield from (str(v) for k, v in item if k == "@import")


def check_json_ld(data: bytes, relative: str) -> None:
    """Refuse a JSON-LD document that is not JSON, is nested too deep, or names a context
    to load (a URL or file name as ``@context``, or an ``@import``), anywhere in it.

    >>> check_json_ld(b'{"@context": {"@vocab": "https://example.org/"}, "a": 1}', "x.jsonld")
    >>> check_json_ld(b'{"@context": "https://example.org/c"}', "x.jsonld")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    lexgraph.core.errors.InputError: x.jsonld: refused: the JSON-LD context ...
    """
    deep = f"{relative}: refused: JSON nested more than {MAX_JSON_DEPTH} deep"
    try:
        doc = json.loads(
            data,
            object_pairs_hook=_Object,
            parse_int=str,  # no conversion, so no limit on the digits of a number
            parse_float=str,
            parse_constant=str,
            strict=False,
        )
    except RecursionError:  # deeper than Python's own limit, far beyond MAX_JSON_DEPTH
        raise InputError(deep) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{relative}: not UTF-8 text: {exc}") from None
    except json.JSONDecodeError as exc:
        raise RdfSyntaxError(relative, exc.lineno, exc.colno, f"not JSON: {exc.msg}") from None
    stack: list[tuple[object, int]] = [(doc, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_JSON_DEPTH and isinstance(value, _Object | list):
            raise InputError(deep)
        if isinstance(value, _Object):
            for key, member in value:
                if key == "@context":
                    for ref in _context_references(member):
                        raise InputError(
                            f"{relative}: refused: the JSON-LD context {ref!r} is given by "
                            "reference, and contexts are never fetched; put the context inline"
                        )
                elif key == "@import":
                    raise InputError(
                        f"{relative}: refused: JSON-LD @import {member!r}: contexts are never "
                        "fetched; put the context inline"
                    )
                stack.append((member, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)


def parse_file(path: Path, relative: str) -> list[ox.Quad]:
    """Parse one source file into quads in its own named graph.

    Raises :class:`RdfSyntaxError` with line and column for a malformed file and
    :class:`InputError` for an unreadable, oversized or unsupported one.
    """
    return parse_data(read_source(path, relative), path.suffix, relative)


def parse_data(data: bytes, suffix: str, relative: str) -> list[ox.Quad]:
    """Parse the bytes of a source file (named ``relative``, of type ``suffix``) into quads."""
    fmt = FORMATS[suffix]
    data = data.removeprefix(_BOM)
    if fmt == ox.RdfFormat.JSON_LD:
        check_json_ld(data, relative)
    graph = graph_name(relative)
    tag = hashlib.sha256(relative.encode()).hexdigest()[:8]
    labels: dict[str, ox.BlankNode] = {}

    def blank(node: ox.BlankNode) -> ox.BlankNode:
        if node.value not in labels:
            labels[node.value] = ox.BlankNode(f"f{tag}n{len(labels)}")
        return labels[node.value]

    def fix(
        term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple,
    ) -> ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple:
        return blank(term) if isinstance(term, ox.BlankNode) else term

    quads: list[ox.Quad] = []
    try:
        for quad in ox.parse(data, format=fmt, base_iri=None):
            if quad.graph_name != graph and not isinstance(quad.graph_name, ox.DefaultGraph):
                raise _foreign_graph(relative, graph, quad.graph_name)
            quads.append(ox.Quad(fix(quad.subject), quad.predicate, fix(quad.object), graph))  # type: ignore[arg-type]
    except SyntaxError as exc:
        raise _syntax_error(relative, exc) from None
    except ValueError as exc:
        raise InputError(f"{relative}: {exc}") from None
    except MemoryError:  # pyoxigraph's parsers hold one token in a buffer of bounded size
        raise InputError(
            f"{relative}: refused: a literal or IRI in it is longer than the parser's limit of "
            f"{MAX_TOKEN_BYTES // 2**20} MiB"
        ) from None
    return quads


def _foreign_graph(
    relative: str, own: ox.NamedNode, named: ox.NamedNode | ox.BlankNode | ox.DefaultGraph
) -> InputError:
    shown = f"<{named.value}>" if isinstance(named, ox.NamedNode) else str(named)
    return InputError(
        f"{relative}: refused: it puts triples in the graph {shown}; a source file cannot name "
        f"graphs, since the build keeps each file's triples in its own graph <{own.value}> to "
        "record where they came from. Take the triples out of the GRAPH block (or write the "
        "file as Turtle)"
    )
