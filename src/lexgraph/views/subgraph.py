"""Select the part of the graph a picture shows: nodes with their class, label and facts, and
the edges between them.

Every view of the graph (the interactive pages, the static figures, the site) draws from
:func:`select`, so that they agree on what a "focus" means: the nodes named by the filters
(a crime type, an instrument, a modality, a state), then ``depth`` steps along the edges
listed in :data:`EDGES`. Without a filter the whole corpus is selected (states only with
``with_states``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from lexgraph.core.errors import InputError
from lexgraph.core.namespaces import ID, instance
from lexgraph.core.terms import Dcterms, Lex, Rdf, Skos
from lexgraph.finder.standing import consent_kinds
from lexgraph.store import labels
from lexgraph.store.names import resolve_state
from lexgraph.store.query import python_value, resolve_keyed
from lexgraph.store.sources import MAX_FILE_BYTES

#: The node classes a view knows, most specific first; a node takes the first that it has.
CLASSES: tuple[tuple[str, str], ...] = (
    (Lex.Protocol, "instrument"),
    (Lex.Convention, "instrument"),
    (Lex.Treaty, "instrument"),
    (Lex.Declaration, "soft-law"),
    (Lex.Resolution, "soft-law"),
    (Lex.Standard, "soft-law"),
    (Lex.SoftLawInstrument, "soft-law"),
    (Lex.Instrument, "instrument"),
    (Lex.Provision, "provision"),
    (Lex.CrimeType, "crime"),
    (Lex.CooperationModality, "modality"),
    (Lex.State, "state"),
    (Lex.RegionalEconomicIntegrationOrganization, "state"),
    (Lex.Body, "body"),
)
#: Edge kinds: (predicate, label). Participation is an edge state -> instrument, derived.
EDGES: tuple[tuple[str, str], ...] = (
    (Lex.hasProvision, "has article"),
    (Lex.providesFor, "provides for"),
    (Lex.criminalises, "criminalises"),
    (Lex.covers, "covers"),
    (Skos.broader, "narrower than"),
    (Lex.supplements, "supplements"),
    (Lex.refersTo, "refers to"),
    (Lex.endorses, "endorses"),
    (Lex.adoptedBy, "adopted by"),
    (Lex.contributesTo, "contributes to"),
)
PARTY_EDGE = "party to"
TARGET_KIND = "sdg-target"


@dataclass(frozen=True)
class Node:
    """A node of a view: its IRI, kind (one of the :data:`CLASSES` kinds), label and facts."""

    iri: str
    kind: str
    label: str
    facts: tuple[tuple[str, str], ...] = ()
    source: str | None = None
    #: The name drawn on a picture (``lex:shortName`` and the like); the label when empty.
    short: str = ""

    @property
    def name(self) -> str:
        """The short name, else the label."""
        return self.short or self.label

    @property
    def key(self) -> str:
        return self.iri[len(ID) :] if self.iri.startswith(ID) else self.iri


@dataclass(frozen=True)
class Edge:
    """A directed edge of a view, labelled with what it means."""

    source: str
    target: str
    label: str
    #: What the edge says beyond its label, such as the act and date of a participation.
    note: str = ""


@dataclass(frozen=True)
class Subgraph:
    """The nodes and edges a view draws, sorted for stable output."""

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    focus: tuple[str, ...] = field(default_factory=tuple)
    #: What the view could not show of what was asked, and how to see it, in sentences.
    notes: tuple[str, ...] = ()

    def node(self, iri: str) -> Node:
        for node in self.nodes:
            if node.iri == iri:
                return node
        raise KeyError(iri)


def load_file(path: Path) -> ox.Store:
    """Load a user's Turtle, N-Triples, N-Quads or TriG file into an in-memory store."""
    formats = {
        ".ttl": ox.RdfFormat.TURTLE,
        ".nt": ox.RdfFormat.N_TRIPLES,
        ".nq": ox.RdfFormat.N_QUADS,
        ".trig": ox.RdfFormat.TRIG,
    }
    fmt = formats.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"{path}: give a .ttl, .nt, .nq or .trig file")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if size > MAX_FILE_BYTES:
        raise InputError(f"{path}: over the limit of {MAX_FILE_BYTES} bytes per file")
    store = ox.Store()
    try:
        store.load(path=str(path), format=fmt, base_iri=ID)
    except (SyntaxError, OSError, ValueError) as exc:
        raise InputError(f"{path}: {exc}") from None
    # The built graph has both directions of hasProvision/partOf; a user's file may have one.
    for quad in list(store.quads_for_pattern(None, ox.NamedNode(Lex.partOf), None)):
        store.add(ox.Quad(quad.object, ox.NamedNode(Lex.hasProvision), quad.subject))  # type: ignore[arg-type]
    return store


