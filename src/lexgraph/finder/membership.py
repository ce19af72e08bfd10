"""Instruments open only to the members of an organisation of states, and who was a member when.

An instrument with a ``lex:MembershipRestriction`` (the article that says so in
``lex:definedBy``) can bind only the member states of one organisation (the SADC Protocols, the
European Union's acts). A state is *outside* it on a date when a complete membership list of
the organisation (``lex:MembershipList``) is dated on or after that date and no membership
record (``lex:Membership``) shows the state as a member then: a record whose start is not
recorded or falls on or before the date, and whose end (a withdrawal in effect) is not
recorded or falls after it. The list speaks for the dates up to its own because membership
changes are recorded as dated records: a member that left has a record with its end date.

:func:`outside` says so, with the reason a prosecutor reads: the clause, the organisation and
the list. :func:`lexgraph.finder.standing.standing` turns it into "not a party" only where no
consent of the state is recorded; a member, or a state whose membership is unknown on the date,
is left as the participation data has it. ``queries/views/closed-to-state.rq`` states the same
rule in SPARQL; a test holds the two together.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from lexgraph.core.turtle import natural_key
from lexgraph.finder.model import article_ref
from lexgraph.store.labels import label, short_name
from lexgraph.store.library import read_query
from lexgraph.store.query import execute


@dataclass(frozen=True)
class Outside:
    """Why a state cannot be bound by a closed instrument on a date: the restriction, the
    organisation, the membership list that covers the date, and the state's own records."""

    organisation: str
    #: The articles that open the instrument only to the organisation's members.
    clause: tuple[str, ...]
    restriction_source: str
    list_as_at: str
    list_source: str
    note: str


@dataclass(frozen=True)
class _Member:
    since: dt.date | None
    until: dt.date | None
    source: str

    def holds_on(self, day: dt.date) -> bool:
        """Whether this record shows the state as a member on ``day`` (or may: no start)."""
        started = self.since is None or self.since <= day
        return started and (self.until is None or self.until > day)


@dataclass(frozen=True)
class Restriction:
    """An instrument open only to the members of one organisation, and the articles saying so."""

    instrument: str
    organisation: str
    clause: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class Memberships:
    """The restrictions, membership records and membership lists of the graph, read once."""

    store: ox.Store
    restrictions: dict[str, list[Restriction]] = field(default_factory=dict)
    members: dict[tuple[str, str], list[_Member]] = field(default_factory=dict)
    lists: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    def name(self, iri: str) -> str:
        found = self.names.get(iri)
        if found is None:
            found = self.names[iri] = short_name(self.store, iri)
        return found

    def outside(self, state: str, instrument: str, on: dt.date) -> Outside | None:
        """Why ``state`` cannot be bound by ``instrument`` on ``on``, or None if it may be
        (not a closed instrument, a member then, or no list that covers the date)."""
        for restriction in self.restrictions.get(instrument, []):
            org = restriction.organisation
            records = self.members.get((org, state), [])
            if any(r.holds_on(on) for r in records):
                continue
            covering = sorted(
                (as_at, source)
                for as_at, source in self.lists.get(org, [])
                if as_at >= on.isoformat()
            )
            if not covering:
                continue
            as_at, source = covering[0]
            return Outside(
                organisation=org,
                clause=restriction.clause,
                restriction_source=restriction.source,
                list_as_at=as_at,
                list_source=source,
                note=self._note(state, restriction, records, (as_at, source), on),
            )
        return None

    def _note(
        self,
        state: str,
        restriction: Restriction,
        records: list[_Member],
        listed: tuple[str, str],
        on: dt.date,
    ) -> str:
        org = label(self.store, restriction.organisation)
        instrument = self.name(restriction.instrument)
        where = ", ".join(article_ref(self.store, p) for p in restriction.clause)
        later = sorted(r.since for r in records if r.since and r.since > on)
        ended = sorted(r.until for r in records if r.until and r.until <= on)
        who = self.name(state)
        if later:
            member = f"{who} became a member only on {later[0].isoformat()}"
        elif ended:
            member = f"{who} was no longer a member: its withdrawal took effect {ended[-1]}"
        else:
            member = f"{who} was not a member"
        as_at, source = listed
        return (
            f"cannot be a party: {instrument} is open only to the member states of the {org} "
            f"({instrument} {where}); on {on.isoformat()} {member} (the {org}'s list of members "
            f"as at {as_at}{': ' + source if source else ''})"
        )


def _view(name: str, views: Path | None) -> tuple[str, str]:
    """A view's text and name (standing.py's ``view_query``, which imports this module)."""
    from lexgraph.core.paths import Layout

    query = read_query((views or Layout.default().views) / f"{name}.rq")
    return query.text, query.name


def read_memberships(store: ox.Store, views: Path | None = None) -> Memberships:
    """The restrictions, membership records and lists of ``store``, from ``queries/views/``."""
    text, name = _view("membership-restrictions", views)
    clauses: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    sources: dict[tuple[str, str, str], str] = {}
    for row in execute(store, text, {}, name).values():
        key = (str(row["instrument"]), str(row["restriction"]), str(row["organisation"]))
        clauses[key].add(str(row["provision"]))
        if row["source"] is not None:
            sources.setdefault(key, str(row["source"]))
    restrictions: dict[str, list[Restriction]] = defaultdict(list)
    for key in sorted(clauses):
        instrument, _, org = key
        clause = tuple(sorted(clauses[key], key=natural_key))
        restrictions[instrument].append(Restriction(instrument, org, clause, sources.get(key, "")))
    text, name = _view("memberships", views)
    records: dict[str, tuple[str, str, _Member]] = {}
    for row in execute(store, text, {}, name).values():
        record = str(row["record"])
        if record in records:  # one row per source: the first is kept
            continue
        since, until = row["since"], row["until"]
        records[record] = (
            str(row["organisation"]),
            str(row["state"]),
            _Member(
                since if isinstance(since, dt.date) else None,
                until if isinstance(until, dt.date) else None,
                str(row["source"] or ""),
            ),
        )
    members: dict[tuple[str, str], list[_Member]] = defaultdict(list)
    for org, state, member in records.values():
        members[(org, state)].append(member)
    text, name = _view("membership-lists", views)
    seen: dict[str, tuple[str, str, str]] = {}
    for row in execute(store, text, {}, name).values():
        seen.setdefault(
            str(row["list"]),
            (str(row["organisation"]), _iso(row["asAt"]), str(row["source"] or "")),
        )
    lists: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for org, as_at, source in seen.values():
        lists[org].append((as_at, source))
    return Memberships(store, dict(restrictions), dict(members), dict(lists))


def _iso(value: object) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)
