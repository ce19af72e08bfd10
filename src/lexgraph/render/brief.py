"""A printable one-page brief on a crime type: what the graph says, in sentences, a figure,
a table and citations.

Every sentence is made from the rows of the views in :mod:`lexgraph.views`: which
instruments reach the crime type and how, which of them provide which cooperation
modality (with the articles), and, for an M49 region, how many of its states are bound by,
have signed, or have no record that decides their standing towards each instrument, each
with the as-at date of the data. Nothing is said that the graph does not hold; where it holds
nothing, the brief says so.

The HTML brief carries the matrix figure inline (SVG) and prints on one A4 page: for a crime
type with many instruments it names the first few and counts the rest, and points to the
``lexgraph figure`` / ``lexgraph table`` command that gives the whole. The Markdown brief links
an SVG file written beside it.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from lexgraph.core.errors import InputError
from lexgraph.core.escape import html as _h
from lexgraph.core.escape import markdown as md_escape
from lexgraph.core.namespaces import key_of
from lexgraph.core.paths import Layout
from lexgraph.core.version import __version__
from lexgraph.render.figures import figure_svg, matrix_figure
from lexgraph.render.figures.save import figure_bytes
from lexgraph.render.output import write_output
from lexgraph.render.table import render_html, render_md
from lexgraph.views.context import Context, Table, data_date, region_states
from lexgraph.views.instruments import Coverage, coverage, instruments_table, modalities
from lexgraph.views.matrix import Matrix, modality_matrix
from lexgraph.views.parties import STATUS_TEXT, standings

BRIEF_FORMATS = ("html", "md")
_VIA = {
    "direct": "directly",
    "narrower": "through a narrower type",
    "broader": "through a broader type",
    "protocol": "as the convention under which a covering protocol's offences are established",
}
_CSS = """\
@page { size: A4; margin: 10mm 12mm; }
body { font: 8.5pt/1.28 "DejaVu Sans", system-ui, sans-serif; color: #111; max-width: 184mm;
       margin: 0 auto; }
