"""Read the RDF source files of a project into quads, one named graph per file.

Each file's triples go into the named graph ``https://w3id.org/lexgraph/source/<path>``, so a
query, a validation report or a diff can say which file a fact came from. Blank nodes get
labels derived from the file and their order of appearance, which keeps builds deterministic.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pyoxigraph as ox

from .errors import InputError, RdfSyntaxError
from .namespaces import SOURCE_GRAPH

FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
}
#: Largest source file accepted; bigger ones are refused before parsing.
MAX_FILE_BYTES = 64 * 1024 * 1024

_POSITION = re.compile(r"^Parser error (?:at line \d+ between columns \d+ and \d+|between .*?): ")


def graph_name(relative_path: str) -> ox.NamedNode:
    """Return the named graph that holds a source file's triples.

    >>> graph_name("graph/instruments/untoc.ttl").value
    'https://w3id.org/lexgraph/source/graph/instruments/untoc.ttl'
    """
    return ox.NamedNode(SOURCE_GRAPH + relative_path)


def _syntax_error(relative: str, exc: SyntaxError) -> RdfSyntaxError:
    message = _POSITION.sub("", str(exc.msg if exc.msg else exc)).strip()
    return RdfSyntaxError(relative, exc.lineno or 0, exc.offset or 0, message or "syntax error")


def read_source(path: Path, relative: str) -> bytes:
    """Read a source file's bytes, refusing unsupported, unreadable or oversized files."""
    if path.suffix not in FORMATS:
        raise InputError(f"{relative}: unsupported file type {path.suffix!r}")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"{relative}: {size} bytes is over the limit of {MAX_FILE_BYTES}")
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{relative}: cannot read: {exc.strerror}") from exc


def parse_file(path: Path, relative: str) -> list[ox.Quad]:
    """Parse one source file into quads in its own named graph.

    Raises :class:`RdfSyntaxError` with line and column for a malformed file and
    :class:`InputError` for an unreadable, oversized or unsupported one.
    """
    return parse_data(read_source(path, relative), path.suffix, relative)


def parse_data(data: bytes, suffix: str, relative: str) -> list[ox.Quad]:
    """Parse the bytes of a source file (named ``relative``, of type ``suffix``) into quads."""
    fmt = FORMATS[suffix]
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
            target = graph if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name
            quads.append(ox.Quad(fix(quad.subject), quad.predicate, fix(quad.object), target))  # type: ignore[arg-type]
    except SyntaxError as exc:
        raise _syntax_error(relative, exc) from None
    except ValueError as exc:
        raise InputError(f"{relative}: {exc}") from None
    return quads
