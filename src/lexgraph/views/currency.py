"""How current each instrument's participation data is: the as-at date of its latest complete
status list, the parties the graph records, and the parties that list reports.

A complete status list (``lex:StatusList``, a depositary's table) gives its as-at date and,
where the table was counted on import, ``lex:partiesReported``: the participants the table
itself shows as having consented at that date. The parties recorded are the participants with
a consenting act (``act-kind/consent`` or narrower) in any record of the graph, of any date and
source, so that the two numbers show how far the records go beyond, or fall short of, the list.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from lexgraph.core.namespaces import sparql_prologue

_LISTS = """
SELECT ?instrument ?asAt ?parties WHERE {
  ?list a lex:StatusList ; lex:instrument ?instrument ; lex:asAt ?asAt .
  OPTIONAL { ?list lex:partiesReported ?parties }
} ORDER BY ?instrument ?asAt
"""
_RECORDED = """
SELECT ?instrument (COUNT(DISTINCT ?party) AS ?n) WHERE {
  ?record a lex:Participation ; lex:instrument ?instrument ; lex:participant ?party ;
          lex:actKind ?kind .
  ?kind skos:broader* <https://w3id.org/lexgraph/id/act-kind/consent> .
} GROUP BY ?instrument
"""


@dataclass(frozen=True)
class Currency:
    """How current one instrument's participation data is."""

    instrument: str
    as_at: str
    recorded: int
    reported: int | None


def _select(store: ox.Store, text: str) -> list[ox.QuerySolution]:
    result = store.query(sparql_prologue() + text, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    return list(result)


def currency(store: ox.Store) -> list[Currency]:
    """One row per instrument with a complete status list, by instrument IRI."""
    latest: dict[str, tuple[str, int | None]] = {}
    for row in _select(store, _LISTS):
        instrument, as_at, parties = row["instrument"], row["asAt"], row["parties"]
        assert isinstance(instrument, ox.NamedNode) and isinstance(as_at, ox.Literal)
        count = int(parties.value) if isinstance(parties, ox.Literal) else None
        if instrument.value not in latest or as_at.value > latest[instrument.value][0]:
            latest[instrument.value] = (as_at.value, count)
    recorded = {row["instrument"].value: int(row["n"].value) for row in _select(store, _RECORDED)}
    return [
        Currency(iri, as_at, recorded.get(iri, 0), reported)
        for iri, (as_at, reported) in sorted(latest.items())
    ]