h1 { font-size: 13pt; margin: 0 0 1.5mm; } h2 { font-size: 10pt; margin: 2.5mm 0 1mm; }
p { margin: 0 0 1.6mm; } p.meta { color: #555; font-size: 8pt; }
figure { margin: 1mm 0; } figure svg { width: 100%; height: auto; max-height: 62mm; }
table.lexgraph { border-collapse: collapse; font-size: 7pt; width: 100%; }
table.lexgraph caption { text-align: left; font-weight: 600; padding-bottom: 1mm; }
table.lexgraph th, table.lexgraph td { border: 0.3pt solid #bbb; padding: 0.6mm 1mm;
  vertical-align: top; overflow-wrap: anywhere; }
table.lexgraph tfoot td { border: 0; color: #555; font-size: 7pt; }
table.lexgraph td:nth-child(3), table.lexgraph td:nth-child(4) { white-space: nowrap; }
ol.sources { font-size: 6.5pt; margin: 0; padding-left: 5mm; overflow-wrap: anywhere; columns: 2;
  column-gap: 6mm; } ol.sources li { break-inside: avoid; }
@media print { a { color: inherit; text-decoration: none; } section { break-inside: avoid; } }
"""


@dataclass(frozen=True)
class Brief:
    """What a brief says: its title, paragraphs of sentences, matrix, table and sources."""

    crime: str
    title: str
    paragraphs: tuple[str, ...]
    matrix: Matrix
    table: Table
    sources: tuple[str, ...]
    citation: str
    date: str | None


#: Longest list a sentence spells out; beyond it, the first ones and a count.
MAX_NAMED = 4


def _names(items: list[str]) -> str:
    if len(items) > MAX_NAMED + 1:
        return ", ".join(items[:MAX_NAMED]) + f" and {len(items) - MAX_NAMED} others"
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _coverage_sentences(label: str, found: list[Coverage], names: dict[str, str]) -> list[str]:
    if not found:
        return [f"The graph holds no instrument that covers {label}."]
    ways = []
    for via in ("direct", "narrower", "broader", "protocol"):
        titles = [c.title for c in found if c.via == via]
        if titles:
            ways.append(f"{_VIA[via]}: {_names(titles)}")
    n = len(found)
    lines = [
        f"The graph holds {n} instrument{'s' if n != 1 else ''} that reach{'es' if n == 1 else ''}"
        f" {label}, " + "; ".join(ways) + "."
    ]
    provided = []
    missing = []
    for modality, name in names.items():
        providers = [c for c in found if modality in c.articles]
        if not providers:
            missing.append(name)
            continue
        cited = [
            f"{key_of(c.instrument).split('/', 1)[1]} art. "
            + ", ".join(a for a, _ in c.articles[modality])
            for c in providers
        ]
        if len(cited) > MAX_NAMED + 1:
            cited = [*cited[:MAX_NAMED], f"{len(cited) - MAX_NAMED} others"]
        provided.append(f"{name} ({'; '.join(cited)})")
    if provided:
        lines.append("Their articles provide for " + ", ".join(provided) + ".")
    if missing:
        lines.append(f"None of them has an article recorded as providing for {_names(missing)}.")
    return lines


def _region_sentences(
    ctx: Context, region: str, found: list[Coverage]
) -> tuple[list[str], list[str]]:
    key, label, states = region_states(ctx, region)
    instruments = [c.instrument for c in found]
    status, as_at, seen = standings(ctx, [s.iri for s in states], instruments)
    lines = [f"{label} (M49 {key.removeprefix('m49-')}) has {len(states)} states in the graph."]
    without = []
    for c in found:
        counts = Counter(status[(s.iri, c.instrument)] for s in states)
        if not as_at.get(c.instrument):
            without.append(key_of(c.instrument).split("/", 1)[1])
            continue
        parts = [f"{counts[t]} {t}" for t in STATUS_TEXT.values() if counts[t]]
        lines.append(
            f"{key_of(c.instrument).split('/', 1)[1]}, as at {as_at[c.instrument]}: "
            + ", ".join(parts)
            + "."
        )
    if without:
        lines.append(f"The graph holds no participation record for {_names(without)}.")
    if states and instruments:
        lines.append("'Unknown' means that no record decides it, not that a state is not a party.")
    sources = sorted(
        {
            f"{'Secondary source' if r.act.secondary else 'Participation'}: {r.act.source}"
            + (f" (as at {r.act.as_at})" if r.act.as_at else "")
            for r in seen
            if r.instrument in instruments and r.act.source
        }
    )
    return lines, sources


def make_brief(
    crime: str,
    region: str | None = None,
    *,
    store: ox.Store | None = None,
    layout: Layout | None = None,
) -> Brief:
    """Gather what a brief on ``crime`` (and the states of ``region``) says."""
    ctx = Context.of(store, layout)
    _, label, found, _ = coverage(ctx, crime)
    names = {m.iri: m.label for m in modalities(ctx)}
    paragraphs = [" ".join(_coverage_sentences(label, found, names))]
    sources = [f"{c.title}: {c.source}" for c in found if c.source]
    if region is not None:
        more, participation = _region_sentences(ctx, region, found)
        paragraphs.append(" ".join(more))
        sources += participation
    matrix = _fit_matrix(modality_matrix(crime, store=ctx.store, layout=ctx.layout), crime)
    full = instruments_table(crime, store=ctx.store, layout=ctx.layout)
    # The sources of the instruments are listed under Sources, not in a narrow column.
    rows = tuple(r[:-1] for r in full.rows)
    notes = full.notes
    if len(rows) > MAX_TABLE_ROWS:
        notes = (
            *notes,
            f"The first {MAX_TABLE_ROWS} of {len(rows)} rows, to keep the brief to one page; "
            f"`lexgraph table instruments --crime {crime}` gives them all.",
        )
        rows = rows[:MAX_TABLE_ROWS]
    table = Table(full.title, full.columns[:-1], rows, full.caption, full.used, notes)
    if len(sources) > MAX_SOURCES:
        rest = len(sources) - MAX_SOURCES
        sources = [
            *sources[:MAX_SOURCES],
            f"and {rest} more: `lexgraph table instruments "
            f"--crime {crime}` lists every instrument's source",
        ]
    return Brief(
        crime=crime,
        title=f"{label[:1].upper()}{label[1:]}: international instruments and cooperation",
        paragraphs=tuple(paragraphs),
        matrix=matrix,
        table=table,
        sources=tuple(sources),
        citation=ctx.caption(),
        date=data_date(ctx.layout, ctx.store),
    )


#: What fits on one A4 page beside the sentences and the figure; the rest is named, with the
#: command that gives it all, never dropped silently.
MAX_TABLE_ROWS = 8
MAX_SOURCES = 5
MAX_MATRIX_ROWS = 8


def _fit_matrix(matrix: Matrix, crime: str) -> Matrix:
    """Keep the instruments with the most articles when the matrix would not fit the page."""
    if len(matrix.rows) <= MAX_MATRIX_ROWS or matrix.counts is None:
        return matrix
    order = sorted(range(len(matrix.rows)), key=lambda i: (-sum(matrix.counts[i]), i))  # type: ignore[index]
    keep = sorted(order[:MAX_MATRIX_ROWS])
    note = (
        f"The {MAX_MATRIX_ROWS} of {len(matrix.rows)} instruments with the most articles; "
        f"`lexgraph figure matrix --crime {crime}` draws them all."
    )
    return dataclasses.replace(
        matrix,
        rows=tuple(matrix.rows[i] for i in keep),
        cells=tuple(matrix.cells[i] for i in keep),
        counts=tuple(matrix.counts[i] for i in keep),
        notes=(*matrix.notes, note),
    )


def render_brief_html(brief: Brief) -> str:
    """The brief as one self-contained HTML page: inline CSS, the figure as inline SVG."""
    svg = figure_svg(matrix_figure(brief.matrix))
    sentences = "".join(f"<p>{_h(s)}</p>" for s in brief.paragraphs)
    sources = "".join(f"<li>{_h(s)}</li>" for s in (brief.citation, *brief.sources))
    when = f"; data of {brief.date}" if brief.date else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
        f'<meta name="generator" content="lexgraph {_h(__version__)}">\n'
        f"<title>{_h(brief.title)}</title>\n<style>\n{_CSS}</style>\n</head>\n<body>\n"
        f"<h1>{_h(brief.title)}</h1>\n"
        f'<p class="meta">A brief made by lexgraph {_h(__version__)} from the graph{_h(when)}. '
        "It states only what the graph records.</p>\n"
        f"<section>{sentences}</section>\n"
        f'<section><figure role="img" aria-label="{_h(brief.matrix.title)}">{svg}</figure>'
        "</section>\n"
        f"<section>{render_html(brief.table, link=False)}</section>\n"
        f'<section><h2>Sources</h2><ol class="sources">{sources}</ol></section>\n'
        "</body>\n</html>\n"
    )


def render_brief_md(brief: Brief, figure: str) -> str:
    """The brief as Markdown, the figure linked as ``figure`` (a file beside it)."""
    lines = [f"# {md_escape(brief.title)}", ""]
    when = f"; data of {brief.date}" if brief.date else ""
    lines += [f"*A brief made by lexgraph {__version__} from the graph{when}.*", ""]
    for paragraph in brief.paragraphs:
        lines += [md_escape(paragraph), ""]
    lines += [f"![{md_escape(brief.matrix.title)}]({figure})", ""]
    lines += [render_md(brief.table), "## Sources", ""]
    lines += [f"{i}. {md_escape(s)}" for i, s in enumerate((brief.citation, *brief.sources), 1)]
    return "\n".join(lines) + "\n"


def write_brief(
    crime: str,
    out: Path,
    region: str | None = None,
    *,
    store: ox.Store | None = None,
    layout: Layout | None = None,
) -> list[Path]:
    """Write a brief to ``out`` (.html, or .md with its figure beside it); return the files.

    The files are written atomically and together: a failure leaves the old ones or the new.
    """
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in BRIEF_FORMATS:
        raise InputError(f"{out}: give a file ending in .html or .md")
    brief = make_brief(crime, region, store=store, layout=layout)
    if fmt == "html":
        write_output({out: render_brief_html(brief)})
        return [out]
    figure = out.with_name(out.stem + ".matrix.svg")
    svg = figure_bytes(matrix_figure(brief.matrix), "svg")
    write_output({figure: svg, out: render_brief_md(brief, figure.name)})
    return [out, figure]
