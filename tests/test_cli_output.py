"""What the command line prints for people: short names, sized tables, headers and summaries,
formats that fit the answer, and SPARQL syntax errors in one line."""

from __future__ import annotations

import csv
import importlib
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from lexgraph.cli import main
from lexgraph.core.paths import Layout
from lexgraph.core.terms import Lex, Skos
from lexgraph.render.formats import render_result
from lexgraph.store.build import BuildResult
from lexgraph.store.labels import short_name
from lexgraph.store.query import Result


@pytest.fixture(scope="module")
def gaps_memo() -> dict[tuple[str, str, object], object]:
    """The gaps of each pair on the session's build, computed once for every format."""
    return {}


@pytest.fixture
def on_built(
    built: tuple[Layout, BuildResult],
    monkeypatch: pytest.MonkeyPatch,
    gaps_memo: dict[tuple[str, str, object], object],
) -> Layout:
    """The CLI pointed at the project built once for the session. Each `lexgraph gaps` run
    computes every gap (about 20 s) and the build does not change between the runs, so the
    gaps of a pair are computed once and only rendered for each format."""
    layout, _ = built
    monkeypatch.setenv("LEXGRAPH_ROOT", str(layout.root))
    module = importlib.import_module("lexgraph.finder.gaps")
    compute = module.gaps

    def gaps(requesting: str, requested: str, on: object = None, **kw: object) -> object:
        key = (requesting, requested, on)
        if key not in gaps_memo:
            gaps_memo[key] = compute(requesting, requested, on, **kw)  # type: ignore[arg-type]
        return gaps_memo[key]

    monkeypatch.setattr(module, "gaps", gaps)
    return layout


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def test_short_name_is_the_data_first() -> None:
    """An instrument's lex:shortName wins over its alternative labels and its title."""
    store = ox.Store()
    node = ox.NamedNode("https://w3id.org/lexgraph/id/instrument/x")
    for prop, text in (
        (Skos.prefLabel, "A Convention with a Long Title"),
        (Skos.altLabel, "ACLT"),
        (Lex.shortName, "Long Title Convention"),
    ):
        store.add(ox.Quad(node, ox.NamedNode(prop), ox.Literal(text, language="en")))
    assert short_name(store, node.value) == "Long Title Convention"


def test_every_instrument_has_a_short_name(built: tuple[Layout, BuildResult]) -> None:
    """The shipped graph names every instrument shortly (the build's check holds it too)."""
    layout, _ = built
    store = ox.Store.read_only(str(layout.store))
    missing = list(
        store.query(
            "PREFIX lex: <https://w3id.org/lexgraph/ontology#> SELECT ?i WHERE { "
            "?i a lex:Instrument FILTER NOT EXISTS { ?i lex:shortName ?n } }",
            use_default_graph_as_union=True,
        )
    )
    assert missing == []


def test_select_in_a_graph_format_is_an_error_naming_the_formats(on_built: Layout) -> None:
    code, out, err = run(
        "query", "instruments-providing-modality", "-p", "modality=extradition", "--format", "ttl"
    )
    assert code == 2 and out == ""
    assert "does not fit" in err and "csv" in err and "json" in err


def test_missing_prefix_is_one_line_with_line_column_and_the_declaration(
    on_built: Layout, tmp_path: Path
) -> None:
    query = tmp_path / "mine.rq"
    query.write_text("SELECT ?i\nWHERE { ?i a lex:Instrument }\n")
    code, _, err = run("query", str(query))
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert f"{query}:2:" in lines[0]
    assert "PREFIX lex: <https://w3id.org/lexgraph/ontology#>" in lines[0]
    assert "\\u{" not in lines[0]


def test_a_users_query_file_needs_no_header(on_built: Layout, tmp_path: Path) -> None:
    query = tmp_path / "mine.rq"
    query.write_text(
        "PREFIX lex: <https://w3id.org/lexgraph/ontology#>\n"
        "SELECT ?k WHERE { ?i a lex:Instrument ; lex:key ?k } ORDER BY ?k LIMIT 2\n"
    )
    code, out, err = run("query", str(query), "--format", "csv")
    assert code == 0, err
    assert out.splitlines()[0] == "k"


def test_table_is_sized_to_content_and_fits_a_width() -> None:
    result = Result(
        variables=("a", "b"),
        rows=((ox.Literal("x"), ox.Literal("y" * 90)),),
    )
    free = render_result(result, "table")
    assert free.splitlines()[0] == "a  b"  # not padded to a fixed width
    assert "y" * 90 in free
    narrow = render_result(result, "table", width=40)
    assert all(len(line) <= 40 for line in narrow.splitlines())
    assert "…" in narrow


@pytest.mark.parametrize("fmt", ["table", "md", "csv", "json"])  # gaps computed once: on_built
def test_gaps_have_headers_and_a_summary(on_built: Layout, fmt: str) -> None:
    code, out, err = run("gaps", "--from", "France", "--to", "Japan", "--format", fmt)
    assert code == 0, err
    if fmt == "json":
        assert isinstance(json.loads(out), list)
        return
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(out)))
        assert rows[0] == [
            "verdict",
            "crime",
            "crime_label",
            "modality",
            "modality_label",
            "candidates",
        ]
        assert rows[-1][0].startswith("# France asking Japan")
        return
    assert out.startswith("France asking Japan, on ")
    assert "without a basis" in out.splitlines()[0]
    assert "crime type" in out and "modality" in out and "candidate instruments" in out
    assert "instrument/" not in out  # names, not keys


@pytest.mark.parametrize("fmt", ["table", "md", "csv"])
def test_dyad_says_which_date_each_row_gives(on_built: Layout, fmt: str) -> None:
    code, out, err = run("dyad", "FRA", "NGA", "--on", "2020-01-01", "--format", fmt)
    assert code == 0, err
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(out)))
        assert rows[0][:4] == ["instrument", "instrument_name", "both_since", "date_given_by"]
        assert any(r[0] == "instrument/untoc" and r[1] == "UNTOC" for r in rows[1:])
        return
    assert "date given by" in out and "France bound since" in out
    assert "UNTOC" in out and "instrument/untoc" not in out
    assert "in force for it" in out or "consent" in out
