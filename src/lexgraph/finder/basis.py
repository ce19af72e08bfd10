"""The legal-basis finder: which instruments let state A ask state B for modality M for crime C.

An instrument gives a basis on a date when three things hold together:

1. it reaches the crime: it covers it, or a broader type of it, or a narrower one (then only
   that part of the crime), or it is the convention under which a protocol covering the crime
   establishes its offences (UNTOC and its Protocols: both instruments must then bind both);
2. one of its provisions provides for the modality, or for a narrower one;
3. it binds both states on the date: each has consented, the instrument is in force, it is
   in force for the state where the entry into force for the state is recorded, and no
   denunciation has taken effect.

Reservations of either state that exclude the article, or, for extradition, a requested
state's declaration that it does not take the instrument as the legal basis, take the basis
away; the other reservations of either state on the instrument are listed.

"Unknown" is never "not a party": a state without any record for an instrument, or whose
latest record is older than the date asked about and shows no consent, is *unknown*, with the
as-at date of the data that was seen. The views the finder runs are in ``queries/views/``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from lexgraph.core.errors import InputError
from lexgraph.core.namespaces import ID, PREFIXES, instance
from lexgraph.core.turtle import natural_key
from lexgraph.store.query import open_store, python_value, resolve_keyed, resolve_state

LEX = PREFIXES["lex"]
SKOS = PREFIXES["skos"]
#: How an instrument reaches the crime, best first.
RULES = ("direct", "broader", "protocol", "narrower")
RULE_TEXT = {
    "direct": "{instrument} covers {via}",
    "broader": "{instrument} covers {via}, a broader type of {crime}",
    "narrower": "{instrument} covers {via}, a narrower type of {crime} (only that part)",
    "protocol": "{protocol} covers {via} and its offences are established under {instrument}",
}
#: Verdicts of one candidate instrument.
BASIS, NO_BASIS, UNKNOWN = "basis", "no-basis", "unknown"
NO_INSTRUMENT = "no-instrument"
#: Standings of a state towards an instrument on a date.
BOUND = "bound"
NOT_YET_IN_FORCE = "consented, not yet in force for it"
SIGNATORY = "signatory only"
NOT_PARTY = "not a party"
DENOUNCED = "denounced"
UNKNOWN_STANDING = "unknown"


def key_of(iri: str) -> str:
    """Return the key part of an instance IRI: ``instrument/untoc`` for the UNTOC IRI."""
    return iri[len(ID) :] if iri.startswith(ID) else iri


def _last(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


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

    def line(self) -> str:
        when = self.date.isoformat() if self.date else "undated"
        extra = f", in force for it {self.in_force.isoformat()}" if self.in_force else ""
        seen = f", as at {self.as_at}" if self.as_at else ""
        kind = "secondary source" if self.secondary else "source"
        return f"{self.kind} {when}{extra} ({kind} {self.source}{seen})"


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


@dataclass(frozen=True)
class Article:
    """A provision of the instrument that provides for the modality (or a narrower one)."""

    provision: str
    number: str | None
    heading: str | None
    provides: str


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
# Reading the graph


def _str(value: object) -> str | None:
    return None if value is None else str(value)


def _date(value: object) -> dt.date | None:
    return value if isinstance(value, dt.date) else None


def _label(store: ox.Store, iri: str) -> str:
    node = ox.NamedNode(iri)
    fallback = None
    for quad in store.quads_for_pattern(node, ox.NamedNode(SKOS + "prefLabel"), None):
        obj = quad.object
        if isinstance(obj, ox.Literal):
            if obj.language == "en":
                return obj.value
            fallback = fallback or obj.value
    return fallback or key_of(iri)


def _object(store: ox.Store, iri: str, prop: str) -> object:
    for quad in store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(LEX + prop), None):
        return python_value(quad.object)
    return None


@dataclass(frozen=True)
class _Candidate:
    instrument: str
    rule: str
    via: str
    protocol: str | None
    articles: tuple[Article, ...]


def _subjects(store: ox.Store, prop: str, obj: ox.NamedNode) -> list[ox.NamedNode]:
    return [
        q.subject
        for q in store.quads_for_pattern(None, ox.NamedNode(prop), obj)
        if isinstance(q.subject, ox.NamedNode)
    ]


def _objects(store: ox.Store, subject: ox.NamedNode, prop: str) -> list[ox.NamedNode]:
    return [
        q.object
        for q in store.quads_for_pattern(subject, ox.NamedNode(prop), None)
        if isinstance(q.object, ox.NamedNode)
    ]


def _closure(store: ox.Store, start: ox.NamedNode, prop: str, inverse: bool) -> set[ox.NamedNode]:
    """Every node reached from ``start`` by one or more ``prop`` steps (or inverse steps)."""
    seen: set[ox.NamedNode] = set()
    todo = [start]
    while todo:
        node = todo.pop()
        step = _subjects(store, prop, node) if inverse else _objects(store, node, prop)
        for nxt in step:
            if nxt not in seen and nxt != start:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _candidates(store: ox.Store, crime: ox.NamedNode, modality: ox.NamedNode) -> list[_Candidate]:
    """The instruments that reach the crime and provide the modality, best rule each.

    ``queries/views/basis-candidates.rq`` states the same rule in SPARQL; a test holds the two
    to the same answers. The finder walks the store's indexes directly because pyoxigraph
    applies bound parameters after evaluating the pattern, which costs tens of milliseconds.
    """
    broader = SKOS + "broader"
    reach: list[tuple[str, ox.NamedNode]] = [("direct", crime)]
    reach += [("broader", c) for c in _closure(store, crime, broader, inverse=False)]
    reach += [("narrower", c) for c in _closure(store, crime, broader, inverse=True)]
    wanted = {modality} | _closure(store, modality, broader, inverse=True)
    routes: dict[tuple[str, str | None], tuple[str, str]] = {}
    for how, via in reach:
        for covering in _subjects(store, LEX + "covers", via):
            options: list[tuple[str, str | None, str]] = [(covering.value, None, how)]
            options += [
                (base.value, covering.value, "protocol")
                for base in _objects(store, covering, LEX + "offencesEstablishedUnder")
            ]
            for instrument, protocol, rule in options:
                key = (instrument, protocol)
                if key not in routes or RULES.index(rule) < RULES.index(routes[key][0]):
                    routes[key] = (rule, via.value)
    direct = {i for (i, p) in routes if p is None}
    result = []
    for (instrument, protocol), (rule, via_iri) in routes.items():
        if protocol is not None and instrument in direct:
            continue  # the instrument reaches the crime by itself; the protocol adds nothing
        articles = _articles(store, ox.NamedNode(instrument), wanted)
        if articles:
            result.append(_Candidate(instrument, rule, via_iri, protocol, articles))
    return sorted(result, key=lambda c: (RULES.index(c.rule), c.instrument, c.protocol or ""))


def _articles(
    store: ox.Store, instrument: ox.NamedNode, wanted: set[ox.NamedNode]
) -> tuple[Article, ...]:
    found = []
    for provision in _subjects(store, LEX + "partOf", instrument):
        for provided in _objects(store, provision, LEX + "providesFor"):
            if provided in wanted:
                number = _object(store, provision.value, "articleNumber")
                heading = _object(store, provision.value, "heading")
                found.append(Article(provision.value, _str(number), _str(heading), provided.value))
    return tuple(sorted(set(found), key=lambda a: natural_key(a.provision)))


def _properties(store: ox.Store, subject: ox.NamedNode) -> dict[str, list[object]]:
    props: dict[str, list[object]] = defaultdict(list)
    for quad in store.quads_for_pattern(subject, None, None):
        props[quad.predicate.value].append(python_value(quad.object))
    return props


@dataclass(frozen=True)
class _Records:
    """What the graph says of one state: its acts by instrument and its reservations."""

    acts: dict[str, list[Act]]
    reservations: list[dict[str, object]]


def _records(store: ox.Store, state: ox.NamedNode) -> _Records:
    acts: dict[str, list[Act]] = defaultdict(list)
    reservations: list[dict[str, object]] = []
    rdf_type = PREFIXES["rdf"] + "type"
    for record in set(_subjects(store, LEX + "participant", state)):
        props = _properties(store, record)
        types = set(map(str, props[rdf_type]))
        instrument = str(props[LEX + "instrument"][0]) if props[LEX + "instrument"] else ""
        if LEX + "Participation" in types and props[LEX + "actKind"]:
            secondary = bool(props[LEX + "secondarySource"])
            sources = props[LEX + "secondarySource"] or props[PREFIXES["dcterms"] + "source"]
            acts[instrument].append(
                Act(
                    record=record.value,
                    kind=_last(str(props[LEX + "actKind"][0])),
                    date=_date(_first(props[LEX + "actDate"])),
                    in_force=_date(_first(props[LEX + "entryIntoForceForParticipant"])),
                    as_at=_str(_first(props[LEX + "asAt"])),
                    source=str(sorted(map(str, sources))[0]) if sources else "",
                    secondary=secondary,
                )
            )
        elif LEX + "Reservation" in types:
            label = {str(e): _label(store, str(e)) for e in props[LEX + "effect"]}
            reservations.append(
                {
                    "reservation": record.value,
                    "instrument": instrument,
                    "effects": label,
                    "provisions": sorted(map(str, props[LEX + "affectsProvision"])),
                    "source": _first(sorted(map(str, props[PREFIXES["dcterms"] + "source"]))),
                }
            )
    for found in acts.values():
        found.sort(key=lambda a: (a.date or a.in_force or dt.date.max, a.secondary, a.record))
    return _Records(dict(acts), sorted(reservations, key=lambda r: str(r["reservation"])))


def _first(values: Sequence[object]) -> object:
    return values[0] if values else None


def _status_lists(store: ox.Store) -> dict[str, list[tuple[str, str]]]:
    lists: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for node in _subjects(store, PREFIXES["rdf"] + "type", ox.NamedNode(LEX + "StatusList")):
        props = _properties(store, node)
        for instrument in props[LEX + "instrument"]:
            as_at = _first(props[LEX + "asAt"])
            source = _first(sorted(map(str, props[PREFIXES["dcterms"] + "source"])))
            if as_at is not None:
                lists[str(instrument)].append((str(as_at), str(source)))
    return dict(lists)


def consent_kinds(store: ox.Store) -> frozenset[str]:
    """The keys of the consenting acts: act-kind/consent and every kind narrower than it."""
    top = ox.NamedNode(instance("act-kind", "consent"))
    return frozenset(_last(n.value) for n in {top} | _closure(store, top, SKOS + "broader", True))


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
) -> Standing:
    """Decide where ``state`` stands towards ``instrument`` on ``on`` from what was seen.

    ``lists`` are the (as-at, source) of the complete status lists of the instrument: a state
    they do not show as consenting had not consented at their date.
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
        if starts and starts[0] > on:
            return result(NOT_YET_IN_FORCE, starts[0], f"in force for it from {starts[0]}")
        if starts:
            return result(BOUND, starts[0], f"in force for it since {starts[0].isoformat()}")
        first = min(_when(a) for a in given)
        return result(
            BOUND,
            first,
            f"consented on {first.isoformat()}; its entry into force for the state is not recorded",
        )
    if consents:
        return result(
            NOT_YET_IN_FORCE if any(a.date and a.date <= on for a in consents) else NOT_PARTY,
            None,
            f"consents only on {min(_when(a) for a in consents).isoformat()}",
        )
    negatives = [a.as_at for a in acts if a.kind == "not-party" and a.as_at]
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


