"""A brief as a printable HTML page and as Markdown.

The HTML page prints on one A4 page: its print CSS sets no text under 8 pt, and the figure is
inline SVG drawn with 8 pt labels at its natural size (no scaling), so its text prints at
8 pt too. The citation appears once, at the foot; the sources are documents with their
addresses.
"""

from __future__ import annotations

import functools
import re

from lexgraph.core.escape import html as _h
from lexgraph.core.escape import markdown as md_escape
from lexgraph.core.version import __version__
from lexgraph.render.brief.make import Brief
from lexgraph.render.brief.words import spans, words
from lexgraph.render.figures import figure_svg, matrix_figure
from lexgraph.render.table import DATE

#: The smallest text the brief prints, in points.
MIN_PT = 8.0
#: The width of the page's text, in millimetres (A4 less the margins).
TEXT_MM = 186.0
_CSS = """\
@page { size: A4; margin: 8mm 12mm; }
body { font: 8.5pt/1.15 "DejaVu Sans", system-ui, sans-serif; color: #111; max-width: 186mm;
       margin: 0 auto; }
h1 { font-size: 12pt; margin: 0 0 1mm; } h2 { font-size: 9.5pt; margin: 2mm 0 1mm; }
p { margin: 0 0 1.2mm; } .meta, .note { color: #444; font-size: 8pt; }
.messages { border: 0.8pt solid #1f5fa8; background: #eef4fb; padding: 1.5mm 3mm;
            margin: 1mm 0 2mm; }
.messages h2 { margin-top: 0; color: #1f5fa8; }
.messages ol { margin: 0; padding-left: 5mm; font-size: 8.5pt; }
.messages li { margin-bottom: 0.8mm; } .gap { display: block; font-size: 8pt; color: #7a3e00; }
figure { margin: 1mm 0; } figure svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: 8pt; } figcaption b { font-size: 8.5pt; }
table { border-collapse: collapse; font-size: 8pt; width: 100%; table-layout: fixed; }
col.instrument { width: 24%; } col.date { width: 10.5%; } col.region { width: 17%; }
caption { text-align: left; font-weight: 600; padding-bottom: 1mm; font-size: 8.5pt; }
th, td { border: 0.3pt solid #bbb; padding: 0.4mm 1mm; vertical-align: top; text-align: left; }
.date { white-space: nowrap; }
tfoot td { border: 0; color: #444; }
ol.sources { font-size: 8pt; margin: 0; padding-left: 5mm; overflow-wrap: anywhere;
             columns: 2; column-gap: 6mm; } ol.sources li { break-inside: avoid; }
footer { font-size: 8pt; color: #444; margin-top: 1.5mm; border-top: 0.3pt solid #bbb; }
@media print { a { color: inherit; text-decoration: none; } section { break-inside: avoid; } }
"""


def _html_text(text: str, lang: str) -> str:
    """Escaped text, English names in another language set in italics as English, each date
    in a span that never breaks."""
    return DATE.sub(
        lambda m: f'<span class="date">{m.group(0)}</span>',
        "".join(
            f'<i lang="en">{_h(piece)}</i>' if foreign and lang != "en" else _h(piece)
            for piece, foreign in spans(text)
        ),
    )


def _md_text(text: str, lang: str) -> str:
    return "".join(
        f"*{md_escape(piece)}*" if foreign and lang != "en" else md_escape(piece)
        for piece, foreign in spans(text)
    )


_URL = re.compile(r"https?://[^\s<>\\`]+")


def _md_url(url: str) -> str:
    """An address as an autolink, or as escaped text when it is not a plain URL."""
    return f"<{url}>" if _URL.fullmatch(url) else md_escape(url)


def _html_url(url: str) -> str:
    """An address as a link when it is a plain http(s) URL, else as text."""
    return f'<a href="{_h(url)}">{_h(url)}</a>' if _URL.fullmatch(url) else _h(url)


def brief_svg(brief: Brief) -> str:
    """The brief's figure as inline SVG: 8 pt labels, no caption (the page carries it)."""
    if not brief.matrix.rows:
        return ""
    return figure_svg(matrix_figure(brief.matrix, font=MIN_PT, caption=False))


