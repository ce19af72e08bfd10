"""A brief as a Word file (.docx, with python-docx: ``pip install 'lexgraph[docx]'``).

The same parts as the HTML page, in Word's own styles so that an editor can restyle them:
the key messages as a numbered list, the figure as a 200 dpi PNG at its natural size, the
table as a Word table, the sources as a list and the citation at the end. English names in a
French brief are in italics, as on the page.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from lexgraph.core.errors import InputError
from lexgraph.render.brief.make import Brief
from lexgraph.render.brief.pages import MIN_PT
from lexgraph.render.brief.words import spans, words
from lexgraph.render.figures import matrix_figure
from lexgraph.render.figures.save import figure_bytes

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph


def _runs(paragraph: Paragraph, text: str, lang: str, *, size: float, italic: bool = False) -> None:
    from docx.shared import Pt

    for piece, foreign in spans(text):
        run = paragraph.add_run(piece)
        run.font.size = Pt(size)
        run.italic = italic or (foreign and lang != "en")


def render_brief_docx(brief: Brief) -> bytes:
    """The brief as the bytes of a .docx file."""
    try:
        import docx
        from docx.shared import Mm, Pt
    except ImportError as exc:
        raise InputError("a .docx brief needs python-docx: pip install 'lexgraph[docx]'") from exc
    w, lang = words(brief.lang), brief.lang
    document: Any = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(15)
    section.top_margin = section.bottom_margin = Mm(12)
    document.core_properties.title = brief.text().splitlines()[0]
    document.styles["Normal"].font.size = Pt(9)
    _runs(document.add_heading(level=1), brief.title, lang, size=14)
    _runs(document.add_paragraph(), brief.meta, lang, size=MIN_PT, italic=True)
    _runs(document.add_heading(level=2), w["key_messages"], lang, size=11)
    for m in brief.messages:
        item = document.add_paragraph(style="List Number")
        _runs(item, m.text, lang, size=10)
        if m.gap:
            item.add_run("\n")
            _runs(item, m.gap, lang, size=MIN_PT, italic=True)
    if brief.matrix.rows:
        fig = matrix_figure(brief.matrix, font=MIN_PT, caption=False)
        fig.set_dpi(200)
        document.add_picture(io.BytesIO(figure_bytes(fig, "png")))
        caption = document.add_paragraph()
        _runs(caption, brief.figure_title + ". ", lang, size=MIN_PT + 0.5)
        _runs(caption, " ".join(brief.figure_notes), lang, size=MIN_PT)
    if brief.rows:
        _runs(document.add_paragraph(), brief.table_title, lang, size=9)
        table = document.add_table(rows=1 + len(brief.rows), cols=len(brief.columns))
        table.style = "Table Grid"
        for j, head in enumerate(brief.columns):
            _runs(table.cell(0, j).paragraphs[0], head, lang, size=MIN_PT)
        for i, row in enumerate(brief.rows, 1):
            for j, text in enumerate(row):
                _runs(table.cell(i, j).paragraphs[0], text, lang, size=MIN_PT)
        for note in brief.table_notes:
            _runs(document.add_paragraph(), note, lang, size=MIN_PT, italic=True)
    if brief.sources:
        _runs(document.add_heading(level=2), w["sources"], lang, size=11)
        for s in brief.sources:
            text = f"{s.text}: {s.url}" if s.url else s.text
            _runs(document.add_paragraph(style="List Number 2"), text, lang, size=MIN_PT)
    for note in brief.notes:
        _runs(document.add_paragraph(), note, lang, size=MIN_PT, italic=True)
    _runs(document.add_paragraph(), brief.citation, lang, size=MIN_PT)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
