"""Non-treaty arrangements: schemes among an organisation's members that each state gives
effect to through its own law (the Commonwealth's London Scheme for extradition and Harare
Scheme for mutual legal assistance).

They are no legal basis by themselves, so the finder never makes them candidates; it names
them beside the candidates when they concern the modality asked or a broader one
(``lex:arrangementFor``), among the members of the organisation they apply among
(``lex:arrangementAmong``):

- both states are recorded members on the date: named, saying so;
- the organisation's complete list of members (``lex:MembershipList``) covers the date and one
  of them is not on it: not named;
- otherwise: named on the condition that both states be members, the graph not recording it.
"""

from __future__ import annotations

import datetime as dt

import pyoxigraph as ox

from lexgraph.core.terms import Dcterms, Lex, Skos
from lexgraph.core.tiers import TIERS, tier_key
from lexgraph.finder.answer import BOTH_MEMBERS, MEMBERSHIP_NOT_RECORDED, Arrangement
from lexgraph.finder.membership import Memberships
from lexgraph.store.labels import label, short_name
from lexgraph.store.walk import closure, objects, subjects


def _strongest(store: ox.Store, node: ox.NamedNode, org: str | None) -> str | None:
    """The source of ``node`` to show: one the organisation itself is cited from (its own
    account of the arrangement) first, then the strongest tier, then by address; or None."""
    own = (
        set()
        if org is None
        else {s.value for s in objects(store, ox.NamedNode(org), Dcterms.source)}
    )

    def rank(source: ox.NamedNode) -> tuple[bool, int, str]:
        tiers = [tier_key(t.value) for t in objects(store, source, Lex.sourceTier)]
        known = [TIERS.index(t) for t in tiers if t in TIERS]
        return (source.value not in own, min(known) if known else len(TIERS), source.value)

    sources = sorted(objects(store, node, Dcterms.source), key=rank)
    return sources[0].value if sources else None


def _recorded(memberships: Memberships, org: str) -> bool:
    """Whether the graph records any member or membership list of ``org``."""
    return bool(memberships.lists.get(org)) or any(o == org for o, _ in memberships.members)


def _members_on(memberships: Memberships, org: str, states: tuple[str, str], on: dt.date) -> str:
    """``both``, ``outside`` (a complete list covers ``on`` and one state is not a member) or
    ``unknown``."""
    inside = [
        any(r.holds_on(on) for r in memberships.members.get((org, state), [])) for state in states
    ]
    if all(inside):
        return "both"
    covered = any(as_at >= on.isoformat() for as_at, _ in memberships.lists.get(org, []))
    return "outside" if covered else "unknown"


def arrangements(
    store: ox.Store,
    modality: str,
    states: tuple[str, str],
    on: dt.date,
    memberships: Memberships | None,
) -> tuple[Arrangement, ...]:
    """The non-treaty arrangements that concern ``modality`` (or a broader one) between
    ``states`` on ``on``, by name."""
    asked = ox.NamedNode(modality)
    wanted = {modality} | {m.value for m in closure(store, asked, Skos.broader, inverse=False)}
    found = []
    for node in sorted(
        {s for m in wanted for s in subjects(store, Lex.arrangementFor, ox.NamedNode(m))},
        key=lambda n: n.value,
    ):
        concerned = sorted(m.value for m in objects(store, node, Lex.arrangementFor))
        among = sorted(o.value for o in objects(store, node, Lex.arrangementAmong))
        org = among[0] if among else None
        reading = "unknown"
        if org is not None and memberships is not None:
            reading = _members_on(memberships, org, states, on)
        if reading == "outside":
            continue
        name = short_name(store, node.value)
        kind = next(m for m in concerned if m in wanted)
        who = f"{label(store, org)} members" if org else "its participating states"
        head = (
            f"the {label(store, node.value)} ({name}) applies among {who} through each "
            f"member's own law, for {label(store, kind)}; it is no legal basis by itself"
        )
        if reading == "both":
            note = f"{head}; both states are recorded {who} on {on.isoformat()}"
        elif org is not None and memberships is not None and _recorded(memberships, org):
            note = (
                f"{head}; only if both states are {who} (the graph does not record both as "
                f"members on {on.isoformat()})"
            )
        else:
            note = (
                f"{head}; only if both states are {who} (membership is not recorded in the graph)"
            )
        found.append(
            Arrangement(
                instrument=node.value,
                name=name,
                title=label(store, node.value),
                modality=kind,
                organisation=org,
                membership=BOTH_MEMBERS if reading == "both" else MEMBERSHIP_NOT_RECORDED,
                note=note,
                source=_strongest(store, node, org),
            )
        )
    return tuple(sorted(found, key=lambda a: (a.name.casefold(), a.instrument)))
