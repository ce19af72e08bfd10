"""The few entailments the build materialises, so that queries stay simple and fast.

They go into their own named graph, ``source/build/inferred``: both directions of
``lex:hasProvision``/``lex:partOf`` and of ``skos:broader``/``skos:narrower``, the superclasses
of every typed resource, ``dcterms:source`` for every ``lex:secondarySource``, and the plain
SKOS mapping triple of every ``lex:Mapping`` node, and the tier of every cited source
(``<source> lex:sourceTier <tier>``, by :func:`lexgraph.core.tiers.tier_of` from the table of
``graph/source-domains.ttl``; a source no pattern matches gets none, and the check
``source-without-tier`` names it). A triple already asserted in some file is not repeated.
"""

from __future__ import annotations

import pyoxigraph as ox

from lexgraph.core.namespaces import SOURCE_GRAPH, sparql_prologue
from lexgraph.core.terms import Lex
from lexgraph.core.tiers import tier_iri, tier_key, tier_of

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
_DOMAINS = (
    "SELECT ?pattern ?tier WHERE { ?d a lex:SourceDomain ; lex:urlPattern ?pattern ; "
    "lex:sourceTier ?tier }"
)
_CITED = (
    "SELECT DISTINCT ?source WHERE { { ?x dcterms:source ?source } UNION "
    "{ ?x lex:secondarySource ?source } FILTER(isIRI(?source)) }"
)


def _select(store: ox.Store, query: str) -> ox.QuerySolutions:
    result = store.query(sparql_prologue() + query, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    return result


def source_tiers(store: ox.Store) -> list[ox.Triple]:
    """``<source> lex:sourceTier <tier>`` for every cited source the domain table matches."""
    table: dict[str, str] = {}
    for row in _select(store, _DOMAINS):
        pattern, tier = row["pattern"], row["tier"]
        if isinstance(pattern, ox.Literal) and isinstance(tier, ox.NamedNode):
            table[pattern.value] = tier_key(tier.value)
    predicate = ox.NamedNode(Lex.sourceTier)
    triples = []
    for row in _select(store, _CITED):
        source = row["source"]
        assert isinstance(source, ox.NamedNode)
        found = tier_of(source.value, table)
        if found is not None:
            triples.append(ox.Triple(source, predicate, ox.NamedNode(tier_iri(found))))
    return sorted(triples, key=str)


def infer(store: ox.Store) -> list[ox.Quad]:
    """Return the entailed quads of a store's union graph that no source asserts."""
    seen: set[ox.Triple] = set()
    quads: list[ox.Quad] = []
    entailed: list[list[ox.Triple]] = []
    for rule in _RULES:
        result = store.query(sparql_prologue() + rule, use_default_graph_as_union=True)
        assert isinstance(result, ox.QueryTriples)
        entailed.append(list(result))
    entailed.append(source_tiers(store))
    for triples in entailed:
        for triple in triples:
            if triple in seen:
                continue
            seen.add(triple)
            if not any(store.quads_for_pattern(triple.subject, triple.predicate, triple.object)):
                quads.append(
                    ox.Quad(triple.subject, triple.predicate, triple.object, INFERRED_GRAPH)
                )
    return quads
