"""Import article numbers and headings from the article-headings CSV.

The CSV (columns ``instrument_key, english_title, bwb_id, source_path, division, article,
heading``) was extracted from the English authentic texts in the Dutch treaty database as
rendered in the GitHub repository statengeneraal/laws-markdown. Each instrument's articles go to
``graph/imported/articles/<key>.ttl``, each article citing the exact file it was read from.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal, URIRef

from lexgraph.core.atomic import write_files_atomically
from lexgraph.core.errors import InputError
from lexgraph.core.namespaces import instance
from lexgraph.core.terms import Dcterms, Lex, Rdf, Rdfs
from lexgraph.core.turtle import Block, Term, render
from lexgraph.importers import generated_header, read_csv

#: The snapshot of laws-markdown the CSV was extracted from (HEAD of 10 May 2017).
LAWS_MARKDOWN = "https://github.com/statengeneraal/laws-markdown/blob/91556a80a2/"
COLUMNS = ("instrument_key", "english_title", "source_path", "division", "article", "heading")
ARTICLE_NUMBER = re.compile(r"^([0-9]+|[IVXLC]+)( (bis|ter|quater|quinquies))?(\([0-9a-z]+\))*$")
#: An instrument key: it names the output file and the instrument's IRI.
INSTRUMENT_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class Article:
    """One row of the CSV, checked."""

    instrument: str
    csv_key: str
    number: str
    heading: str
    division: str
    source: str


def article_slug(number: str) -> str:
    """Return the IRI segment of an article number: spaces become hyphens.

    >>> article_slug("14 bis"), article_slug("6(12)")
    ('14-bis', '6(12)')
    """
    return number.replace(" ", "-")


def provision_iri(instrument: str, number: str) -> str:
    """Return the IRI of a provision of an instrument.

    >>> provision_iri("untoc", "18")
    'https://w3id.org/lexgraph/id/instrument/untoc/article/18'
    """
    return instance("instrument", f"{instrument}/article/{article_slug(number)}")


def read_articles(path: Path) -> list[Article]:
    """Read and check every row; raise :class:`InputError` naming the first bad row."""
    reader = read_csv(path, COLUMNS)
    articles: list[Article] = []
    seen: set[tuple[str, str]] = set()
    for line, row in enumerate(reader, start=2):
        key = (row["instrument_key"] or "").strip()
        number = (row["article"] or "").strip()
        where = f"{path}:{line}"
        if not key:
            raise InputError(f"{where}: empty instrument_key")
        if not INSTRUMENT_KEY.match(key):
            raise InputError(
                f"{where}: instrument_key {key!r} is not letters, digits, '.', '_' and '-'"
            )
        if not ARTICLE_NUMBER.match(number):
            raise InputError(
                f"{where}: article number {number!r} is not of the form 18, XXI, 14 bis"
            )
        if (key, number) in seen:
            raise InputError(f"{where}: article {number} of {key} appears twice")
        seen.add((key, number))
        source_path = (row["source_path"] or "").strip()
        if not source_path:
            raise InputError(f"{where}: empty source_path")
        try:
            ox.NamedNode(LAWS_MARKDOWN + source_path)
        except ValueError as exc:
            raise InputError(
                f"{where}: source_path {source_path!r} is not an IRI path: {exc}"
            ) from None
        articles.append(
            Article(
                instrument=key.lower(),
                csv_key=key,
                number=number,
                heading=(row["heading"] or "").strip(),
                division=(row["division"] or "").strip(),
                source=LAWS_MARKDOWN + source_path,
            )
        )
    if not articles:
        raise InputError(f"{path}: no rows")
    return articles


def _block(article: Article) -> Block:
    pairs: list[tuple[str, Term]] = [
        (Rdf.type, URIRef(Lex.Provision)),
        (Rdfs.label, Literal(f"{article.csv_key} art. {article.number}", lang="en")),
        (Lex.articleNumber, Literal(article.number)),
    ]
    if article.heading:
        pairs.append((Lex.heading, Literal(article.heading, lang="en")))
    if article.division:
        pairs.append((Lex.division, Literal(article.division, lang="en")))
    pairs.append((Lex.partOf, URIRef(instance("instrument", article.instrument))))
    pairs.append((Dcterms.source, URIRef(article.source)))
    return Block(provision_iri(article.instrument, article.number), pairs)


def import_articles(
    csv_path: Path, out_dir: Path, only: frozenset[str] = frozenset()
) -> list[Path]:
    """Write one Turtle file per instrument of the CSV into ``out_dir``; return the paths.

    ``only`` restricts the import to those instrument keys (lower case). Nothing is written
    unless the whole input is good.
    """
    articles = read_articles(csv_path)
    by_instrument: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        if not only or article.instrument in only:
            by_instrument[article.instrument].append(article)
    unknown = sorted(only - set(by_instrument))
    if unknown:
        raise InputError(f"{csv_path}: no rows for instrument(s) {', '.join(unknown)}")
    documents: dict[Path, str] = {}
    for key, rows in sorted(by_instrument.items()):
        header = generated_header(
            f"Articles of {rows[0].csv_key}: number, heading and division of each, each citing "
            "the file of the authentic text it was read from.",
            f"{csv_path.name}, extracted from statengeneraal/laws-markdown at commit 91556a80a2 "
            f"({LAWS_MARKDOWN})",
            ["articles", csv_path.name],
        )
        documents[out_dir / f"{key}.ttl"] = render(
            header, (_block(a) for a in rows), ("lex", "rdfs", "dcterms")
        )
    write_files_atomically(documents)
    return sorted(documents)