def _reservation_refs(
    records: Sequence[dict[str, object]],
    state: str,
    instruments: set[str],
    provisions: set[str],
    extradition: bool,
    requested: bool,
) -> list[ReservationRef]:
    refs = []
    for record in records:
        if record["instrument"] not in instruments:
            continue
        affected = record["provisions"]
        effects = record["effects"]
        assert isinstance(affected, list) and isinstance(effects, dict)
        hit = sorted(set(affected) & provisions)
        for effect, label in sorted(effects.items()):
            key = _last(effect)
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
                    reservation=str(record["reservation"]),
                    effect=key,
                    effect_label=str(label),
                    provisions=tuple(map(str, affected)),
                    source=_str(record["source"]),
                    blocks=blocks,
                    why=why,
                )
            )
    return refs


@dataclass(frozen=True)
class _Context:
    store: ox.Store
    on: dt.date
    crime: str
    records: dict[str, _Records]
    lists: dict[str, list[tuple[str, str]]]
    consenting: frozenset[str]


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

    States are ISO alpha-2 or alpha-3 codes or names; the crime and the modality are keys or
    labels (a misspelt one gets a suggestion). ``on`` is a date (default: today).
    """
    from lexgraph.core.paths import Layout

    store = store if store is not None else open_store(Layout.default().store)
    day = _day(on)
    a, b = resolve_state(store, requesting), resolve_state(store, requested)
    if a == b:
        raise InputError(f"the requesting and the requested state are both {key_of(a.value)}")
    crime_node = resolve_keyed(store, "crime", crime)
    modality_node = resolve_keyed(store, "modality", modality)
    context = _Context(
        store=store,
        on=day,
        crime=crime_node.value,
        records={s.value: _records(store, s) for s in (a, b)},
        lists=_status_lists(store),
        consenting=consent_kinds(store),
    )
    results = [
        _decide(context, c, a.value, b.value) for c in _candidates(store, crime_node, modality_node)
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


def _day(on: dt.date | str | None) -> dt.date:
    if on is None:
        return dt.date.today()
    if isinstance(on, dt.date):
        return on
    try:
        return dt.date.fromisoformat(on)
    except ValueError:
        raise InputError(f"date {on!r} is not YYYY-MM-DD") from None


def _decide(context: _Context, candidate: _Candidate, a: str, b: str) -> Basis:
    store, on = context.store, context.on
    required = [candidate.instrument] + ([candidate.protocol] if candidate.protocol else [])
    reasons: list[str] = []
    unknowns: list[str] = []
    for instrument in required:
        in_force = _object(store, instrument, "entryIntoForceDate")
        if not isinstance(in_force, dt.date):
            unknowns.append(f"{key_of(instrument)}: its entry into force is not recorded")
        elif in_force > on:
            reasons.append(f"{key_of(instrument)} enters into force only on {in_force}")
    standings = []
    for state in (a, b):
        acts = context.records[state].acts
        for instrument in required:
            found = standing(
                state,
                instrument,
                acts.get(instrument, []),
                context.lists.get(instrument, []),
                context.consenting,
                on,
            )
            standings.append(found)
            who = f"{key_of(state)} / {key_of(instrument)}"
            if found.status == UNKNOWN_STANDING:
                unknowns.append(f"{who}: {found.note}")
            elif found.status != BOUND:
                reasons.append(f"{who}: {found.status} ({found.note})")
    provisions = {art.provision for art in candidate.articles}
    extradition = any(_last(art.provides) == "extradition" for art in candidate.articles)
    refs = [
        ref
        for state in (a, b)
        for ref in _reservation_refs(
            context.records[state].reservations,
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
        title=_label(store, candidate.instrument),
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


def _best_act(found: Standing, consenting: frozenset[str]) -> Act | None:
    """The act to cite for a standing: a dated consent from a primary source first."""
    consents = [a for a in found.acts if a.kind in consenting]
    ranked = sorted(
        consents or list(found.acts),
        key=lambda a: (a.date is None, a.secondary, a.date or dt.date.max, a.source),
    )
    return ranked[0] if ranked else None


def _why(
    context: _Context,
    candidate: _Candidate,
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


# ---------------------------------------------------------------------------------------------
# Gaps and dyads


@dataclass(frozen=True)
class Gap:
    """A crime type and modality for which no shared instrument gives a basis."""

    crime: str
    modality: str
    #: no-instrument: nothing in the corpus provides it; no-basis: every candidate fails;
    #: unknown: some candidate depends on participation data that is missing or too old.
    verdict: str
    candidates: tuple[str, ...]


def _concepts(store: ox.Store, cls: str) -> list[ox.NamedNode]:
    return sorted(
        set(_subjects(store, PREFIXES["rdf"] + "type", ox.NamedNode(LEX + cls))),
        key=lambda n: n.value,
    )


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
    from lexgraph.core.paths import Layout

    store = store if store is not None else open_store(Layout.default().store)
    day = _day(on)
    a, b = resolve_state(store, requesting), resolve_state(store, requested)
    context = _Context(
        store=store,
        on=day,
        crime="",
        records={s.value: _records(store, s) for s in (a, b)},
        lists=_status_lists(store),
        consenting=consent_kinds(store),
    )
    found = []
    for crime in _concepts(store, "CrimeType"):
        crime_context = _Context(
            store, day, crime.value, context.records, context.lists, context.consenting
        )
        for modality in _concepts(store, "CooperationModality"):
            results = [
                _decide(crime_context, c, a.value, b.value)
                for c in _candidates(store, crime, modality)
            ]
            if any(r.verdict == BASIS for r in results):
                continue
            if not results:
                verdict = NO_INSTRUMENT
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
    from lexgraph.core.paths import Layout

    store = store if store is not None else open_store(Layout.default().store)
    day = _day(on)
    a, b = resolve_state(store, first), resolve_state(store, second)
    records = {s.value: _records(store, s) for s in (a, b)}
    lists = _status_lists(store)
    consenting = consent_kinds(store)
    shared = []
    for instrument in sorted(set(records[a.value].acts) & set(records[b.value].acts)):
        in_force = _object(store, instrument, "entryIntoForceDate")
        if not isinstance(in_force, dt.date) or in_force > day:
            continue
        pair = tuple(
            standing(
                s,
                instrument,
                records[s].acts.get(instrument, []),
                lists.get(instrument, []),
                consenting,
                day,
            )
            for s in (a.value, b.value)
        )
        if all(p.status == BOUND for p in pair):
            dates = [p.since for p in pair if p.since]
            since = max([*dates, in_force]) if dates else None
            shared.append(Shared(instrument, _label(store, instrument), since, (pair[0], pair[1])))
    return tuple(sorted(shared, key=lambda s: (s.since or dt.date.max, s.instrument)))
