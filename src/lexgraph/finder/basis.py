"""The legal-basis finder: which instruments let state A ask state B for modality M for crime C.

An instrument is a candidate when it reaches the crime and one of its articles provides for the
modality, or for a narrower one (the coverage rule, :mod:`lexgraph.finder.coverage`, which
also reaches every crime type through a scope wider than the instrument's own offences). An
instrument adopted after the date asked is no candidate. A candidate's verdict is:

- ``basis``: both states are bound on the date (:func:`lexgraph.finder.standing.standing`; a
  protocol route needs both instruments), an article that provides the modality is itself a
  legal basis or an obligation to cooperate (:mod:`lexgraph.finder.model`), and nothing in the
  scope, the articles or the reservations depends on the facts of the case;
- ``conditional``: the same, but the answer depends on facts the graph does not hold, each
  named: the penalty the offence carries, an organized criminal group, dual criminality, the
  requested state taking the instrument as the legal basis (an optional basis), an extradition
  treaty between the two (offences deemed included), a reservation limited to nationals...;
- ``framework-only``: the articles only commit the parties to consider or conclude agreements
  (UNTOC art. 17): a separate agreement is needed;
- ``no-basis``: a state is not bound (on depositary or official evidence), the instrument is
  not in force, or a reservation takes the basis away;
- ``unknown``: the participation data that would decide it is missing or older than the date.

"Unknown" is never "not a party". ``docs/legal-model.md`` explains each rule to a lawyer and
names the articles it comes from; the views the finder runs are in ``queries/views/``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

import pyoxigraph as ox

from lexgraph.core.errors import InputError
from lexgraph.core.namespaces import key_of
from lexgraph.core.terms import Lex, Rdf
from lexgraph.finder.answer import (
    BASIS,
    CONDITIONAL,
    FRAMEWORK,
    NO_BASIS,
    NO_INSTRUMENT,
    UNKNOWN,
    VERDICTS,
    Basis,
    BasisAnswer,
)
from lexgraph.finder.arrangements import arrangements
from lexgraph.finder.context import Context, default_store, parse_day
from lexgraph.finder.coverage import RULES
from lexgraph.finder.decide import bilaterals_between, decide, decide_all, exists_on, offered
from lexgraph.store.labels import label, short_name
from lexgraph.store.names import resolve_state
from lexgraph.store.query import resolve_keyed
from lexgraph.store.walk import subjects, value

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
    context = Context.of(store, day, (a, b), crime_node.value, modality_node.value)
    results = decide_all(context, crime_node, modality_node, a.value, b.value)
    results.sort(key=lambda r: (VERDICTS.index(r.verdict), RULES.index(r.rule), r.instrument))
    results = replaced_between(store, results)
    return BasisAnswer(
        requesting=a.value,
        requested=b.value,
        crime=crime_node.value,
        modality=modality_node.value,
        on=day,
        candidates=tuple(results),
        names={
            a.value: context.name(a.value),
            b.value: context.name(b.value),
            crime_node.value: label(store, crime_node.value),
            modality_node.value: label(store, modality_node.value),
            **{r.protocol: context.name(r.protocol) for r in results if r.protocol},
        },
        not_known=not_known(store, results, (a.value, b.value)),
        arrangements=arrangements(
            store, modality_node.value, (a.value, b.value), day, context.memberships
        ),
    )


def replaced_between(store: ox.Store, results: Sequence[Basis]) -> list[Basis]:
    """``results``, each candidate told when a later candidate that binds both states takes the
    place of its corresponding provisions between them (``lex:replacesBetweenBoundStates``: the
    European arrest warrant and ETS 24, the European Investigation Order and ETS 30).

    The earlier instrument keeps its verdict: it is still in force between the two states for
    what the later one does not cover, and the finder does not read which provisions those
    are. A later instrument whose verdict is unknown, framework only or no basis does not bind
    both states as far as the graph shows, and replaces nothing.
    """
    binding = {r.instrument for r in results if r.verdict in (BASIS, CONDITIONAL)}
    out = []
    for basis in results:
        later = sorted(
            node.value
            for node in subjects(
                store, Lex.replacesBetweenBoundStates, ox.NamedNode(basis.instrument)
            )
            if node.value in binding
        )
        lines = tuple(
            f"between these two states {short_name(store, other)} takes the place of the "
            f"corresponding provisions of {short_name(store, basis.instrument)}: a request "
            f"goes under {short_name(store, other)}, and {short_name(store, basis.instrument)} "
            "serves only for what it does not cover"
            for other in later
        )
        out.append(dataclasses.replace(basis, why=basis.why + lines) if lines else basis)
    return out


def not_known(store: ox.Store, results: Sequence[Basis], states: Sequence[str]) -> tuple[str, ...]:
    """What the graph does not know that could change an answer about ``results``: how current
    its participation data is, the instruments with no reservation recorded, and bilateral
    treaties."""
    lines = []
    seen: dict[str, str] = {}
    for basis in results:
        for standing in basis.standings:
            if standing.as_at:
                name = short_name(store, standing.instrument)
                seen[name] = max(seen.get(name, ""), standing.as_at)
    if seen:
        dates = "; ".join(f"{name} as at {when}" for name, when in sorted(seen.items()))
        lines.append(f"participation is known only as at the dates of its sources ({dates})")
    recorded = {
        str(value(store, node.value, Lex.instrument))
        for node in subjects(store, Rdf.type, ox.NamedNode(Lex.Reservation))
    }
    silent = sorted(
        {short_name(store, b.instrument) for b in results if b.instrument not in recorded}
    )
    if silent:
        lines.append(
            "no reservation or declaration is recorded for "
            + ", ".join(silent)
            + ": the states may have made some"
        )
    a, b = (short_name(store, s) for s in states)
    recorded_pair = [
        short_name(store, t) for t in bilaterals_between(store, (states[0], states[1]))
    ]
    if recorded_pair:
        lines.append(
            f"the graph records {len(recorded_pair)} bilateral treat"
            + ("y" if len(recorded_pair) == 1 else "ies")
            + f" between {a} and {b} ({', '.join(recorded_pair)}); others may exist"
        )
    else:
        lines.append(
            f"bilateral treaties between {a} and {b} are not recorded in the graph: "
            "the graph does not say there are none"
        )
    return tuple(lines)


__all__ = [
    "BASIS",
    "CONDITIONAL",
    "FRAMEWORK",
    "NO_BASIS",
    "NO_INSTRUMENT",
    "UNKNOWN",
    "VERDICTS",
    "Basis",
    "BasisAnswer",
    "Context",
    "decide",
    "decide_all",
    "default_store",
    "exists_on",
    "find_basis",
    "not_known",
    "offered",
    "parse_day",
    "replaced_between",
]
