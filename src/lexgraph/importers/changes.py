"""What changed between two snapshots of a depositary's status list, as dated records.

A snapshot is what one generated file of ``graph/imported/`` says about one instrument: the
acts of each participant (:class:`~lexgraph.importers.participation.Record`), and the typed
statements (reservations, declarations, notifications, objections) by their IRI. Comparing
the snapshot an update is about to write with the one it replaces gives
:class:`Change` records of the kinds of ``ontology/vocab/change-kinds.ttl``:

- ``new-signature`` and ``new-party``: a participant with a signature, or a consent to be
  bound, that the previous snapshot did not show;
- ``withdrawal``: a denunciation or withdrawal the previous snapshot did not show;
- ``new-reservation`` / ``new-objection`` and ``withdrawn-reservation``: a statement shown now
  and not before, or before and not now. With no previous snapshot of the statements (the
  first update), none is reported: everything would be "new".

The records go to ``graph/imported/changes/<instrument>.ttl``, one ``lex:ParticipationChange``
per change at ``id/change/<instrument>/<participant>/<kind>/<as-at>[/<what>]``: an update
adds its records to those the file holds, so the history is kept, and a second run on the
same status list adds nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import rdflib
from rdflib import Literal, URIRef

from lexgraph.core.namespaces import instance
from lexgraph.core.terms import Dcterms, Lex, Rdf, Xsd
from lexgraph.core.turtle import Block, Term, render
from lexgraph.importers import generated_header, parse_turtle
from lexgraph.importers.participation import Record, participant_key

#: The change kinds (keys of ontology/vocab/change-kinds.ttl), in the order a summary lists them.
KINDS = (
    "new-party",
    "new-signature",
    "withdrawal",
    "new-reservation",
    "withdrawn-reservation",
    "new-objection",
)
CONSENTS = frozenset(
    {
        "consent",
        "ratification",
        "acceptance",
        "approval",
        "accession",
        "succession",
        "formal-confirmation",
    }
)
ENDS = frozenset({"denunciation", "withdrawal"})


@dataclass(frozen=True)
class Snapshot:
    """One instrument's status as one file holds it: acts, statements (IRI -> participant
    IRI) and the as-at date; ``statements`` is None where no statement was ever read."""

    instrument: str
    as_at: str | None
    acts: frozenset[tuple[str, str, dt.date | None]]
    statements: dict[str, str] | None = None

    @property
    def participants(self) -> frozenset[str]:
        return frozenset(p for p, _, _ in self.acts)

    def has(self, participant: str, kinds: frozenset[str]) -> bool:
        return any(p == participant and a in kinds for p, a, _ in self.acts)

    def dated(self, participant: str, kinds: frozenset[str]) -> dt.date | None:
        dates = [d for p, a, d in self.acts if p == participant and a in kinds and d]
        return min(dates) if dates else None


@dataclass(frozen=True)
class Change:
    """One change of one participant's standing, as the status list of ``as_at`` shows it."""

    instrument: str
    participant: str
    kind: str
    as_at: str
    source: str
    act_date: dt.date | None = None
    previous_as_at: str | None = None
    what: str | None = None

    @property
    def iri(self) -> str:
        tail = f"/{self.what}" if self.what else ""
        return instance(
            "change",
            f"{self.instrument}/{participant_key(self.participant)}/{self.kind}/{self.as_at}"
            + tail,
        )


def snapshot(
    instrument: str,
    as_at: str | None,
    records: Iterable[Record],
    statements: dict[str, str] | None = None,
) -> Snapshot:
    """The snapshot of a set of records (and statements, by IRI -> participant)."""
    acts = frozenset((r.participant, r.act, r.date) for r in records)
    return Snapshot(instrument, as_at, acts, statements)


def read_snapshot(instrument: str, paths: Sequence[Path], statements: Path | None) -> Snapshot:
    """Read the snapshot that generated files hold: the first of ``paths`` that exists (the
    participation file, else an older one), and the statements file if it exists."""
    graph = rdflib.Graph()
    for path in paths:
        if path.is_file():
            parse_turtle(graph, path)
            break
    acts: set[tuple[str, str, dt.date | None]] = set()
    as_at: str | None = None
    for node in graph.subjects(URIRef(Rdf.type), URIRef(Lex.StatusList)):
        as_at = str(graph.value(node, URIRef(Lex.asAt)))
    for node in graph.subjects(URIRef(Rdf.type), URIRef(Lex.Participation)):
        participant = graph.value(node, URIRef(Lex.participant))
        kind = graph.value(node, URIRef(Lex.actKind))
        date = graph.value(node, URIRef(Lex.actDate))
        if participant is None or kind is None:
            continue
        when = dt.date.fromisoformat(str(date)) if isinstance(date, Literal) else None
        acts.add((str(participant), str(kind).rsplit("/", 1)[-1], when))
        if as_at is None:
            found = graph.value(node, URIRef(Lex.asAt))
            as_at = str(found) if found is not None else None
    said: dict[str, str] | None = None
    if statements is not None and statements.is_file():
        kept = rdflib.Graph()
        parse_turtle(kept, statements)
        said = {
            str(node): str(kept.value(node, URIRef(Lex.participant)))
            for node in kept.subjects(URIRef(Rdf.type), URIRef(Lex.Reservation))
        }
    return Snapshot(instrument, as_at, frozenset(acts), said)


