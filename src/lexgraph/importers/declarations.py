"""What the declarations, reservations, notifications and footnotes of an MTDSG document say.

The sections of an MTDSG document (:mod:`lexgraph.importers.mtdsg`) are paragraphs in order,
each participant's name a paragraph of its own before its statements. This module groups the
paragraphs under their participant and reads each statement into typed records, never copying
its words into the graph:

- a statement that the participant **does not take** the Convention as the legal basis for
  cooperation on extradition (UNTOC art. 16(5), UNCAC art. 44(6)) is typed
  ``no-treaty-basis-for-extradition``; one that it **takes** it as that basis,
  ``treaty-basis-for-extradition``;
- a designation of a **central authority** (UNTOC art. 18(13), UNCAC art. 46(13)),
  ``central-authority``; the **languages** acceptable for requests (art. 18(14), 46(14)),
  ``language-of-requests``;
- "does not consider itself bound by" an article, ``excludes-provision``, or
  ``dispute-settlement-excluded`` where the statement is about disputes, arbitration or the
  International Court of Justice;
- a statement of the territorial applications section, ``territorial-scope``;
- a statement about the legal basis for extradition that its words limit to nationals or to
  states with no bilateral extradition treaty carries that ``lex:condition``
  (``person-is-national``, ``no-bilateral-treaty``), as the hand-typed records do;
- anything else, every objection, and the articles a statement with a typed effect cites
  besides the typed one, ``unclassified``: the record keeps the participant, the
  section, the articles it cites and the source, and the words stay at the depositary.

Each record names the article (and paragraph) that the statement cites, as ``article 18,
paragraph 13`` or ``article 18 (13)``; ``lex:affectsProvision`` points to the article's node
where ``graph/`` has one. Its date is the one the statement gives, else the participant's act
that the statement says it was made upon (signature, ratification...), from the table.

Footnotes are read too: a footnote of a participant's row that says the participant withdrew
from or denounced the instrument gives a ``withdrawal`` or ``denunciation`` record dated by the
first date of that sentence (the notification), never later than the table's date, and taking
effect on the date that follows the word "effect" in it, where there is one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from rdflib import Literal, URIRef

from lexgraph.core.namespaces import instance
from lexgraph.core.terms import Dcterms, Lex, Rdf, Xsd
from lexgraph.core.turtle import Block, Term
from lexgraph.importers.mtdsg import MONTHS, MtdsgDocument, Paragraph
from lexgraph.importers.participation import ParticipantNames, Record, participant_key

#: Reservation effects this module writes (keys of ontology/vocab/reservation-effects.ttl).
EFFECTS = (
    "no-treaty-basis-for-extradition",
    "treaty-basis-for-extradition",
    "central-authority",
    "language-of-requests",
    "excludes-provision",
    "dispute-settlement-excluded",
    "territorial-scope",
    "unclassified",
)
_ARTICLE = re.compile(
    r"\b(?:paragraphs?\s+(\d{1,2})\s+of\s+)?(?:article|art\.)s?\s*(\d{1,3})"
    r"(?:\s*,?\s*(?:paragraph|para\.?)\s*(\d{1,2})|\s*\((\d{1,2})\))?",
    re.I,
)
_NOT_BOUND = re.compile(
    r"\bnot\s+(?:consider\s+itself\s+|to\s+)?be(?:\s+)?bound\b|"
    r"\bnot\s+consider\s+itself\s+bound\b",
    re.I,
)
_DATE = re.compile(r"\b(\d{1,2})\s+([A-Z][a-z]{2,8})\.?\s+(\d{4})\b")
_UPON = re.compile(
    r"upon\s+(signature|ratification|acceptance|approval|accession|succession|"
    r"formal confirmation)",
    re.I,
)
_NEGATED_BASIS = re.compile(
    r"\b(?:not|never)\b[^.;]{0,80}\blegal basis\b|\blegal basis\b[^.;]{0,40}\bnot\b", re.I
)


@dataclass(frozen=True)
class Statement:
    """One typed reading of a participant's statement in one section."""

    participant: str  # IRI
    section: str
    effect: str
    article: str | None = None
    paragraph: str | None = None
    date: dt.date | None = None
    conditions: tuple[str, ...] = ()

    @property
    def slug(self) -> str:
        where = f"article-{self.article}" if self.article else "general"
        where += f"-{self.paragraph}" if self.paragraph else ""
        return f"{self.section}/{self.effect}/{where}"


