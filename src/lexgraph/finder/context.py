"""What the finder reads once for a pair of states and a date: acts, reservations, status lists."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from lexgraph.core.errors import InputError
from lexgraph.core.terms import Lex
from lexgraph.finder.membership import Memberships, read_memberships
from lexgraph.finder.reservations import (
    Reservation,
    reservations_of,
)
from lexgraph.finder.standing import (
    Act,
    Standing,
    consent_kinds,
    read_records,
    read_status_lists,
    standing,
)
from lexgraph.store.labels import short_name
from lexgraph.store.memory import memory_store
from lexgraph.store.walk import value


@dataclass(frozen=True)
class _Party:
    """What the graph says of one state: its acts by instrument and its reservations."""

    acts: dict[str, list[Act]]
    reservations: list[Reservation]


def _party(store: ox.Store, state: ox.NamedNode) -> _Party:
    acts: dict[str, list[Act]] = defaultdict(list)
    for record in read_records(store, state=state.value):
        acts[record.instrument].append(record.act)
    for found in acts.values():
        found.sort(key=lambda a: (a.date or a.in_force or dt.date.max, a.secondary, a.record))
    return _Party(dict(acts), reservations_of(store, state))


@dataclass(frozen=True)
class Context:
    """What the finder reads once for a pair of states and a date, whatever the crime."""

    store: ox.Store
    on: dt.date
    crime: str
    modality: str
    parties: dict[str, _Party]
    lists: dict[str, list[tuple[str, str]]]
    consenting: frozenset[str]
    memberships: Memberships | None = None
    names: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        store: ox.Store,
        on: dt.date,
        states: Sequence[ox.NamedNode],
        crime: str = "",
        modality: str = "",
    ) -> Context:
        return cls(
            store=store,
            on=on,
            crime=crime,
            modality=modality,
            parties={s.value: _party(store, s) for s in states},
            lists=read_status_lists(store),
            consenting=consent_kinds(store),
            memberships=read_memberships(store),
        )

    def name(self, iri: str) -> str:
        """The short name of ``iri`` (:func:`lexgraph.store.labels.short_name`), read once."""
        found = self.names.get(iri)
        if found is None:
            found = self.names[iri] = short_name(self.store, iri)
        return found

    def standing(self, state: str, instrument: str) -> Standing:
        """Where ``state`` stands towards ``instrument`` on the date."""
        return standing(
            state,
            instrument,
            self.parties[state].acts.get(instrument, []),
            self.lists.get(instrument, []),
            self.consenting,
            self.on,
            self.entry_into_force(instrument),
            self.memberships.outside(state, instrument, self.on) if self.memberships else None,
        )

    def entry_into_force(self, instrument: str) -> dt.date | None:
        """The instrument's own entry into force, where the graph records it."""
        found = value(self.store, instrument, Lex.entryIntoForceDate)
        return found if isinstance(found, dt.date) else None


def default_store(store: ox.Store | None) -> ox.Store:
    """``store``, else this process's in-memory copy of the default layout's built store."""
    from lexgraph.core.paths import Layout

    return store if store is not None else memory_store(Layout.default().store)


def parse_day(on: dt.date | str | None) -> dt.date:
    """The date asked about: today for None, else a date or its ``YYYY-MM-DD`` text."""
    if on is None:
        return dt.date.today()
    if isinstance(on, dt.date):
        return on
    try:
        return dt.date.fromisoformat(on)
    except ValueError:
        raise InputError(f"date {on!r} is not YYYY-MM-DD") from None
