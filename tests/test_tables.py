"""Tables for briefs: the figures' views as CSV, Markdown, HTML and LaTeX, with the citation."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from lexgraph.cli import main
from lexgraph.core.errors import InputError
from lexgraph.core.escape import latex as latex_escape
from lexgraph.core.escape import markdown as md_escape
from lexgraph.core.namespaces import ID
from lexgraph.core.paths import Layout
from lexgraph.render.table import FORMATS, render_table
from lexgraph.store.build import BuildResult
from lexgraph.store.query import execute, find_question
from lexgraph.views import (
    caption_line,
    instruments_table,
    matrix_table,
    modality_matrix,
    participation_matrix,
    parties_table,
)

HOSTILE = Path(__file__).parent / "data" / "views" / "hostile.ttl"
IMG = "<img src=x onerror=alert(1)>"
CONVENTION = "Convention <b>bold</b> & \"quoted\" 'single' \\ {braces} 50% $5"


@pytest.fixture(scope="module")
def hostile(built: tuple[Layout, BuildResult]) -> tuple[Layout, ox.Store]:
    """A tiny graph whose texts try to break out of every output format."""
    layout, _ = built
    store = ox.Store()
    store.load(path=str(HOSTILE), format=ox.RdfFormat.TURTLE, base_iri=ID)
    return layout, store


def _escaped(text: str, fmt: str) -> str:
    return {"md": md_escape, "latex": latex_escape}.get(fmt, lambda t: t)(text)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_ends_with_the_citation_line(graph: tuple[Layout, ox.Store], fmt: str) -> None:
    """Each format carries the caption line (citation and date) after the rows."""
    layout, store = graph
    text = render_table(instruments_table("cybercrime", store=store, layout=layout), fmt)
    caption = _escaped(caption_line(layout, store), fmt)
    assert caption in text
    assert text.rindex(caption) > text.rindex("Budapest Convention")


def test_csv_caption_is_a_comment_after_the_rows(graph: tuple[Layout, ox.Store]) -> None:
    """The CSV is a header and rows, then ``#`` lines: the notes and the citation."""
    layout, store = graph
    text = render_table(instruments_table("cybercrime", store=store, layout=layout), "csv")
    lines = text.splitlines()
    assert lines[-1] == "# " + caption_line(layout, store)
    rows = list(csv.reader(io.StringIO("\n".join(x for x in lines if not x.startswith("# ")))))
    assert rows[0][0] == "instrument" and all(len(r) == len(rows[0]) for r in rows)


def test_html_escapes_hostile_labels(hostile: tuple[Layout, ox.Store]) -> None:
    """Labels with markup come out of an HTML table as text, never as elements."""
    layout, store = hostile
    text = render_table(instruments_table("evil", store=store, layout=layout), "html")
    assert "<img" not in text and "<b>" not in text and "<script" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text and "&lt;b&gt;bold&lt;/b&gt;" in text


def test_html_links_only_http_sources(hostile: tuple[Layout, ox.Store]) -> None:
    """A ``javascript:`` source is shown as text, not as a link."""
    layout, store = hostile
    text = render_table(instruments_table("evil", store=store, layout=layout), "html")
    assert "javascript:alert(4)" in text and 'href="javascript' not in text


def test_latex_escapes_special_characters(hostile: tuple[Layout, ox.Store]) -> None:
    """Backslashes, braces, dollars, percents and ampersands of labels are escaped."""
    layout, store = hostile
    text = render_table(instruments_table("evil", store=store, layout=layout), "latex")
    assert latex_escape(CONVENTION) in text
    assert r"\textbackslash{} \{braces\} 50\% \$5" in text
    assert "\\end{document}" not in text and CONVENTION not in text


def test_markdown_cells_keep_the_column_count(hostile: tuple[Layout, ox.Store]) -> None:
    """Pipes and markup in labels are escaped, so every row has as many cells as the header."""
    layout, store = hostile
    text = render_table(matrix_table(modality_matrix("evil", store=store, layout=layout)), "md")
    rows = [line for line in text.splitlines() if line.startswith("|")]
    counts = {len(re.findall(r"(?<!\\)\|", row)) for row in rows}
    assert len(counts) == 1 and "<script>" not in text and "&lt;script&gt;" in text


def test_modality_matrix_counts_the_articles_of_the_library_question(
    graph: tuple[Layout, ox.Store],
) -> None:
    """A cell is the number of articles ``instruments-providing-modality`` gives for the pair."""
    layout, store = graph
    matrix = modality_matrix("trafficking-in-persons", store=store, layout=layout)
    question = find_question(layout.questions, "instruments-providing-modality")
    rows = execute(store, question.text, {}).values()
    assert matrix.counts is not None
    for i, row in enumerate(matrix.rows):
        for j, column in enumerate(matrix.columns):
            articles = {
                r["article"]
                for r in rows
                if r["instrument"] == row.iri and r["modality"] == column.iri
            }
            assert matrix.counts[i][j] == len(articles), (row.iri, column.iri)