def compare(previous: Snapshot, current: Snapshot, source: str) -> list[Change]:
    """The changes from ``previous`` to ``current`` (same instrument), dated ``current``'s."""
    assert current.as_at is not None
    if previous.as_at is None and not previous.acts:
        return []  # a first snapshot: everything would be "new"
    common = {
        "instrument": current.instrument,
        "as_at": current.as_at,
        "source": source,
        "previous_as_at": previous.as_at,
    }
    changes: list[Change] = []
    for participant in sorted(current.participants):
        for kind, acts in (
            ("new-party", CONSENTS),
            ("new-signature", frozenset({"signature"})),
            ("withdrawal", ENDS),
        ):
            if current.has(participant, acts) and not previous.has(participant, acts):
                date = current.dated(participant, acts)
                changes.append(Change(participant=participant, kind=kind, act_date=date, **common))  # type: ignore[arg-type]
    if previous.statements is not None and current.statements is not None:
        prefix = instance("reservation", f"{current.instrument}/")
        for iri in sorted(set(current.statements) - set(previous.statements)):
            kind = "new-objection" if "/mtdsg/objection/" in iri else "new-reservation"
            what = iri[len(prefix) :].split("/", 1)[-1] if iri.startswith(prefix) else None
            changes.append(
                Change(participant=current.statements[iri], kind=kind, what=what, **common)  # type: ignore[arg-type]
            )
        for iri in sorted(set(previous.statements) - set(current.statements)):
            what = iri[len(prefix) :].split("/", 1)[-1] if iri.startswith(prefix) else None
            changes.append(
                Change(
                    participant=previous.statements[iri],
                    kind="withdrawn-reservation",
                    what=what,
                    **common,  # type: ignore[arg-type]
                )
            )
    return changes


def read_changes(path: Path) -> list[Change]:
    """Read the change records of a generated changes file."""
    graph = rdflib.Graph()
    parse_turtle(graph, path)
    found: list[Change] = []
    for node in graph.subjects(URIRef(Rdf.type), URIRef(Lex.ParticipationChange)):

        def one(prop: str, node: rdflib.term.Node = node) -> str | None:
            value = graph.value(node, URIRef(prop))
            return None if value is None else str(value)

        kind = (one(Lex.changeKind) or "").rsplit("/", 1)[-1]
        instrument = (one(Lex.instrument) or "").rsplit("/", 1)[-1]
        prefix = instance("change", f"{instrument}/")
        parts = str(node)[len(prefix) :].split("/", 3)
        date = one(Lex.actDate)
        found.append(
            Change(
                instrument=instrument,
                participant=one(Lex.participant) or "",
                kind=kind,
                as_at=one(Lex.asAt) or "",
                source=one(Dcterms.source) or "",
                act_date=dt.date.fromisoformat(date) if date else None,
                previous_as_at=one(Lex.previousAsAt),
                what=parts[3] if len(parts) > 3 else None,
            )
        )
    return found


def change_block(change: Change) -> Block:
    """The Turtle block of one change record."""
    pairs: list[tuple[str, Term]] = [
        (Rdf.type, URIRef(Lex.ParticipationChange)),
        (Lex.instrument, URIRef(instance("instrument", change.instrument))),
        (Lex.participant, URIRef(change.participant)),
        (Lex.changeKind, URIRef(instance("change-kind", change.kind))),
        (Lex.asAt, Literal(change.as_at, datatype=URIRef(Xsd.date))),
    ]
    if change.previous_as_at:
        pairs.append((Lex.previousAsAt, Literal(change.previous_as_at, datatype=URIRef(Xsd.date))))
    if change.act_date:
        pairs.append((Lex.actDate, Literal(change.act_date.isoformat(), datatype=URIRef(Xsd.date))))
    pairs.append((Dcterms.source, URIRef(change.source)))
    return Block(change.iri, pairs)


def render_changes(instrument: str, changes: Iterable[Change], kept: Iterable[Change]) -> str:
    """The changes file of an instrument: the records it ``kept`` and the new ones."""
    merged = {c.iri: c for c in kept}
    merged.update({c.iri: c for c in changes})
    header = generated_header(
        f"Changes in the participation of instrument/{instrument}, one record per change "
        "found between two snapshots of the depositary's status list, dated by the later one. "
        "Each update adds its records; earlier ones are kept.",
        "the depositaries' status lists named by each record's dcterms:source",
        [f"--only {instrument}"],
        verb="update",
    )
    return render(header, [change_block(c) for c in merged.values()], ("lex", "dcterms", "xsd"))


def label(change: Change) -> str:
    """A participant's key and what changed, for a summary line.

    >>> label(Change("untoc", "https://w3id.org/lexgraph/id/state/AND", "new-party", "2026-12-01",
    ...              "https://x"))
    'AND new-party'
    """
    what = f" ({change.what})" if change.what else ""
    when = f" on {change.act_date.isoformat()}" if change.act_date else ""
    return f"{participant_key(change.participant)} {change.kind}{what}{when}"
