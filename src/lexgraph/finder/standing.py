"""Participation records, and where a state stands towards an instrument on a date.

One reader, :func:`read_records`, turns the rows of ``queries/views/participation.rq`` into
:class:`Record` objects for the finder and the views alike; :func:`read_status_lists` reads
``queries/views/status-lists.rq``. One decision, :func:`standing`, says where a state stands.

"Unknown" is never "not a party": a state without any record for an instrument, or whose
latest record is older than the date asked about and shows no consent, is *unknown*, with the
as-at date of the data that was seen. "Not a party" rests only on depositary or official
evidence (:func:`negative_evidence`): a complete status list, or a not-party record whose source
is of those tiers (``graph/source-domains.ttl``). The finder and every view (figures, tables,
site, briefs) decide through :func:`standing`, so they follow the same rule.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from lexgraph.core.namespaces import instance
from lexgraph.core.terms import Dcterms, Lex, Rdf, Skos
from lexgraph.core.tiers import NEGATIVE_EVIDENCE, best_tier, tier_key
from lexgraph.finder.membership import Outside
from lexgraph.store import walk
from lexgraph.store.labels import label, last_segment
from lexgraph.store.library import LibraryQuery, read_query
from lexgraph.store.query import execute, python_value
from lexgraph.store.walk import closure

#: Standings of a state towards an instrument on a date.
BOUND = "bound"
NOT_YET_IN_FORCE = "consented, not yet in force for it"
SIGNATORY = "signatory only"
NOT_PARTY = "not a party"
DENOUNCED = "denounced"
UNKNOWN_STANDING = "unknown"
#: Days after a consent within which an unrecorded entry into force for the state may fall.
UNRECORDED_START_DAYS = 90


@dataclass(frozen=True)
class Act:
    """One participation record of a state for an instrument, as one source reports it."""

    record: str
    kind: str
    date: dt.date | None
    in_force: dt.date | None
    as_at: str | None
    source: str
    secondary: bool
    #: The strongest tier of the record's sources (``lexgraph.core.tiers.TIERS``), if known.
    tier: str | None = None

    def line(self) -> str:
        when = self.date.isoformat() if self.date else "undated"
        extra = f", in force for it {self.in_force.isoformat()}" if self.in_force else ""
        seen = f", as at {self.as_at}" if self.as_at else ""
        kind = "secondary source" if self.secondary else "source"
        return f"{self.kind} {when}{extra} ({kind} {self.source}{seen})"


@dataclass(frozen=True)
class Record:
    """One participation record: the instrument, the participant and its name, the act."""

    instrument: str
    state: str
    name: str
    act: Act

    @property
    def source_text(self) -> str:
        kind = "secondary source" if self.act.secondary else "source"
        return f"{kind}: {self.act.source}" if self.act.source else "no source"


@dataclass(frozen=True)
class Standing:
    """Where a state stands towards an instrument on the date asked about, and why."""

    state: str
    instrument: str
    status: str
    since: dt.date | None
    acts: tuple[Act, ...]
    as_at: str | None
    note: str
    #: Why the state cannot be bound: the instrument is open only to the members of an
    #: organisation it was not a member of on the date (:mod:`lexgraph.finder.membership`).
    membership: Outside | None = None


# ---------------------------------------------------------------------------------------------
# Reading


def view_query(name: str, views: Path | None = None) -> LibraryQuery:
    """A query of ``queries/views/`` (of the default layout unless ``views`` is given)."""
    from lexgraph.core.paths import Layout

    return read_query((views or Layout.default().views) / f"{name}.rq")


def _text(value: object) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _day(value: object) -> dt.date | None:
    return value if isinstance(value, dt.date) else None


def read_records(
    store: ox.Store, *, state: str | None = None, views: Path | None = None
) -> list[Record]:
    """Every participation record of the graph (of ``state`` only, when given).

    A record's source is its first primary source, else its first secondary one, and then the
    act is marked secondary. A secondary source is also a ``dcterms:source`` (its super-property,
    which the build infers), so a primary source is a ``dcterms:source`` that is not also a
    secondary one. Sorted by instrument, participant name, date (undated last), record.

    ``queries/views/participation.rq`` states what a record is. For one state, the same rows
    are read by walking the store's indexes (:func:`state_rows`): pyoxigraph plans the query
    before it applies the bound state, which costs some 25 ms a state against well under one
    by the walk. A test holds the walk to the query for every participant of the graph.
    """
    if state is None:
        return records_from_rows(store, sparql_rows(store, None, views))
    return records_from_rows(store, state_rows(store, state))


def sparql_rows(
    store: ox.Store, state: str | None, views: Path | None = None
) -> list[dict[str, object]]:
    """The rows of ``participation.rq``, for ``state`` only when given."""
    query = view_query("participation", views)
    bindings = {} if state is None else {ox.Variable("state"): ox.NamedNode(state)}
    return execute(store, query.text, bindings, query.name).values()


def state_rows(store: ox.Store, state: str) -> list[dict[str, object]]:
    """The rows ``participation.rq`` gives for ``state``, read by walking the indexes."""
    rows: list[dict[str, object]] = []
    found = set(walk.subjects(store, Lex.participant, ox.NamedNode(state)))
    for record in sorted(found, key=lambda n: n.value):
        facts: dict[str, set[object]] = defaultdict(set)
        for quad in store.quads_for_pattern(record, None, None):
            obj = quad.object
            value = obj.value if isinstance(obj, ox.NamedNode) else python_value(obj)
            facts[quad.predicate.value].add(value)
        if Lex.Participation not in facts[Rdf.type]:
            continue
        for instrument, act, date, in_force, as_at, source, secondary in itertools.product(
            sorted(str(v) for v in facts[Lex.instrument]),
            sorted(str(v) for v in facts[Lex.actKind]),
            _optional(facts, Lex.actDate),
            _optional(facts, Lex.entryIntoForceForParticipant),
            _optional(facts, Lex.asAt),
            _optional(facts, Dcterms.source),
            _optional(facts, Lex.secondarySource),
        ):
            rows.append(
                {
                    "instrument": instrument,
                    "state": state,
                    "record": record.value,
                    "act": act,
                    "date": date,
                    "inForce": in_force,
                    "asAt": as_at,
                    "source": source,
                    "secondary": secondary,
                }
            )
    return rows


def _optional(facts: dict[str, set[object]], prop: str) -> list[object]:
    """An OPTIONAL pattern's values, sorted; with none, one unbound value."""
    return sorted(facts[prop], key=_text) or [None]


