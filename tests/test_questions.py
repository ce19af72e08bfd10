"""Every library question answers as its golden file says, with its default parameters.

Regenerate the golden files after a deliberate data change with
``LEXGRAPH_UPDATE_GOLDEN=1 pytest tests/test_questions.py`` and review the diff.
"""

from __future__ import annotations

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
