"""Import a Council of Europe "Chart of signatures and ratifications of Treaty NNN".

The Treaty Office publishes one chart per treaty
(``https://www.coe.int/en/web/conventions/full-list?module=signatures-by-treaty&treatynum=185``).
As rendered, it opens with "Chart of signatures and ratifications of Treaty NNN", the title and
"Status as of dd/mm/yyyy", then has a table for the member States of the Council of Europe and
one for non-member States (and organisations), each with a header row

    | (State) | Signature | Ratification | Entry into Force | Notes | R. | D. | A. | T. | C. | O. |

and one row per participant, dates written dd/mm/yyyy (older charts drop the leading zeros).
A header row serves the rows of its own table; a header without a cell above the names is
read one column to the right.
The Notes column carries the chart's markers, read as the charts' legend gives them: ``a``
accession, ``su`` succession, ``s`` signature without reservation as to ratification, ``r``
signature *ad referendum*. The stored copy of the chart this importer was written against
shows only the R./D./A./T. marks, so the markers are also taken where they follow a date in
its own cell (``30/11/2012 a``). R., D., A., T. (and C., O.) only flag that reservations,
declarations, authorities or territorial declarations (communications, objections) exist;
their content is on another page, so they are not turned into records.

Each row gives, as at the chart's "Status as of" date:

- a ``signature`` record for a signature date;
- a consent record for a ratification date, with the entry into force for the participant:
  ``accession`` where the chart marks ``a``, ``succession`` where it marks ``su``, and also
  ``accession`` where the row has no signature (an accession is by definition a consent
  without signature, ontology/vocab/act-kinds.ttl); otherwise ``ratification``, the word of
  the chart's column;
- a ``consent`` record dated by the signature where the chart marks ``s``;
- a ``consent`` record with only the entry into force where the chart gives that alone;
- a ``denunciation`` record where the chart has a Denunciation column with a date.

Rows without any date (states that neither signed nor ratified) give nothing. The records cite
the chart URL (``source``) with the source tag ``coe``. The page at coe.int is drawn by
JavaScript: fetched without a browser it may hold no table, which is reported as such; save
the page from a browser and import the file with ``--source URL``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from rdflib import Literal, URIRef

from lexgraph.core.errors import InputError
from lexgraph.core.http import fetch_text
from lexgraph.core.paths import Layout
from lexgraph.core.terms import Lex
from lexgraph.importers import PURPOSE, generated_header, read_text
from lexgraph.importers.participation import (
    ParticipantNames,
    Record,
    StatusList,
    write_participation,
)
from lexgraph.importers.records import Imported, check_url, instrument_graph, require_instrument

TAG = "coe"
CHART_URL = (
    "https://www.coe.int/en/web/conventions/full-list?module=signatures-by-treaty&treatynum={n}"
)
#: Widest ``colspan`` honoured; a chart's cells span a few columns at most.
MAX_COLSPAN = 50
_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_MARKERS = {"a", "s", "su", "r"}
_COLUMNS = {
    "signature": "signature",
    "ratification": "ratification",
    "entry into force": "in_force",
    "notes": "notes",
    "denunciation": "denunciation",
}


@dataclass
class _Row:
    line: int
    table: int
    cells: list[str] = field(default_factory=list)


class _ChartParser(HTMLParser):
    """Collect the text of the page and the rows of its tables, with their source lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[_Row] = []
        self.text: list[str] = []
        self._row: _Row | None = None
        self._cell: list[str] | None = None
        self._skip = 0
        self._tables = 0
        #: Tables opened and not closed, and whether the page opened and closed ``<html>``:
        #: what tells a page cut short from a whole one.
        self.open_tables = 0
        self.html = [False, False]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._skip += 1
        elif tag == "table":
            self._close_row()
            self._tables += 1
            self.open_tables += 1
        elif tag == "html":
            self.html[0] = True
        elif tag == "tr":
            self._close_row()
            self._row = _Row(self.getpos()[0], self._tables)
        elif tag in ("td", "th") and self._row is not None:
            self._close_cell()
            self._cell = []
            span = (dict(attrs).get("colspan") or "1").strip()
            # Pad a spanning cell with empty ones so later columns keep their positions.
            width = min(int(span), MAX_COLSPAN) if span.isascii() and span.isdigit() else 1
            self._row.cells.extend([""] * max(width - 1, 0))
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template"):
            self._skip = max(0, self._skip - 1)
        elif tag in ("td", "th"):
            self._close_cell()
        elif tag in ("tr", "table"):
            self._close_row()
            if tag == "table":
                self.open_tables = max(0, self.open_tables - 1)
        elif tag == "html":
            self.html[1] = True

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)

    def _close_cell(self) -> None:
        if self._cell is not None and self._row is not None:
            # The padding of a colspan went before this cell; keep it in front of it.
            self._row.cells.append(" ".join("".join(self._cell).split()))
        self._cell = None

    def _close_row(self) -> None:
        self._close_cell()
        if self._row is not None and self._row.cells:
            self.rows.append(self._row)
        self._row = None

    def close(self) -> None:
        super().close()
        self._close_row()


