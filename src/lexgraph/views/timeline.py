"""The timelines: a state's participation acts over time, or the instruments' own dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pyoxigraph as ox

from lexgraph.core.namespaces import key_of
from lexgraph.core.paths import Layout
from lexgraph.finder.standing import consent_kinds, read_records
from lexgraph.store.labels import short_name
from lexgraph.store.names import resolve_state
from lexgraph.views.context import Axis, Context, Used, cell
from lexgraph.views.parties import OF_STATE


@dataclass(frozen=True)
class Event:
    """A dated point of a timeline: a participation act, an adoption, an entry into force."""

    row: str
    row_label: str
    kind: str
    date: dt.date
    note: str = ""


@dataclass(frozen=True)
class Timeline:
    """The events of a timeline, their rows in order, and what could not be placed."""

    title: str
    rows: tuple[Axis, ...]
    events: tuple[Event, ...]
    caption: str
    used: tuple[Used, ...]
    undated: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)


def _instruments(ctx: Context) -> Timeline:
    events: list[Event] = []
    axes: list[Axis] = []
    for row in ctx.rows("instrument-timeline"):
        iri, title = str(row["instrument"]), cell(row["title"])
        axes.append(Axis(iri, title, short_name(ctx.store, iri)))
        if isinstance(row["date"], dt.date):
            events.append(Event(iri, title, str(row["dated"]), row["date"]))
        if isinstance(row["entryIntoForce"], dt.date):
            events.append(Event(iri, title, "in force", row["entryIntoForce"]))
    return Timeline(
        "Adoption (or opening for signature) and entry into force of the instruments",
        tuple(axes),
        tuple(events),
        ctx.caption(),
        (Used("instrument-timeline"),),
        notes=(
            "Every instrument with a date: its adoption, or the day it was opened for signature"
            " where the graph records no adoption date.",
        ),
    )


def timeline(
    state: str | None = None, *, store: ox.Store | None = None, layout: Layout | None = None
) -> Timeline:
    """A state's participation acts over time, or every instrument's adoption and entry into
    force when no state is given."""
    ctx = Context.of(store, layout)
    if state is None:
        return _instruments(ctx)
    iri = resolve_state(ctx.store, state).value
    consenting = consent_kinds(ctx.store)
    events = []
    undated = 0
    for r in read_records(ctx.store, state=iri, views=ctx.layout.views):
        when = r.act.date or r.act.in_force
        if when is None:
            undated += 1
            continue
        kind = "consent" if r.act.kind in consenting else r.act.kind
        events.append(Event(r.instrument, ctx.label(r.instrument), kind, when, r.act.line()))
    firsts: dict[str, dt.date] = {}
    for e in events:
        firsts[e.row] = min(firsts.get(e.row, e.date), e.date)
    rows = [
        Axis(i, ctx.label(i), short_name(ctx.store, i))
        for i in sorted(firsts, key=lambda i: (firsts[i], i))
    ]
    return Timeline(
        f"Participation of {ctx.label(iri)} over time",
        tuple(rows),
        tuple(sorted(events, key=lambda e: (e.date, e.row, e.kind))),
        ctx.caption(),
        (Used(OF_STATE, (("state", key_of(iri).split("/", 1)[1]),)),),
        undated,
        (f"{undated} undated record(s) are not drawn.",) if undated else (),
    )
