"""Import participation records from the documented CSV (``docs/participation-csv.md``).

Each row is one fact about one state and one instrument as one source reports it:

    instrument_key,state_iso3,action,action_date,entry_into_force_for_state,
    source_url,source_as_at,source_kind,note

The rows of one CSV become one generated file, ``graph/imported/participation/records/<name>.ttl``
(the CSV's stem unless a name is given), so that re-importing the CSV replaces exactly that file
(its named graph). Records of one source
URL share a source tag (:func:`~lexgraph.importers.participation.source_tag`). The ``note``
column is a paraphrase for people and is not written to the graph.

What the importer decides, and documents in ``docs/participation-csv.md``:

- a bad value (an impossible date, an unknown instrument, action, state or source kind, a
  missing column, a ragged row) is an error naming the file and line; nothing is written;
- an ``action_date`` later than ``source_as_at`` is a *warning*: a source can announce an act
  ahead of its deposit (the shared sample has three such rows), so it is kept as given;
- a row with no date at all (no act date, entry into force or as-at) is skipped with a
  warning, since the graph's check ``participation-undated`` refuses such a record;
- rows that give the same record (equal in every column but ``note``) are merged;
- a row's source gets its tier from ``graph/source-domains.ttl`` (a site not there is a
  warning: the build refuses the record until the site is added); an optional
  ``source_tier`` column must agree with it; a row whose source is tertiary is refused (or,
  with ``drop_tertiary``, dropped with a warning naming its line).

This module also holds the two instrument helpers the other participation importers use.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib import Literal, URIRef

from lexgraph.core.errors import InputError
from lexgraph.core.namespaces import instance
from lexgraph.core.paths import Layout
from lexgraph.core.terms import Lex
from lexgraph.core.tiers import NEGATIVE_EVIDENCE, TERTIARY
from lexgraph.importers import generated_header, parse_turtle, read_csv
from lexgraph.importers.participation import (
    ACT_KINDS,
    ParticipantNames,
    Record,
    StatusList,
    write_participation,
)
from lexgraph.importers.tiers import TierTable, unlisted

COLUMNS = (
    "instrument_key",
    "state_iso3",
    "action",
    "action_date",
    "entry_into_force_for_state",
    "source_url",
    "source_as_at",
    "source_kind",
    "note",
)
#: The shared dataset's instrument keys; lexgraph's own keys are accepted as well.
INSTRUMENT_ALIASES = {
    "UNTOC": "untoc",
    "UNCAC": "uncac",
    "UNTOC-TIP-Protocol": "untoc-tip-protocol",
    "UNTOC-SOM-Protocol": "untoc-som-protocol",
    "UNTOC-Firearms-Protocol": "untoc-firearms-protocol",
    "Illicit-Traffic-1988": "illicit-traffic-1988",
    "Terrorist-Financing-1999": "terrorist-financing-1999",
    "Budapest-ETS185": "budapest-ets185",
}
#: Actions of the CSV: every act-kind key, plus the dataset's two status values.
ACTIONS = {**{key: key for key in ACT_KINDS}, "party_status": "consent", "not_party": "not-party"}
SOURCE_KINDS = ("primary", "secondary")
#: Errors listed in one message at most; the rest are counted.
MAX_ERRORS = 20
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_STEM = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
#: Characters that cannot stand in an IRI written between angle brackets.
_NOT_IN_IRI = re.compile(r'[\s<>"{}|\\^`]')


@dataclass(frozen=True)
class Imported:
    """What a participation importer wrote: the file, its record count, and its warnings."""

    path: Path
    records: int
    warnings: tuple[str, ...] = ()


def instrument_graph(root: Path) -> rdflib.Graph:
    """Return the hand-edited instrument files of the project at ``root`` as one graph."""
    graph = rdflib.Graph()
    for path in sorted(Layout(root).instruments.glob("*.ttl")):
        parse_turtle(graph, path)
    return graph


def require_instrument(graph: rdflib.Graph, key: str) -> str:
    """Return the IRI of instrument ``key``; raise :class:`InputError` if the graph lacks it."""
    iri = instance("instrument", key)
    if (URIRef(iri), URIRef(Lex.key), Literal(key)) not in graph:
        raise InputError(
            f"instrument {key!r} is not declared in graph/instruments/ "
            f"(no <instrument/{key}> with lex:key {key!r})"
        )
    return iri


def parse_iso_date(value: str, where: str, column: str) -> dt.date:
    """Return the date of a ``YYYY-MM-DD`` value, or raise naming ``where`` and ``column``.

    >>> parse_iso_date("2014-02-28", "f.csv:2", "action_date")
    datetime.date(2014, 2, 28)
    """
    if not _ISO_DATE.fullmatch(value):
        raise InputError(f"{where}: {column} {value!r} is not a YYYY-MM-DD date")
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"{where}: {column} {value!r} is not a real date ({exc})") from exc


def parse_as_at(value: str, where: str) -> str:
    """Check a ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as-at date and return it unchanged.

    >>> parse_as_at("2019-05", "f.csv:2")
    '2019-05'
    """
    if re.fullmatch(r"\d{4}(-\d{2})?", value) and value.startswith("0000"):
        raise InputError(f"{where}: source_as_at {value!r} has no year 0")
    if re.fullmatch(r"\d{4}", value):
        return value
    if re.fullmatch(r"\d{4}-\d{2}", value):
        if not 1 <= int(value[5:]) <= 12:
            raise InputError(f"{where}: source_as_at {value!r} has no month {value[5:]}")
        return value
    parse_iso_date(value, where, "source_as_at")
    return value


def act_after_as_at(date: dt.date, as_at: str) -> bool:
    """Return True if ``date`` falls after the period an as-at date of any precision names.

    >>> act_after_as_at(dt.date(2008, 1, 5), "2007")
    True
    >>> act_after_as_at(dt.date(2019, 5, 31), "2019-05")
    False
    """
    return date.isoformat()[: len(as_at)] > as_at


def check_url(value: str, where: str, column: str = "source_url") -> str:
    """Return ``value`` if it is an absolute http(s) URL that can be written as an IRI."""
    try:
        parts = urllib.parse.urlsplit(value)
        ox.NamedNode(value)  # the build's own notion of an IRI
    except ValueError:  # urlsplit: a bad IPv6 host; NamedNode: a bad IRI
        parts = None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.netloc
        or _NOT_IN_IRI.search(value)
    ):
        raise InputError(f"{where}: {column} {value!r} is not an http(s) URL without spaces")
    return value


def _record(
    row: dict[str, str], where: str, instruments: rdflib.Graph, names: ParticipantNames
) -> Record:
    given = row["instrument_key"]
    key = INSTRUMENT_ALIASES.get(given, given)
    try:
        require_instrument(instruments, key)
    except InputError as exc:
        raise InputError(f"{where}: instrument_key {given!r}: {exc}") from exc
    code = row["state_iso3"]
    state = names.resolve(code) if re.fullmatch(r"[A-Z]{3}", code) else None
    if state != instance("state", code):
        raise InputError(
            f"{where}: state_iso3 {code!r} is not the ISO 3166-1 alpha-3 code of a state in "
            "graph/imported/states.ttl"
        )
    action = row["action"]
    if action not in ACTIONS:
        raise InputError(f"{where}: action {action!r} is not one of {', '.join(sorted(ACTIONS))}")
    kind = row["source_kind"]
    if kind not in SOURCE_KINDS:
        raise InputError(f"{where}: source_kind {kind!r} is not primary or secondary")
    date = row["action_date"]
    in_force = row["entry_into_force_for_state"]
    as_at = row["source_as_at"]
    return Record(
        instrument=key,
        participant=instance("state", code),
        act=ACTIONS[action],
        source=check_url(row["source_url"], where),
        date=parse_iso_date(date, where, "action_date") if date else None,
        in_force=parse_iso_date(in_force, where, "entry_into_force_for_state")
        if in_force
        else None,
        as_at=parse_as_at(as_at, where) if as_at else None,
        secondary=kind == "secondary",
    )


def _sort_key(rec: Record) -> tuple[str, ...]:
    return (
        rec.instrument,
        rec.participant,
        rec.act,
        rec.source,
        rec.date.isoformat() if rec.date else "",
        rec.in_force.isoformat() if rec.in_force else "",
        rec.as_at or "",
        str(rec.secondary),
    )


def read_records(
    path: Path, root: Path, drop_tertiary: bool = False
) -> tuple[list[Record], list[str]]:
    """Return the records of a participation CSV, sorted, and the warnings about them.

    Every bad row is reported (up to :data:`MAX_ERRORS`) in one :class:`InputError`. A row
    whose source is tertiary (``graph/source-domains.ttl``) is refused, an error like a bad
    row; with ``drop_tertiary`` it is dropped and a warning names its line.
    """
    reader = read_csv(path, COLUMNS)
    instruments = instrument_graph(root)
    names = ParticipantNames.load(root)
    tiers = TierTable.load(root)
    records: set[Record] = set()
    errors: list[str] = []
    warnings: list[str] = []
    rows = 0
    for row in reader:
        rows += 1
        where = f"{path}:{reader.line_num}"
        if None in row or any(v is None for v in row.values()):
            which = "more" if None in row else "fewer"
            errors.append(
                f"{where}: has {which} fields than the header's {len(reader.fieldnames or [])}"
            )
            continue
        cells = {k: v.strip() for k, v in row.items()}
        try:
            rec = _record(cells, where, instruments, names)
            tier = tiers.tier(rec.source, cells.get("source_tier", ""), where)
        except InputError as exc:
            errors.append(str(exc))
            continue
        if tier is None:
            warnings.append(unlisted(rec.source, where))
        elif tier == TERTIARY:
            what = f"its only source {rec.source} is tertiary (see graph/source-domains.ttl)"
            if not drop_tertiary:
                errors.append(
                    f"{where}: refused: {what}; no record may rest on Wikipedia or a mirror, a "
                    "document-sharing site or a blog alone: cite a depositary, official or "
                    "secondary source instead"
                )
            else:
                warnings.append(f"{where}: dropped, {what}")
            continue
        if not (rec.date or rec.in_force or rec.as_at):
            warnings.append(f"{where}: skipped, no action_date, entry_into_force or source_as_at")
            continue
        if rec.date and rec.as_at and act_after_as_at(rec.date, rec.as_at):
            warnings.append(
                f"{where}: action_date {rec.date.isoformat()} is after source_as_at "
                f"{rec.as_at} (kept as given)"
            )
        records.add(rec)
    if errors:
        more = len(errors) - MAX_ERRORS
        raise InputError(
            "; ".join(errors[:MAX_ERRORS]) + (f"; and {more} more bad row(s)" if more > 0 else "")
        )
    if not rows:
        raise InputError(f"{path}: no rows after the header")
    return sorted(records, key=_sort_key), warnings


def output_path(layout: Layout, csv_path: Path, name: str | None = None) -> Path:
    """Return ``graph/imported/participation/records/<name>.ttl``, by default the CSV's stem;
    the name must be IRI-safe, since it names the file's graph."""
    stem = csv_path.stem if name is None else name
    if not _STEM.fullmatch(stem):
        where = f"--name {stem!r}" if name is not None else f"{csv_path}: the file name {stem!r}"
        raise InputError(
            f"{where} must be letters, digits, '.', '_' or '-', since it names the output file "
            "and its graph"
        )
    return layout.participation / "records" / f"{stem}.ttl"


