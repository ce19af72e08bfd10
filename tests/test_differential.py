"""Differential checks: every library question gives the same rows on pyoxigraph and rdflib.

Both engines run each question of ``queries/questions/`` with its default parameters over the
same build: pyoxigraph over ``build/store`` with the union of the named graphs as the default
graph (as :func:`lexgraph.query.execute` runs it), rdflib over an ``rdflib.Dataset`` parsed
from ``build/lexgraph.trig`` with ``default_union=True``, which makes the union of the named
graphs its default graph. Parameters are bound by each engine (pyoxigraph ``substitutions``,
rdflib ``initBindings``), never written into the text.

Rows are compared as multisets of typed terms (a DISTINCT question's rows are a set, which a
multiset comparison covers): an IRI by its string; a literal by its lexical form and its
language tag (lower case) or datatype, with rdflib's plain literals read as ``xsd:string``, as
RDF 1.1 has it; a blank node only as being one, since labels are engine-local (no question
returns blank nodes today). Order is not compared: ties under ORDER BY may come in either
order.

Known engine differences are listed in :data:`RDFLIB_ORDER_BY_BUG`, each with its reason; the
test fails if the list goes stale in either direction.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.query import Result, ResultRow

from lexgraph.core.namespaces import PREFIXES
from lexgraph.core.paths import Layout
from lexgraph.store.build import BuildResult
from lexgraph.store.library import LibraryQuery, read_library
from lexgraph.store.query import substitutions

#: rdflib 7.6 warns about its own use of its deprecated names, once per quad.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Dataset.default_context is deprecated:DeprecationWarning",
    "ignore:ConjunctiveGraph is deprecated:DeprecationWarning",
)
ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = read_library(ROOT / "queries" / "questions")
XSD_STRING = PREFIXES["xsd"] + "string"
#: Questions whose ORDER BY rdflib 7.6 cannot evaluate: it raises ``TypeError: '<' not
#: supported between instances of 'NoneType' and 'tuple'`` when an ORDER BY expression is an
#: error or unbound for some rows (here ``xsd:integer(?article)`` for articles such as
#: "14 bis"), where SPARQL 1.1 (section 15.1) sorts such rows first. This is an rdflib bug,
#: not a query bug; for these questions rdflib runs the question without its final ORDER BY,
#: which does not change the rows compared.
RDFLIB_ORDER_BY_BUG = frozenset(
    {
        "instruments-providing-modality",
        "congress-d-terrorism-offences-criminalised",
        # Unbound sort keys: a scope has no English label, a network no article.
        "congress-i-untoc-definitions",
        "congress-j-electronic-data-channels",
        # Unbound sort keys: FATF R.16 and the note to R.15 have no adoption date recorded.
        "congress-h-virtual-asset-standards",
        # Unbound sort key: IACAC's Roman article numbers (VI, VIII, IX) have no integer value.
        "provisions-criminalising-crime",
    }
)
#: Questions rdflib 7.6 does not answer as Oxigraph does, each with what was seen: they are not
#: run on it (Oxigraph's answer is held by the golden file, Virtuoso's by test_virtuoso.py;
#: rdflib answers no library question in lexgraph itself, only here).
RDFLIB_DIFFERS: dict[str, str] = {
    "congress-a-between-regions": "returns no rows, after about 90 s, where Oxigraph returns 15 "
    "in 2 s: its aggregate tests the regions with IF(..., ?other, ?unset) over a subquery "
    "inside an OPTIONAL",
}
#: Other parameter values, so the binding is compared beyond the defaults.
ALTERNATES: list[tuple[str, dict[str, str]]] = [
    ("instruments-in-force-on", {"on": "2020-06-30"}),
    ("states-in-region", {"region": "m49-150"}),
    ("instruments-providing-modality", {"modality": "mutual-legal-assistance"}),
    ("parties-to-instrument", {"instrument": "uncac"}),
    ("instruments-covering-crime", {"crime": "corruption"}),
]

Row = tuple[tuple[str, ...] | None, ...]


def _ox_key(term: object) -> tuple[str, ...] | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("blank",)
    if isinstance(term, ox.Literal):
        if term.language:
            return ("literal", term.value, "@" + term.language.lower())
        return ("literal", term.value, term.datatype.value)
    return ("other", str(term))


def _rdflib_key(term: object) -> tuple[str, ...] | None:
    if term is None:
        return None
    if isinstance(term, rdflib.URIRef):
        return ("iri", str(term))
    if isinstance(term, rdflib.BNode):
        return ("blank",)
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ("literal", str(term), "@" + term.language.lower())
        return ("literal", str(term), str(term.datatype or XSD_STRING))
    return ("other", str(term))


def _to_rdflib(term: object) -> rdflib.term.Identifier:
    """The rdflib term of a binding; an ``xsd:string`` literal becomes a plain one, the form
    rdflib's parsers give, since rdflib tells "x" and "x"^^xsd:string apart."""
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    assert isinstance(term, ox.Literal), term
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if term.datatype.value == XSD_STRING:
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def _bindings(bound: Mapping[ox.Variable, object]) -> dict[str, rdflib.term.Identifier]:
    return {rdflib.Variable(v.value): _to_rdflib(t) for v, t in bound.items()}


