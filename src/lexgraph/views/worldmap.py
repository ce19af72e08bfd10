"""Where every state stands towards one instrument, by ISO alpha-2 code, for a world map.

The standing is :func:`~lexgraph.views.parties.standings`' (the finder's rule, read from the
participation records as at the instrument's data): "not a party" only where a record says so,
and "unknown" wherever no record decides, never the other way round.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pyoxigraph as ox

from lexgraph.core.namespaces import key_of
from lexgraph.core.paths import Layout
from lexgraph.core.terms import Lex
from lexgraph.store.labels import short_name
from lexgraph.store.walk import instances, value
from lexgraph.views.context import Context, Used, instrument_iri
from lexgraph.views.parties import OF_INSTRUMENT, standings


@dataclass(frozen=True)
class WorldStanding:
    """Each state's standing towards an instrument, by ISO alpha-2 code (upper case)."""

    title: str
    instrument: str
    as_at: str
    status: dict[str, str]
    names: dict[str, str]
    caption: str
    used: tuple[Used, ...]

    def counts(self) -> Counter[str]:
        """How many states have each standing."""
        return Counter(self.status.values())


def world_standing(
    instrument: str, *, store: ox.Store | None = None, layout: Layout | None = None
) -> WorldStanding:
    """Where each state of the graph stands towards ``instrument`` (key, IRI or label)."""
    ctx = Context.of(store, layout)
    iri = instrument_iri(ctx, instrument)
    codes: dict[str, str] = {}
    for state in instances(ctx.store, Lex.State):
        code = value(ctx.store, state.value, Lex.iso3166Alpha2)
        if isinstance(code, str):
            codes[state.value] = code.upper()
    status, as_at, _ = standings(ctx, sorted(codes), [iri])
    name = short_name(ctx.store, iri)
    return WorldStanding(
        title=f"Participation in {name}"
        + (f" as at {as_at[iri]}" if as_at.get(iri) else " (no dated record)"),
        instrument=iri,
        as_at=as_at.get(iri, ""),
        status={codes[s]: status[(s, iri)] for s in codes},
        names={codes[s]: short_name(ctx.store, s) for s in codes},
        caption=ctx.caption(),
        used=(Used(OF_INSTRUMENT, (("instrument", key_of(iri).split("/", 1)[1]),)),),
    )
