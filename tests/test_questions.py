"""Every library question answers as its golden file says, with its default parameters.

Regenerate the golden files after a deliberate data change with
``LEXGRAPH_UPDATE_GOLDEN=1 pytest tests/test_questions.py`` and review the diff.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pyoxigraph as ox
import pytest

from lexgraph.core.paths import Layout
from lexgraph.render.formats import render_result
from lexgraph.store.build import BuildResult
from lexgraph.store.library import read_library
from lexgraph.store.query import execute, substitutions

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"
QUESTIONS = read_library(ROOT / "queries" / "questions")


def test_library_has_at_least_20_questions() -> None:
    """The library offers at least twenty competency questions."""
    assert len(QUESTIONS) >= 20


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.name)
def test_question_matches_golden(built: tuple[Layout, BuildResult], question: object) -> None:
    """The question's CSV answer equals its golden file."""
    from lexgraph.store.library import LibraryQuery

    assert isinstance(question, LibraryQuery)
    layout, _ = built
    store = ox.Store.read_only(str(layout.store))
    result = execute(store, question.text, substitutions(store, question, {}), question.name)
    text = render_result(result, "csv")
    golden = GOLDEN / f"{question.name}.csv"
    if os.environ.get("LEXGRAPH_UPDATE_GOLDEN"):
        golden.write_text(text)
    assert golden.read_text() == text


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.name)
def test_question_projects_its_parameters(question: object) -> None:
    """Each parameter is projected, as the engine's binding requires, and has a default."""
    from lexgraph.store.library import LibraryQuery

    assert isinstance(question, LibraryQuery)
    select = question.text.split("SELECT", 1)[1].split("WHERE", 1)[0]
    for param in question.params:
        assert f"?{param.name}" in select, param.name
        assert param.default is not None, param.name


_UNDATED = """\
@base <https://w3id.org/lexgraph/id/> .
@prefix lex: <https://w3id.org/lexgraph/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<state/XAA> skos:prefLabel "Aland"@en .
<participation/conv/XAA/consent/t> lex:instrument <instrument/conv> ;
    lex:participant <state/XAA> ; lex:actKind <act-kind/consent> ;
    lex:entryIntoForceForParticipant "2003-01-01"^^xsd:date ;
    dcterms:source <https://example.org/undated> .
<participation/conv/XAA/signature/t> lex:instrument <instrument/conv> ;
    lex:participant <state/XAA> ; lex:actKind <act-kind/signature> ;
    lex:actDate "2001-01-01"^^xsd:date ; dcterms:source <https://example.org/dated> .
"""


def test_parties_to_instrument_keeps_undated_records_last() -> None:
    """A participant's undated record is listed, with an empty date, after its dated ones."""
    question = next(q for q in QUESTIONS if q.name == "parties-to-instrument")
    store = ox.Store()
    store.load(_UNDATED.encode(), format=ox.RdfFormat.TURTLE)
    conv = ox.NamedNode("https://w3id.org/lexgraph/id/instrument/conv")
    rows = execute(store, question.text, {ox.Variable("instrument"): conv}).values()
    assert [(r["source"], r["date"]) for r in rows] == [
        ("https://example.org/dated", dt.date(2001, 1, 1)),
        ("https://example.org/undated", None),
    ]


def test_every_discussion_question_has_a_library_question() -> None:
    """Each lex:DiscussionQuestion of graph/congress.ttl is named by a question's `#+ answers:`."""
    import re

    congress = (ROOT / "graph" / "congress.ttl").read_text(encoding="utf-8")
    asked = {
        "https://w3id.org/lexgraph/id/" + key
        for key in re.findall(r"^<(congress/[^>]+)> a lex:DiscussionQuestion", congress, re.M)
    }
    answered = {iri for q in QUESTIONS for iri in re.findall(r"^#\+ answers: (\S+)$", q.text, re.M)}
    assert len(asked) == 10
    assert asked <= answered, sorted(asked - answered)