def _types(store: ox.Store, node: ox.NamedNode) -> set[str]:
    return {
        q.object.value
        for q in store.quads_for_pattern(node, ox.NamedNode(Rdf.type), None)
        if isinstance(q.object, ox.NamedNode)
    }


def kind_of(store: ox.Store, iri: str) -> str | None:
    """The view kind of a node, or None if it is not drawn."""
    if iri.startswith("http://metadata.un.org/sdg/"):
        return TARGET_KIND
    types = _types(store, ox.NamedNode(iri))
    for cls, kind in CLASSES:
        if cls in types:
            return kind
    return None


_FACTS = {
    Lex.key: "key",
    Lex.articleNumber: "article",
    Lex.heading: "heading",
    Lex.adoptionDate: "adopted",
    Lex.entryIntoForceDate: "in force",
    Lex.iso3166Alpha3: "ISO 3166",
    Skos.definition: "definition",
}


def _facts(store: ox.Store, node: ox.NamedNode) -> tuple[tuple[str, str], ...]:
    facts: list[tuple[str, str]] = []
    for prop, name in _FACTS.items():
        for quad in store.quads_for_pattern(node, ox.NamedNode(prop), None):
            obj = quad.object
            if isinstance(obj, ox.Literal) and obj.language not in (None, "", "en"):
                continue
            value = python_value(obj)
            text = value.isoformat() if isinstance(value, dt.date) else str(value)
            facts.append((name, text))
            break
    return tuple(facts)


def _source(store: ox.Store, node: ox.NamedNode) -> str | None:
    sources = sorted(
        q.object.value
        for q in store.quads_for_pattern(node, ox.NamedNode(Dcterms.source), None)
        if isinstance(q.object, ox.NamedNode)
    )
    return sources[0] if sources else None


def _iri_object(store: ox.Store, subject: ox.NamedNode, prop: str) -> str | None:
    for quad in store.quads_for_pattern(subject, ox.NamedNode(prop), None):
        if isinstance(quad.object, ox.NamedNode):
            return quad.object.value
    return None


def _party_edges(store: ox.Store) -> list[Edge]:
    """State -> instrument edges for every consenting act recorded."""
    kinds = {instance("act-kind", key) for key in consent_kinds(store)}
    edges = set()
    for quad in store.quads_for_pattern(
        None, ox.NamedNode(Rdf.type), ox.NamedNode(Lex.Participation)
    ):
        record = quad.subject
        if not isinstance(record, ox.NamedNode):
            continue
        act = _iri_object(store, record, Lex.actKind)
        state = _iri_object(store, record, Lex.participant)
        instrument = _iri_object(store, record, Lex.instrument)
        if act in kinds and state and instrument:
            edges.add(Edge(state, instrument, PARTY_EDGE))
    return sorted(edges, key=lambda e: (e.source, e.target))


def _all_edges(store: ox.Store, with_states: bool) -> list[Edge]:
    edges: set[Edge] = set()
    for prop, label in EDGES:
        for quad in store.quads_for_pattern(None, ox.NamedNode(prop), None):
            if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.NamedNode):
                edges.add(Edge(quad.subject.value, quad.object.value, label))
    if with_states:
        edges.update(_party_edges(store))
    return sorted(edges, key=lambda e: (e.source, e.target, e.label))


@dataclass
class _Index:
    store: ox.Store
    size: int
    edges: dict[bool, list[Edge]]
    kinds: dict[str, str | None]


#: The edges and node kinds of the last store seen, so that a site's hundreds of views do not
#: each walk the whole graph again. It holds that one store (pyoxigraph stores cannot be
#: referenced weakly) and is rebuilt when another store, or a changed one, comes.
_LAST: list[_Index] = []


def edge_index(store: ox.Store, with_states: bool) -> tuple[list[Edge], dict[str, str | None]]:
    """Every edge of ``store`` that a view may draw (with participation, ``with_states``), and
    the cache of node kinds (fill it through :func:`kind_of`); computed once per store."""
    if not _LAST or _LAST[0].store is not store or _LAST[0].size != len(store):
        _LAST[:] = [_Index(store, len(store), {}, {})]
    index = _LAST[0]
    if with_states not in index.edges:
        index.edges[with_states] = _all_edges(store, with_states)
    return index.edges[with_states], index.kinds


