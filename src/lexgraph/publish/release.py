"""Releases: the built graph as dump files with a VoID and DCAT description and checksums.

A release is read from the built store, never from the sources, and written into
``build/release/``: ``lexgraph.nt`` (the union of all graphs, one sorted canonical
N-Triples line per distinct triple), ``lexgraph.nq`` (sorted N-Quads, one named graph per
source file plus the inferred graph), ``lexgraph.ttl``, ``lexgraph.trig``, ``lexgraph.jsonld``
(the union, compacted with ``context.jsonld`` beside it, referenced by a relative IRI, so
nothing is fetched from the network), ``void.ttl`` and ``SHA256SUMS``, and the feed of
participation changes (``changes.atom``, ``changes/*.json``: :mod:`lexgraph.publish.feed`).

The files are a function of the build alone: no clock is read. The release date is the
``date`` of ``build-info.json`` if the build recorded one, else the dataset's
``dcterms:modified`` (hand-edited in ``graph/dataset.ttl``), else the day
``build-info.json`` was written.

Like the build, a release is written into a fresh directory ``build/.release/<id>/`` and
``build/release`` is a symlink switched to it in one rename, so readers see the old
release or the new one and a failure leaves the previous release as it was.

``void.ttl`` declares no ``@base``: its ``dcat:downloadURL`` and ``void:dataDump`` IRIs are
relative file names, resolved against wherever the release is published. It declares one
prefix outside the package table, ``spdx:``, which only the checksums use.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from lexgraph.core.atomic import link_atomically
from lexgraph.core.errors import BuildError
from lexgraph.core.namespaces import ID, PREFIXES
from lexgraph.core.paths import Layout
from lexgraph.core.terms import Dcat, Dcterms, Owl, Rdf, Void, Xsd
from lexgraph.core.version import __version__
from lexgraph.publish.feed import ATOM, describe, feed_files
from lexgraph.store.labels import label
from lexgraph.store.manifest import recorded_date
from lexgraph.store.query import open_store
from lexgraph.views.changes import all_changes

#: Where the dataset is described when ``graph/dataset.ttl`` names no ``void:Dataset``.
DEFAULT_DATASET = ID + "dataset/lexgraph"
LICENCE = "https://creativecommons.org/licenses/by/4.0/"
CONTEXT = "context.jsonld"
SUMS = "SHA256SUMS"
VOID = "void.ttl"
#: The names of the feed's files (:mod:`lexgraph.publish.feed`) start with these.
FEED_NAMES = (ATOM, "changes/")
#: The dump files, their IANA media types and what each holds, in the order they are written.
DUMPS: tuple[tuple[str, str, str], ...] = (
    ("lexgraph.nt", "application/n-triples", "the union of all graphs, sorted N-Triples"),
    ("lexgraph.nq", "application/n-quads", "every graph, sorted N-Quads"),
    ("lexgraph.ttl", "text/turtle", "the union of all graphs in Turtle"),
    ("lexgraph.trig", "application/trig", "every graph in TriG"),
    ("lexgraph.jsonld", "application/ld+json", "the union of all graphs in JSON-LD"),
    (CONTEXT, "application/ld+json", "the JSON-LD context of lexgraph.jsonld"),
)
_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
#: SPDX terms for checksums; not in the package table because only releases use them.
_SPDX = "http://spdx.org/rdf/terms#"
_VOID_PREFIXES = {**PREFIXES, "spdx": _SPDX}
_RDF_TYPE = ox.NamedNode(Rdf.type)
_XSD_STRING = Xsd.string
_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")


@dataclass(frozen=True)
class ReleaseResult:
    """What a release wrote: its directory, file names and counts."""

    directory: Path
    files: tuple[str, ...]
    triples: int
    quads: int
    graphs: int
    issued: str


def _sorted_lines(data: bytes | None) -> bytes:
    return b"".join(sorted(set((data or b"").splitlines(keepends=True))))


@functools.cache
def _compact(iri: str) -> str:
    """Return a JSON-LD compact IRI for ``iri`` under the prefix table, or ``iri`` itself.

    >>> _compact("https://w3id.org/lexgraph/ontology#Instrument")
    'lex:Instrument'
    >>> _compact("https://w3id.org/lexgraph/id/state/JPN")
    'https://w3id.org/lexgraph/id/state/JPN'
    """
    candidates = [
        (len(ns), f"{prefix}:{iri[len(ns) :]}")
        for prefix, ns in PREFIXES.items()
        if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns) :].startswith("//")
    ]
    return max(candidates)[1] if candidates else iri


def _node_id(term: ox.NamedNode | ox.BlankNode | ox.Triple) -> str:
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode):
        return _compact(term.value)
    raise BuildError(f"cannot write the quoted triple {term} as JSON-LD")


def _json_value(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> object:
    if not isinstance(term, ox.Literal):
        return {"@id": _node_id(term)}
    if term.language:
        return {"@value": term.value, "@language": term.language}
    if term.datatype.value == _XSD_STRING:
        return term.value
    return {"@value": term.value, "@type": _compact(term.datatype.value)}


def jsonld(triples: Iterable[ox.Triple], context: str = CONTEXT) -> str:
    """Return the triples as compacted JSON-LD whose ``@context`` is the IRI ``context``.

    Each subject is one node object on one line, sorted by IRI, with its properties and
    values sorted; properties and types are compact IRIs of the prefix table, and each value
    is an explicit value object, so no term of the context coerces anything and the context
    needs only the prefixes.
    """
    Obj = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
    nodes: dict[str, dict[str, list[Obj]]] = defaultdict(lambda: defaultdict(list))
    ids: dict[str, str] = {}
    for t in triples:
        key = str(t.subject)
        if key not in ids:
            ids[key] = _node_id(t.subject)
        is_type = t.predicate == _RDF_TYPE and not isinstance(t.object, ox.Literal)
        nodes[key]["@type" if is_type else _compact(t.predicate.value)].append(t.object)
    lines = []
    for key in sorted(nodes):
        node: dict[str, object] = {"@id": ids[key]}
        for prop, values in sorted(nodes[key].items(), key=lambda kv: (kv[0] != "@type", kv[0])):
            ordered = sorted(values, key=str)
            if prop == "@type":
                node[prop] = [_node_id(v) for v in ordered]  # type: ignore[arg-type]
            else:
                node[prop] = [_json_value(v) for v in ordered]
        lines.append(json.dumps(node, ensure_ascii=False))
    head = json.dumps({"@context": context})[:-1]
    return head + ', "@graph": [\n' + ",\n".join(lines) + "\n]}\n"


def context_document() -> str:
    """Return ``context.jsonld``: the package's prefix table as a JSON-LD context."""
    return json.dumps({"@context": dict(PREFIXES)}, indent=1) + "\n"