def test_protocol_offences_bring_in_their_convention(graph: tuple[Layout, ox.Store]) -> None:
    """For trafficking in persons, UNTOC is listed as the convention of the TIP Protocol."""
    layout, store = graph
    matrix = modality_matrix("trafficking-in-persons", store=store, layout=layout)
    notes = {row.iri.rsplit("/", 1)[-1]: row.note for row in matrix.rows}
    assert "Trafficking in Persons Protocol" in notes["untoc"]


def test_participation_matrix_says_unknown_without_a_record(
    hostile: tuple[Layout, ox.Store],
) -> None:
    """A state with no record for an instrument is 'unknown', the ratifying one 'bound'."""
    layout, store = hostile
    matrix = participation_matrix("m49-999", store=store, layout=layout)
    cells = {row.short: cells[0] for row, cells in zip(matrix.rows, matrix.cells, strict=True)}
    assert cells == {"ZZZ": "bound", "ZZY": "unknown"}
    assert matrix.columns[0].note == "2020-01-01"


def test_region_is_found_by_name(graph: tuple[Layout, ox.Store]) -> None:
    """A region may be given by its name as well as by its key."""
    layout, store = graph
    by_name = participation_matrix("Western Europe", store=store, layout=layout)
    by_key = participation_matrix("m49-155", store=store, layout=layout)
    assert by_name.cells == by_key.cells and len(by_key.rows) > 0


def test_unknown_region_is_an_input_error(graph: tuple[Layout, ox.Store]) -> None:
    """A region that is neither a key nor a name is a user error naming the value."""
    layout, store = graph
    with pytest.raises(InputError, match="unknown region 'Atlantis'"):
        participation_matrix("Atlantis", store=store, layout=layout)


def test_parties_table_gives_source_and_as_at_of_each_record(
    graph: tuple[Layout, ox.Store],
) -> None:
    """Every UNTOC record of a Western European state shows its source; UNTC ones an as-at."""
    layout, store = graph
    table = parties_table("untoc", region="m49-155", store=store, layout=layout)
    at, source = table.columns.index("as at"), table.columns.index("source")
    assert table.rows
    assert all(row[source].startswith(("source: ", "secondary")) for row in table.rows)
    assert all(row[at] for row in table.rows if "treaties.un.org" in row[source])


def test_table_command_writes_latex_by_suffix(
    built: tuple[Layout, BuildResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``lexgraph table matrix -o FILE.tex`` writes LaTeX, chosen by the suffix."""
    layout, _ = built
    monkeypatch.setenv("LEXGRAPH_ROOT", str(layout.root))
    out = tmp_path / "matrix.tex"
    result = CliRunner().invoke(main, ["table", "matrix", "--crime", "cybercrime", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("\\begin{table}")


def test_views_follow_the_finder_on_own_offences(graph: tuple[Layout, ox.Store]) -> None:
    """The instrument list of a crime type leaves out an instrument whose cooperation reaches
    only its own offences when it covers the crime only as part of a broader type (CETS 196
    art. 19 and hostage-taking), as the finder does."""
    from lexgraph.views.context import Context as ViewContext
    from lexgraph.views.instruments import coverage as view_coverage

    layout, store = graph
    _, _, found, _ = view_coverage(ViewContext.of(store, layout), "hostage-taking")
    listed = {c.instrument.rsplit("/", 1)[-1] for c in found}
    assert "hostages-1979" in listed
    assert "coe-prevention-of-terrorism-cets196" not in listed


def test_parties_table_sorts_states_by_name(graph: tuple[Layout, ox.Store]) -> None:
    """The parties of an instrument come in the order of their names, not of their codes."""
    layout, store = graph
    table = parties_table("untoc", region="m49-150", store=store, layout=layout)
    names = [unicodedata.normalize("NFKD", row[0]).casefold() for row in table.rows]
    assert names == sorted(names) and len(set(names)) > 20


def test_an_act_cited_by_several_sources_is_one_row_with_all_of_them(
    graph: tuple[Layout, ox.Store],
) -> None:
    """Each act (state, kind, date) is one row; an act two sources report lists both."""
    layout, store = graph
    table = parties_table("untoc", store=store, layout=layout)
    acts = [(row[1], row[2], row[3]) for row in table.rows]
    assert len(acts) == len(set(acts))
    source = table.columns.index("source")
    assert any(row[source].count("source: ") >= 2 for row in table.rows)


def test_dates_never_wrap_in_html_or_latex(graph: tuple[Layout, ox.Store]) -> None:
    """Every date of an HTML table is in a nowrap span; of a LaTeX table, in an mbox."""
    layout, store = graph
    table = parties_table("untoc", region="m49-155", store=store, layout=layout)
    html = render_table(table, "html")
    latex = render_table(table, "latex")
    dates = re.findall(r"\d{4}-\d{2}-\d{2}", "".join(c for row in table.rows for c in row))
    assert dates
    assert html.count('style="white-space: nowrap">') >= len(dates)
    assert latex.count("\\mbox{") >= len(dates)


def test_table_heads_use_short_names(graph: tuple[Layout, ox.Store]) -> None:
    """The columns of a participation matrix table are short names (UNTOC), not full titles."""
    layout, store = graph
    table = matrix_table(participation_matrix("m49-155", store=store, layout=layout))
    assert "UNTOC" in table.columns
    assert not any(c.startswith("United Nations Convention") for c in table.columns)
