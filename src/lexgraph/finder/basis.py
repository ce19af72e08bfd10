"""The legal-basis finder: which instruments let state A ask state B for modality M for crime C.

An instrument gives a basis on a date when three things hold together:

1. it reaches the crime and one of its provisions provides for the modality, or for a
   narrower one (the coverage rule, :mod:`lexgraph.finder.coverage`);
2. it binds both states on the date (:func:`lexgraph.finder.standing.standing`): each has
   consented, the instrument is in force, it is in force for the state where the entry into
   force for the state is recorded, and no denunciation has taken effect; reached through a
   protocol, both instruments must bind both;
3. no reservation takes it away: reservations of either state that exclude the article, or,
   for extradition, a requested state's declaration that it does not take the instrument as
   the legal basis, take the basis away; the other reservations of either state on the
   instrument are listed.

"Unknown" is never "not a party": a candidate that depends on participation data that is
missing or too old is *unknown*, with the as-at date of the data that was seen. The views the
finder runs are in ``queries/views/``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from lexgraph.core.errors import InputError
from lexgraph.core.namespaces import key_of
from lexgraph.core.terms import Dcterms, Lex, Rdf
from lexgraph.finder.coverage import RULE_TEXT, RULES, Article, Candidate, candidates
from lexgraph.finder.standing import (
    BOUND,
    UNKNOWN_STANDING,
    Act,
    Standing,
    consent_kinds,
    read_records,
    read_status_lists,
    standing,
)
from lexgraph.store.labels import label, last_segment
from lexgraph.store.names import resolve_state
from lexgraph.store.query import open_store, resolve_keyed
from lexgraph.store.walk import objects, subjects, value

#: Verdicts of one candidate instrument.
BASIS, NO_BASIS, UNKNOWN = "basis", "no-basis", "unknown"
NO_INSTRUMENT = "no-instrument"


@dataclass(frozen=True)
class ReservationRef:
    """A reservation or declaration of either state on the instrument."""

    state: str
    reservation: str
    effect: str
    effect_label: str
    provisions: tuple[str, ...]
    source: str | None
    blocks: bool
    why: str


@dataclass(frozen=True)
class Basis:
    """One candidate instrument, with everything that decides whether it gives a basis."""

    instrument: str
    title: str
    rule: str
    via: str
    protocol: str | None
    articles: tuple[Article, ...]
    excluded_articles: tuple[Article, ...]
    standings: tuple[Standing, ...]
    reservations: tuple[ReservationRef, ...]
    verdict: str
    reasons: tuple[str, ...]
    why: tuple[str, ...]


@dataclass(frozen=True)
class BasisAnswer:
    """The finder's answer: every candidate instrument, with its verdict."""

    requesting: str
    requested: str
    crime: str
    modality: str
    on: dt.date
    candidates: tuple[Basis, ...] = field(default_factory=tuple)

    @property
    def bases(self) -> tuple[Basis, ...]:
        return tuple(b for b in self.candidates if b.verdict == BASIS)

    @property
    def unknown(self) -> tuple[Basis, ...]:
        return tuple(b for b in self.candidates if b.verdict == UNKNOWN)


# ---------------------------------------------------------------------------------------------
# Reading what the graph says of the two states


@dataclass(frozen=True)
class _Reservation:
    reservation: str
    instrument: str
    effects: dict[str, str]
    provisions: list[str]
    source: str | None


def _reservations(store: ox.Store, state: ox.NamedNode) -> list[_Reservation]:
    """The reservations and declarations of ``state``, each with its effects' labels."""
    found = []
    for node in set(subjects(store, Lex.participant, state)):
        if ox.NamedNode(Lex.Reservation) not in objects(store, node, Rdf.type):
            continue
        instrument = value(store, node.value, Lex.instrument)
        sources = sorted(n.value for n in objects(store, node, Dcterms.source))
        found.append(
            _Reservation(
                reservation=node.value,
                instrument="" if instrument is None else str(instrument),
                effects={e.value: label(store, e.value) for e in objects(store, node, Lex.effect)},
                provisions=sorted(p.value for p in objects(store, node, Lex.affectsProvision)),
                source=sources[0] if sources else None,
            )
        )
    return sorted(found, key=lambda r: r.reservation)