def _dataset_iri(store: ox.Store) -> str:
    void_dataset = ox.NamedNode(Void.Dataset)
    found = sorted(
        q.subject.value
        for q in store.quads_for_pattern(None, _RDF_TYPE, void_dataset)
        if isinstance(q.subject, ox.NamedNode)
    )
    return found[0] if found else DEFAULT_DATASET


def _issued(store: ox.Store, dataset: str, info: Path) -> str:
    """Return the release date: the recorded date, else the day build-info.json was written."""
    found = recorded_date(store, info, dataset)
    if found:
        return found
    stamp = (info if info.exists() else info.parent).stat().st_mtime
    return dt.datetime.fromtimestamp(stamp, dt.UTC).date().isoformat()


class _Turtle:
    """A small writer of subject blocks for ``void.ttl``, where no ``@base`` may be set."""

    def __init__(self) -> None:
        self.blocks: list[str] = []

    def iri(self, iri: str) -> str:
        for prefix, ns in _VOID_PREFIXES.items():
            local = iri[len(ns) :]
            if iri.startswith(ns) and _LOCAL.fullmatch(local):
                return f"{prefix}:{local}"
        return f"<{iri}>"

    def literal(self, value: object, datatype: str = "") -> str:
        quoted = str(ox.Literal(str(value)))
        return f"{quoted}^^{self.iri(PREFIXES['xsd'] + datatype)}" if datatype else quoted

    def term(self, term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
        if isinstance(term, ox.NamedNode):
            return self.iri(term.value)
        if isinstance(term, ox.Literal) and term.datatype.value.startswith(PREFIXES["xsd"]):
            if term.language or term.datatype.value == _XSD_STRING:
                return str(term)
            return self.literal(term.value, term.datatype.value[len(PREFIXES["xsd"]) :])
        return str(term)

    def block(self, subject: str, pairs: Iterable[tuple[str, str]]) -> None:
        """Add a subject block; objects of consecutive equal predicates share one line each."""
        lines: list[str] = []
        previous = None
        for p, o in pairs:
            if p == previous:
                lines[-1] += f" ,\n        {o}"
            else:
                lines.append(f"{'a' if p == _RDF_TYPE.value else self.iri(p)} {o}")
            previous = p
        self.blocks.append(f"{self.iri(subject)} " + " ;\n    ".join(lines) + " .\n")

    def render(self, header: str) -> str:
        used = "".join(self.blocks)
        lines = [f"# {line}".rstrip() for line in header.strip().splitlines()]
        lines += [
            f"@prefix {p}: <{ns}> ."
            for p, ns in _VOID_PREFIXES.items()
            if re.search(rf"(?<![\w-]){re.escape(p)}:", used)
        ]
        return "\n".join(lines) + "\n\n" + "\n".join(self.blocks)


def _void(
    store: ox.Store,
    quads: list[ox.Quad],
    triples: list[ox.Triple],
    files: dict[str, bytes],
    issued: str,
) -> str:
    """Describe the release: the dataset's own description, counts, subsets, distributions."""
    dataset = _dataset_iri(store)
    release = f"{dataset}/{__version__}"
    out = _Turtle()
    date = out.literal(issued, "date")
    licence = out.iri(LICENCE)

    # The hand-edited description, minus the version, which the package states.
    own = sorted(
        {
            (q.predicate.value, out.term(q.object))
            for q in store.quads_for_pattern(ox.NamedNode(dataset), None, None)
            if q.predicate.value != Owl.versionInfo
        },
        key=lambda po: (po[0] != _RDF_TYPE.value, po),
    )
    classes = Counter(
        t.object.value
        for t in triples
        if t.predicate == _RDF_TYPE and isinstance(t.object, ox.NamedNode)
    )
    per_graph = Counter(str(q.graph_name) for q in quads)
    graphs = sorted({q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)})

    def partition(cls: str) -> str:
        short = _compact(cls)
        slug = short.replace(":", ".") if short != cls else hashlib.sha256(cls.encode()).hexdigest()
        return f"{release}/class/{slug}"

    def distribution(name: str) -> str:
        return f"{release}/distribution/{name}"

    pairs = [
        *own,
        (Owl.versionInfo, out.literal(__version__)),
        (Dcat.version, out.literal(__version__)),
        (Dcterms.issued, date),
        (Void.triples, out.literal(len(triples), "integer")),
        (Void.distinctSubjects, out.literal(len({t.subject for t in triples}), "integer")),
        (Void.properties, out.literal(len({t.predicate for t in triples}), "integer")),
        (Void.distinctObjects, out.literal(len({t.object for t in triples}), "integer")),
        (Void.classes, out.literal(len(classes), "integer")),
    ]
    pairs += [(Void.dataDump, f"<{name}>") for name, *_ in DUMPS if name != CONTEXT]
    feed = [(n, *describe(n)) for n in sorted(files) if n.startswith(FEED_NAMES)]
    described = [*DUMPS, *feed]
    pairs += [(Dcat.distribution, out.iri(distribution(name))) for name, *_ in described]
    pairs += [(Void.classPartition, out.iri(partition(c))) for c in sorted(classes)]
    pairs += [(Void.subset, out.iri(g)) for g in graphs]
    out.block(dataset, pairs)

    for name, media, what in described:
        data = files[name]
        checksum = (
            f"[ a spdx:Checksum ; spdx:algorithm spdx:checksumAlgorithm_sha256 ;\n"
            f"        spdx:checksumValue "
            f'"{hashlib.sha256(data).hexdigest()}"^^xsd:hexBinary ]'
        )
        out.block(
            distribution(name),
            [
                (Rdf.type, out.iri(Dcat.Distribution)),
                (Dcterms.title, out.literal(name)),
                (Dcterms.description, str(ox.Literal(what, language="en"))),
                (Dcat.downloadURL, f"<{name}>"),
                (Dcat.mediaType, out.iri(_MEDIA_TYPES + media)),
                (Dcat.byteSize, out.literal(len(data), "nonNegativeInteger")),
                (_SPDX + "checksum", checksum),
                (Dcterms.issued, date),
                (Dcterms.license, licence),
            ],
        )
    for cls in sorted(classes):
        out.block(
            partition(cls),
            [
                (Void.class_, out.iri(cls)),
                (Void.entities, out.literal(classes[cls], "integer")),
            ],
        )
    for g in graphs:
        out.block(
            g,
            [
                (Rdf.type, out.iri(Void.Dataset)),
                (Void.triples, out.literal(per_graph[f"<{g}>"], "integer")),
            ],
        )
    header = (
        f"VoID and DCAT description of lexgraph {__version__}, written by `lexgraph release`.\n"
        "Download IRIs are relative to this file: resolve them against where it was fetched."
    )
    return out.render(header)


