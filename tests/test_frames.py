"""Query results become data frames with typed columns: dates, numbers, keys and labels."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from lexgraph.core.errors import InputError
from lexgraph.core.paths import Layout
from lexgraph.store.frames import columns, short_key
from lexgraph.store.query import Result, execute, query

pd = pytest.importorskip("pandas")

JPN = ox.NamedNode("https://w3id.org/lexgraph/id/state/JPN")
XSD = "http://www.w3.org/2001/XMLSchema#"


def _lit(text: str, kind: str) -> ox.Literal:
    return ox.Literal(text, datatype=ox.NamedNode(XSD + kind))


def test_keys_are_what_the_parameters_take() -> None:
    """An instance IRI becomes the key the command line takes, a term its prefixed name."""
    assert short_key(JPN.value) == "JPN"
    assert short_key("https://w3id.org/lexgraph/ontology#Convention") == "lex:Convention"
    assert short_key("https://treaties.un.org/x/y") == "https://treaties.un.org/x/y"


def test_library_result_is_typed(graph: tuple[Layout, ox.Store]) -> None:
    """Dates are datetimes, keys short with a label column beside them."""
    layout, store = graph
    result = query("instrument-timeline", store=store, questions_dir=layout.questions)
    frame = result.to_pandas()
    assert str(frame["adopted"].dtype).startswith("datetime64")
    assert list(frame.columns[:4]) == ["date", "dated", "instrument", "instrument_label"]
    untoc = frame[frame["instrument"] == "untoc"].iloc[0]
    assert untoc["adopted"] == pd.Timestamp("2000-11-15")
    assert "Organized Crime" in untoc["instrument_label"]


def test_numbers_years_and_missing_cells() -> None:
    """Integers and years are nullable integers, decimals floats, an unbound cell missing."""
    result = Result(
        variables=("n", "year", "share", "state"),
        rows=(
            (_lit("3", "integer"), _lit("2000", "gYear"), _lit("0.5", "decimal"), JPN),
            (None, _lit("1999", "gYear"), _lit("2", "integer"), None),
        ),
    )
    store = ox.Store()
    store.add(ox.Quad(JPN, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                      ox.Literal("Japan")))  # fmt: skip
    frame = result.to_pandas(store)
    assert str(frame["n"].dtype) == "Int64" and frame["n"].isna().tolist() == [False, True]
    assert frame["year"].tolist() == [2000, 1999]
    assert frame["share"].tolist() == [0.5, 2.0]
    assert frame["state_label"].tolist()[0] == "Japan"


def test_ask_result_is_refused() -> None:
    """Only SELECT results have rows to make a frame of."""
    with pytest.raises(InputError, match="only SELECT"):
        columns(Result(boolean=True), ox.Store())


def test_free_query_result_converts(graph: tuple[Layout, ox.Store]) -> None:
    """A result of SPARQL text converts too, labels read from the store given."""
    _, store = graph
    text = "SELECT ?s WHERE { ?s a <https://w3id.org/lexgraph/ontology#Convention> } LIMIT 2"
    frame = execute(store, text).to_pandas(store)
    assert list(frame.columns) == ["s", "s_label"] and len(frame) == 2


def test_polars_result_is_typed(graph: tuple[Layout, ox.Store]) -> None:
    """Where polars is installed, the same columns and types come back as a polars frame."""
    pl = pytest.importorskip("polars")
    layout, store = graph
    frame = query("instrument-timeline", store=store, questions_dir=layout.questions).to_polars()
    assert frame.schema["adopted"] == pl.Date
    assert frame.columns[:4] == ["date", "dated", "instrument", "instrument_label"]