@dataclass(frozen=True)
class ChartRow:
    """One participant's row of a chart, dates already checked."""

    line: int
    name: str
    signature: dt.date | None
    ratification: dt.date | None
    in_force: dt.date | None
    denunciation: dt.date | None
    markers: frozenset[str]


@dataclass(frozen=True)
class Chart:
    """What a chart page says: its treaty number, its status date and its rows."""

    treaty: str | None
    as_at: dt.date
    rows: tuple[ChartRow, ...]


def _markers(text: str) -> set[str]:
    """Return the chart's markers (a, s, su, r) among the words of a cell."""
    words = text.replace("(", " ").replace(")", " ").split()
    return {w.strip(".").casefold() for w in words} & _MARKERS


def _cell_date(text: str, where: str, column: str) -> tuple[dt.date | None, set[str]]:
    """Return the date of a date cell and the markers written beside it.

    Footnote numbers beside the date are allowed; any other word is an error.
    """
    found = _DATE.search(text)
    rest = _DATE.sub(" ", text) if found else text
    markers = _markers(rest)
    words = {w.strip(".").casefold() for w in rest.replace("(", " ").replace(")", " ").split()}
    others = {w for w in words - markers if w and not (found and w.isdigit())}
    if others:
        raise InputError(f"{where}: {column} cell {text!r} is not a dd/mm/yyyy date")
    if not found:
        return None, markers
    day, month, year = (int(g) for g in found.groups())
    try:
        return dt.date(year, month, day), markers
    except ValueError as exc:
        raise InputError(
            f"{where}: {column} {found.group(0)!r} is not a real date ({exc})"
        ) from exc


def _header(cells: list[str]) -> dict[str, int] | None:
    """Return the column positions of a header row, or None if the row is not one."""
    names = [c.strip().casefold() for c in cells]
    if not {"signature", "ratification"} <= set(names):
        return None
    # A header without a cell above the names column starts one position early.
    offset = 1 if names[0] == "signature" else 0
    return {_COLUMNS[name]: i + offset for i, name in enumerate(names) if name in _COLUMNS}


def parse_chart(html: str, label: str) -> Chart:
    """Parse a chart page; ``label`` (a file name or URL) starts every error message."""
    parser = _ChartParser()
    parser.feed(html)
    parser.close()
    if parser.open_tables or (parser.html[0] and not parser.html[1]):
        unclosed = "a table" if parser.open_tables else "the page"
        raise InputError(
            f"{label}: the page is cut short ({unclosed} is never closed): an interrupted "
            "download; nothing was imported"
        )
    text = " ".join(" ".join(parser.text).split())
    status = re.search(r"Status as of:?\s*(\d{1,2}/\d{1,2}/\d{4})", text, re.I)
    if not status:
        raise InputError(f"{label}: no 'Status as of dd/mm/yyyy' date found on the page")
    as_at, _ = _cell_date(status.group(1), label, "Status as of")
    assert as_at is not None
    treaty = re.search(r"signatures and ratifications of Treaty\s+(\d+)", text, re.I)
    rows: list[ChartRow] = []
    columns: dict[str, int] | None = None
    table, charts = -1, 0
    for row in parser.rows:
        if row.table != table:  # a header row serves the rows of its own table only
            table, columns = row.table, None
        header = _header(row.cells)
        if header is not None:
            if "in_force" not in header:
                raise InputError(f"{label}:{row.line}: header row has no 'Entry into force'")
            columns, charts = header, charts + 1
            continue
        name = row.cells[0] if row.cells else ""
        if columns is None or not name:
            continue
        where = f"{label}:{row.line}: {name}"
        found: dict[str, dt.date | None] = {}
        markers: set[str] = set()
        for column in ("signature", "ratification", "in_force", "notes", "denunciation"):
            pos = columns.get(column)
            cell = row.cells[pos] if pos is not None and pos < len(row.cells) else ""
            if column == "notes":
                markers |= _markers(cell)
                continue
            found[column], marks = _cell_date(cell, where, column.replace("_", " "))
            markers |= marks
        if not any(found.values()):
            continue
        rows.append(
            ChartRow(
                row.line,
                name,
                found["signature"],
                found["ratification"],
                found["in_force"],
                found["denunciation"],
                frozenset(markers),
            )
        )
    if not charts:
        raise InputError(
            f"{label}: no chart table (a header row with Signature, Ratification and Entry into "
            "force) on the page; coe.int draws the chart with JavaScript, so save the page from "
            "a browser and import the file with --source URL"
        )
    if not rows:
        raise InputError(f"{label}: the chart lists no signature or ratification")
    return Chart(treaty.group(1) if treaty else None, as_at, tuple(rows))