@dataclass(frozen=True)
class Complete:
    """The CSV lists every participant of ``instruments`` as at ``as_at``, from ``source``
    (a depositary's or official list): a state it does not show consenting had not consented."""

    instruments: tuple[str, ...]
    as_at: str
    source: str

    def status_lists(self, root: Path, records: list[Record]) -> list[StatusList]:
        """One status list per instrument; raise if the claim cannot stand."""
        where = "--complete"
        as_at = parse_as_at(self.as_at, f"{where}-as-at")
        source = check_url(self.source, f"{where}-source", "the list's source")
        tier = TierTable.load(root).tier(source, "", f"{where}-source")
        if tier not in NEGATIVE_EVIDENCE:
            raise InputError(
                f"{where}-source {source}: a complete list must come from a depositary or an "
                f"official source (graph/source-domains.ttl gives its site {tier or 'no tier'})"
            )
        lists = []
        for given in self.instruments:
            key = INSTRUMENT_ALIASES.get(given, given)
            if not any(rec.instrument == key for rec in records):
                raise InputError(f"{where} {given!r}: the CSV has no record of that instrument")
            lists.append(StatusList(key, as_at, source))
        return lists


def import_records(
    csv_path: Path,
    layout: Layout,
    name: str | None = None,
    drop_tertiary: bool = False,
    complete: Complete | None = None,
) -> Imported:
    """Convert one participation CSV into its own Turtle file, named ``name`` (by default the
    CSV's stem); nothing is written on error. Rows on a tertiary source are refused, or
    dropped with a warning each with ``drop_tertiary``. With ``complete``, the file also
    records a complete status list of each of its instruments."""
    out = output_path(layout, csv_path, name)
    records, warnings = read_records(csv_path, layout.root, drop_tertiary)
    lists = complete.status_lists(layout.root, records) if complete else []
    command = [
        "csv",
        csv_path.name,
        *([f"--name {name}"] if name is not None else []),
        *(["--drop-tertiary"] if drop_tertiary else []),
        *(
            [
                *(f"--complete {key}" for key in complete.instruments),
                f"--complete-as-at {complete.as_at}",
                f"--complete-source {complete.source}",
            ]
            if complete
            else []
        ),
    ]
    header = generated_header(
        f"Participation records from {csv_path.name}: one lex:Participation per distinct row "
        "(the CSV's note column is not carried over), each citing the source its row names.",
        f"{csv_path.name}, in the format of docs/participation-csv.md",
        command,
    )
    write_participation(out, header, records, None, status_lists=lists)
    return Imported(out, len(records), tuple(warnings))
