"""Counts of the built graph: per class, per modality, and the facts without a source.

The facts without a source are the rows of the check ``queries/checks/fact-without-source.rq``,
the one statement of which resources must carry a source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from lexgraph.core.namespaces import sparql_prologue
from lexgraph.views.currency import Currency, currency

#: The check that says which resources must carry a source, and finds those that do not.
UNSOURCED_CHECK = "fact-without-source.rq"

_CLASS_COUNTS = """
SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE {
  ?class a owl:Class . FILTER(STRSTARTS(STR(?class), STR(lex:)))
  OPTIONAL { ?x a ?class }
} GROUP BY ?class ORDER BY ?class
"""
_MODALITY_COUNTS = """
SELECT ?modality (COUNT(DISTINCT ?p) AS ?provisions) (COUNT(DISTINCT ?i) AS ?instruments) WHERE {
  ?modality a lex:CooperationModality .
  OPTIONAL { ?p lex:providesFor ?modality ; lex:partOf ?i }
} GROUP BY ?modality ORDER BY ?modality
"""
_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
_LINKS = "SELECT (COUNT(*) AS ?n) WHERE { ?p lex:providesFor ?m }"


@dataclass(frozen=True)
class Stats:
    """What ``lexgraph stats`` prints."""

    triples: int
    classes: tuple[tuple[str, int], ...]
    modalities: tuple[tuple[str, int, int], ...]
    modality_links: int
    unsourced: int
    sourced_classes: tuple[str, ...]
    #: Per instrument with a complete status list: its as-at date and the parties counted.
    currency: tuple[Currency, ...] = ()


def _rows(store: ox.Store, text: str) -> list[ox.QuerySolution]:
    result = store.query(sparql_prologue() + text, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    return list(result)


def _int(term: object) -> int:
    return int(term.value) if isinstance(term, ox.Literal) else 0


def _local(term: object) -> str:
    value = term.value if isinstance(term, ox.NamedNode) else str(term)
    return value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def compute_stats(store: ox.Store, checks: Path | None = None) -> Stats:
    """Count the built graph (the check is read from ``checks``, by default the project's)."""
    from lexgraph.core.paths import Layout
    from lexgraph.store.library import read_query
    from lexgraph.store.query import execute

    check = read_query((checks or Layout.default().checks) / UNSOURCED_CHECK)
    values = check.text[check.text.index("VALUES ?class") :].split("}", 1)[0]
    classes = tuple((_local(r["class"]), _int(r["n"])) for r in _rows(store, _CLASS_COUNTS))
    modalities = tuple(
        (_local(r["modality"]), _int(r["provisions"]), _int(r["instruments"]))
        for r in _rows(store, _MODALITY_COUNTS)
    )
    return Stats(
        triples=_int(_rows(store, _TRIPLES)[0]["n"]),
        classes=classes,
        modalities=modalities,
        modality_links=_int(_rows(store, _LINKS)[0]["n"]),
        unsourced=len(execute(store, check.text, {}, check.name).rows),
        sourced_classes=tuple(re.findall(r"lex:(\w+)", values)),
        currency=tuple(currency(store)),
    )


def render_stats(stats: Stats) -> str:
    """Render stats as aligned text."""
    lines = [f"triples: {stats.triples}", "", "instances per class:"]
    lines += [f"  {name:<42} {n:>6}" for name, n in stats.classes]
    lines += ["", "provisions and instruments per modality:"]
    lines += [f"  {name:<42} {p:>6} {i:>4}" for name, p, i in stats.modalities]
    lines += [
        "",
        f"provision -> modality links: {stats.modality_links}",
        f"facts without a source ({', '.join(stats.sourced_classes)}): {stats.unsourced}",
    ]
    if stats.currency:
        lines += [
            "",
            "participation data per instrument (latest complete status list; parties recorded"
            " in the graph, parties that list reports):",
        ]
        lines += [
            f"  {_local(c.instrument):<42} as at {c.as_at:<10} {c.recorded:>4} recorded"
            f" {c.reported if c.reported is not None else '?':>4} reported"
            for c in stats.currency
        ]
    return "\n".join(lines) + "\n"