def text_date(text: str) -> dt.date | None:
    """Return the first date written like ``3 March 2026`` in a text, if any.

    >>> text_date("On 3 March 2026, the Government notified")
    datetime.date(2026, 3, 3)
    """
    for day, month, year in _DATE.findall(text):
        name = month[:3].casefold()
        if name in MONTHS:
            try:
                return dt.date(int(year), MONTHS.index(name) + 1, int(day))
            except ValueError:
                continue
    return None


def articles(text: str) -> list[tuple[str, str | None]]:
    """Return the articles (and paragraphs) a statement cites, in order, without repeats.

    >>> articles("under article 18, paragraph 13, and article 16 (5) and article 35")
    [('18', '13'), ('16', '5'), ('35', None)]
    >>> articles("the option in paragraph 4 of article 32; art. 6 para 3")
    [('32', '4'), ('6', '3')]
    """
    found: list[tuple[str, str | None]] = []
    for before, number, para, bracket in _ARTICLE.findall(text):
        cited = (number, before or para or bracket or None)
        if cited not in found:
            found.append(cited)
    return found


def effects(section: str, text: str) -> list[str]:
    """Return the effects a statement's words clearly have; ``unclassified`` if none.

    >>> effects("declaration", "does not take this Convention as the legal basis for "
    ...         "cooperation on extradition")
    ['no-treaty-basis-for-extradition']
    >>> effects("declaration", "designates the Ministry of Justice as central authority")
    ['central-authority']
    """
    if section == "objection":
        return ["unclassified"]
    if section == "territorial":
        return ["territorial-scope"]
    folded = text.casefold()
    found: list[str] = []
    if "legal basis" in folded and "extradition" in folded:
        negated = _NEGATED_BASIS.search(folded)
        found.append(
            "no-treaty-basis-for-extradition" if negated else "treaty-basis-for-extradition"
        )
    if "central authorit" in folded:
        found.append("central-authority")
    if "language" in folded and ("request" in folded or "acceptable" in folded):
        found.append("language-of-requests")
    if _NOT_BOUND.search(folded):
        disputes = ("disput", "arbitration", "international court of justice")
        found.append(
            "dispute-settlement-excluded"
            if any(w in folded for w in disputes)
            else "excludes-provision"
        )
    return found or ["unclassified"]


def conditions(effect: str, text: str) -> tuple[str, ...]:
    """The facts of a case (keys of ontology/vocab/case-conditions.ttl) that a statement
    about the legal basis for extradition limits itself to, read from its words.

    >>> conditions("no-treaty-basis-for-extradition", "not the legal basis for extradition "
    ...            "of citizens to a country with no bilateral extradition treaty")
    ('person-is-national', 'no-bilateral-treaty')
    """
    if "extradition" not in effect:
        return ()
    folded = text.casefold()
    found: list[str] = []
    if "citizen" in folded or "nationals" in folded:
        found.append("person-is-national")
    if re.search(r"\bno bilateral\b|\bnot? .{0,20}bilateral extradition treaty", folded):
        found.append("no-bilateral-treaty")
    return tuple(found)


def group(
    paragraphs: Iterable[Paragraph], names: ParticipantNames
) -> list[tuple[str, str, list[str]]]:
    """Group the paragraphs under the participant heading them: ``(section, IRI, texts)``.

    A paragraph that is a participant's name (footnote markers and a closing colon aside)
    starts a new group; paragraphs before the first name in a section are section headings
    and notes of the depositary, and are not statements.
    """
    groups: list[tuple[str, str, list[str]]] = []
    current: tuple[str, str, list[str]] | None = None
    for paragraph in paragraphs:
        name = paragraph.text.rstrip(" :.")
        iri = names.resolve(name) if len(name) < 90 else None
        if current is not None and current[0] != paragraph.section:
            current = None
        if iri is not None:
            current = (paragraph.section, iri, [])
            groups.append(current)
        elif current is not None:
            current[2].append(paragraph.text)
    return [g for g in groups if g[2]]


