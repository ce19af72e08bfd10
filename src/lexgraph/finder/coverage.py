"""The coverage rule: how an instrument reaches a crime type and which articles provide a modality.

An instrument reaches a crime type when it covers

- the crime type itself (``direct``),
- a broader type of it (``broader``: the crime falls within what it covers),
- a narrower type of it (``narrower``: only that part of the crime), or
- when a protocol that reaches the crime in one of those ways has its offences established
  under it (``protocol``: UNTOC and its Protocols; both instruments must then bind both
  states). This way counts only for an instrument that does not reach the crime by itself.

An instrument whose cooperation reaches only the offences it establishes (a scope of kind
``own-offences`` for the modality, and no wider one) reaches a crime type only through the
crime types its articles criminalise, not through everything it covers: the Council of Europe
Convention on the Prevention of Terrorism covers terrorism, but its art. 19 reaches only the
offences of its arts 5-7 and 9, not hostage-taking.

An instrument that reaches the crime in none of these ways still reaches it when its
cooperation reaches offences beyond its own for the modality (``scope``: a penalty threshold,
any offence, or electronic evidence of any offence, such as ETS 24 art. 2, ETS 30 art. 1 or
UNTOC's serious crime, art. 2(b) and 3): every crime type is then a candidate, on the
conditions the scope names (:mod:`lexgraph.finder.model`).

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
from lexgraph.finder.model import GENERAL_SCOPES, general_instruments, scopes
from lexgraph.store.walk import closure, objects, subjects, value

#: How an instrument reaches the crime, best first.
RULES = ("direct", "broader", "protocol", "narrower", "scope")
RULE_TEXT = {
    "direct": "{instrument} covers {via}",
    "broader": "{instrument} covers {via}, a broader type of {crime}",
    "narrower": "{instrument} covers {via}, a narrower type of {crime} (only that part)",
    "protocol": "{protocol} covers {via} and its offences are established under {instrument}",
    "scope": "{instrument} reaches offences beyond its own for this modality ({via})",
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


def articles(
    store: ox.Store,
    instrument: str,
    modality: str | None = None,
    links: dict[str, list[tuple[str, str]]] | None = None,
) -> tuple[Article, ...]:
    """The provisions of ``instrument`` that provide ``modality`` (any modality when None).

    One :class:`Article` per provision and modality provided for, in the provisions' order.
    ``links`` is :func:`provision_links` when the caller asks for many instruments.
    """
    found = []
    # An article provides the modality when it provides it or a narrower one.
    wanted = None
    if modality is not None:
        node = ox.NamedNode(modality)
        wanted = {modality} | {m.value for m in closure(store, node, Skos.broader, inverse=True)}
    for provision, provided in (links or provision_links(store)).get(instrument, ()):
        if wanted is None or provided in wanted:
            number = value(store, provision, Lex.articleNumber)
            heading = value(store, provision, Lex.heading)
            found.append(
                Article(
                    provision,
                    None if number is None else str(number),
                    None if heading is None else str(heading),
                    provided,
                )
            )
    return tuple(sorted(set(found), key=lambda a: natural_key(a.provision)))


def provision_links(store: ox.Store) -> dict[str, list[tuple[str, str]]]:
    """Every (provision, modality provided) of the graph, by instrument: the graph has a few
    hundred such links, fewer than the provisions of the instruments they belong to."""
    links: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for quad in store.quads_for_pattern(None, ox.NamedNode(Lex.providesFor), None):
        provision, provided = quad.subject, quad.object
        if not isinstance(provision, ox.NamedNode) or not isinstance(provided, ox.NamedNode):
            continue
        for instrument in objects(store, provision, Lex.partOf):
            links[instrument.value].append((provision.value, provided.value))
    return links


def own_offences_only(store: ox.Store, instrument: str, modality: str) -> bool:
    """Whether the cooperation of ``instrument`` for ``modality`` reaches only the offences its
    articles establish: a scope of kind own-offences, no wider scope, and articles that
    criminalise (without them the graph cannot narrow what it covers)."""
    kinds = {s.kind for s in scopes(store, instrument, modality)}
    if "own-offences" not in kinds or kinds & GENERAL_SCOPES:
        return False
    return bool(criminalised(store, instrument))


def criminalised(store: ox.Store, instrument: str) -> frozenset[str]:
    """The crime types the articles of ``instrument`` criminalise."""
    return frozenset(
        c.value
        for provision in subjects(store, Lex.partOf, ox.NamedNode(instrument))
        for c in objects(store, provision, Lex.criminalises)
    )


def by_own_offences(store: ox.Store, crime: ox.NamedNode, instrument: str) -> list[Reach]:
    """The ways ``instrument`` reaches ``crime`` through the crime types it criminalises."""
    own = criminalised(store, instrument)
    ways = [("direct", crime)]
    ways += [("broader", c) for c in closure(store, crime, Skos.broader, inverse=False)]
    ways += [("narrower", c) for c in closure(store, crime, Skos.broader, inverse=True)]
    return [Reach(instrument, rule, via.value) for rule, via in ways if via.value in own]


def candidates(store: ox.Store, crime: ox.NamedNode, modality: ox.NamedNode) -> list[Candidate]:
    """The instruments that reach ``crime`` and provide ``modality``: the best way of each
    instrument (of each of its protocols, when it is reached through them), best rule first;
    then those that reach it only through a scope wider than their own offences.
    """
    found = []
    links = provision_links(store)
    reached = reaching(store, crime)
    for instrument, ways in reached.items():
        if own_offences_only(store, instrument, modality.value):
            ways = by_own_offences(store, crime, instrument) + [
                w for w in ways if w.rule == "protocol"
            ]
            ways.sort(key=lambda r: RULES.index(r.rule))
        best: dict[str | None, Reach] = {}
        for reach in ways:
            best.setdefault(reach.protocol, reach)
        provided = articles(store, instrument, modality.value, links)
        if provided and best:
            found += [
                Candidate(instrument, r.rule, r.via, r.protocol, provided) for r in best.values()
            ]
    for instrument in general_instruments(store):
        if instrument in reached:
            continue
        wide = [s for s in scopes(store, instrument, modality.value) if s.kind in GENERAL_SCOPES]
        provided = articles(store, instrument, modality.value, links)
        if wide and provided:
            found.append(Candidate(instrument, "scope", wide[0].node, None, provided))
    return sorted(found, key=lambda c: (RULES.index(c.rule), c.instrument, c.protocol or ""))