@dataclass(frozen=True)
class _Party:
    """What the graph says of one state: its acts by instrument and its reservations."""

    acts: dict[str, list[Act]]
    reservations: list[_Reservation]


def _party(store: ox.Store, state: ox.NamedNode) -> _Party:
    acts: dict[str, list[Act]] = defaultdict(list)
    for record in read_records(store, state=state.value):
        acts[record.instrument].append(record.act)
    for found in acts.values():
        found.sort(key=lambda a: (a.date or a.in_force or dt.date.max, a.secondary, a.record))
    return _Party(dict(acts), _reservations(store, state))


@dataclass(frozen=True)
class Context:
    """What the finder reads once for a pair of states and a date, whatever the crime."""

    store: ox.Store
    on: dt.date
    crime: str
    parties: dict[str, _Party]
    lists: dict[str, list[tuple[str, str]]]
    consenting: frozenset[str]

    @classmethod
    def of(
        cls, store: ox.Store, on: dt.date, states: Sequence[ox.NamedNode], crime: str = ""
    ) -> Context:
        return cls(
            store=store,
            on=on,
            crime=crime,
            parties={s.value: _party(store, s) for s in states},
            lists=read_status_lists(store),
            consenting=consent_kinds(store),
        )

    def standing(self, state: str, instrument: str) -> Standing:
        """Where ``state`` stands towards ``instrument`` on the date."""
        return standing(
            state,
            instrument,
            self.parties[state].acts.get(instrument, []),
            self.lists.get(instrument, []),
            self.consenting,
            self.on,
        )


# ---------------------------------------------------------------------------------------------
# Deciding


def find_basis(
    requesting: str,
    requested: str,
    crime: str,
    modality: str,
    on: dt.date | str | None = None,
    *,
    store: ox.Store | None = None,
) -> BasisAnswer:
    """Find the instruments that give ``requesting`` a basis to ask ``requested`` for ``modality``.

    States are ISO alpha-2 or alpha-3 codes or names in any UN language, found as
    :func:`lexgraph.store.names.resolve_state` says; the crime and the modality are keys or
    labels (a misspelt one gets a suggestion). ``on`` is a date (default: today).
    """
    store = default_store(store)
    day = parse_day(on)
    a, b = resolve_state(store, requesting), resolve_state(store, requested)
    if a == b:
        raise InputError(f"the requesting and the requested state are both {key_of(a.value)}")
    crime_node = resolve_keyed(store, "crime", crime)
    modality_node = resolve_keyed(store, "modality", modality)
    context = Context.of(store, day, (a, b), crime_node.value)
    results = [
        decide(context, c, a.value, b.value) for c in candidates(store, crime_node, modality_node)
    ]
    order = {BASIS: 0, UNKNOWN: 1, NO_BASIS: 2}
    results.sort(key=lambda r: (order[r.verdict], RULES.index(r.rule), r.instrument))
    return BasisAnswer(
        requesting=a.value,
        requested=b.value,
        crime=crime_node.value,
        modality=modality_node.value,
        on=day,
        candidates=tuple(results),
    )


def default_store(store: ox.Store | None) -> ox.Store:
    """``store``, else the default layout's built store."""
    from lexgraph.core.paths import Layout

    return store if store is not None else open_store(Layout.default().store)


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


