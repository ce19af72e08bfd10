"""A printable one-page brief on a crime type: key messages, a figure, a table and sources.

- :mod:`~lexgraph.render.brief.words`: the sentence templates of each language and the names
  a brief uses (short names; a French label where the graph has one, else English, marked);
- :mod:`~lexgraph.render.brief.make`: what a brief says, gathered from the views
  (:class:`Brief`), with a note next to each statement that missing data would change;
- :mod:`~lexgraph.render.brief.pages`: the HTML page (one A4 page, no text under 8 pt) and
  Markdown; :mod:`~lexgraph.render.brief.docx`: a Word file.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from lexgraph.core.errors import InputError
from lexgraph.core.paths import Layout
from lexgraph.render.brief.make import MAX_SHOWN, Brief, Source, Statement, make_brief
from lexgraph.render.brief.pages import MIN_PT, brief_svg, render_brief_html, render_brief_md
from lexgraph.render.brief.words import LANGUAGES
from lexgraph.render.output import write_output

__all__ = [
    "BRIEF_FORMATS",
    "LANGUAGES",
    "MAX_SHOWN",
    "MIN_PT",
    "Brief",
    "Source",
    "Statement",
    "make_brief",
    "render_brief_docx",
    "render_brief_html",
    "render_brief_md",
    "write_brief",
]

BRIEF_FORMATS = ("html", "md", "docx")


def render_brief_docx(brief: Brief) -> bytes:
    """The brief as a .docx file (needs python-docx: ``pip install 'lexgraph[docx]'``)."""
    from lexgraph.render.brief.docx import render_brief_docx as render

    return render(brief)


def write_brief(
    crime: str,
    out: Path,
    region: str | None = None,
    *,
    lang: str = "en",
    store: ox.Store | None = None,
    layout: Layout | None = None,
) -> list[Path]:
    """Write a brief to ``out`` (.html, .docx, or .md with its figure beside it); return the
    files written, atomically and together: a failure leaves the old ones or the new."""
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in BRIEF_FORMATS:
        raise InputError(f"{out}: give a file ending in .html, .md or .docx")
    brief = make_brief(crime, region, lang=lang, store=store, layout=layout)
    if fmt == "html":
        write_output({out: render_brief_html(brief)})
        return [out]
    if fmt == "docx":
        write_output({out: render_brief_docx(brief)})
        return [out]
    svg = brief_svg(brief)
    if not svg:
        write_output({out: render_brief_md(brief, None)})
        return [out]
    figure = out.with_name(out.stem + ".matrix.svg")
    header = '<?xml version="1.0" encoding="utf-8" standalone="no"?>\n'
    write_output({figure: header + svg, out: render_brief_md(brief, figure.name)})
    return [out, figure]
