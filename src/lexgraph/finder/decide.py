"""Deciding one candidate: standings, how its articles provide the modality, scope, reservations.

The rules are those of :mod:`lexgraph.finder.basis`; ``docs/legal-model.md`` explains them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from lexgraph.core.namespaces import instance
from lexgraph.core.terms import Lex, Rdf
from lexgraph.core.turtle import natural_key
from lexgraph.finder.answer import BASIS, CONDITIONAL, FRAMEWORK, NO_BASIS, UNKNOWN, Basis
from lexgraph.finder.context import Context
from lexgraph.finder.coverage import (
    RULE_TEXT,
    Article,
    Candidate,
    candidates,
    provision_links,
)
from lexgraph.finder.coverage import articles as providing_articles
from lexgraph.finder.model import FRAMEWORK as FRAMEWORK_KINDS
from lexgraph.finder.model import (
    GIVES_BASIS,
    KIND_CONDITION,
    Condition,
    ProvisionKind,
    Scope,
    article_ref,
    provision_kinds,
    rank,
    scopes,
)
from lexgraph.finder.reservations import (
    ReservationRef,
    assess,
    in_paragraph,
)
from lexgraph.finder.standing import (
    BOUND,
    UNKNOWN_STANDING,
    Act,
    Standing,
)
from lexgraph.store.labels import label, last_segment
from lexgraph.store.walk import objects, subjects, value


def decide_all(
    context: Context, crime: ox.NamedNode, modality: ox.NamedNode, a: str, b: str
) -> list[Basis]:
    """Every candidate for ``crime`` and ``modality`` that existed on the context's date,
    decided, less those not :func:`offered`: the one pipeline of the finder and the gaps."""
    store = context.store
    decided = [
        decide(context, c, a, b)
        for c in candidates(store, crime, modality)
        if exists_on(store, c, context.on) and between(store, c.instrument, (a, b))
    ]
    return [r for r in decided if offered(r)]


def bilaterals_between(
    store: ox.Store, states: tuple[str, str], modality: str | None = None
) -> list[str]:
    """The bilateral treaties the graph records between the two states (IRIs, sorted); with
    ``modality``, only those with an article that provides it (``lex:providesFor``)."""
    pair = set(states)
    treaties = [
        t.value
        for t in subjects(store, Rdf.type, ox.NamedNode(Lex.BilateralTreaty))
        if {p.value for p in objects(store, t, Lex.party)} == pair
    ]
    if modality is not None and treaties:
        links = provision_links(store)
        treaties = [t for t in treaties if providing_articles(store, t, modality, links)]
    return sorted(treaties)


def between(store: ox.Store, instrument: str, states: tuple[str, str]) -> bool:
    """Whether ``instrument`` can bind the two states: any instrument but a bilateral treaty,
    which binds only its two parties (``lex:party``), and so is a candidate only between them."""
    parties = {p.value for p in objects(store, ox.NamedNode(instrument), Lex.party)}
    return not parties or parties == set(states)


def offered(basis: Basis) -> bool:
    """Whether to offer a decided candidate: one reached only through a scope wider than its
    own offences is left out when its articles give nothing (the Tokyo Convention's art. 16
    for every crime)."""
    return not (basis.rule == "scope" and basis.verdict == FRAMEWORK)


def exists_on(store: ox.Store, candidate: Candidate, day: dt.date) -> bool:
    """Whether the candidate's instruments existed on ``day``: adopted (or, where no adoption
    date is recorded, opened for signature) on or before it."""
    required = [candidate.instrument] + ([candidate.protocol] if candidate.protocol else [])
    for instrument in required:
        for prop in (Lex.adoptionDate, Lex.openedForSignatureDate):
            found = value(store, instrument, prop)
            if isinstance(found, dt.date):
                if found > day:
                    return False
                break
    return True


@dataclass
class _Decision:
    """What the checks of one candidate found, before the verdict is drawn."""

    reasons: list[str] = field(default_factory=list)
    unknowns: list[str] = field(default_factory=list)
    conditions: list[Condition] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def decide(context: Context, candidate: Candidate, a: str, b: str) -> Basis:
    """Decide whether ``candidate`` gives ``a`` a basis to ask ``b``, and say why."""
    store = context.store
    found = _Decision()
    required = [candidate.instrument] + ([candidate.protocol] if candidate.protocol else [])
    standings = _standings(context, required, (a, b), found)
    provisions = {art.provision for art in candidate.articles}
    extradition = any(last_segment(art.provides) == "extradition" for art in candidate.articles)
    refs = [
        ref
        for state in (a, b)
        for ref in assess(
            store,
            context.parties[state].reservations,
            state,
            set(required),
            provisions,
            extradition,
            requested=state == b,
        )
    ]
    kinds, articles, excluded = _kinds(context, candidate, refs, found)
    found.conditions += _scope_conditions(context, candidate)
    found.conditions += _kind_conditions(context, candidate, kinds, refs, a, b)
    found.conditions += [_unless(ref) for ref in refs if ref.blocks and ref.conditions]
    if kinds and kinds[0].kind in FRAMEWORK_KINDS:
        verdict = NO_BASIS if found.reasons else FRAMEWORK
    elif found.reasons:
        verdict = NO_BASIS
    elif found.unknowns:
        verdict = UNKNOWN
    else:
        verdict = CONDITIONAL if found.conditions else BASIS
    lists = context.lists.get(candidate.instrument, [])
    latest = max((as_at for as_at, _ in lists), default=None)
    if verdict == UNKNOWN:
        found.unknowns.append(update_hint(latest))
    return Basis(
        instrument=candidate.instrument,
        title=label(store, candidate.instrument),
        rule=candidate.rule,
        via=candidate.via,
        protocol=candidate.protocol,
        name=context.name(candidate.instrument),
        articles=articles,
        excluded_articles=excluded,
        kinds=kinds,
        standings=tuple(standings),
        reservations=tuple(refs),
        conditions=_distinct(found.conditions),
        verdict=verdict,
        reasons=tuple(found.notes + found.reasons + found.unknowns),
        why=_why(context, candidate, standings, kinds),
        status_list_as_at=latest,
    )


def update_hint(as_at: str | None) -> str:
    """What an `unknown` verdict says about how current the data is, and how to refresh it.

    >>> for part in update_hint("2014-07-10").split(": "):
    ...     print(part)
    the last complete status list seen for it is as at 2014-07-10
    run `lexgraph update` for later participation data
    """
    seen = (
        f"the last complete status list seen for it is as at {as_at}"
        if as_at
        else "no complete status list of it is in the graph"
    )
    return f"{seen}: run `lexgraph update` for later participation data"


def _unless(ref: ReservationRef) -> Condition:
    """The condition a reservation limited to some facts puts on the answer."""
    facts = " and ".join(c.text for c in ref.conditions)
    effect = ref.why.split(": ", 1)[1] if ref.why.startswith("if ") else ref.why
    return Condition("reservation", f"the case is not one where {facts} (then {effect})")


def _distinct(conditions: Sequence[Condition]) -> tuple[Condition, ...]:
    """One condition per fact of the case (the first, which cites its article), but every
    reservation's."""
    seen: dict[str, Condition] = {}
    for condition in conditions:
        key = condition.key if condition.key != "reservation" else condition.text
        seen.setdefault(key, condition)
    return tuple(seen.values())


