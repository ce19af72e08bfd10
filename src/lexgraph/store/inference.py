"""The few entailments the build materialises, so that queries stay simple and fast.

They go into their own named graph, ``source/build/inferred``: both directions of
``lex:hasProvision``/``lex:partOf`` and of ``skos:broader``/``skos:narrower``, the superclasses
of every typed resource, ``dcterms:source`` for every ``lex:secondarySource``, and the plain
SKOS mapping triple of every ``lex:Mapping`` node. A triple
already asserted in some file is not repeated.
"""

from __future__ import annotations

import pyoxigraph as ox

from lexgraph.core.namespaces import SOURCE_GRAPH, sparql_prologue

INFERRED_GRAPH = ox.NamedNode(SOURCE_GRAPH + "build/inferred")

_RULES = (
    "CONSTRUCT { ?i lex:hasProvision ?p } WHERE { ?p lex:partOf ?i }",
    "CONSTRUCT { ?p lex:partOf ?i } WHERE { ?i lex:hasProvision ?p }",
    "CONSTRUCT { ?n skos:broader ?b } WHERE { ?b skos:narrower ?n }",
    "CONSTRUCT { ?b skos:narrower ?n } WHERE { ?n skos:broader ?b }",
    "CONSTRUCT { ?x a ?super } WHERE { ?x a ?class . ?class rdfs:subClassOf+ ?super . "
    "FILTER(isIRI(?super)) }",
    "CONSTRUCT { ?x dcterms:source ?s } WHERE { ?x lex:secondarySource ?s }",
    "CONSTRUCT { ?from ?kind ?to } WHERE { ?m a lex:Mapping ; lex:mapsFrom ?from ; "
    "lex:matchKind ?kind ; lex:mapsTo ?to }",
)


def infer(store: ox.Store) -> list[ox.Quad]:
    """Return the entailed quads of a store's union graph that no source asserts."""
    seen: set[ox.Triple] = set()
    quads: list[ox.Quad] = []
    for rule in _RULES:
        result = store.query(sparql_prologue() + rule, use_default_graph_as_union=True)
        assert isinstance(result, ox.QueryTriples)
        for triple in result:
            if triple in seen:
                continue
            seen.add(triple)
            if not any(store.quads_for_pattern(triple.subject, triple.predicate, triple.object)):
                quads.append(
                    ox.Quad(triple.subject, triple.predicate, triple.object, INFERRED_GRAPH)
                )
    return quads
