"""What the graph says about one resource: its facts, their labels, files and sources.

One description serves every place a resource is looked up by its IRI: the pages and RDF
files of ``id/...`` and ``ontology`` that ``lexgraph serve`` answers and ``lexgraph site``
writes, and the ``describe`` tool of ``lexgraph mcp``. The description of a resource is every
triple with it as subject, in any named graph (its concise bounded description, as the graph
has no blank nodes), with the file each came from; the description of the ontology is every
triple about the ontology or one of its terms.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TypeAlias

import pyoxigraph as ox

from lexgraph.core.errors import InputError
from lexgraph.core.namespaces import BASE, ID, LEX, PREFIXES, SOURCE_GRAPH
from lexgraph.core.suggest import close_matches
from lexgraph.core.terms import Dcterms, Lex, Rdf
from lexgraph.store.labels import label

#: The IRI of the ontology itself (its terms are ``ONTOLOGY#Term``).
ONTOLOGY = LEX.rstrip("#")
#: The RDF formats a description is given in: suffix, media type, pyoxigraph format.
FORMATS: dict[str, tuple[str, ox.RdfFormat]] = {
    "ttl": ("text/turtle", ox.RdfFormat.TURTLE),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
    "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
}


Object: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def text_of(term: Object) -> str:
    """The IRI or lexical form of a term (a quoted triple as N-Triples)."""
    return term.value if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal) else str(term)


class UnknownResource(InputError):
    """No triple in the graph has this IRI as its subject."""


@dataclass(frozen=True)
class Fact:
    """One statement about the resource: the property, the value, and the file it is from."""

    predicate: str
    predicate_label: str
    value: str
    #: The label of an IRI value (None for a literal).
    value_label: str | None
    #: The datatype or language of a literal ("" for an IRI or a plain string).
    datatype: str
    files: tuple[str, ...]

    @property
    def is_iri(self) -> bool:
        return self.value_label is not None


@dataclass(frozen=True)
class Description:
    """A resource as the graph describes it."""

    iri: str
    label: str
    types: tuple[str, ...]
    facts: tuple[Fact, ...]
    #: The documents it cites (``dcterms:source``, ``lex:secondarySource``).
    sources: tuple[str, ...]
    #: The as-at dates of the records it is (``lex:asAt``).
    as_at: tuple[str, ...]
    triples: tuple[ox.Triple, ...]

    def serialize(self, suffix: str) -> bytes:
        """The description in one of :data:`FORMATS` (``ttl``, ``jsonld``, ``nt``)."""
        return serialize(self.triples, suffix)


def serialize(triples: tuple[ox.Triple, ...], suffix: str) -> bytes:
    """Sorted triples in the format of ``suffix``, with the project's prefixes where it has any."""
    fmt = FORMATS[suffix][1]
    if fmt == ox.RdfFormat.N_TRIPLES:
        return ox.serialize(triples, format=fmt) or b""
    return ox.serialize(triples, format=fmt, prefixes=dict(PREFIXES)) or b""


def file_of(graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> str:
    """The source file a named graph holds (``graph/instruments/untoc.ttl``)."""
    name = graph.value if isinstance(graph, ox.NamedNode) else ""
    return name[len(SOURCE_GRAPH) :] if name.startswith(SOURCE_GRAPH) else name


def is_resource_iri(iri: str) -> bool:
    """Whether ``iri`` is one the project's paths resolve: an instance or the ontology."""
    return iri.startswith(ID) or iri == ONTOLOGY or iri.startswith(LEX)


def _quads(store: ox.Store, iri: str) -> list[ox.Quad]:
    if iri in (ONTOLOGY, LEX):
        return [
            q
            for q in store.quads_for_pattern(None, None, None)
            if isinstance(q.subject, ox.NamedNode)
            and (q.subject.value == ONTOLOGY or q.subject.value.startswith(LEX))
        ]
    try:
        node = ox.NamedNode(iri)
    except ValueError:
        return []
    return list(store.quads_for_pattern(node, None, None))


def describe(store: ox.Store, iri: str, names: dict[str, str] | None = None) -> Description:
    """Describe ``iri`` (an instance, the ontology or one of its terms) from ``store``.

    Raises :class:`UnknownResource` when the graph says nothing about it, with close keys.
    ``names`` keeps the labels found, for a caller that describes many resources of one store.
    """
    names = {} if names is None else names

    def named(node: str) -> str:
        if node not in names:
            names[node] = label(store, node)
        return names[node]

    quads = _quads(store, iri)
    if not quads:
        raise UnknownResource(_unknown(store, iri))
    files: dict[tuple[str, Object], set[str]] = defaultdict(set)
    for q in quads:
        files[(q.predicate.value, q.object)].add(file_of(q.graph_name))
    subject = ox.NamedNode(iri)
    facts = []
    for (predicate, obj), found in sorted(files.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
        if isinstance(obj, ox.Literal):
            kind = obj.language or (
                "" if obj.datatype.value.endswith("#string") else obj.datatype.value
            )
            value, value_label = obj.value, None
        else:
            kind, value = "", text_of(obj)
            value_label = named(value)
        facts.append(
            Fact(predicate, named(predicate), value, value_label, kind, tuple(sorted(found)))
        )
    own = [q for q in quads if q.subject == subject] if iri not in (ONTOLOGY, LEX) else []
    return Description(
        iri=iri,
        label=label(store, iri),
        types=tuple(sorted({text_of(q.object) for q in own if q.predicate.value == Rdf.type})),
        facts=tuple(facts) if iri not in (ONTOLOGY, LEX) else (),
        sources=tuple(
            sorted(
                {
                    text_of(q.object)
                    for q in own
                    if q.predicate.value in (Dcterms.source, Lex.secondarySource)
                }
            )
        ),
        as_at=tuple(sorted({text_of(q.object) for q in own if q.predicate.value == Lex.asAt})),
        triples=tuple(sorted({q.triple for q in quads}, key=str)),
    )


def _unknown(store: ox.Store, iri: str) -> str:
    if not iri.startswith(BASE):
        return f"{iri!r} is not a lexgraph IRI (they start with {ID})"
    kind = iri[len(ID) :].split("/", 1)[0] if iri.startswith(ID) else ""
    prefix = f"{ID}{kind}/"
    keys = sorted(
        {
            q.subject.value[len(prefix) :]
            for q in store.quads_for_pattern(None, ox.NamedNode(Rdf.type), None)
            if isinstance(q.subject, ox.NamedNode) and kind and q.subject.value.startswith(prefix)
        }
    )
    close = close_matches(iri[len(prefix) :], keys) if kind else []
    hint = f"; did you mean {', '.join(f'{kind}/{k}' for k in close)}?" if close else ""
    return f"the graph says nothing about {iri}{hint}"
