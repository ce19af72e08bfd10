"""Walk the store's indexes directly: a property's subjects and objects, a closure, a class.

The finder's rules run once per request; a walk over the indexes costs microseconds where a
SPARQL query with bound parameters costs milliseconds (pyoxigraph applies the bindings after
planning the pattern). Every function takes and returns plain pyoxigraph terms.
"""

from __future__ import annotations

import pyoxigraph as ox

from lexgraph.core.terms import Rdf
from lexgraph.store.query import python_value


def subjects(store: ox.Store, prop: str, obj: ox.NamedNode) -> list[ox.NamedNode]:
    """The IRIs that have ``prop`` pointing to ``obj``."""
    return [
        q.subject
        for q in store.quads_for_pattern(None, ox.NamedNode(prop), obj)
        if isinstance(q.subject, ox.NamedNode)
    ]


def objects(store: ox.Store, subject: ox.NamedNode, prop: str) -> list[ox.NamedNode]:
    """The IRIs that ``subject`` points to by ``prop``."""
    return [
        q.object
        for q in store.quads_for_pattern(subject, ox.NamedNode(prop), None)
        if isinstance(q.object, ox.NamedNode)
    ]


def value(store: ox.Store, iri: str, prop: str) -> object:
    """The first value of ``prop`` on ``iri`` as a Python value (see ``python_value``), or None."""
    for quad in store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(prop), None):
        return python_value(quad.object)
    return None


def closure(store: ox.Store, start: ox.NamedNode, prop: str, inverse: bool) -> set[ox.NamedNode]:
    """Every node reached from ``start`` by one or more ``prop`` steps (or inverse steps)."""
    seen: set[ox.NamedNode] = set()
    todo = [start]
    while todo:
        node = todo.pop()
        step = subjects(store, prop, node) if inverse else objects(store, node, prop)
        for nxt in step:
            if nxt not in seen and nxt != start:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def instances(store: ox.Store, cls: str) -> list[ox.NamedNode]:
    """The IRIs typed ``cls`` (asserted or inferred by the build), sorted."""
    return sorted(set(subjects(store, Rdf.type, ox.NamedNode(cls))), key=lambda n: n.value)
