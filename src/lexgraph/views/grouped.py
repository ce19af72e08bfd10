"""The view ``lexgraph viz`` draws: instruments and modalities as its backbone, each
instrument's articles grouped under it.

:func:`lexgraph.views.subgraph.select` counts every edge as a step, so that a modality lies
two steps from the instrument whose article provides for it and a page about UNTOC is mostly
its 41 articles. Here an article and its instrument are one stop: ``depth`` counts steps
between instruments, modalities, crime types and the rest, an article comes with its
instrument, and the modalities that the instruments drawn provide for (through their
articles) are always drawn. The articles of the instruments in focus are all kept (the page
groups them under their instrument, to open on click); those of other instruments only where
they link to something else drawn. Participation edges say which act and date they rest on,
and a state in focus also shows the instruments it only signed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

import pyoxigraph as ox

from lexgraph.core.namespaces import instance
from lexgraph.finder.standing import consent_kinds
from lexgraph.views.subgraph import (
    PARTY_EDGE,
    Edge,
    Subgraph,
    distances,
    edge_index,
    kind_of,
    make_node,
)
from lexgraph.views.subgraph import select as select_plain

ARTICLE_EDGE = "has article"
PROVIDES_EDGE = "provides for"
SIGNED_EDGE = "signed"


_ACTS = """
PREFIX lex: <https://w3id.org/lexgraph/ontology#>
SELECT ?state ?instrument ?kind ?date WHERE {
  ?record a lex:Participation ; lex:participant ?state ; lex:instrument ?instrument ;
          lex:actKind ?kind .
  OPTIONAL { ?record lex:actDate ?date }
}"""


def _acts(store: ox.Store) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(state, instrument) -> [(date, act kind)], in date order, for every participation."""
    acts: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    rows = store.query(_ACTS, use_default_graph_as_union=True)
    assert isinstance(rows, ox.QuerySolutions)
    for row in rows:
        state, instrument, kind, date = (row[i] for i in range(4))
        acts[(state.value, instrument.value)].append(
            (date.value if date is not None else "", kind.value.rsplit("/", 1)[-1])
        )
    for items in acts.values():
        items.sort()
    return acts


def _note(items: list[tuple[str, str]]) -> str:
    return "; ".join(f"{kind} {date}".strip() for date, kind in items)


def select(
    store: ox.Store,
    *,
    crime: str | None = None,
    instrument: str | None = None,
    modality: str | None = None,
    state: str | None = None,
    depth: int = 1,
    with_states: bool = False,
) -> Subgraph:
    """Return the backbone view of the focus the filters name, or of the whole corpus."""
    plain = select_plain(store, crime=crime, instrument=instrument, modality=modality,
                         state=state, depth=0, with_states=with_states)  # fmt: skip
    focus = list(plain.focus)
    states = with_states or bool(state)
    edges, kinds = edge_index(store, states)

    def kind(iri: str) -> str | None:
        if iri not in kinds:
            kinds[iri] = kind_of(store, iri)
        return kinds[iri]

    def drawn(iri: str) -> bool:
        k = kind(iri)
        return k is not None and (k != "state" or with_states or iri in focus)

    edges = [e for e in edges if drawn(e.source) and drawn(e.target)]
    acts = _acts(store) if states else {}
    if state:
        consent = {instance("act-kind", key).rsplit("/", 1)[-1] for key in consent_kinds(store)}
        party = {(e.source, e.target) for e in edges if e.label == PARTY_EDGE}
        for (who, what), items in sorted(acts.items()):
            signed_only = any(k == "signature" for _, k in items) and not any(
                k in consent for _, k in items
            )
            if who in focus and (who, what) not in party and drawn(what) and signed_only:
                edges.append(Edge(who, what, SIGNED_EDGE))
    if not focus:
        return _finish(store, plain, edges, None, acts, kind)
    owner = {
        e.target: e.source
        for e in edges
        if e.label == ARTICLE_EDGE and kind(e.target) == "provision"
    }
    neighbours: dict[str, set[str]] = defaultdict(set)
    for edge in edges:
        a, b = owner.get(edge.source, edge.source), owner.get(edge.target, edge.target)
        if a != b:
            neighbours[a].add(b)
            neighbours[b].add(a)
    distance = distances(neighbours, focus, depth)
    for edge in edges:  # the backbone: what the instruments drawn provide for
        if edge.label == PROVIDES_EDGE and owner.get(edge.source) in distance:
            distance.setdefault(edge.target, depth + 1)
    keep = set(distance)
    linked: dict[str, set[str]] = defaultdict(set)
    for edge in edges:
        linked[edge.source].add(edge.target)
        linked[edge.target].add(edge.source)
    for article, parent in owner.items():
        if parent in keep and (parent in focus or (linked[article] - {parent}) & keep):
            keep.add(article)
    notes: list[str] = []
    if with_states and not any(kind(i) == "state" and i not in focus for i in keep):
        steps = "1 step" if depth == 1 else f"{depth} steps"
        notes.append(
            f"No state is drawn: none lies within {steps} of the focus (states are linked "
            f"only to the instruments they took part in); --depth {depth + 1} reaches them."
        )
    return _finish(store, Subgraph((), (), tuple(focus), tuple(notes)), edges, keep, acts, kind)


def _finish(
    store: ox.Store,
    base: Subgraph,
    edges: list[Edge],
    keep: set[str] | None,
    acts: dict[tuple[str, str], list[tuple[str, str]]],
    kind: Callable[[str], str | None],
) -> Subgraph:
    if keep is None:
        keep = {n.iri for n in base.nodes}
    known = {n.iri: n for n in base.nodes}
    nodes = tuple(known.get(iri) or make_node(store, iri, kind(iri)) for iri in sorted(keep))
    kept = sorted(
        {
            Edge(e.source, e.target, e.label, _note(acts.get((e.source, e.target), [])))
            if e.label in (PARTY_EDGE, SIGNED_EDGE)
            else e
            for e in edges
            if e.source in keep and e.target in keep
        },
        key=lambda e: (e.source, e.target, e.label),
    )
    return Subgraph(nodes, tuple(kept), base.focus, base.notes)
