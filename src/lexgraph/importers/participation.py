"""Participation records: the shape every participation importer writes.

A record is one treaty action (or one status observation) of one participant for one
instrument, as one source reports it. Records become ``lex:Participation`` nodes at

    id/participation/<instrument>/<participant>/<act>/<source tag>

where the participant is an ISO 3166-1 alpha-3 code or an organisation key (``EU``) and the
source tag names the source (``untc``, ``coe``, ``wikidata``, or a short hash of the URL), so
that the same act reported by two sources gives two records that both stay queryable.
A second record of the same act in the same source gets its date appended.

Names of participants are matched against the English labels of the states and
organisations in the graph (``skos:prefLabel``, ``skos:altLabel`` and the depositaries' own
spellings as ``skos:hiddenLabel`` in ``graph/participant-names.ttl``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import rdflib
from rdflib import Literal, URIRef

from lexgraph.core.errors import InputError
from lexgraph.core.namespaces import ID, instance
from lexgraph.core.paths import Layout
from lexgraph.core.terms import Dcterms, Lex, Rdf, Skos, Xsd
from lexgraph.core.turtle import Block, Term, write_turtle
from lexgraph.importers import parse_turtle

#: Keys of the act-kind scheme (ontology/vocab/act-kinds.ttl).
ACT_KINDS = frozenset(
    {
        "signature",
        "consent",
        "ratification",
        "acceptance",
        "approval",
        "accession",
        "succession",
        "formal-confirmation",
        "denunciation",
        "withdrawal",
        "not-party",
    }
)


@dataclass(frozen=True)
class Record:
    """One participation fact from one source.

    ``as_at`` is an ISO date, or a year-month or year where the source gives no finer date.
    ``secondary`` marks a source that is not the depositary's or a government's own record.
    """

    instrument: str
    participant: str
    act: str
    source: str
    date: dt.date | None = None
    in_force: dt.date | None = None
    as_at: str | None = None
    secondary: bool = False

    def __post_init__(self) -> None:
        if self.act not in ACT_KINDS:
            raise ValueError(f"unknown act kind {self.act!r}")


def source_tag(url: str) -> str:
    """Return a short, stable tag for a source URL: 's' and 8 hex digits of its SHA-1.

    >>> source_tag("https://example.org/a")
    's579f2a2c'
    """
    return "s" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:8]


def participant_key(iri: str) -> str:
    """Return the last segment of a participant IRI: ``JPN`` or ``EU``."""
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _date(value: dt.date) -> Literal:
    return Literal(value.isoformat(), datatype=URIRef(Xsd.date))


def _as_at_literal(value: str) -> Literal:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return Literal(value, datatype=URIRef(Xsd.date))
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return Literal(value, datatype=URIRef(Xsd.gYearMonth))
    if re.fullmatch(r"\d{4}", value):
        return Literal(value, datatype=URIRef(Xsd.gYear))
    raise ValueError(f"as-at date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")


def record_blocks(records: Iterable[Record], tag: str | None = None) -> list[Block]:
    """Return one block per record; ``tag`` names the source, else a hash of each URL."""
    blocks: list[Block] = []
    used: set[str] = set()
    for rec in records:
        base = instance(
            "participation",
            f"{rec.instrument}/{participant_key(rec.participant)}/{rec.act}/"
            f"{tag or source_tag(rec.source)}",
        )
        iri = base
        if iri in used:
            iri = f"{base}-{rec.date.isoformat() if rec.date else 'undated'}"
        n = 2
        while iri in used:
            iri = f"{base}-{n}"
            n += 1
        used.add(iri)
        pairs: list[tuple[str, Term]] = [
            (Rdf.type, URIRef(Lex.Participation)),
            (Lex.participant, URIRef(rec.participant)),
            (Lex.instrument, URIRef(instance("instrument", rec.instrument))),
            (Lex.actKind, URIRef(instance("act-kind", rec.act))),
        ]
        if rec.date:
            pairs.append((Lex.actDate, Literal(rec.date.isoformat(), datatype=URIRef(Xsd.date))))
        if rec.in_force:
            pairs.append(
                (
                    Lex.entryIntoForceForParticipant,
                    _date(rec.in_force),
                )
            )
        if rec.as_at:
            pairs.append((Lex.asAt, _as_at_literal(rec.as_at)))
        source_prop = Lex.secondarySource if rec.secondary else Dcterms.source
        pairs.append((source_prop, URIRef(rec.source)))
        blocks.append(Block(iri, pairs))
    return blocks


@dataclass(frozen=True)
class StatusList:
    """A source that lists every participant of one instrument as at a date (a depositary's
    status table): a participant it does not show as consenting had not consented then."""

    instrument: str
    as_at: str
    source: str

    def block(self, tag: str, parties: int | None = None) -> Block:
        """The list's node; ``parties`` is the number of participants it shows as having
        consented (``lex:partiesReported``), counted in the list itself."""
        pairs: list[tuple[str, Term]] = [
            (Rdf.type, URIRef(Lex.StatusList)),
            (Lex.instrument, URIRef(instance("instrument", self.instrument))),
            (Lex.asAt, _as_at_literal(self.as_at)),
            (Dcterms.source, URIRef(self.source)),
        ]
        if parties is not None:
            pairs.append((Lex.partiesReported, Literal(parties, datatype=URIRef(Xsd.integer))))
        return Block(instance("status-list", f"{self.instrument}/{tag}"), pairs)


#: The act kinds by which a participant consents to be bound (narrower than consent).
CONSENTS = frozenset(ACT_KINDS - {"signature", "denunciation", "withdrawal", "not-party"})


def consenting_participants(records: Iterable[Record]) -> int:
    """How many participants the records show as having consented and not denounced since.

    >>> consenting_participants([Record("untoc", "s/A", "ratification", "u"),
    ...                          Record("untoc", "s/B", "signature", "u")])
    1
    """
    found: dict[str, bool] = {}
    for rec in sorted(records, key=lambda r: r.date or dt.date.min):
        if rec.act in CONSENTS:
            found[rec.participant] = True
        elif rec.act in ("denunciation", "withdrawal"):
            found[rec.participant] = False
    return sum(found.values())


def write_participation(
    path: Path,
    header: str,
    records: Iterable[Record],
    tag: str | None,
    status_list: StatusList | None = None,
    status_lists: Sequence[StatusList] = (),
) -> Path:
    """Write the records as one generated Turtle file (its own named graph), atomically.

    ``status_list`` says that the source is complete for its instrument at its date; only a
    source that lists every participant (a UNTC or Council of Europe status table) is. The
    list records how many participants it shows as consenting (:func:`consenting_participants`).
    ``status_lists`` are lists of a source complete for several instruments (a CSV imported with
    ``--complete``): each counts the participants its own instrument's records show consenting.
    """
    records = list(records)
    if not records:
        raise InputError(f"no participation records to write to {path.name}")
    blocks = record_blocks(records, tag)
    if status_list is not None:
        blocks.append(
            status_list.block(
                tag or source_tag(status_list.source), consenting_participants(records)
            )
        )
    for listed in status_lists:
        own = [rec for rec in records if rec.instrument == listed.instrument]
        blocks.append(listed.block(source_tag(listed.source), consenting_participants(own)))
    write_turtle(path, header, blocks, ("lex", "dcterms", "xsd"))
    return path


def normalise_name(name: str) -> str:
    """Fold a participant name for matching: accents, case, apostrophes, footnote marks.

    >>> normalise_name("Côte d\u2019Ivoire 3")
    "cote d'ivoire"
    >>> normalise_name("Bolivia (Plurinational State of)")
    'bolivia (plurinational state of)'
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = re.sub(r"[\s,]*\d+(\s*,\s*\d+)*\s*$", "", text)  # trailing footnote numbers
    return re.sub(r"\s+", " ", text).strip().casefold()