def distances(
    neighbours: Mapping[str, set[str]], focus: Iterable[str], depth: int
) -> dict[str, int]:
    """The steps from the nearest node of ``focus`` to each node within ``depth`` steps, by a
    breadth-first walk of ``neighbours`` (in sorted order, so the result is deterministic)."""
    distance = {iri: 0 for iri in focus}
    queue = deque(distance)
    while queue:
        iri = queue.popleft()
        if distance[iri] >= depth:
            continue
        for nxt in sorted(neighbours.get(iri, ())):
            if nxt not in distance:
                distance[nxt] = distance[iri] + 1
                queue.append(nxt)
    return distance


def select(
    store: ox.Store,
    *,
    crime: str | None = None,
    instrument: str | None = None,
    modality: str | None = None,
    state: str | None = None,
    depth: int = 1,
    with_states: bool = False,
    max_nodes: int | None = None,
) -> Subgraph:
    """Return the nodes and edges of a view of ``store``.

    Filters are keys, labels or (for ``state``) ISO codes or names, resolved as the query
    parameters are. With several filters the focus is their union. ``max_nodes`` caps the
    view, keeping the nodes nearest the focus, and raises nothing.
    """
    if depth < 0:
        raise InputError(f"depth {depth} must be 0 or more")
    focus: list[str] = []
    for kind, value in (("crime", crime), ("instrument", instrument), ("modality", modality)):
        if value:
            focus.append(resolve_keyed(store, kind, value).value)
    if state:
        focus.append(resolve_state(store, state).value)
    edges, kinds = edge_index(store, with_states or bool(state))

    def drawn(iri: str) -> bool:
        if iri not in kinds:
            kinds[iri] = kind_of(store, iri)
        kind = kinds[iri]
        return kind is not None and (kind != "state" or with_states or iri in focus)

    edges = [e for e in edges if drawn(e.source) and drawn(e.target)]
    if focus:
        neighbours: dict[str, set[str]] = defaultdict(set)
        for edge in edges:
            neighbours[edge.source].add(edge.target)
            neighbours[edge.target].add(edge.source)
        distance = distances(neighbours, focus, depth)
        chosen = sorted(distance, key=lambda i: (distance[i], i))
    else:
        chosen = sorted({e.source for e in edges} | {e.target for e in edges})
        chosen += sorted(
            q.subject.value
            for cls, _ in CLASSES
            for q in store.quads_for_pattern(None, ox.NamedNode(Rdf.type), ox.NamedNode(cls))
            if isinstance(q.subject, ox.NamedNode) and drawn(q.subject.value)
        )
        chosen = list(dict.fromkeys(chosen))
    notes: list[str] = []
    if max_nodes is not None and len(chosen) > max_nodes:
        notes.append(
            f"Capped at {max_nodes} of {len(chosen)} nodes: the {len(chosen) - max_nodes} "
            "furthest from the focus are left out; raise the cap to see them all."
        )
        chosen = chosen[:max_nodes]
    keep = set(chosen)
    nodes = tuple(make_node(store, iri, kinds.get(iri)) for iri in sorted(keep))
    kept_edges = tuple(e for e in edges if e.source in keep and e.target in keep)
    return Subgraph(nodes, kept_edges, tuple(focus), tuple(notes))


def make_node(store: ox.Store, iri: str, kind: str | None = None) -> Node:
    """The :class:`Node` of ``iri`` with its kind, label, short name, facts and source."""
    node = ox.NamedNode(iri)
    kind = kind or kind_of(store, iri) or "other"
    short = labels.short_name(store, iri)
    if iri.startswith("http://metadata.un.org/sdg/"):
        short = "SDG " + iri.rsplit("/", 1)[-1]
    owner = _iri_object(store, node, Lex.partOf) if kind == "provision" else None
    number = next(store.quads_for_pattern(node, ox.NamedNode(Lex.articleNumber), None), None)
    if owner and number and isinstance(number.object, ox.Literal):
        short = f"{labels.short_name(store, owner)} art. {number.object.value}"
    return Node(
        iri, kind, labels.label(store, iri), _facts(store, node), _source(store, node), short
    )


def degree(subgraph: Subgraph) -> Mapping[str, int]:
    """Number of edges at each node."""
    counts: dict[str, int] = defaultdict(int)
    for edge in subgraph.edges:
        counts[edge.source] += 1
        counts[edge.target] += 1
    return counts