def records_from_rows(store: ox.Store, rows: Sequence[dict[str, object]]) -> list[Record]:
    """Group the rows of the participation view into :class:`Record` objects, sorted."""
    grouped: dict[str, list[dict[str, object]]] = defaultdict(list)
    for row in sorted(rows, key=_row_order):
        grouped[str(row["record"])].append(row)
    names: dict[str, str] = {}
    tiers: dict[str, str | None] = {}
    found = []
    for record, group in grouped.items():
        first = group[0]
        secondary = sorted({_text(r["secondary"]) for r in group if r["secondary"]})
        primary = sorted({_text(r["source"]) for r in group if r["source"]} - set(secondary))
        for source in primary + secondary:
            if source not in tiers:
                tiers[source] = source_tier(store, source)
        act = Act(
            record=record,
            kind=last_segment(str(first["act"])),
            date=_day(first["date"]),
            in_force=_day(first["inForce"]),
            as_at=_text(first["asAt"]) or None,
            source=(primary or secondary or [""])[0],
            secondary=not primary and bool(secondary),
            tier=best_tier(tiers[s] for s in primary + secondary),
        )
        participant = str(first["state"])
        if participant not in names:
            names[participant] = label(store, participant)
        found.append(Record(str(first["instrument"]), participant, names[participant], act))
    return sorted(
        found, key=lambda r: (r.instrument, r.name, r.act.date or dt.date.max, r.act.record)
    )


def source_tier(store: ox.Store, source: str) -> str | None:
    """The tier key the build gave ``source`` (``lex:sourceTier``), or None."""
    try:
        node = ox.NamedNode(source)
    except ValueError:  # a source given as text, not an IRI
        return None
    for quad in store.quads_for_pattern(node, ox.NamedNode(Lex.sourceTier), None, None):
        if isinstance(quad.object, ox.NamedNode):
            return tier_key(quad.object.value)
    return None


def negative_evidence(act: Act) -> bool:
    """True if ``act`` can show that a state was not a party: a not-party record with an as-at
    date whose source is a depositary's or an official one. A secondary or tertiary source
    saying so leaves the standing unknown."""
    return act.kind == "not-party" and bool(act.as_at) and act.tier in NEGATIVE_EVIDENCE


def _row_order(row: dict[str, object]) -> tuple[str, ...]:
    """The query's ORDER BY, as far as grouping needs it: a record's first row comes first."""
    return tuple(_text(row[k]) for k in ("instrument", "state", "date", "record", "source"))


def read_status_lists(
    store: ox.Store, views: Path | None = None
) -> dict[str, list[tuple[str, str]]]:
    """The (as-at date, source) of each complete status list, by instrument."""
    query = view_query("status-lists", views)
    seen: dict[tuple[str, str], tuple[str, str]] = {}
    for row in execute(store, query.text, {}, query.name).values():
        key = (str(row["list"]), str(row["instrument"]))
        seen.setdefault(key, (str(row["asAt"]), str(row["source"])))
    lists: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for (_, instrument), found in seen.items():
        lists[instrument].append(found)
    return dict(lists)


def consent_kinds(store: ox.Store) -> frozenset[str]:
    """The keys of the consenting acts: act-kind/consent and every kind narrower than it."""
    top = ox.NamedNode(instance("act-kind", "consent"))
    narrower = closure(store, top, Skos.broader, inverse=True)
    return frozenset(last_segment(n.value) for n in {top} | narrower)


# ---------------------------------------------------------------------------------------------
# Deciding


