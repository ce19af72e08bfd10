"""Read a UN Treaty Collection MTDSG XML document: the status of one treaty as data.

The Secretary-General publishes, for each multilateral treaty deposited with him, one XML
document of the *Multilateral Treaties Deposited with the Secretary-General* (MTDSG)::

    https://treaties.un.org/doc/Publication/MTDSG/Volume%20II/Chapter%20XVIII/XVIII-12.en.xml

Chapters I to XII are in Volume I, chapters XIII onward in Volume II (:func:`document_url`).
The document holds what the status page shows:

- the participants table, ``Treaty/Participants/Table/TGroup``: a ``Thead`` row naming the
  columns (``Participant``, ``Signature``, ``Ratification, Acceptance(A), Approval(AA),
  Accession(a), Succession(d)``...) and ``Tbody/Rows/Row`` rows of ``Entry`` cells, a date
  followed by the act's code (``7 Jun 2004 a``), footnote markers as ``<superscript>``, either
  as elements or as escaped markup inside the text;
- the date the status is printed for ("Status as at: 7-12-2026", or "as at 7 December 2026");
- the sections of declarations and reservations, objections, declarations or notifications
  under specific articles, and territorial applications: paragraphs in document order, a
  participant's name as a paragraph of its own heading the paragraphs that follow it;
- the footnotes (end notes), each with its number.

This module reads a document into a :class:`MtdsgDocument` and refuses what is not one (an
HTML page served in its place, such as a maintenance notice; XML that is not well formed or
declares entities; a document without a participants table or a status date). What the rows
and paragraphs mean is for :mod:`lexgraph.importers.untc` (the table, read like a status
page's) and :mod:`lexgraph.importers.declarations` (the sections and footnotes).
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from lexgraph.core.errors import InputError
from lexgraph.core.escape import one_line
from lexgraph.importers.untc import chapter_of
from lexgraph.importers.untc_tables import STATUS_AS_AT, Table

#: Where the Treaty Collection lives; ``lexgraph update --un-base`` replaces it (tests).
UN_BASE = "https://treaties.un.org"
#: The first chapter published in Volume II of the MTDSG.
VOLUME_II_FROM = 13
#: The sections of a document read as statements, by a word of their element's name.
SECTIONS = (
    ("objection", "objection"),
    ("territorial", "territorial"),
    ("underarticle", "article"),
    ("notification", "article"),
    ("declaration", "declaration"),
    ("reservation", "declaration"),
)
#: Elements that sit inside a paragraph rather than make one.
INLINE = frozenset({"superscript", "sup", "b", "i", "u", "em", "strong", "span", "a"})
_SUP = re.compile(r"<\s*superscript\s*>(.*?)<\s*/\s*superscript\s*>", re.I | re.S)
_BLOCK = re.compile(r"<\s*/?\s*(?:p|br|div|li|para|paragraph)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")
_LONG_AS_AT = re.compile(r"status\s+as\s+at\s*:?\s*(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{4})", re.I)
_ISO_AS_AT = re.compile(r"status\s+as\s+at\s*:?\s*(\d{4})-(\d{2})-(\d{2})", re.I)
_NOTE_NUMBER = re.compile(r"^\s*(\d{1,4})[.)]?\s+")
MONTHS = (
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
)  # fmt: skip


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a section: which section, its text without footnote markers, and
    the footnote numbers it carries."""

    section: str
    text: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class MtdsgDocument:
    """What an MTDSG document says, as read: the table (its rows' footnote numbers by row
    line), the status date, the sections' paragraphs in order and the footnotes."""

    where: str
    as_at: str
    table: Table
    row_notes: dict[int, tuple[str, ...]]
    paragraphs: tuple[Paragraph, ...]
    footnotes: dict[str, str]


def volume_of(reference: str) -> str:
    """Return the MTDSG volume (``I`` or ``II``) that holds a reference's chapter.

    >>> volume_of("VI-19"), volume_of("XVIII-12-a")
    ('I', 'II')
    """
    return "II" if chapter_of(reference) >= VOLUME_II_FROM else "I"


