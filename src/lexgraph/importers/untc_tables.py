"""Read a UN Treaty Collection status table: the saved page, its URL, or the table as CSV.

A status page (``treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=...``) holds the
participant table in its ASP.NET grid and a "Status as at" date in its text; the 2013-2015
scrapes of those pages give the same table as CSV. Either way the result is a :class:`Table`:
its header, its rows with the line each came from, and the page's date where it has one.
What the cells mean is :mod:`lexgraph.importers.untc`'s business, not this module's.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from lexgraph.core.errors import InputError
from lexgraph.core.escape import one_line
from lexgraph.core.http import TIMEOUT_S, fetch_text
from lexgraph.importers import PURPOSE, read_text

STATUS_AS_AT = re.compile(r"status\s+as\s+at\s*:?\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", re.I)


@dataclass(frozen=True)
class Table:
    """A status table as read: where it came from, its header and its rows with their lines."""

    where: str
    header: tuple[str, ...]
    header_line: int
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    as_at: str | None = None


def read_csv_table(text: str, where: str) -> Table:
    """Read a status table from CSV text; the first non-empty row is the header."""
    rows: list[tuple[int, tuple[str, ...]]] = []
    header: tuple[str, ...] | None = None
    header_line = 0
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for record in reader:
            if not any(c.strip() for c in record):
                continue
            if header is None:
                header, header_line = tuple(one_line(c) for c in record), reader.line_num
            else:
                rows.append((reader.line_num, tuple(record)))
    except csv.Error as exc:
        raise InputError(f"{where}:{reader.line_num}: not valid CSV: {exc}") from exc
    if header is None:
        raise InputError(f"{where}: empty table: no header row")
    for line, cells in rows:
        if len(cells) != len(header):
            raise InputError(
                f"{where}:{line}: row has {len(cells)} cell(s), the header has {len(header)}"
            )
    return Table(where, header, header_line, tuple(rows))


class _TableParser(HTMLParser):
    """Collects every table of a page (rows of cell texts, with the line of each row) and the
    page's visible text. Text inside ``<sup>`` is a footnote marker and is dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[tuple[str, list[tuple[int, list[str]]]]] = []
        self.text: list[str] = []
        self._open: list[int] = []  # indexes into self.tables of the tables still open
        self._cell: list[str] | None = None
        self._sup = 0
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "table":
            self.tables.append((dict(attrs).get("id") or "", []))
            self._open.append(len(self.tables) - 1)
        elif tag == "tr" and self._open:
            self._end_cell()
            self.tables[self._open[-1]][1].append((self.getpos()[0], []))
        elif tag in ("td", "th") and self._open and self.tables[self._open[-1]][1]:
            self._end_cell()
            self._cell = []
        elif tag == "sup":
            self._sup += 1
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag == "sup":
            self._sup = max(0, self._sup - 1)
        elif tag in ("td", "th", "tr"):
            self._end_cell()
        elif tag == "table" and self._open:
            self._end_cell()
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.text.append(data)
        if self._cell is not None and not self._sup:
            self._cell.append(data)

    def _end_cell(self) -> None:
        if self._cell is not None and self._open and self.tables[self._open[-1]][1]:
            self.tables[self._open[-1]][1][-1][1].append(one_line("".join(self._cell)))
        self._cell = None


def read_html_table(text: str, where: str) -> Table:
    """Read the participant table and the "Status as at" date of a UNTC status page.

    The table is the one whose ``id`` ends in ``tblgrid`` (the page's ASP.NET grid), else the
    first whose first cell starts with "Participant". Its first row is the header.
    """
    parser = _TableParser()
    try:
        parser.feed(text)
        parser.close()
    except (AssertionError, ValueError) as exc:  # html.parser's few hard failures
        raise InputError(f"{where}: cannot parse as HTML: {exc}") from exc
    tables = [
        (tid, [(line, cells) for line, cells in rows if cells]) for tid, rows in parser.tables
    ]
    chosen = next((rows for tid, rows in tables if tid.lower().endswith("tblgrid")), None)
    if chosen is None:
        chosen = next(
            (
                rows
                for _, rows in tables
                if rows and rows[0][1][0].lower().startswith("participant")
            ),
            None,
        )
    if chosen is None:
        raise InputError(
            f"{where}: no participant table (a table with an id ending in 'tblgrid', or whose "
            "first cell is 'Participant')"
        )
    if not chosen:
        raise InputError(f"{where}: empty table: the participant table has no rows")
    as_at = None
    found = STATUS_AS_AT.search(one_line(" ".join(parser.text)))
    if found:
        day, month, year = (int(g) for g in found.groups())
        try:
            as_at = dt.date(year, month, day).isoformat()
        except ValueError as exc:
            raise InputError(f"{where}: 'Status as at' date {found.group(0)!r}: {exc}") from exc
    (header_line, header), *rows = chosen
    width = len(header)
    body = tuple(
        (line, tuple(cells[:width]) + ("",) * (width - len(cells))) for line, cells in rows
    )
    return Table(where, tuple(header), header_line, body, as_at)


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:2048].lower()
    return head.startswith("<") or "<html" in head or "<table" in head


def read_table(source: str, timeout: float = TIMEOUT_S) -> tuple[Table, bool]:
    """Read a table from a file or an http(s) URL; return it and whether it was HTML."""
    if re.match(r"^[a-z][a-z0-9+.-]*://", source, re.I):
        text = fetch_text(source, PURPOSE, timeout_s=timeout)
    else:
        text = read_text(Path(source))
    if _looks_like_html(text):
        return read_html_table(text, source), True
    return read_csv_table(text, source), False