def render_brief_html(brief: Brief) -> str:
    """The brief as one self-contained HTML page: inline CSS, the figure as inline SVG."""
    w, lang = words(brief.lang), brief.lang
    t = functools.partial(_html_text, lang=lang)
    items = "".join(
        f"<li>{t(m.text)}" + (f'<span class="gap">{t(m.gap)}</span>' if m.gap else "") + "</li>"
        for m in brief.messages
    )
    svg = brief_svg(brief)
    figure = ""
    if svg:
        notes = " ".join(t(n) for n in brief.figure_notes)
        figure = (
            f'<section><figure role="img" aria-label="{_h(brief.figure_title)}">{svg}'
            f"<figcaption><b>{t(brief.figure_title)}.</b> {notes}</figcaption></figure>"
            "</section>\n"
        )
    table = ""
    if brief.rows:
        head = "".join(f'<th scope="col">{t(c)}</th>' for c in brief.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{t(c)}</td>" for c in row) + "</tr>" for row in brief.rows
        )
        foot = "".join(
            f'<tr><td colspan="{len(brief.columns)}">{t(n)}</td></tr>' for n in brief.table_notes
        )
        kinds = ["instrument", "date", "date", "articles", "region"][: len(brief.columns)]
        cols = "".join(f'<col class="{k}">' for k in kinds)
        table = (
            f"<section><table><caption>{t(brief.table_title)}</caption><colgroup>{cols}</colgroup>"
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody>"
            + (f"<tfoot>{foot}</tfoot>" if foot else "")
            + "</table></section>\n"
        )
    sources = "".join(
        f"<li>{t(s.text)}: {_html_url(s.url)}</li>" if s.url else f"<li>{t(s.text)}</li>"
        for s in brief.sources
    )
    notes = "".join(f'<p class="note">{t(n)}</p>' for n in brief.notes)
    return (
        f'<!DOCTYPE html>\n<html lang="{_h(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
        f'<meta name="generator" content="lexgraph {_h(__version__)}">\n'
        f"<title>{_h(brief.text().splitlines()[0])}</title>\n<style>\n{_CSS}</style>\n</head>\n"
        f"<body>\n<h1>{t(brief.title)}</h1>\n"
        f'<p class="meta">{t(brief.meta)}</p>\n'
        f'<section class="messages"><h2>{t(w["key_messages"])}</h2><ol>{items}</ol></section>\n'
        f"{figure}{table}"
        + (
            f'<section><h2>{t(w["sources"])}</h2><ol class="sources">{sources}</ol></section>\n'
            if sources
            else ""
        )
        + f"<footer>{notes}<p>{t(brief.citation)}</p></footer>\n</body>\n</html>\n"
    )


def render_brief_md(brief: Brief, figure: str | None) -> str:
    """The brief as Markdown, the figure linked as ``figure`` (a file beside it), if any."""
    w, lang = words(brief.lang), brief.lang
    t = functools.partial(_md_text, lang=lang)
    lines = [f"# {t(brief.title)}", "", f"*{t(brief.meta)}*", "", f"## {t(w['key_messages'])}", ""]
    for i, m in enumerate(brief.messages, 1):
        lines.append(f"> {i}. {t(m.text)}" + (f"  \n>    *{t(m.gap)}*" if m.gap else ""))
    lines.append("")
    if figure is not None:
        lines += [f"![{md_escape(brief.figure_title)}]({figure})", ""]
        lines += [f"**{t(brief.figure_title)}.** " + " ".join(t(n) for n in brief.figure_notes)]
        lines.append("")
    if brief.rows:
        lines += [f"**{t(brief.table_title)}**", ""]
        lines.append("| " + " | ".join(t(c) for c in brief.columns) + " |")
        lines.append("|" + "---|" * len(brief.columns))
        lines += ["| " + " | ".join(t(c) for c in row) + " |" for row in brief.rows]
        lines.append("")
        lines += [f"*{t(n)}*  " for n in brief.table_notes]
        lines.append("")
    if brief.sources:
        lines += [f"## {t(w['sources'])}", ""]
        lines += [
            f"{i}. {t(s.text)}" + (f": {_md_url(s.url)}" if s.url else "")
            for i, s in enumerate(brief.sources, 1)
        ]
        lines.append("")
    lines += [f"*{t(n)}*  " for n in brief.notes]
    lines.append(t(brief.citation))
    return "\n".join(lines) + "\n"
