"""Channels: the networks of competent authorities through which two states can send or
prepare a request.

A legal basis says whether a state may ask another; a channel says through whom. The graph
holds cooperation networks (``lex:Network``: the European Judicial Network, Eurojust, IberRed,
the asset-recovery networks, the Egmont Group, INTERPOL's and the 24/7 networks...), the
modalities each serves (``lex:serves``) and, where a sound source lists them, its members
(``lex:member``), as at the source's date. :func:`channels` lists, for two states:

- ``shared``: the networks both states are members of;
- ``one_side``: those only one of them is recorded in (the other is not in the list the
  graph holds, which says nothing of later membership);
- ``unrecorded``: those whose members the graph does not list, which may or may not connect
  the two states.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from lexgraph.core.terms import Dcterms, Lex, Skos
from lexgraph.store.labels import short_name
from lexgraph.store.names import resolve_state
from lexgraph.store.query import resolve_keyed
from lexgraph.store.walk import closure, instances, objects, value


@dataclass(frozen=True)
class Channel:
    """A network, the modalities it serves, and its members as the graph records them."""

    network: str
    name: str
    modalities: tuple[str, ...]
    #: The members' IRIs; None when the graph does not list them.
    members: tuple[str, ...] | None
    as_at: str | None
    source: str | None
    note: str | None


@dataclass(frozen=True)
class ChannelAnswer:
    """The networks that connect two states, for one modality or for any."""

    first: str
    second: str
    modality: str | None
    shared: tuple[Channel, ...]
    one_side: tuple[Channel, ...]
    unrecorded: tuple[Channel, ...]


def network(store: ox.Store, node: ox.NamedNode) -> Channel:
    """A network as the graph records it."""
    members = sorted(m.value for m in objects(store, node, Lex.member))
    sources = sorted(s.value for s in objects(store, node, Dcterms.source))
    as_at = value(store, node.value, Lex.asAt)
    note = value(store, node.value, Skos.definition)
    return Channel(
        network=node.value,
        name=short_name(store, node.value),
        modalities=tuple(sorted(m.value for m in objects(store, node, Lex.serves))),
        members=tuple(members) if members else None,
        as_at=None if as_at is None else str(as_at),
        source=sources[0] if sources else None,
        note=None if note is None else str(note),
    )


def channels(
    first: str,
    second: str,
    modality: str | None = None,
    *,
    store: ox.Store,
) -> ChannelAnswer:
    """The networks that connect ``first`` and ``second`` (codes or names), serving
    ``modality`` (a key or label; a network serving a broader or narrower modality counts)
    or any modality when None."""
    a, b = resolve_state(store, first), resolve_state(store, second)
    wanted: set[str] | None = None
    chosen = None
    if modality is not None:
        chosen = resolve_keyed(store, "modality", modality)
        wanted = {chosen.value}
        wanted |= {m.value for m in closure(store, chosen, Skos.broader, inverse=False)}
        wanted |= {m.value for m in closure(store, chosen, Skos.broader, inverse=True)}
    shared, one_side, unrecorded = [], [], []
    for node in instances(store, Lex.Network):
        found = network(store, node)
        if wanted is not None and not wanted.intersection(found.modalities):
            continue
        if found.members is None:
            unrecorded.append(found)
            continue
        inside = [s.value in found.members for s in (a, b)]
        if all(inside):
            shared.append(found)
        elif any(inside):
            one_side.append(found)

    def by_name(items: list[Channel]) -> tuple[Channel, ...]:
        return tuple(sorted(items, key=lambda c: (c.name.casefold(), c.network)))

    return ChannelAnswer(
        a.value,
        b.value,
        None if chosen is None else chosen.value,
        by_name(shared),
        by_name(one_side),
        by_name(unrecorded),
    )
