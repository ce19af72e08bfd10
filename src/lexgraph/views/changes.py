"""The recorded changes in participation, for ``lexgraph changes`` and the release's feed.

``lexgraph update`` writes one ``lex:ParticipationChange`` per change it finds between two
snapshots of a depositary's status list (:mod:`lexgraph.importers.changes`); this module
reads them from the built graph with ``queries/views/changes.rq``, filters them by the
depositary's as-at date, state and instrument, and names them for people.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from lexgraph.core.errors import InputError
from lexgraph.store.labels import label, last_segment
from lexgraph.store.library import read_query
from lexgraph.store.names import resolve_state
from lexgraph.store.query import execute, resolve_keyed

#: The columns of a change in tables, CSV and JSON, in order.
COLUMNS = (
    "as_at",
    "instrument",
    "instrument_name",
    "state",
    "state_name",
    "change",
    "change_label",
    "act_date",
    "previous_as_at",
    "source",
    "id",
)


@dataclass(frozen=True)
class ChangeRow:
    """One recorded change, with the names people read it by."""

    id: str
    as_at: str
    instrument: str
    instrument_name: str
    state: str
    state_name: str
    change: str
    change_label: str
    act_date: str
    previous_as_at: str
    source: str

    def values(self) -> dict[str, str]:
        return {c: getattr(self, c) for c in COLUMNS}


def _day(value: str, what: str) -> str:
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise InputError(f"{what} {value!r} is not a date YYYY-MM-DD") from None


def all_changes(store: ox.Store, views: Path) -> list[ChangeRow]:
    """Every change the graph records, newest as-at date first."""
    result = execute(store, read_query(views / "changes.rq").text, where="changes.rq")
    rows: list[ChangeRow] = []
    names: dict[str, str] = {}

    def name(iri: str) -> str:
        if iri not in names:
            names[iri] = label(store, iri)
        return names[iri]

    for values in result.values():
        text = {k: "" if v is None else str(v) for k, v in values.items()}
        rows.append(
            ChangeRow(
                id=text["change"],
                as_at=text["asAt"],
                instrument=last_segment(text["instrument"]),
                instrument_name=name(text["instrument"]),
                state=last_segment(text["participant"]),
                state_name=name(text["participant"]),
                change=last_segment(text["kind"]),
                change_label=name(text["kind"]),
                act_date=text["actDate"],
                previous_as_at=text["previousAsAt"],
                source=text["source"],
            )
        )
    return rows


def changes(
    store: ox.Store,
    views: Path,
    *,
    since: str | None = None,
    state: str | None = None,
    instrument: str | None = None,
) -> list[ChangeRow]:
    """The changes shown on or after ``since`` (the depositary's as-at date), of ``state`` (an
    ISO code or a name) and of ``instrument`` (a key or a name); a bad value is an
    :class:`InputError` saying which."""
    day = _day(since, "--since") if since else None
    wanted_state = last_segment(resolve_state(store, state).value) if state else None
    wanted = (
        last_segment(resolve_keyed(store, "instrument", instrument).value) if instrument else None
    )
    return [
        row
        for row in all_changes(store, views)
        if (day is None or row.as_at >= day)
        and (wanted_state is None or row.state == wanted_state)
        and (wanted is None or row.instrument == wanted)
    ]