def _standings(
    context: Context, required: Sequence[str], states: Sequence[str], found: _Decision
) -> list[Standing]:
    """Both states' standings towards each required instrument; what fails goes to ``found``."""
    on = context.on
    not_in_force = set()
    for instrument in required:
        in_force = context.entry_into_force(instrument)
        if in_force is None:
            found.unknowns.append(
                f"the entry into force of {context.name(instrument)} is not recorded"
            )
        elif in_force > on:
            not_in_force.add(instrument)
            found.reasons.append(
                f"{context.name(instrument)} is not in force: it enters into force on "
                f"{in_force.isoformat()}"
            )
    standings = []
    for state in states:
        for instrument in required:
            standing_ = context.standing(state, instrument)
            standings.append(standing_)
            who = f"{context.name(state)} and {context.name(instrument)}"
            if standing_.status == UNKNOWN_STANDING:
                found.unknowns.append(f"{who}: {standing_.note}")
            elif standing_.status != BOUND and instrument not in not_in_force:
                found.reasons.append(f"{who}: {standing_.status} ({standing_.note})")
    return standings


def _kinds(
    context: Context, candidate: Candidate, refs: Sequence[ReservationRef], found: _Decision
) -> tuple[tuple[ProvisionKind, ...], tuple[Article, ...], tuple[Article, ...]]:
    """How the candidate's articles provide the modality, less what firm reservations take away;
    with the articles left and those a reservation excludes whole."""
    store = context.store
    firm = [r for r in refs if r.blocks and not r.conditions]
    whole = {
        p
        for r in firm
        if r.effect == "excludes-provision" and not r.paragraphs
        for p in r.provisions
    }
    articles = tuple(art for art in candidate.articles if art.provision not in whole)
    excluded = tuple(art for art in candidate.articles if art.provision in whole)
    recorded: list[ProvisionKind] = []
    for art in candidate.articles:
        recorded += provision_kinds(store, art.provision, context.modality)
    if not recorded:
        where = ", ".join(article_ref(store, art.provision) for art in candidate.articles)
        found.unknowns.append(
            f"how {context.name(candidate.instrument)} {where} provides the modality is not "
            "recorded"
        )
        if not articles:
            found.reasons.append("a reservation excludes every article that provides the modality")
        return (), articles, excluded
    kept = []
    for kind in recorded:
        if kind.provision in whole:
            continue
        if any(
            r.effect == "excludes-provision"
            and kind.provision in r.provisions
            and in_paragraph(kind.paragraph, r.paragraphs)
            for r in firm
        ):
            continue
        if kind.kind == "optional-basis" and any(
            r.effect == "no-treaty-basis-for-extradition" for r in firm
        ):
            continue
        kept.append(kind)
    kept.sort(key=lambda k: rank(k.kind))
    if not kept:
        found.reasons.append("the reservations take away every provision that gives the modality")
    elif kept[0].kind in FRAMEWORK_KINDS:
        where = ", ".join(article_ref(context.store, k.provision, k.paragraph) for k in kept)
        name = context.name(candidate.instrument)
        if kept[0].kind == "conditions-and-procedure":
            found.notes.append(
                f"no basis of its own: {name} {where} only sets the conditions or procedure of "
                "cooperation whose basis lies in another article or treaty"
            )
        else:
            found.notes.append(
                f"framework only: {name} {where} only commits the parties to consider or "
                "conclude agreements; a separate agreement is needed"
            )
    return tuple(kept), articles, excluded


