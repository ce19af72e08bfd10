"""The parties: participation records of an instrument or a state, and where states stand.

The records are read by the finder's one reader (:func:`lexgraph.finder.standing.read_records`,
``queries/views/participation.rq``) and a state's standing is the finder's
:func:`~lexgraph.finder.standing.standing`, so that "unknown" is never shown as "not a party".
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

import pyoxigraph as ox

from lexgraph.core.errors import InputError
from lexgraph.core.namespaces import key_of
from lexgraph.core.paths import Layout
from lexgraph.finder.membership import read_memberships
from lexgraph.finder.standing import (
    BOUND,
    DENOUNCED,
    NOT_PARTY,
    NOT_YET_IN_FORCE,
    SIGNATORY,
    UNKNOWN_STANDING,
    Act,
    Record,
    consent_kinds,
    read_records,
    standing,
    view_query,
)
from lexgraph.store.labels import short_name
from lexgraph.store.library import LibraryQuery, parse_params
from lexgraph.store.names import resolve_state
from lexgraph.views.context import (
    Context,
    Table,
    Used,
    cell,
    data_date,
    instrument_iri,
    region_states,
)

#: Short cell texts of the participation matrix, by standing.
STATUS_TEXT = {
    BOUND: "bound",
    SIGNATORY: "signed",
    NOT_YET_IN_FORCE: "consented",
    NOT_PARTY: "not a party",
    DENOUNCED: "denounced",
    UNKNOWN_STANDING: "unknown",
}
#: The names of ``queries/views/participation.rq`` as the views show it, bound to an
#: instrument or to a state (:data:`PARTICIPATION`, :data:`PARTICIPATION_OF_STATE`).
OF_INSTRUMENT, OF_STATE = "participation-of-instrument", "participation-of-state"
_SHOWN = {
    "PARTICIPATION": (
        OF_INSTRUMENT,
        "Every participation record of an instrument, with its source and the as-at date",
        "instrument:instrument=untoc",
    ),
    "PARTICIPATION_OF_STATE": (
        OF_STATE,
        "Every participation record of a state, with its source and the as-at date",
        "state:state=FRA",
    ),
}


@functools.cache
def _shown(name: str, summary: str, params: str) -> LibraryQuery:
    query = view_query("participation")
    body = "".join(line for line in query.text.splitlines(True) if not line.startswith("#+"))
    text = f"#+ summary: {summary}\n#+ params: {params}\n#+ tags: participation, views\n{body}"
    return replace(query, name=name, text=text, summary=summary, params=parse_params(params, name))


def __getattr__(name: str) -> LibraryQuery:
    """``PARTICIPATION`` and ``PARTICIPATION_OF_STATE``: the query file, read on first use."""
    if name in _SHOWN:
        return _shown(*_SHOWN[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def records(ctx: Context) -> list[Record]:
    """Every participation record of the graph, one per record, sources sorted."""
    return read_records(ctx.store, views=ctx.layout.views)


def period_end(text: str) -> dt.date | None:
    """The last day an as-at date covers: ``2015-09`` covers September, ``2015`` the year.

    >>> period_end("2015-09"), period_end("2016"), period_end("2014-01-27")
    (datetime.date(2015, 9, 30), datetime.date(2016, 12, 31), datetime.date(2014, 1, 27))
    """
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text.strip())
    if not match:
        return None
    year, month, day = match.groups()
    if day:
        return dt.date(int(year), int(month), int(day))
    if month:
        following = dt.date(int(year) + int(month) // 12, int(month) % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return dt.date(int(year), 12, 31)


def standings(
    ctx: Context, states: Sequence[str], instruments: Sequence[str] | None = None
) -> tuple[dict[tuple[str, str], str], dict[str, str], list[Record]]:
    """Where each state stands towards each instrument as at the instrument's data.

    The date is the latest that any record of the instrument covers (its as-at date, a
    month or a year as at counting to the period's end). The standing is
    :func:`~lexgraph.finder.standing.standing`'s from the records alone (the complete status
    lists, which the finder also reads, are not; an instrument open only to the members of an
    organisation shows a state that was not a member then as not a party), except that a
    state whose standing is unknown but which signed on or before that date is shown as
    "signed". Returns the status
    by (state, instrument), the date used per instrument and the records of the states.
    """
    wanted = set(states)
    every = records(ctx)
    by_pair: dict[tuple[str, str], list[Act]] = defaultdict(list)
    latest: dict[str, dt.date] = {}
    for rec in every:
        seen = period_end(rec.act.as_at or "") or rec.act.date
        if seen and (rec.instrument not in latest or seen > latest[rec.instrument]):
            latest[rec.instrument] = seen
        if rec.state in wanted:
            by_pair[(rec.state, rec.instrument)].append(rec.act)
    columns = instruments if instruments is not None else sorted({i for _, i in by_pair})
    consenting = consent_kinds(ctx.store)
    memberships = read_memberships(ctx.store, ctx.layout.views)
    fallback = dt.date.fromisoformat(
        data_date(ctx.layout, ctx.store) or dt.date.today().isoformat()
    )
    status: dict[tuple[str, str], str] = {}
    for instrument in columns:
        on = latest.get(instrument, fallback)
        for state in states:
            acts = by_pair.get((state, instrument), [])
            outside = memberships.outside(state, instrument, on)
            found = standing(state, instrument, acts, [], consenting, on, outside=outside)
            text = STATUS_TEXT.get(found.status, found.status)
            if found.status == UNKNOWN_STANDING and any(
                a.kind == "signature" and a.date and a.date <= on for a in acts
            ):
                text = STATUS_TEXT[SIGNATORY]
            status[(state, instrument)] = text
    dates = {i: latest[i].isoformat() if i in latest else "" for i in columns}
    return status, dates, [r for r in every if r.state in wanted]


def parties_table(
    instrument: str | None = None,
    state: str | None = None,
    region: str | None = None,
    *,
    store: ox.Store | None = None,
    layout: Layout | None = None,
) -> Table:
    """The participation records of an instrument (optionally of a region's states) or of a
    state, each with its date, the as-at date of its source, and the source."""
    ctx = Context.of(store, layout)
    if (instrument is None) == (state is None):
        raise InputError("parties: give either --instrument or --state")
    if state is not None:
        iri = resolve_state(ctx.store, state).value
        chosen = [r for r in records(ctx) if r.state == iri]
        names = {r.instrument: short_name(ctx.store, r.instrument) for r in chosen}
        merged = _merged(chosen)
        merged.sort(key=lambda g: (g[0].act.date or dt.date.max, names[g[0].instrument]))
        rows: tuple[tuple[str, ...], ...] = tuple(
            (names[g[0].instrument], *_act_cells(g)) for g in merged
        )
        return Table(
            f"Participation records of {short_name(ctx.store, iri)}",
            ("instrument", "act", "date", "in force for it", "as at", "source"),
            rows,
            ctx.caption(),
            (Used(OF_STATE, (("state", key_of(iri).split("/", 1)[1]),)),),
        )
    assert instrument is not None
    iri = instrument_iri(ctx, instrument)
    chosen = [r for r in records(ctx) if r.instrument == iri]
    used = [Used(OF_INSTRUMENT, (("instrument", key_of(iri).split("/", 1)[1]),))]
    title = f"Participation records of {short_name(ctx.store, iri)}"
    if region is not None:
        key, label, states = region_states(ctx, region)
        members = {s.iri for s in states}
        chosen = [r for r in chosen if r.state in members]
        used.append(Used("states-in-region", (("region", key),)))
        title += f", states of {label}"
    named = {r.state: short_name(ctx.store, r.state) for r in chosen}
    merged = _merged(chosen)
    merged.sort(
        key=lambda g: (_sort_name(named[g[0].state]), g[0].state, g[0].act.date or dt.date.max)
    )
    rows = tuple(
        (named[g[0].state], key_of(g[0].state).split("/", 1)[-1], *_act_cells(g)) for g in merged
    )
    return Table(
        title,
        ("participant", "code", "act", "date", "in force for it", "as at", "source"),
        rows,
        ctx.caption(),
        tuple(used),
    )


def _merged(chosen: Sequence[Record]) -> list[list[Record]]:
    """The records grouped by act: one group per state, instrument, kind and date, in which
    each source that reports the act is one record (an act cited by a depositary and by a
    secondary source is one row with both sources)."""
    groups: dict[tuple[str, str, str, dt.date | None], list[Record]] = defaultdict(list)
    for r in chosen:
        groups[(r.state, r.instrument, r.act.kind, r.act.date)].append(r)
    return [
        sorted(g, key=lambda r: (r.act.secondary, r.act.source, r.act.as_at or ""))
        for g in groups.values()
    ]


def _sort_name(name: str) -> str:
    """A name as a reader looks it up: without accents or case (Côte d'Ivoire under C)."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


def _act_cells(group: Sequence[Record]) -> tuple[str, str, str, str, str]:
    """The act's kind, date, entry into force (the first source that gives one), the as-at
    dates and the sources of every record of ``group``, each once, in the same order."""
    a = group[0].act
    in_force = next((r.act.in_force for r in group if r.act.in_force), None)
    seen = list(dict.fromkeys(r.act.as_at or "" for r in group))
    sources = list(dict.fromkeys(r.source_text for r in group))
    return (
        a.kind,
        cell(a.date),
        cell(in_force),
        "; ".join(s for s in seen if s),
        "; ".join(sources),
    )