@dataclass(frozen=True)
class ParticipantNames:
    """Participant IRIs by folded English name."""

    by_name: Mapping[str, str]

    @classmethod
    def load(cls, root: Path) -> ParticipantNames:
        """Read the labels of states and organisations from the project at ``root``."""
        graph = rdflib.Graph()
        for path in Layout(root).participant_files:
            if path.is_file():
                parse_turtle(graph, path)
        table: dict[str, str] = {}
        for prop in (Skos.hiddenLabel, Skos.altLabel, Skos.prefLabel):  # prefLabel wins a clash
            for subject, label in graph.subject_objects(URIRef(prop)):
                if (
                    isinstance(label, Literal)
                    and label.language in (None, "en")
                    and str(subject).startswith(ID)
                ):
                    table[normalise_name(str(label))] = str(subject)
        for subject, code in graph.subject_objects(URIRef(Lex.iso3166Alpha3)):
            table[str(code).casefold()] = str(subject)
        return cls(table)

    def resolve(self, name: str) -> str | None:
        """Return the IRI for a name or alpha-3 code, or None."""
        return self.by_name.get(normalise_name(name))

    def resolve_all(self, names: Iterable[tuple[str, str]]) -> dict[str, str]:
        """Resolve ``(where, name)`` pairs; raise one error listing every unknown name."""
        found: dict[str, str] = {}
        unknown: list[str] = []
        for where, name in names:
            iri = self.resolve(name)
            if iri is None:
                unknown.append(f"{where}: {name!r}")
            else:
                found[name] = iri
        if unknown:
            raise InputError(
                f"{len(unknown)} participant name(s) not known (add a skos:hiddenLabel in "
                "graph/participant-names.ttl): " + "; ".join(unknown)
            )
        return found
