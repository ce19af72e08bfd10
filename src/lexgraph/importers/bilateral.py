"""Bilateral treaties: the two states, the dates, what the treaty provides and to which
offences, from a documented CSV (``docs/bilateral-csv.md``).

Each row becomes a ``lex:BilateralTreaty`` with its two ``lex:party`` states, its dates, the
article that is the legal basis for the modality (a ``lex:ModalityProvision`` of kind
legal-basis), its scope (a penalty threshold in months as a ``lex:CooperationScope``, or the
listed crime types as ``lex:covers``), and one participation record per party (its consent,
in force for it on the treaty's entry into force, or only its signature where the row gives
no entry into force; a denunciation taking effect on the termination date), so that the
finder decides a bilateral treaty by the same rules as any other: it is a candidate only
between its two parties, and only while it is in force.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal, URIRef

from lexgraph.core.errors import InputError
from lexgraph.core.namespaces import instance
from lexgraph.core.paths import Layout
from lexgraph.core.terms import Dcterms, Lex, Rdf, Skos, Xsd
from lexgraph.core.turtle import Block, Term, write_turtle
from lexgraph.importers import generated_header, read_csv
from lexgraph.importers.participation import ParticipantNames, Record, record_blocks
from lexgraph.importers.records import check_url, parse_as_at, parse_iso_date

COLUMNS = (
    "key",
    "state_a",
    "state_b",
    "title",
    "short_name",
    "modality",
    "basis_article",
    "scope",
    "signature_date",
    "entry_into_force",
    "termination_date",
    "source_url",
    "source_as_at",
)
#: The modalities a bilateral treaty of the CSV may provide (keys of the modality scheme).
MODALITIES = ("extradition", "mutual-legal-assistance", "transfer-of-sentenced-persons")
_KEY = re.compile(r"[a-z0-9][a-z0-9-]{2,80}")
_ARTICLE = re.compile(r"[0-9]{1,3}[a-z]?")
_CRIME = re.compile(r"[a-z0-9-]+")
#: An ISO 639 language code, as a language tag's primary subtag is written (``de``, ``nl``).
_LANGUAGE = re.compile(r"[a-z]{2,3}")


@dataclass(frozen=True)
class Treaty:
    """One row of the CSV, checked."""

    key: str
    parties: tuple[str, str]
    title: str
    title_language: str
    short_name: str
    modality: str
    article: str
    months: int | None
    offences: tuple[str, ...]
    signed: str
    in_force: str | None
    terminated: str | None
    source: str
    as_at: str | None


def _scope(value: str, where: str) -> tuple[int | None, tuple[str, ...]]:
    """``12`` (months of the penalty threshold), ``list:crime-key crime-key``, or ``any``
    (any offence: mutual legal assistance treaties commonly reach every criminal matter);
    ``any`` gives a threshold of 0 months."""
    if value == "any":
        return 0, ()
    if value.isdigit() and 0 < int(value) <= 120:
        return int(value), ()
    if value.startswith("list:"):
        crimes = tuple(value[5:].split())
        if crimes and all(_CRIME.fullmatch(c) for c in crimes):
            return None, crimes
    raise InputError(
        f"{where}: scope {value!r} is not a penalty threshold in months (1-120), 'any', or "
        "'list:' followed by crime type keys"
    )


def _treaty(row: dict[str, str], where: str, names: ParticipantNames) -> Treaty:
    key = row["key"]
    if not _KEY.fullmatch(key):
        raise InputError(f"{where}: key {key!r} is not lower-case letters, digits and '-'")
    parties = []
    for column in ("state_a", "state_b"):
        code = row[column]
        state = names.resolve(code) if re.fullmatch(r"[A-Z]{3}", code) else None
        if state != instance("state", code):
            raise InputError(f"{where}: {column} {code!r} is not the ISO alpha-3 code of a state")
        parties.append(state)
    if parties[0] == parties[1]:
        raise InputError(f"{where}: a bilateral treaty needs two different states")
    if row["modality"] not in MODALITIES:
        raise InputError(
            f"{where}: modality {row['modality']!r} is not one of {', '.join(MODALITIES)}"
        )
    if not _ARTICLE.fullmatch(row["basis_article"]):
        raise InputError(
            f"{where}: basis_article {row['basis_article']!r} is not an article number such "
            "as 1 or 2a (the article read as the basis for requests)"
        )
    if not row["title"] or not row["short_name"]:
        raise InputError(f"{where}: the title and the short name must both be given")
    language = row.get("title_language") or "en"
    if not _LANGUAGE.fullmatch(language):
        raise InputError(
            f"{where}: title_language {language!r} is not an ISO 639 language code in lower "
            "case, such as en, fr or nl (the language of the title as the source gives it)"
        )
    months, offences = _scope(row["scope"], where)
    signed = parse_iso_date(row["signature_date"], where, "signature_date").isoformat()
    dates = {
        c: parse_iso_date(row[c], where, c).isoformat() if row[c] else None
        for c in ("entry_into_force", "termination_date")
    }
    if dates["entry_into_force"] and dates["entry_into_force"] < signed:
        raise InputError(f"{where}: entry_into_force is before signature_date")
    if dates["termination_date"] and dates["termination_date"] < signed:
        raise InputError(f"{where}: termination_date is before signature_date")
    return Treaty(
        key=key,
        parties=(parties[0], parties[1]),
        title=row["title"],
        title_language=language,
        short_name=row["short_name"],
        modality=row["modality"],
        article=row["basis_article"],
        months=months,
        offences=offences,
        signed=signed,
        in_force=dates["entry_into_force"],
        terminated=dates["termination_date"],
        source=check_url(row["source_url"], where),
        as_at=parse_as_at(row["source_as_at"], where) if row["source_as_at"] else None,
    )


def read_treaties(path: Path, root: Path) -> list[Treaty]:
    """The treaties of a bilateral CSV; every bad row is reported in one :class:`InputError`."""
    reader = read_csv(path, COLUMNS)
    names = ParticipantNames.load(root)
    found: dict[str, Treaty] = {}
    errors = []
    for row in reader:
        where = f"{path}:{reader.line_num}"
        if None in row or any(v is None for v in row.values()):
            errors.append(f"{where}: has more or fewer fields than the header")
            continue
        try:
            treaty = _treaty({k: v.strip() for k, v in row.items()}, where, names)
        except InputError as exc:
            errors.append(str(exc))
            continue
        if treaty.key in found:
            errors.append(f"{where}: key {treaty.key!r} is given twice")
            continue
        found[treaty.key] = treaty
    if errors:
        raise InputError(
            "; ".join(errors[:20]) + (f"; and {len(errors) - 20} more" if len(errors) > 20 else "")
        )
    if not found:
        raise InputError(f"{path}: no rows after the header")
    return [found[k] for k in sorted(found)]


def _date(value: str) -> Literal:
    return Literal(value, datatype=URIRef(Xsd.date))


def _titles(treaty: Treaty) -> list[tuple[str, Term]]:
    """The treaty's title in its language; where that is not English, the short name is its
    English label, since no English title was read (the finder and queries label in English)."""
    title = (Skos.prefLabel, Literal(treaty.title, lang=treaty.title_language))
    if treaty.title_language == "en":
        return [title]
    return [(Skos.prefLabel, Literal(treaty.short_name, lang="en")), title]


def treaty_blocks(treaty: Treaty) -> list[Block]:
    """The Turtle blocks of one treaty: the treaty, its basis article and how it provides
    the modality, its scope, and its parties' participation records."""
    iri = instance("instrument", treaty.key)
    source: tuple[str, Term] = (Dcterms.source, URIRef(treaty.source))
    modality = URIRef(instance("modality", treaty.modality))
    pairs: list[tuple[str, Term]] = [
        (Rdf.type, URIRef(Lex.BilateralTreaty)),
        (Lex.key, Literal(treaty.key)),
        *_titles(treaty),
        (Lex.shortName, Literal(treaty.short_name, lang="en")),
        *((Lex.party, URIRef(p)) for p in treaty.parties),
        (Lex.adoptionDate, _date(treaty.signed)),
    ]
    if treaty.in_force:
        pairs.append((Lex.entryIntoForceDate, _date(treaty.in_force)))
    if treaty.terminated:
        pairs.append((Lex.terminationDate, _date(treaty.terminated)))
    pairs += [(Lex.covers, URIRef(instance("crime", c))) for c in treaty.offences]
    pairs.append(source)
    article = f"{iri}/article/{treaty.article}"
    blocks = [
        Block(iri, pairs),
        Block(
            article,
            [
                (Rdf.type, URIRef(Lex.Provision)),
                (Lex.articleNumber, Literal(treaty.article)),
                (Lex.partOf, URIRef(iri)),
                (Lex.providesFor, modality),
                source,
            ],
        ),
        Block(
            f"{article}/modality/{treaty.modality}",
            [
                (Rdf.type, URIRef(Lex.ModalityProvision)),
                (Lex.provision, URIRef(article)),
                (Lex.modality, modality),
                (Lex.provisionKind, URIRef(instance("provision-kind", "legal-basis"))),
                source,
            ],
        ),
    ]
    if treaty.months == 0:  # any offence
        blocks.append(
            Block(
                f"{iri}/scope/{treaty.modality}",
                [
                    (Rdf.type, URIRef(Lex.CooperationScope)),
                    (Lex.scopeOf, URIRef(iri)),
                    (Lex.scopeKind, URIRef(instance("scope-kind", "any-offence"))),
                    (Lex.modality, modality),
                    (Lex.definedBy, URIRef(article)),
                    source,
                ],
            )
        )
    elif treaty.months is not None:
        blocks.append(
            Block(
                f"{iri}/scope/{treaty.modality}",
                [
                    (Rdf.type, URIRef(Lex.CooperationScope)),
                    (Lex.scopeOf, URIRef(iri)),
                    (Lex.scopeKind, URIRef(instance("scope-kind", "penalty-threshold"))),
                    (Lex.minimumPenaltyMonths, Literal(treaty.months)),
                    (Lex.modality, modality),
                    (Lex.condition, URIRef(instance("case-condition", "penalty-threshold"))),
                    (Lex.definedBy, URIRef(article)),
                    source,
                ],
            )
        )
    in_force = parse_iso_date(treaty.in_force, "", "") if treaty.in_force else None
    ended = parse_iso_date(treaty.terminated, "", "") if treaty.terminated else None
    signed = parse_iso_date(treaty.signed, "", "")
    records = []
    for party in treaty.parties:
        # Without an entry into force read from the source, a party's consent is not known
        # either: record what the row does show, its signature, so that the finder answers
        # "unknown" (signed, no consent recorded) rather than treating the treaty as binding.
        act = ("consent", None) if in_force else ("signature", signed)
        records.append(
            Record(
                treaty.key,
                party,
                act[0],
                treaty.source,
                date=act[1],
                in_force=in_force,
                as_at=treaty.as_at,
            )
        )
        if ended:
            records.append(
                Record(
                    treaty.key,
                    party,
                    "denunciation",
                    treaty.source,
                    date=ended,
                    in_force=ended,
                    as_at=treaty.as_at,
                )
            )
    return blocks + record_blocks(records)


def import_bilateral(csv_path: Path, layout: Layout, name: str | None = None) -> tuple[Path, int]:
    """Convert a bilateral-treaty CSV into ``graph/imported/bilateral/<name>.ttl``; nothing is
    written on error. Returns the file and the number of treaties."""
    stem = csv_path.stem if name is None else name
    if not re.fullmatch(r"[A-Za-z0-9._-]+", stem):
        raise InputError(f"{stem!r}: the output name must be letters, digits, '.', '_' or '-'")
    treaties = read_treaties(csv_path, layout.root)
    out = layout.graph / "imported" / "bilateral" / f"{stem}.ttl"
    header = generated_header(
        f"Bilateral treaties from {csv_path.name}: one lex:BilateralTreaty per row with its "
        "parties, dates, basis article, scope and the parties' participation records.",
        f"{csv_path.name}, in the format of docs/bilateral-csv.md",
        ["bilateral", csv_path.name, *([f"--name {name}"] if name is not None else [])],
    )
    blocks = [b for t in treaties for b in treaty_blocks(t)]
    out.parent.mkdir(parents=True, exist_ok=True)
    write_turtle(out, header, blocks, ("lex", "dcterms", "skos", "xsd"))
    return out, len(treaties)
