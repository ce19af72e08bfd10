"""Gaps and dyads: the finder asked for every crime type and modality, or for every instrument.

:func:`gaps` lists the (crime type, modality) pairs for which no shared instrument gives one
state a basis to ask another; :func:`dyad` lists the instruments both states are bound by.
Both decide as :func:`lexgraph.finder.basis.find_basis` does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import pyoxigraph as ox

from lexgraph.core.terms import Lex
from lexgraph.finder.basis import (
    BASIS,
    CONDITIONAL,
    NO_BASIS,
    NO_INSTRUMENT,
    UNKNOWN,
    Context,
    default_store,
    parse_day,
)
from lexgraph.finder.decide import decide_all
from lexgraph.finder.standing import BOUND, Standing
from lexgraph.store.labels import label
from lexgraph.store.names import resolve_state
from lexgraph.store.walk import instances, value


@dataclass(frozen=True)
class Gap:
    """A crime type and modality for which no shared instrument gives a basis."""

    crime: str
    modality: str
    #: no-instrument: nothing in the corpus provides it; no-basis: every candidate fails;
    #: conditional: a basis exists only if facts of the case meet a candidate's conditions;
    #: unknown: some candidate depends on participation data that is missing or too old.
    verdict: str
    candidates: tuple[str, ...]


def gaps(
    requesting: str,
    requested: str,
    on: dt.date | str | None = None,
    *,
    store: ox.Store | None = None,
) -> tuple[Gap, ...]:
    """Return every (crime type, modality) pair without a basis between the two states.

    A pair whose candidates fail only for want of participation data is reported as
    ``unknown``, never as a gap proven by the data.
    """
    store = default_store(store)
    day = parse_day(on)
    a, b = resolve_state(store, requesting), resolve_state(store, requested)
    context = Context.of(store, day, (a, b))
    found = []
    for crime in instances(store, Lex.CrimeType):
        crime_context = replace(context, crime=crime.value)
        for modality in instances(store, Lex.CooperationModality):
            pair_context = replace(crime_context, modality=modality.value)
            results = decide_all(pair_context, crime, modality, a.value, b.value)
            if any(r.verdict == BASIS for r in results):
                continue
            if not results:
                verdict = NO_INSTRUMENT
            elif any(r.verdict == CONDITIONAL for r in results):
                verdict = CONDITIONAL
            elif any(r.verdict == UNKNOWN for r in results):
                verdict = UNKNOWN
            else:
                verdict = NO_BASIS
            found.append(
                Gap(crime.value, modality.value, verdict, tuple(r.instrument for r in results))
            )
    return tuple(found)


@dataclass(frozen=True)
class Shared:
    """An instrument both states are bound by, and since when."""

    instrument: str
    title: str
    since: dt.date | None
    standings: tuple[Standing, Standing]


def dyad(
    first: str,
    second: str,
    on: dt.date | str | None = None,
    *,
    store: ox.Store | None = None,
) -> tuple[Shared, ...]:
    """Return the timeline of the instruments both states are bound by on ``on``.

    ``since`` is the later of the two dates from which each state is bound (its entry into
    force for the state where recorded, else its consent); instruments where either state's
    standing is unknown are left out, as they cannot be placed on the timeline.
    """
    store = default_store(store)
    day = parse_day(on)
    a, b = resolve_state(store, first), resolve_state(store, second)
    context = Context.of(store, day, (a, b))
    parties = context.parties
    shared = []
    for instrument in sorted(set(parties[a.value].acts) & set(parties[b.value].acts)):
        in_force = value(store, instrument, Lex.entryIntoForceDate)
        if not isinstance(in_force, dt.date) or in_force > day:
            continue
        pair = tuple(context.standing(s, instrument) for s in (a.value, b.value))
        if all(p.status == BOUND for p in pair):
            dates = [p.since for p in pair if p.since]
            since = max([*dates, in_force]) if dates else None
            shared.append(Shared(instrument, label(store, instrument), since, (pair[0], pair[1])))
    return tuple(sorted(shared, key=lambda s: (s.since or dt.date.max, s.instrument)))