def _consent_kind(row: ChartRow) -> str:
    if "su" in row.markers:
        return "succession"
    if "a" in row.markers or not row.signature:
        return "accession"
    return "ratification"


def chart_records(
    chart: Chart, instrument: str, source: str, names: dict[str, str]
) -> list[Record]:
    """Turn the rows of a chart into records; ``names`` maps chart names to participant IRIs."""
    as_at = chart.as_at.isoformat()
    records: list[Record] = []
    for row in chart.rows:
        acts: list[tuple[str, dt.date | None, dt.date | None]] = []
        if row.signature:
            acts.append(("signature", row.signature, None))
        if row.ratification:
            acts.append((_consent_kind(row), row.ratification, row.in_force))
        elif "s" in row.markers and row.signature:
            acts.append(("consent", row.signature, row.in_force))
        elif row.in_force:
            acts.append(("consent", None, row.in_force))
        if row.denunciation:
            acts.append(("denunciation", row.denunciation, None))
        records.extend(
            Record(instrument, names[row.name], act, source, date, in_force, as_at)
            for act, date, in_force in acts
        )
    return records


def _read(location: str) -> tuple[str, str]:
    """Return the page text and a label for messages, from a URL or a file path."""
    if re.match(r"https?://", location):
        return fetch_text(location, PURPOSE), location
    path = Path(location)
    return read_text(path, encoding="utf-8"), str(path)


def import_coe(
    location: str, instrument: str, layout: Layout, source: str | None = None
) -> Imported:
    """Import a chart (a file or a URL) into ``graph/imported/participation/coe/<instrument>.ttl``.

    The source of the records is ``source``, else the URL read, else the canonical chart URL
    of the treaty number the page gives. The chart's treaty number must match the
    instrument's ``lex:treatySeriesNumber`` where both are known.
    """
    graph = instrument_graph(layout.root)
    iri = require_instrument(graph, instrument)
    html, label = _read(location)
    chart = parse_chart(html, label)
    number = graph.value(URIRef(iri), URIRef(Lex.treatySeriesNumber))
    expected = re.sub(r"\D", "", str(number)) if isinstance(number, Literal) else None
    if chart.treaty and expected and chart.treaty != expected:
        raise InputError(
            f"{label}: the chart is of Treaty {chart.treaty}, but {instrument} is {number}"
        )
    given = source
    if source is None:
        if label.startswith(("http://", "https://")):
            source = label
        elif chart.treaty:
            source = CHART_URL.format(n=chart.treaty)
        else:
            raise InputError(f"{label}: the page names no treaty number; give --source URL")
    check_url(source, "--source", "URL")
    resolved = ParticipantNames.load(layout.root).resolve_all(
        (f"{label}:{row.line}", row.name) for row in chart.rows
    )
    records = chart_records(chart, instrument, source, resolved)
    out = layout.participation / "coe" / f"{instrument}.ttl"
    shown = label if label.startswith(("http://", "https://")) else Path(label).name
    command = ["coe", shown, f"--instrument {instrument}"]
    command += [f"--source '{given}'"] if given is not None else []
    header = generated_header(
        f"Participation in {instrument} from the Council of Europe chart of signatures and "
        f"ratifications, status as of {chart.as_at.isoformat()}.",
        source,
        command,
    )
    # The chart lists every State that signed or ratified: absence from it means "had not
    # consented as of that date", which the finder may rely on.
    listed = StatusList(instrument, chart.as_at.isoformat(), source)
    write_participation(out, header, records, TAG, listed)
    return Imported(out, len(records))