def _when(act: Act) -> dt.date:
    """The date a consent counts from: its act date, else its entry into force."""
    when = act.date or act.in_force
    assert when is not None
    return when


def standing(
    state: str,
    instrument: str,
    acts: Sequence[Act],
    lists: Sequence[tuple[str, str]],
    consenting: frozenset[str],
    on: dt.date,
    in_force: dt.date | None = None,
    outside: Outside | None = None,
) -> Standing:
    """Decide where ``state`` stands towards ``instrument`` on ``on`` from what was seen.

    ``lists`` are the (as-at, source) of the complete status lists of the instrument: a state
    they do not show as consenting had not consented at their date. ``in_force`` is the
    instrument's own entry into force, where recorded: a state is bound only once the
    instrument is in force, and in force for it. Where its entry into force for the state is
    not recorded, a consent given less than :data:`UNRECORDED_START_DAYS` days before the date
    asked leaves the standing unknown: the instruments in the graph enter into force for a
    state some 30 to 90 days after its consent.

    ``outside`` says that the instrument is open only to the members of an organisation the
    state was not a member of on ``on``, by a complete membership list that covers the date
    (:meth:`lexgraph.finder.membership.Memberships.outside`): with no consent recorded, the
    state is then not a party, for that reason. A recorded consent still comes first.
    """
    acts = tuple(acts)
    seen_dates = [a.as_at for a in acts if a.as_at] + [as_at for as_at, _ in lists]
    as_at = max(seen_dates) if seen_dates else None

    def result(status: str, since: dt.date | None, note: str) -> Standing:
        return Standing(state, instrument, status, since, acts, as_at, note)

    consents = [a for a in acts if a.kind in consenting and (a.date or a.in_force)]
    given = [a for a in consents if _when(a) <= on]
    if given:
        latest = max(_when(a) for a in given)
        for end in acts:
            if end.kind not in ("denunciation", "withdrawal") or not end.date:
                continue
            if end.date < latest or end.date > on:
                continue
            if end.in_force is None:
                return result(
                    UNKNOWN_STANDING,
                    None,
                    f"{end.kind} of {end.date.isoformat()}; the date it takes effect is not "
                    "recorded",
                )
            if end.in_force <= on:
                return result(DENOUNCED, None, f"{end.kind} took effect {end.in_force.isoformat()}")
        starts = sorted(a.in_force for a in given if a.in_force)
        if in_force is not None and in_force > on:
            return result(
                NOT_YET_IN_FORCE,
                max([in_force, *starts]),
                f"consented; the instrument enters into force only on {in_force.isoformat()}",
            )
        if starts and starts[0] > on:
            return result(NOT_YET_IN_FORCE, starts[0], f"in force for it from {starts[0]}")
        if starts:
            return result(BOUND, starts[0], f"in force for it since {starts[0].isoformat()}")
        first = min(_when(a) for a in given)
        if (on - first).days < UNRECORDED_START_DAYS:
            return result(
                UNKNOWN_STANDING,
                None,
                f"consented on {first.isoformat()}; its entry into force for the state is not "
                "recorded and may fall after the date asked",
            )
        since = max(first, in_force) if in_force else first
        return result(
            BOUND,
            since,
            f"consented on {first.isoformat()}; its entry into force for the state is not recorded",
        )
    if consents:
        first_consent = min(_when(a) for a in consents).isoformat()
        if any(a.date and a.date <= on for a in consents):
            return result(NOT_YET_IN_FORCE, None, f"consents only on {first_consent}")
        if any(a.tier in NEGATIVE_EVIDENCE for a in consents):
            return result(NOT_PARTY, None, f"consents only on {first_consent}")
        # A later consent seen only at second hand does not show that the state was not
        # bound before: "not a party" rests on depositary or official evidence alone.
        return result(
            UNKNOWN_STANDING,
            None,
            f"a consent of {first_consent} is reported only by a secondary source; "
            "no depositary or official record decides the date asked",
        )
    if outside is not None:
        return Standing(state, instrument, NOT_PARTY, None, acts, as_at, outside.note, outside)
    negatives = [a.as_at for a in acts if negative_evidence(a) and a.as_at]
    negatives += [as_at for as_at, _ in lists]
    signed = any(a.kind == "signature" and a.date and a.date <= on for a in acts)
    # A reduced as-at date (2019-05) covers the days of its period.
    covering = sorted(n for n in negatives if n >= on.isoformat()[: len(n)])
    if covering:
        return result(
            SIGNATORY if signed else NOT_PARTY,
            None,
            f"no consent recorded as at {covering[0]}, on or after the date asked",
        )
    if acts or negatives:
        latest_seen = max(negatives + [a.as_at for a in acts if a.as_at], default="an unknown date")
        what = "signed; no consent recorded" if signed else "no consent recorded"
        return result(
            UNKNOWN_STANDING,
            None,
            f"{what} as at {latest_seen}, before the date asked; later acts are not known",
        )
    return result(UNKNOWN_STANDING, None, "no participation data for this state and instrument")