def read_statements(
    document: MtdsgDocument,
    names: ParticipantNames,
    acts: Mapping[tuple[str, str], dt.date],
) -> list[Statement]:
    """Type every statement of the document's sections.

    ``acts`` gives each participant's act dates by ``(IRI, act kind)``, for a statement
    made "upon ratification" and the like.
    """
    found: dict[str, Statement] = {}
    for section, iri, texts in group(document.paragraphs, names):
        text = " ".join(texts)
        date = text_date(text)
        upon = _UPON.search(text)
        if date is None and upon:
            kind = upon.group(1).casefold().replace(" ", "-")
            date = acts.get((iri, kind))
        every: list[tuple[str | None, str | None]] = [*articles(text)] or [(None, None)]
        used: set[tuple[str | None, str | None]] = set()
        typed = effects(section, text)
        for effect in typed:
            cited = every
            if effect != "unclassified" and len(every) > 1:
                cited = [_article_for(effect, text, every)]
            used.update(cited)
            for article, paragraph in cited:
                statement = Statement(
                    iri, section, effect, article, paragraph, date, conditions(effect, text)
                )
                found.setdefault(f"{iri}/{statement.slug}", statement)
        if "unclassified" not in typed:
            # The parts of a statement about other articles than the typed effects' stay
            # recorded, untyped, rather than vanish behind the typed part.
            for article, paragraph in every:
                if (article, paragraph) not in used and article is not None:
                    rest = Statement(iri, section, "unclassified", article, paragraph, date)
                    found.setdefault(f"{iri}/{rest.slug}", rest)
    return [found[k] for k in sorted(found)]


def _article_for(
    effect: str, text: str, cited: list[tuple[str | None, str | None]]
) -> tuple[str | None, str | None]:
    """The article a typed effect is about, where a statement cites several: the one cited
    in the sentence that carries the effect's words."""
    words = {
        "no-treaty-basis-for-extradition": "legal basis",
        "treaty-basis-for-extradition": "legal basis",
        "central-authority": "central authorit",
        "language-of-requests": "language",
        "excludes-provision": "bound",
        "dispute-settlement-excluded": "bound",
    }.get(effect, "")
    for sentence in re.split(r"(?<=[.;])\s+", text):
        if words and words in sentence.casefold():
            near = articles(sentence)
            if near:
                return near[0]
    return cited[0]


def footnote_records(
    document: MtdsgDocument,
    rows: Mapping[int, str],
    instrument: str,
    source: str,
) -> list[Record]:
    """Withdrawals and denunciations that the footnotes of the rows report.

    ``rows`` maps a table row's number to its participant's IRI.
    """
    records: list[Record] = []
    seen: set[tuple[str, str]] = set()
    for number, iri in sorted(rows.items()):
        for note in document.row_notes.get(number, ()):
            for sentence in re.split(r"(?<=\.)\s+", document.footnotes.get(note, "")):
                folded = sentence.casefold()
                act = (
                    "denunciation"
                    if "denounc" in folded or "denunciation" in folded
                    else "withdrawal"
                    if "withdr" in folded and "reservation" not in folded
                    else None
                )
                date = text_date(sentence)
                if act is None or date is None or date.isoformat() > document.as_at:
                    continue
                if (iri, act) in seen:
                    continue
                seen.add((iri, act))
                effect = re.search(r"\beffect\b(.*)", sentence, re.I)
                takes = text_date(effect.group(1)) if effect else None
                records.append(Record(instrument, iri, act, source, date, takes, document.as_at))
    return records


def statement_blocks(
    statements: Iterable[Statement],
    instrument: str,
    source: str,
    as_at: str,
    has_provision: Callable[[str], bool],
) -> list[Block]:
    """One ``lex:Reservation`` block per statement; no words of the statement itself."""
    blocks: list[Block] = []
    for st in statements:
        iri = instance(
            "reservation", f"{instrument}/{participant_key(st.participant)}/mtdsg/{st.slug}"
        )
        pairs: list[tuple[str, Term]] = [
            (Rdf.type, URIRef(Lex.Reservation)),
            (Lex.participant, URIRef(st.participant)),
            (Lex.instrument, URIRef(instance("instrument", instrument))),
            (Lex.effect, URIRef(instance("reservation-effect", st.effect))),
        ]
        article = instance("instrument", f"{instrument}/article/{st.article}")
        if st.article and has_provision(article):
            pairs.append((Lex.affectsProvision, URIRef(article)))
        if st.paragraph:
            pairs.append((Lex.affectsParagraph, Literal(st.paragraph)))
        pairs += [(Lex.condition, URIRef(instance("case-condition", c))) for c in st.conditions]
        if st.date:
            pairs.append((Lex.actDate, Literal(st.date.isoformat(), datatype=URIRef(Xsd.date))))
        pairs.append((Lex.asAt, Literal(as_at, datatype=URIRef(Xsd.date))))
        pairs.append((Dcterms.source, URIRef(source)))
        blocks.append(Block(iri, pairs))
    return blocks