def document_url(reference: str, base: str = UN_BASE) -> str:
    """Return the English MTDSG XML document of a reference such as ``XVIII-12``.

    >>> document_url("XVIII-12")
    'https://treaties.un.org/doc/Publication/MTDSG/Volume%20II/Chapter%20XVIII/XVIII-12.en.xml'
    """
    roman = reference.split("-", 1)[0]
    return (
        f"{base.rstrip('/')}/doc/Publication/MTDSG/Volume%20{volume_of(reference)}/"
        f"Chapter%20{roman}/{reference}.en.xml"
    )


def _local(tag: object) -> str:
    name = tag if isinstance(tag, str) else ""
    return name.rsplit("}", 1)[-1].casefold()


def _marked_text(element: ET.Element) -> str:
    """The text of an element with its superscript children written as ``<superscript>``
    markup, the way escaped markup inside a text already is."""
    parts = [element.text or ""]
    for child in element:
        inner = _marked_text(child)
        if _local(child.tag) in ("superscript", "sup"):
            parts.append(f"<superscript>{inner}</superscript>")
        else:
            parts.append(inner)
        parts.append(child.tail or "")
    return "".join(parts)


def split_notes(text: str) -> tuple[str, tuple[str, ...]]:
    """Return a text without its footnote markers and tags, and the markers' numbers.

    >>> split_notes("Germany<superscript>3, 4</superscript>")
    ('Germany', ('3', '4'))
    """
    notes = tuple(n for m in _SUP.findall(text) for n in re.findall(r"\d{1,4}", m))
    return one_line(_TAG.sub(" ", _SUP.sub(" ", text))), notes


def _as_at(text: str, where: str) -> str:
    found = _ISO_AS_AT.search(text)
    if found:
        year, month, day = (int(g) for g in found.groups())
    else:
        found = STATUS_AS_AT.search(text)
        if found:
            day, month, year = (int(g) for g in found.groups())
        else:
            found = _LONG_AS_AT.search(text)
            if not found:
                raise InputError(
                    f"{where}: no 'Status as at' date in the document: without the date the "
                    "depositary prints, the table cannot be read as a status list"
                )
            name = found.group(2)[:3].casefold()
            if name not in MONTHS:
                raise InputError(f"{where}: 'Status as at' date {found.group(0)!r}: no month")
            day, month, year = int(found.group(1)), MONTHS.index(name) + 1, int(found.group(3))
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError as exc:
        raise InputError(f"{where}: 'Status as at' date {found.group(0)!r}: {exc}") from exc


def _refuse_non_xml(text: str, where: str) -> None:
    head = text.lstrip("\ufeff \t\r\n")[:4096]
    folded = head.casefold()
    if "<html" in folded or folded.startswith("<!doctype html"):
        title = re.search(r"<title[^>]*>(.*?)</title>", head, re.I | re.S)
        said = f" ({one_line(title.group(1))!r})" if title else ""
        why = "; the depositary may be under maintenance" if "maintenance" in folded else ""
        raise InputError(
            f"{where}: not an MTDSG XML document: the server answered an HTML page{said}{why}"
        )
    if not head.startswith("<"):
        raise InputError(f"{where}: not an MTDSG XML document: it does not start with '<'")
    if "<!doctype" in folded or "<!entity" in text[:65536].casefold():
        raise InputError(f"{where}: the XML declares a DOCTYPE or entities, which are not read")