def _dumps(quads: list[ox.Quad], triples: list[ox.Triple]) -> dict[str, bytes]:
    """Serialise the sorted quads and triples into every dump file of :data:`DUMPS`."""
    return {
        "lexgraph.nt": _sorted_lines(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)),
        "lexgraph.nq": _sorted_lines(ox.serialize(quads, format=ox.RdfFormat.N_QUADS)),
        "lexgraph.ttl": ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b"",
        "lexgraph.trig": ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES) or b"",
        "lexgraph.jsonld": jsonld(triples).encode(),
        CONTEXT: context_document().encode(),
    }


def _feed(store: ox.Store, layout: Layout, issued: str) -> dict[str, bytes]:
    """The feed of participation changes (:mod:`lexgraph.publish.feed`), from the build."""
    dataset = _dataset_iri(store)
    title = label(store, dataset) if dataset != DEFAULT_DATASET else "lexgraph"
    return feed_files(all_changes(store, layout.views), dataset, issued, title)


def _switch(layout: Layout, generation: Path) -> None:
    """Point ``build/release`` at ``generation`` and remove the releases it replaces."""
    link = layout.release
    if link.exists() and not link.is_symlink():  # not made by a release: moved aside, pruned
        os.replace(link, generation.with_name(f"{generation.name}.old"))
    link_atomically(link, os.path.relpath(generation, link.parent))
    for old in generation.parent.iterdir():
        if old != generation:
            shutil.rmtree(old, ignore_errors=True)


