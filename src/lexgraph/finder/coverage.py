"""The coverage rule: how an instrument reaches a crime type and which articles provide a modality.

An instrument reaches a crime type when it covers

- the crime type itself (``direct``),
- a broader type of it (``broader``: the crime falls within what it covers),
- a narrower type of it (``narrower``: only that part of the crime), or
- when a protocol that reaches the crime in one of those ways has its offences established
  under it (``protocol``: UNTOC and its Protocols; both instruments must then bind both
  states). This way counts only for an instrument that does not reach the crime by itself.

An article provides a modality when what it provides for is the modality or a narrower one.

The finder, the views, the brief and the site use this module; ``queries/views/
basis-candidates.rq`` states the same rule in SPARQL and a test holds the two to the same
answers for every crime type and modality of the graph.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from lexgraph.core.terms import Lex, Skos
from lexgraph.core.turtle import natural_key
from lexgraph.store.walk import closure, objects, subjects, value

#: How an instrument reaches the crime, best first.
RULES = ("direct", "broader", "protocol", "narrower")
RULE_TEXT = {
    "direct": "{instrument} covers {via}",
    "broader": "{instrument} covers {via}, a broader type of {crime}",
    "narrower": "{instrument} covers {via}, a narrower type of {crime} (only that part)",
    "protocol": "{protocol} covers {via} and its offences are established under {instrument}",
}


@dataclass(frozen=True)
class Reach:
    """One way an instrument reaches a crime type: the rule, the type covered, the protocol."""

    instrument: str
    rule: str
    via: str
    protocol: str | None = None


@dataclass(frozen=True)
class Article:
    """A provision of the instrument that provides for the modality (or a narrower one)."""

    provision: str
    number: str | None
    heading: str | None
    provides: str


@dataclass(frozen=True)
class Candidate:
    """An instrument that reaches the crime by its best way and provides the modality."""

    instrument: str
    rule: str
    via: str
    protocol: str | None
    articles: tuple[Article, ...]


def reaches(store: ox.Store, crime: ox.NamedNode) -> list[Reach]:
    """Every way any instrument reaches ``crime``, in the order the graph gives.

    All of them: :func:`reaching` keeps what counts.
    """
    ways: list[tuple[str, ox.NamedNode]] = [("direct", crime)]
    ways += [("broader", c) for c in closure(store, crime, Skos.broader, inverse=False)]
    ways += [("narrower", c) for c in closure(store, crime, Skos.broader, inverse=True)]
    found = []
    for rule, via in ways:
        for covering in subjects(store, Lex.covers, via):
            found.append(Reach(covering.value, rule, via.value))
            found += [
                Reach(base.value, "protocol", via.value, covering.value)
                for base in objects(store, covering, Lex.offencesEstablishedUnder)
            ]
    return found


def reaching(store: ox.Store, crime: ox.NamedNode) -> dict[str, list[Reach]]:
    """The instruments that reach ``crime``, each with its ways, best first.

    An instrument that covers the crime (directly, or through a broader or narrower type) keeps
    those ways only; one reached only through protocols keeps a way per protocol. Among ways of
    the same rule the graph's order is kept.
    """
    found = reaches(store, crime)
    own = {r.instrument for r in found if r.protocol is None}
    grouped: dict[str, list[Reach]] = defaultdict(list)
    for reach in found:
        if reach.protocol is None or reach.instrument not in own:
            grouped[reach.instrument].append(reach)
    for ways in grouped.values():
        ways.sort(key=lambda r: RULES.index(r.rule))
    return dict(grouped)


def served(store: ox.Store, provided: str) -> frozenset[str]:
    """The modalities an article providing for ``provided`` provides: it and the broader ones."""
    node = ox.NamedNode(provided)
    return frozenset({provided} | {m.value for m in closure(store, node, Skos.broader, False)})


def articles(store: ox.Store, instrument: str, modality: str | None = None) -> tuple[Article, ...]:
    """The provisions of ``instrument`` that provide ``modality`` (any modality when None).

    One :class:`Article` per provision and modality provided for, in the provisions' order.
    """
    found = []
    for provision in subjects(store, Lex.partOf, ox.NamedNode(instrument)):
        for provided in objects(store, provision, Lex.providesFor):
            if modality is None or modality in served(store, provided.value):
                number = value(store, provision.value, Lex.articleNumber)
                heading = value(store, provision.value, Lex.heading)
                found.append(
                    Article(
                        provision.value,
                        None if number is None else str(number),
                        None if heading is None else str(heading),
                        provided.value,
                    )
                )
    return tuple(sorted(set(found), key=lambda a: natural_key(a.provision)))


def candidates(store: ox.Store, crime: ox.NamedNode, modality: ox.NamedNode) -> list[Candidate]:
    """The instruments that reach ``crime`` and provide ``modality``: the best way of each
    instrument (of each of its protocols, when it is reached through them), best rule first.
    """
    found = []
    for instrument, ways in reaching(store, crime).items():
        best: dict[str | None, Reach] = {}
        for reach in ways:
            best.setdefault(reach.protocol, reach)
        provided = articles(store, instrument, modality.value)
        if provided:
            found += [
                Candidate(instrument, r.rule, r.via, r.protocol, provided) for r in best.values()
            ]
    return sorted(found, key=lambda c: (RULES.index(c.rule), c.instrument, c.protocol or ""))