def _table(root: ET.Element, where: str, as_at: str) -> tuple[Table, dict[int, tuple[str, ...]]]:
    participants = next((e for e in root.iter() if _local(e.tag) == "participants"), None)
    head = body = None
    if participants is not None:
        head = next((e for e in participants.iter() if _local(e.tag) == "thead"), None)
        body = next((e for e in participants.iter() if _local(e.tag) == "tbody"), None)
    if head is None or body is None:
        raise InputError(
            f"{where}: no participants table (Treaty/Participants/Table/TGroup with Thead and "
            "Tbody): the document is not an MTDSG status document or is cut short"
        )
    header_row = next((e for e in head.iter() if _local(e.tag) == "row"), None)
    if header_row is None:
        raise InputError(f"{where}: the participants table has no header row")
    header = tuple(split_notes(_marked_text(e))[0] for e in header_row if _local(e.tag) == "entry")
    rows: list[tuple[int, tuple[str, ...]]] = []
    notes: dict[int, tuple[str, ...]] = {}
    for number, row in enumerate((e for e in body.iter() if _local(e.tag) == "row"), 1):
        cells = [split_notes(_marked_text(e)) for e in row if _local(e.tag) == "entry"]
        if len(cells) != len(header):
            raise InputError(
                f"{where}: participants row {number} has {len(cells)} cell(s), the header "
                f"has {len(header)}"
            )
        rows.append((number, tuple(text for text, _ in cells)))
        notes[number] = tuple(n for _, found in cells for n in found)
    return Table(where, header, 0, tuple(rows), as_at), notes


def _paragraph_texts(element: ET.Element) -> list[str]:
    """The paragraphs of an element: its leaf blocks, each split at escaped block markup."""
    blocks: list[str] = []
    children = [c for c in element if _local(c.tag) not in INLINE]
    if not children:
        blocks.extend(_BLOCK.split(_marked_text(element)))
    else:
        if element.text and element.text.strip():
            blocks.extend(_BLOCK.split(element.text))
        for child in children:
            blocks.extend(_paragraph_texts(child))
            if child.tail and child.tail.strip():
                blocks.extend(_BLOCK.split(child.tail))
    return [b for b in blocks if b.strip()]


def _section_kind(tag: str) -> str | None:
    return next((kind for word, kind in SECTIONS if word in tag), None)


def _sections(treaty: ET.Element) -> list[Paragraph]:
    found: list[Paragraph] = []
    for child in treaty:
        kind = _section_kind(_local(child.tag))
        if kind is None:
            continue
        for block in _paragraph_texts(child):
            text, notes = split_notes(block)
            if text:
                found.append(Paragraph(kind, text, notes))
    return found


def _footnotes(root: ET.Element) -> dict[str, str]:
    notes: dict[str, str] = {}
    for element in root.iter():
        tag = _local(element.tag)
        if "note" not in tag or any("note" in _local(c.tag) for c in element):
            continue
        attrs = {k.casefold(): v for k, v in element.attrib.items()}
        number = attrs.get("number") or attrs.get("id") or attrs.get("n") or ""
        parts = list(element)
        label = next((c for c in parts if _local(c.tag) in ("number", "label", "ref")), None)
        if label is not None:
            number = number or one_line("".join(label.itertext()))
            text = (
                " ".join(split_notes(_marked_text(c))[0] for c in parts if c is not label)
                + " "
                + (element.text or "")
            )
        else:
            text = split_notes(_marked_text(element))[0]
        text = one_line(text)
        if not number:
            lead = _NOTE_NUMBER.match(text)
            number, text = (lead.group(1), text[lead.end() :]) if lead else ("", text)
        number = re.sub(r"\D", "", number)
        if number and text:
            notes[number] = text
    return notes


def parse_document(data: bytes, where: str) -> MtdsgDocument:
    """Read an MTDSG XML document; ``where`` (its URL) starts every error message."""
    text = data.decode("utf-8", "replace")
    _refuse_non_xml(text, where)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line, column = exc.position
        raise InputError(f"{where}:{line}:{column}: not well-formed XML: {exc.msg}") from None
    if _local(root.tag) == "html":
        _refuse_non_xml("<html>", where)
    full = _TAG.sub(" ", " ".join(_marked_text(root).split()))
    as_at = _as_at(full, where)
    table, row_notes = _table(root, where, as_at)
    treaty = next((e for e in root.iter() if _local(e.tag) == "treaty"), root)
    return MtdsgDocument(where, as_at, table, row_notes, tuple(_sections(treaty)), _footnotes(root))