def write_release(layout: Layout) -> ReleaseResult:
    """Write a release of the built graph into ``layout.release``.

    Raises :class:`~lexgraph.core.errors.NotBuilt` when there is no built store, and
    :class:`~lexgraph.core.errors.BuildError` when the files cannot be written; the previous
    release is untouched in both cases.
    """
    store = open_store(layout.store)
    info = layout.store.resolve().parent / "build-info.json"
    issued = _issued(store, _dataset_iri(store), info)
    quads = sorted(
        store, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))
    )
    triples = sorted({q.triple for q in quads}, key=str)
    files = _dumps(quads, triples)
    files.update(_feed(store, layout, issued))
    files[VOID] = _void(store, quads, triples, files, issued).encode()
    files[SUMS] = "".join(
        f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items())
    ).encode()
    generations = layout.build / ".release"
    try:
        generations.mkdir(parents=True, exist_ok=True)
        generation = Path(tempfile.mkdtemp(prefix=f"{__version__}-", dir=generations))
        generation.chmod(0o755)  # mkdtemp makes it private; a release is for publishing
    except OSError as exc:
        raise BuildError(f"cannot write {layout.relative(generations)}/: {exc.strerror}") from exc
    try:
        for name, data in files.items():
            (generation / name).parent.mkdir(parents=True, exist_ok=True)
            (generation / name).write_bytes(data)
        _switch(layout, generation)
    except OSError as exc:
        shutil.rmtree(generation, ignore_errors=True)
        raise BuildError(
            f"cannot write {layout.relative(layout.release)}/: {exc.strerror} "
            "(the previous release is untouched)"
        ) from exc
    graphs = len({q.graph_name for q in quads})
    return ReleaseResult(layout.release, tuple(files), len(triples), len(quads), graphs, issued)
