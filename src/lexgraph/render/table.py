"""Tables as text: CSV, Markdown, HTML and LaTeX, each with the caption that cites the dataset.

A :class:`~lexgraph.views.context.Table` comes from the views; this module only writes it,
escaping every text for the format (:mod:`lexgraph.core.escape`).
"""

from __future__ import annotations

import csv
import io
import re

from lexgraph.core.errors import InputError
from lexgraph.core.escape import html as _h
from lexgraph.core.escape import latex as latex_escape
from lexgraph.core.escape import markdown as md_escape
from lexgraph.core.escape import one_line as _one_line
from lexgraph.views.context import Table

FORMATS = ("csv", "md", "html", "latex")


def render_csv(table: Table) -> str:
    """CSV with a header row; the caption follows as a ``#`` comment line."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows(table.rows)
    for note in table.notes:
        out.write(f"# {_one_line(note)}\n")
    out.write(f"# {_one_line(table.caption)}\n")
    return out.getvalue()


def render_md(table: Table) -> str:
    """A Markdown pipe table under its title, the notes and caption in italics below."""
    lines = [f"**{md_escape(table.title)}**", ""]
    lines.append("| " + " | ".join(md_escape(c) for c in table.columns) + " |")
    lines.append("|" + "---|" * len(table.columns))
    lines += ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in table.rows]
    lines.append("")
    lines += [f"*{md_escape(n)}*  " for n in table.notes]
    lines.append(f"*{md_escape(table.caption)}*")
    return "\n".join(lines) + "\n"


def render_html(table: Table, *, link: bool = True) -> str:
    """An HTML table fragment: the title as ``<caption>``, the citation in ``<tfoot>``.

    Every text is escaped; a cell that is an http(s) URL becomes a link when ``link``; a date
    never wraps (``white-space: nowrap``).
    """
    width = len(table.columns)
    out = ['<table class="lexgraph">', f"<caption>{_h(table.title)}</caption>", "<thead><tr>"]
    out += [f'<th scope="col">{_h(c)}</th>' for c in table.columns]
    out.append("</tr></thead>\n<tbody>")
    for row in table.rows:
        cells = "".join(f"<td>{_cell_html(c, link)}</td>" for c in row)
        out.append(f"<tr>{cells}</tr>")
    out.append("</tbody>\n<tfoot>")
    for note in (*table.notes, table.caption):
        out.append(f'<tr><td colspan="{width}">{_h(note)}</td></tr>')
    out.append("</tfoot>\n</table>")
    return "\n".join(out) + "\n"


_URL = re.compile(r"^https?://[^\s<>\"']+$")


#: An ISO date (a day, a month or a year and month), which a table never breaks across lines.
DATE = re.compile(r"\b\d{4}-\d{2}(?:-\d{2})?\b")


def _cell_html(text: str, link: bool) -> str:
    if link and _URL.match(text):
        return f'<a href="{_h(text)}">{_h(text)}</a>'
    return DATE.sub(
        lambda m: f'<span class="date" style="white-space: nowrap">{m.group(0)}</span>', _h(text)
    )


def _cell_latex(text: str) -> str:
    """A cell in LaTeX, each date in an ``\\mbox`` so that it never breaks at its hyphens."""
    return DATE.sub(lambda m: f"\\mbox{{{m.group(0)}}}", latex_escape(text))


def render_latex(table: Table) -> str:
    r"""A LaTeX ``table`` with a ``tabular`` (long columns wrap, dates never) and the citation as
    its last row.

    Needs no package beyond LaTeX's own; text is UTF-8 (``\usepackage[utf8]{inputenc}`` on
    old engines).
    """
    width = len(table.columns)
    longest = [max([len(table.columns[i]), *(len(r[i]) for r in table.rows)]) for i in range(width)]
    wide = [i for i in range(width) if longest[i] > 30]
    share = 0.8 / max(len(wide), 1)
    spec = "".join(f"p{{{share:.2f}\\linewidth}}" if i in wide else "l" for i in range(width))
    lines = [
        "\\begin{table}[ht]",
        "\\centering\\small",
        f"\\caption{{{latex_escape(table.title)}}}",
        f"\\begin{{tabular}}{{{spec}}}",
        "\\hline",
        " & ".join(latex_escape(c) for c in table.columns) + " \\\\",
        "\\hline",
    ]
    lines += [" & ".join(_cell_latex(c) for c in row) + " \\\\" for row in table.rows]
    lines.append("\\hline")
    for note in (*table.notes, table.caption):
        lines.append(
            f"\\multicolumn{{{width}}}{{p{{0.95\\linewidth}}}}{{\\footnotesize "
            f"{latex_escape(note)}}} \\\\"
        )
    lines += ["\\end{tabular}", "\\end{table}"]
    return "\n".join(lines) + "\n"


def render_table(table: Table, fmt: str) -> str:
    """Render a table in one of :data:`FORMATS`."""
    renderers = {"csv": render_csv, "md": render_md, "html": render_html, "latex": render_latex}
    if fmt not in renderers:
        raise InputError(f"table format {fmt!r}: give one of {', '.join(FORMATS)}")
    return renderers[fmt](table)