def decide(context: Context, candidate: Candidate, a: str, b: str) -> Basis:
    """Decide whether ``candidate`` gives ``a`` a basis to ask ``b``, and say why."""
    store, on = context.store, context.on
    required = [candidate.instrument] + ([candidate.protocol] if candidate.protocol else [])
    reasons: list[str] = []
    unknowns: list[str] = []
    for instrument in required:
        in_force = value(store, instrument, Lex.entryIntoForceDate)
        if not isinstance(in_force, dt.date):
            unknowns.append(f"{key_of(instrument)}: its entry into force is not recorded")
        elif in_force > on:
            reasons.append(f"{key_of(instrument)} enters into force only on {in_force}")
    standings = []
    for state in (a, b):
        for instrument in required:
            found = context.standing(state, instrument)
            standings.append(found)
            who = f"{key_of(state)} / {key_of(instrument)}"
            if found.status == UNKNOWN_STANDING:
                unknowns.append(f"{who}: {found.note}")
            elif found.status != BOUND:
                reasons.append(f"{who}: {found.status} ({found.note})")
    provisions = {art.provision for art in candidate.articles}
    extradition = any(last_segment(art.provides) == "extradition" for art in candidate.articles)
    refs = [
        ref
        for state in (a, b)
        for ref in _reservation_refs(
            context.parties[state].reservations,
            state,
            set(required),
            provisions,
            extradition,
            requested=state == b,
        )
    ]
    excluded_provisions = {
        p for r in refs if r.blocks and r.effect == "excludes-provision" for p in r.provisions
    }
    articles = tuple(art for art in candidate.articles if art.provision not in excluded_provisions)
    excluded = tuple(art for art in candidate.articles if art.provision in excluded_provisions)
    if not articles:
        reasons.append("a reservation excludes every article that provides the modality")
    reasons += [
        f"{key_of(r.state)}: {r.why}" for r in refs if r.blocks and r.effect != "excludes-provision"
    ]
    return Basis(
        instrument=candidate.instrument,
        title=label(store, candidate.instrument),
        rule=candidate.rule,
        via=candidate.via,
        protocol=candidate.protocol,
        articles=articles,
        excluded_articles=excluded,
        standings=tuple(standings),
        reservations=tuple(refs),
        verdict=NO_BASIS if reasons else UNKNOWN if unknowns else BASIS,
        reasons=tuple(reasons + unknowns),
        why=_why(context, candidate, standings, articles or candidate.articles),
    )


def _reservation_refs(
    records: Sequence[_Reservation],
    state: str,
    instruments: set[str],
    provisions: set[str],
    extradition: bool,
    requested: bool,
) -> list[ReservationRef]:
    refs = []
    for record in records:
        if record.instrument not in instruments:
            continue
        affected = record.provisions
        hit = sorted(set(affected) & provisions)
        for effect, effect_label in sorted(record.effects.items()):
            key = last_segment(effect)
            blocks, why = False, "listed: it does not take the basis away"
            if key == "excludes-provision" and hit:
                blocks, why = True, "excludes " + ", ".join(key_of(p) for p in hit)
            elif key == "excludes-provision" and not affected:
                why = "excludes provisions the graph does not name; read it before relying"
            elif key == "no-treaty-basis-for-extradition" and extradition:
                if requested:
                    blocks = True
                    why = "the requested state does not take it as the legal basis for extradition"
                else:
                    why = "the requesting state does not take it as the legal basis for extradition"
            refs.append(
                ReservationRef(
                    state=state,
                    reservation=record.reservation,
                    effect=key,
                    effect_label=effect_label,
                    provisions=tuple(affected),
                    source=record.source,
                    blocks=blocks,
                    why=why,
                )
            )
    return refs


def _best_act(found: Standing, consenting: frozenset[str]) -> Act | None:
    """The act to cite for a standing: a dated consent from a primary source first."""
    consents = [a for a in found.acts if a.kind in consenting]
    ranked = sorted(
        consents or list(found.acts),
        key=lambda a: (a.date is None, a.secondary, a.date or dt.date.max, a.source),
    )
    return ranked[0] if ranked else None


def _why(
    context: Context,
    candidate: Candidate,
    standings: Sequence[Standing],
    articles: Sequence[Article],
) -> tuple[str, ...]:
    lines = []
    for found in standings:
        act = _best_act(found, context.consenting)
        said = act.line() if act else found.note
        lines.append(
            f"{key_of(found.state)} -> {said} -> {key_of(found.instrument)}: {found.status}"
        )
    for art in articles:
        number = f"art. {art.number}" if art.number else key_of(art.provision)
        lines.append(f"{key_of(candidate.instrument)} {number} -> {key_of(art.provides)}")
    rule = RULE_TEXT[candidate.rule].format(
        instrument=key_of(candidate.instrument),
        via=key_of(candidate.via),
        crime=key_of(context.crime),
        protocol=key_of(candidate.protocol or ""),
    )
    lines.append(f"coverage ({candidate.rule}): {rule}")
    return tuple(lines)
