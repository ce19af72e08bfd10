"""Reservations and declarations of the two states, and what each does to a candidate.

A reservation acts on the provisions it names, or on one paragraph of one (``lex:
affectsParagraph``: a reservation to art. 6(3) of the 1988 Convention takes away the optional
legal basis of that paragraph, not the offences deemed included by art. 6(2)). Reservations
work both ways: one party's exclusion of an article binds the other party too. A declaration
that a requested state does not take the instrument as the legal basis for extradition takes
away the optional basis only; one that it does makes that basis firm. An effect limited to some
facts of a case (``lex:condition``: the person sought is a national, no bilateral treaty binds
the two states) does not take anything away: the answer becomes conditional on those facts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from lexgraph.core.terms import Dcterms, Lex, Rdf
from lexgraph.finder.model import Condition, article_ref, conditions_of
from lexgraph.store.labels import label, last_segment, short_name
from lexgraph.store.walk import objects, subjects, value


@dataclass(frozen=True)
class Reservation:
    """A reservation or declaration of a state, as the graph records it."""

    reservation: str
    instrument: str
    effects: dict[str, str]
    provisions: list[str]
    paragraphs: tuple[str, ...]
    conditions: tuple[Condition, ...]
    source: str | None


@dataclass(frozen=True)
class ReservationRef:
    """A reservation or declaration of either state on the instrument, and what it does here."""

    state: str
    reservation: str
    effect: str
    effect_label: str
    provisions: tuple[str, ...]
    paragraphs: tuple[str, ...]
    conditions: tuple[Condition, ...]
    source: str | None
    blocks: bool
    why: str


def reservations_of(store: ox.Store, state: ox.NamedNode) -> list[Reservation]:
    """The reservations and declarations of ``state``, each with its effects' labels."""
    found = []
    # The graph has far fewer reservations than a state has participation records.
    for node in set(subjects(store, Rdf.type, ox.NamedNode(Lex.Reservation))):
        if state not in objects(store, node, Lex.participant):
            continue
        instrument = value(store, node.value, Lex.instrument)
        paragraphs = {
            q.object.value
            for q in store.quads_for_pattern(node, ox.NamedNode(Lex.affectsParagraph), None)
            if isinstance(q.object, ox.Literal)
        }
        sources = sorted(n.value for n in objects(store, node, Dcterms.source))
        found.append(
            Reservation(
                reservation=node.value,
                instrument="" if instrument is None else str(instrument),
                effects={e.value: label(store, e.value) for e in objects(store, node, Lex.effect)},
                provisions=sorted(p.value for p in objects(store, node, Lex.affectsProvision)),
                paragraphs=tuple(sorted(paragraphs)),
                conditions=conditions_of(store, node),
                source=sources[0] if sources else None,
            )
        )
    return sorted(found, key=lambda r: r.reservation)


def assess(
    store: ox.Store,
    records: Sequence[Reservation],
    state: str,
    instruments: set[str],
    provisions: set[str],
    extradition: bool,
    requested: bool,
) -> list[ReservationRef]:
    """What each reservation of ``state`` on the candidate's instruments does to it."""
    refs = []
    name = short_name(store, state)
    for record in records:
        if record.instrument not in instruments:
            continue
        hit = sorted(set(record.provisions) & provisions)
        for effect, effect_label in sorted(record.effects.items()):
            key = last_segment(effect)
            blocks, why = False, "listed: it does not take the basis away"
            if key == "excludes-provision" and hit:
                where = ", ".join(
                    article_ref(store, p, paragraph)
                    for p in hit
                    for paragraph in record.paragraphs or (None,)
                )
                blocks, why = True, f"{name} excludes {where}"
            elif key == "excludes-provision" and not record.provisions:
                why = "excludes provisions the graph does not name; read it before relying"
            elif key == "no-treaty-basis-for-extradition" and extradition:
                if requested:
                    blocks = True
                    why = f"{name}, the requested state, does not take it as the legal basis"
                else:
                    why = f"{name}, the requesting state, does not take it as the legal basis"
            elif key == "unclassified":
                why = "its effect is not typed in the graph; read it at the source before relying"
            elif key == "treaty-basis-for-extradition" and extradition and requested:
                why = f"{name}, the requested state, takes it as the legal basis for extradition"
            if blocks and record.conditions:
                facts = " and ".join(c.text for c in record.conditions)
                why = f"if {facts}: {why}"
            refs.append(
                ReservationRef(
                    state=state,
                    reservation=record.reservation,
                    effect=key,
                    effect_label=effect_label,
                    provisions=tuple(record.provisions),
                    paragraphs=record.paragraphs,
                    conditions=record.conditions,
                    source=record.source,
                    blocks=blocks,
                    why=why,
                )
            )
    return refs


def in_paragraph(paragraph: str | None, within: tuple[str, ...]) -> bool:
    """Whether a provision-kind ``paragraph`` falls within a reservation's paragraphs ``within``
    (the whole article when there are none; "2" holds "2(b)(ii)", "2(b)" holds "2(b)(i)"). A
    kind read from the whole article ("1-2", or no paragraph) falls within none of them: the
    reservation leaves the rest of the article standing.

    >>> in_paragraph("2(b)(ii)", ("2(b)",)), in_paragraph("3", ("2",)), in_paragraph("3", ())
    (True, False, True)
    """
    if not within:
        return True
    if paragraph is None:
        return False
    return any(paragraph == p or paragraph.startswith(p + "(") for p in within)