@pytest.fixture(scope="module")
def engines(built: tuple[Layout, BuildResult]) -> tuple[ox.Store, rdflib.Dataset]:
    """The built store for pyoxigraph, and the built TriG in an rdflib Dataset whose default
    graph is the union of its named graphs."""
    layout, _ = built
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(layout.build / "lexgraph.trig", format="trig")
    return ox.Store.read_only(str(layout.store)), dataset


def _pyoxigraph_rows(
    store: ox.Store, question: LibraryQuery, bound: Mapping[ox.Variable, object]
) -> tuple[list[str], Counter[Row]]:
    answer = store.query(
        question.text,
        use_default_graph_as_union=True,
        substitutions=dict(bound),  # type: ignore[arg-type]
    )
    assert isinstance(answer, ox.QuerySolutions), question.name
    names = [v.value for v in answer.variables]
    return names, Counter(tuple(_ox_key(row[name]) for name in names) for row in answer)


def _rdflib_rows(
    dataset: rdflib.Dataset,
    question: LibraryQuery,
    bound: Mapping[ox.Variable, object],
    names: list[str],
) -> Counter[Row]:
    text = question.text
    if question.name in RDFLIB_ORDER_BY_BUG:
        text = re.sub(r"\bORDER BY[^{}]*$", "", text)
    result: Result = dataset.query(text, initBindings=_bindings(bound))
    assert [str(v) for v in result.vars or []] == names, question.name
    rows: Counter[Row] = Counter()
    for row in result:
        assert isinstance(row, ResultRow)
        values = row.asdict()
        rows[tuple(_rdflib_key(values.get(name)) for name in names)] += 1
    return rows


def _compare(
    engines: tuple[ox.Store, rdflib.Dataset], question: LibraryQuery, params: dict[str, str]
) -> None:
    store, dataset = engines
    if question.name in RDFLIB_DIFFERS:
        pytest.skip(f"rdflib: {RDFLIB_DIFFERS[question.name]}")
    bound = substitutions(store, question, params)
    names, expected = _pyoxigraph_rows(store, question, bound)
    found = _rdflib_rows(dataset, question, bound, names)
    only_ox, only_rdflib = expected - found, found - expected
    assert not only_ox and not only_rdflib, (
        f"{question.name}: {sum(only_ox.values())} row(s) only on pyoxigraph, e.g. "
        f"{list(only_ox)[:2]}; {sum(only_rdflib.values())} only on rdflib, e.g. "
        f"{list(only_rdflib)[:2]}"
    )


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.name)
def test_question_gives_the_same_rows_on_both_engines(
    engines: tuple[ox.Store, rdflib.Dataset], question: LibraryQuery
) -> None:
    """The question's rows with its default parameters are the same multiset of typed terms
    on pyoxigraph and on rdflib."""
    _compare(engines, question, {})


@pytest.mark.parametrize(
    ("name", "params"), ALTERNATES, ids=[f"{n}-{'-'.join(p.values())}" for n, p in ALTERNATES]
)
def test_question_with_other_parameters_agrees(
    engines: tuple[ox.Store, rdflib.Dataset], name: str, params: dict[str, str]
) -> None:
    """With other parameter values too, both engines give the same rows."""
    [question] = [q for q in QUESTIONS if q.name == name]
    _compare(engines, question, params)


def test_rdflib_order_by_bug_is_still_there(engines: tuple[ox.Store, rdflib.Dataset]) -> None:
    """Each question listed as hitting rdflib's ORDER BY bug still hits it, and no other
    does (so the workaround goes when rdflib is fixed, and hides nothing new)."""
    store, dataset = engines
    failing = set()
    for question in QUESTIONS:
        if question.name in RDFLIB_DIFFERS:
            continue
        bound = substitutions(store, question, {})
        try:
            list(dataset.query(question.text, initBindings=_bindings(bound)))
        except TypeError as exc:
            assert "not supported between instances of 'NoneType'" in str(exc)
            failing.add(question.name)
    assert failing == RDFLIB_ORDER_BY_BUG
