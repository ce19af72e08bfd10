"""Import a UN Treaty Collection status table: who signed an instrument and who is bound by it.

The input is the participant table of a UNTC status page (``treaties.un.org/Pages/
ViewDetails.aspx?src=TREATY&mtdsg_no=...``), either the page itself (a saved file or its URL)
or the same table as CSV, one row per participant and one column per kind of action (the layout
of the 2013-2015 scrapes of the UNTC tables)::

    Participant,Signature,"Ratification, Acceptance(A), Approval(AA), Accession(a), Succession(d)"
    Bahrain,,7 Jun 2004 a

The first column names the participant; every other column is a kind of treaty action, and its
header says which suffix stands for which kind (no suffix, ``A``, ``AA``, ``a``, ``d``, ``c``
for formal confirmation, ``s`` for definitive signature). A header this module does not
understand is refused, naming the column: the importer never guesses what a column means.
Footnote markers (superscripts on the page, trailing numbers after a name or a date) are
dropped; the footnotes themselves (reservations, territorial application, a predecessor
State's actions) are not imported.

Each dated cell becomes a :class:`~.participation.Record` tagged ``untc``, citing the UNTC
page as ``dcterms:source`` and the table's "status as at" date as ``lex:asAt``, written to
``graph/imported/participation/untc/<instrument>.ttl``. Two readings are deliberate:

* "Definitive signature" (suffix ``s``) is a consent to be bound by signature alone; the
  act-kind scheme has no narrower concept for it, so it is recorded as ``consent``. The same
  holds for the single column of the 1961 Convention as amended that records participation
  "by virtue of" the 1972 Protocol: the table does not say by which kind of act.
* "Succession to signature" (``d`` in a signature column) makes the successor a signatory, so
  it is recorded as ``signature``.

A row naming a State that no longer exists (:data:`FORMER_STATES`) is skipped and reported:
mapping it to a successor would credit the successor with an act it did not take.
A name in brackets is a participant that has since withdrawn (UNTC convention); its rows are
kept, since the acts were taken, and the name is reported.

Reading the page or the CSV into rows is :mod:`lexgraph.importers.untc_tables`'s job; this
module says what the rows mean and writes them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from lexgraph.core.errors import InputError
from lexgraph.core.escape import one_line
from lexgraph.core.http import TIMEOUT_S
from lexgraph.core.namespaces import ID
from lexgraph.core.paths import Layout
from lexgraph.core.terms import Lex, Rdf, Skos
from lexgraph.importers import generated_header
from lexgraph.importers.participation import (
    ParticipantNames,
    Record,
    StatusList,
    normalise_name,
    write_participation,
)
from lexgraph.importers.records import check_url
from lexgraph.importers.untc_tables import Table, read_table
from lexgraph.store.sources import parse_file

#: Source tag of every record this importer writes (``id/participation/.../untc``).
TAG = "untc"
#: Names of States that no longer exist; their rows are skipped, never mapped to a successor.
FORMER_STATES = frozenset(
    normalise_name(n)
    for n in (
        "Czechoslovakia",
        "German Democratic Republic",
        "Serbia and Montenegro",
        "Socialist Federal Republic of Yugoslavia",
        "Union of Soviet Socialist Republics",
        "Yugoslavia",
    )
)
#: Kinds of act a column header may name, by its label folded to lower case.
LABELS = {
    "signature": "signature",
    "succession to signature": "signature",
    "definitive signature": "consent",
    "ratification": "ratification",
    "acceptance": "acceptance",
    "approval": "approval",
    "accession": "accession",
    "succession": "succession",
    "formal confirmation": "formal-confirmation",
    "denunciation": "denunciation",
    "withdrawal": "withdrawal",
}
#: Headers that name one kind of act in a sentence rather than a list (UNTC VI-18).
SENTENCE_HEADERS = {"participation in the convention by virtue of ratification": "consent"}
MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
VALUE = re.compile(
    r"^(?P<day>\d{1,2}) (?P<month>[A-Za-z]{3,9})\.? (?P<year>\d{4})"
    r"(?: ?(?P<suffix>[A-Za-z]{1,2}))?(?:[ ,]+\d{1,3})*[ ,]*$"
)
ITEM = re.compile(r"^(?P<label>.*?)\s*\((?P<suffix>[A-Za-z]{1,2})\)$")
FOOTNOTES = re.compile(r"(?:\s*,)?(?:\s+\d{1,3}\s*,?)+\s*$")
REF = re.compile(r"^(?P<chapter>[IVXLC]+)-\d+(?:-[a-z])?$")
ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


@dataclass(frozen=True)
class Instrument:
    """What the graph says about an instrument the importer writes records for."""

    key: str
    label: str
    untc_reference: str | None
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class UntcImport:
    """The outcome of one import: the file written, its counts and what was left out."""

    path: Path
    signatures: int
    consents: int
    others: int
    skipped: tuple[str, ...]
    withdrawn: tuple[str, ...]


# ---------------------------------------------------------------------------------------------
# Interpreting tables


def column_acts(header: str, where: str) -> dict[str | None, str]:
    """Return the act kind of each suffix a column header declares (``None``: no suffix).

    >>> column_acts("Ratification, Acceptance(A), Approval(AA)", "t.csv:1")
    {None: 'ratification', 'A': 'acceptance', 'AA': 'approval'}
    """
    folded = header.casefold()
    for start, kind in SENTENCE_HEADERS.items():
        if folded.startswith(start):
            return {None: kind}
    acts: dict[str | None, str] = {}
    for item in (i.strip() for i in header.split(",")):
        match = ITEM.match(item)
        label: str = match["label"] if match else item
        suffix: str | None = match["suffix"] if match else None
        act = LABELS.get(one_line(label).casefold())
        if act is None:
            raise InputError(
                f"{where}: column {header!r}: {label!r} is not a kind of act this importer "
                f"reads (it reads {', '.join(sorted(LABELS))})"
            )
        if suffix in acts:
            raise InputError(f"{where}: column {header!r} declares suffix {suffix!r} twice")
        acts[suffix] = act
    return acts


def parse_value(value: str) -> tuple[dt.date, str | None] | None:
    """Return the date and suffix of a cell, None for an empty one; raise ValueError if bad.

    >>> parse_value("7 Jun 2004 a")
    (datetime.date(2004, 6, 7), 'a')
    >>> parse_value("14 Dec 2000 3")
    (datetime.date(2000, 12, 14), None)
    """
    text = one_line(value)
    if not text:
        return None
    match = VALUE.match(text)
    month = match["month"].casefold() if match else ""
    number = next((i for i, m in enumerate(MONTHS, 1) if m.startswith(month)), 0)
    if match is None or len(month) < 3 or not number:
        raise ValueError(f"{value!r} is not a date like '14 Dec 2000', with an optional suffix")
    try:
        date = dt.date(int(match["year"]), number, int(match["day"]))
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a calendar date ({exc})") from None
    return date, match["suffix"]


def participant_name(cell: str) -> tuple[str, bool]:
    """Return a participant's name without footnote markers, and whether it is in brackets.

    >>> participant_name("United Kingdom of Great Britain and Northern Ireland 6 , 18 ,")
    ('United Kingdom of Great Britain and Northern Ireland', False)
    >>> participant_name("[Ruritania 3]")
    ('Ruritania', True)
    """
    name = FOOTNOTES.sub("", one_line(cell))
    bracketed = name.startswith("[") and name.endswith("]")
    if bracketed:
        name = FOOTNOTES.sub("", name[1:-1].strip())
    return name, bracketed


def _as_at(value: str, what: str) -> str:
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise InputError(f"{what} {value!r} is not a date YYYY-MM-DD") from None


def table_records(
    table: Table, names: ParticipantNames, instrument: str, source: str, as_at: str
) -> tuple[list[Record], list[str], list[str]]:
    """Turn a table into records; return them, the skipped rows and the withdrawn names.

    Every error is an :class:`InputError` naming the table and line; all unknown names are
    listed in one error.
    """
    where = table.where
    head = f"{where}:{table.header_line}"
    if len(table.header) < 2 or not table.header[0].casefold().startswith("participant"):
        raise InputError(
            f"{head}: missing column: the header must start with Participant and name at least "
            f"one kind of act, not {', '.join(repr(h) for h in table.header)}"
        )
    columns = [(h, column_acts(h, head)) for h in table.header[1:]]
    if not table.rows:
        raise InputError(f"{where}: empty table: no participant rows after the header")
    parsed: list[tuple[int, str, list[tuple[str, dt.date]]]] = []
    skipped: list[str] = []
    withdrawn: list[str] = []
    for line, cells in table.rows:
        name, bracketed = participant_name(cells[0])
        if not name:
            raise InputError(f"{where}:{line}: empty participant name")
        acts: list[tuple[str, dt.date]] = []
        for (header, suffixes), cell in zip(columns, cells[1:], strict=True):
            try:
                value = parse_value(cell)
            except ValueError as exc:
                raise InputError(f"{where}:{line}: {name}, column {header!r}: {exc}") from None
            if value is None:
                continue
            date, suffix = value
            if suffix not in suffixes:
                declared = ", ".join("none" if s is None else s for s in suffixes)
                raise InputError(
                    f"{where}:{line}: {name}, column {header!r}: unknown suffix "
                    f"{suffix or 'none'!r} in {one_line(cell)!r} (the column declares {declared})"
                )
            if date.isoformat() > as_at:
                raise InputError(
                    f"{where}:{line}: {name}, column {header!r}: {date.isoformat()} is after the "
                    f"as-at date {as_at}"
                )
            acts.append((suffixes[suffix], date))
        if normalise_name(name) in FORMER_STATES:
            skipped.append(f"{name} (line {line})")
            continue
        if bracketed:
            withdrawn.append(name)
        parsed.append((line, name, acts))
    iris = names.resolve_all((f"{where}:{line}", name) for line, name, _ in parsed)
    first: dict[str, int] = {}
    records: list[Record] = []
    for line, name, acts in parsed:
        iri = iris[name]
        if iri in first:
            raise InputError(
                f"{where}:{line}: {name} is the participant of line {first[iri]} again"
            )
        first[iri] = line
        for act, date in acts:
            records.append(Record(instrument, iri, act, source, date=date, as_at=as_at))
    if not records:
        raise InputError(f"{where}: empty table: no dated signature or consent in any row")
    return records, skipped, withdrawn


# ---------------------------------------------------------------------------------------------
# The graph and the command


def graph_instruments(layout: Layout) -> dict[str, Instrument]:
    """Return the instruments declared (typed) in the hand-edited files of ``graph/``."""
    prefix = ID + "instrument/"
    typed: set[str] = set()
    labels: dict[str, str] = {}
    names: dict[str, list[str]] = {}
    refs: dict[str, str] = {}
    for path in layout.source_files():
        if not path.is_relative_to(layout.graph) or path.is_relative_to(layout.imported):
            continue
        for quad in parse_file(path, layout.relative(path)):
            if not isinstance(quad.subject, ox.NamedNode):
                continue
            key = quad.subject.value[len(prefix) :]
            if not quad.subject.value.startswith(prefix) or not key or "/" in key:
                continue
            predicate, value = quad.predicate.value, quad.object
            if predicate == Rdf.type:
                typed.add(key)
            elif (
                isinstance(value, ox.Literal)
                and predicate == Skos.prefLabel
                and value.language == "en"
            ):
                labels[key] = value.value
                names.setdefault(key, []).append(value.value)
            elif isinstance(value, ox.Literal) and predicate == Skos.altLabel:
                names.setdefault(key, []).append(value.value)
            elif isinstance(value, ox.Literal) and predicate == Lex.untcReference:
                refs[key] = value.value
    return {
        k: Instrument(k, labels.get(k, k), refs.get(k), tuple(names.get(k, ())))
        for k in sorted(typed)
    }


def find_instrument(layout: Layout, key: str) -> Instrument:
    """Return the instrument ``key`` of the graph, or raise an error suggesting close keys."""
    known = graph_instruments(layout)
    if key in known:
        return known[key]
    words = key.casefold().replace("-", " ")
    close = (
        difflib.get_close_matches(key, known, n=5, cutoff=0.5)
        or [k for k, i in known.items() if any(words in n.casefold() for n in i.names)][:5]
    )
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise InputError(f"--instrument {key!r}: no instrument/{key} in graph/{hint}")


def chapter_of(reference: str) -> int:
    """Return the MTDSG chapter number of a reference such as ``XVIII-12``.

    >>> chapter_of("XVIII-12-a"), chapter_of("VI-19")
    (18, 6)
    """
    match = REF.match(reference)
    if not match:
        raise InputError(f"--ref {reference!r} is not a UNTC reference like XVIII-12 or XVIII-12-a")
    digits = [ROMAN[c] for c in match["chapter"]]
    return sum(-d if d < n else d for d, n in zip(digits, [*digits[1:], 0], strict=True))


def status_page_url(reference: str) -> str:
    """Return the UNTC status page of a reference such as ``XVIII-12``.

    >>> status_page_url("VI-19")
    'https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=VI-19&chapter=6&lang=en'
    """
    chapter = chapter_of(reference)
    return (
        "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY"
        f"&mtdsg_no={reference}&chapter={chapter}&lang=en"
    )


def _header(
    instrument: Instrument,
    table: str,
    source: str,
    as_at: str,
    counts: tuple[int, int, int],
    options: Sequence[str],
    note: str | None,
    skipped: Sequence[str],
    withdrawn: Sequence[str],
) -> str:
    shown = table if "://" in table else Path(table).name
    signatures, consents, others = counts
    summary = (
        f"Participation in {instrument.label} (instrument/{instrument.key}) as the UN Treaty "
        f"Collection status table shows it as at {as_at}: {signatures} signature(s), "
        f"{consents} consent(s) to be bound" + (f", {others} other act(s)." if others else ".")
    )
    notes = [
        "The table's footnotes (reservations, declarations, territorial application, "
        "predecessor States' acts) are not imported.",
        *([note] if note else []),
    ]
    if skipped:
        notes.append("Skipped, not current States: " + "; ".join(skipped) + ".")
    if withdrawn:
        notes.append("In brackets (withdrawn since): " + "; ".join(withdrawn) + ".")
    return generated_header(summary, source, ["untc", shown, *options], notes)


def import_untc(
    table: str,
    layout: Layout,
    instrument: str,
    *,
    as_at: str | None = None,
    source: str | None = None,
    ref: str | None = None,
    note: str | None = None,
    timeout: float = TIMEOUT_S,
) -> UntcImport:
    """Import the status table at ``table`` (a file or an http(s) URL) for ``instrument``.

    Writes ``graph/imported/participation/untc/<instrument>.ttl`` of ``layout``, replacing it;
    writes nothing unless the whole table is good. The as-at date is ``as_at``, else the page's
    "Status as at" date (a CSV has none); no act may be later than it. The cited source is
    ``source``, else the URL read, else the status page of ``ref`` or of the instrument's
    ``lex:untcReference``.
    """
    target = find_instrument(layout, instrument)
    if as_at is not None:
        as_at = _as_at(as_at, "--as-at")
    if source is not None and not re.match(r"^https?://\S+$", source):
        raise InputError(f"--source {source!r} is not an http(s) URL")
    if source is None and ref is None and "://" not in table and not target.untc_reference:
        raise InputError(
            f"no source to cite: give --source URL or --ref (instrument/{instrument} has no "
            "lex:untcReference)"
        )
    cited = source or (
        table if "://" in table else status_page_url(ref or target.untc_reference or "")
    )
    check_url(cited, "--source" if source else table, "URL")  # it is written as an IRI
    read, _ = read_table(table, timeout)
    date = as_at or read.as_at
    if date is None:
        raise InputError(
            f"{table}: the table gives no 'Status as at' date: give --as-at YYYY-MM-DD"
        )
    names = ParticipantNames.load(layout.root)
    records, skipped, withdrawn = table_records(read, names, instrument, cited, date)
    signatures = sum(r.act == "signature" for r in records)
    others = sum(r.act in ("denunciation", "withdrawal") for r in records)
    options = [f"--instrument {instrument}"]
    options += [f"--as-at {as_at}"] if as_at else []
    options += [f"--source '{source}'"] if source else []
    options += [f"--ref {ref}"] if ref else []
    options += ["--note '<the note below>'"] if note else []
    counts = (signatures, len(records) - signatures - others, others)
    header = _header(target, table, cited, date, counts, options, note, skipped, withdrawn)
    path = layout.participation / TAG / f"{instrument}.ttl"
    # A UNTC status table lists every participant of its treaty: absence from it means
    # "had not consented as at that date", which the finder may rely on.
    write_participation(path, header, records, TAG, StatusList(instrument, date, cited))
    return UntcImport(path, *counts, tuple(skipped), tuple(withdrawn))