def _scope_conditions(context: Context, candidate: Candidate) -> list[Condition]:
    """The facts of the case on which the instrument's reach of the crime depends."""
    store = context.store
    found: list[Condition] = []
    for scope in scopes(store, candidate.instrument, context.modality):
        if candidate.rule == "scope" and scope.node != candidate.via:
            continue
        if candidate.rule != "scope" and scope.kind != "own-offences":
            continue
        found += _scope_facts(context, scope)
    return found


def _scope_facts(context: Context, scope: Scope) -> list[Condition]:
    store = context.store
    where = ", ".join(article_ref(store, p) for p in sorted(scope.defined_by, key=natural_key))
    cite = f" ({context.name(scope.instrument)} {where})" if where else ""
    facts = []
    if scope.kind == "penalty-threshold" and scope.months:
        years = scope.months / 12
        span = (
            f"{years:g} year{'s' if years != 1 else ''}"
            if scope.months % 12 == 0
            else (f"{scope.months} months")
        )
        facts.append(
            Condition("penalty-threshold", f"the offence is punishable by at least {span}{cite}")
        )
    facts += [
        Condition(c.key, f"{c.text}{cite}")
        for c in scope.conditions
        if c.key != "penalty-threshold"
    ]
    return facts


def _kind_conditions(
    context: Context,
    candidate: Candidate,
    kinds: Sequence[ProvisionKind],
    refs: Sequence[ReservationRef],
    a: str,
    b: str,
) -> list[Condition]:
    """The facts on which the articles left give a basis: none when one of them is a legal
    basis or an obligation that depends on nothing; otherwise the conditions every route
    shares, and one condition naming the routes as alternatives ("... or ...")."""
    usable = [k for k in kinds if k.kind not in FRAMEWORK_KINDS]
    if not usable or any(k.kind in GIVES_BASIS and not k.conditions for k in usable):
        return []
    accepted = any(
        r.effect == "treaty-basis-for-extradition" and r.state == b and not r.conditions
        for r in refs
    )
    shared = set.intersection(*(set(k.conditions) for k in usable))
    if accepted and any(k.kind == "optional-basis" and set(k.conditions) == shared for k in usable):
        return sorted(shared, key=lambda c: c.key)
    instrument = context.name(candidate.instrument)
    routes = []
    for kind in usable:
        cited = article_ref(context.store, kind.provision, kind.paragraph)
        implied = KIND_CONDITION.get(kind.kind)
        facts = " and ".join(
            c.text for c in kind.conditions if c not in shared and c.key != implied
        )
        if kind.kind == "optional-basis":
            route = (
                f"{context.name(b)} has declared that it takes {instrument} as the legal basis"
                if accepted
                else f"{context.name(b)} takes {instrument} as the legal basis, as it may"
            )
        elif kind.kind == "permission":
            route = (
                f"{context.name(b)} chooses to cooperate of its own motion, as {instrument} "
                "allows but does not oblige"
            )
        elif kind.kind == "deemed-included":
            treaties = bilaterals_between(context.store, (a, b), context.modality)
            recorded = [context.name(t) for t in treaties]
            known = (
                f"the graph records {', '.join(recorded)} between them; others may exist"
                if recorded
                else f"bilateral {label(context.store, context.modality)} treaties between "
                "them are not recorded in the graph"
            )
            route = (
                f"an extradition treaty binds {context.name(a)} and {context.name(b)}, "
                f"in which the offences are deemed included ({known})"
            )
        else:
            route = facts or f"{instrument} applies"
            facts = ""
        routes.append(f"{route}{' and ' + facts if facts else ''} ({cited})")
    key = "routes" if len(routes) > 1 else KIND_CONDITION.get(usable[0].kind, "conditions")
    alternatives = [Condition(key, ", or ".join(dict.fromkeys(routes)))] if routes else []
    return sorted(shared, key=lambda c: c.key) + alternatives


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
    kinds: Sequence[ProvisionKind],
) -> tuple[str, ...]:
    store = context.store
    lines = []
    for found in standings:
        act = _best_act(found, context.consenting)
        said = act.line() if act else found.note
        lines.append(
            f"{context.name(found.state)} -> {said} -> "
            f"{context.name(found.instrument)}: {found.status}"
        )
    for kind in kinds:
        what = label(store, instance("provision-kind", kind.kind))
        cited = article_ref(store, kind.provision, kind.paragraph)
        lines.append(
            f"{context.name(candidate.instrument)} {cited} -> {label(store, kind.modality)}: {what}"
        )
    if not kinds:
        for art in candidate.articles:
            lines.append(
                f"{context.name(candidate.instrument)} {article_ref(store, art.provision)} -> "
                f"{label(store, art.provides)}"
            )
    rule = RULE_TEXT[candidate.rule].format(
        instrument=context.name(candidate.instrument),
        via=label(store, candidate.via),
        crime=label(store, context.crime),
        protocol=context.name(candidate.protocol) if candidate.protocol else "",
    )
    lines.append(f"reaches the crime ({candidate.rule}): {rule}")
    return tuple(lines)
