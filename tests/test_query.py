"""Library questions run with parameters bound by the engine, never pasted into text."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from lexgraph.core.errors import InputError
from lexgraph.core.paths import Layout
from lexgraph.store.build import BuildResult
from lexgraph.store.query import execute, find_question, substitutions


def _run(layout: Layout, name: str, params: dict[str, str]) -> list[dict[str, object]]:
    store = ox.Store.read_only(str(layout.store))
    question = find_question(layout.questions, name)
    return execute(store, question.text, substitutions(store, question, params)).values()


def test_modality_question_finds_both_conventions(built: tuple[Layout, BuildResult]) -> None:
    """Extradition is provided by UNTOC art. 16 and UNCAC art. 44."""
    layout, _ = built
    rows = {
        (r["instrument"], r["article"])
        for r in _run(layout, "instruments-providing-modality", {"modality": "extradition"})
    }
    base = "https://w3id.org/lexgraph/id/instrument/"
    assert {(base + "untoc", "16"), (base + "uncac", "44")} <= rows


@pytest.mark.parametrize("value", ['x" } ; DROP ALL ; #', "<http://a> . ?s ?p ?o"])
def test_hostile_value_is_a_plain_value(built: tuple[Layout, BuildResult], value: str) -> None:
    """A value that looks like SPARQL is rejected as an unknown key, never executed."""
    layout, _ = built
    with pytest.raises(InputError, match="unknown modality"):
        _run(layout, "instruments-providing-modality", {"modality": value})
    assert len(ox.Store.read_only(str(layout.store))) > 0


def test_hostile_string_binding_matches_nothing(built: tuple[Layout, BuildResult]) -> None:
    """A string parameter holding query syntax binds as a literal and matches nothing."""
    layout, _ = built
    store = ox.Store.read_only(str(layout.store))
    text = (
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "SELECT ?label ?x WHERE { ?x skos:prefLabel ?label } ORDER BY ?x"
    )
    result = execute(store, text, {ox.Variable("label"): ox.Literal('x" } ; DROP ALL ; #')})
    assert result.rows == ()


def test_unknown_parameter_names_the_allowed_ones(built: tuple[Layout, BuildResult]) -> None:
    """An unknown parameter is an error listing the question's parameters."""
    layout, _ = built
    with pytest.raises(InputError, match=r"allowed: modality \(modality\)"):
        _run(layout, "instruments-providing-modality", {"crime": "corruption"})


def test_misspelt_key_gets_a_suggestion(built: tuple[Layout, BuildResult]) -> None:
    """A misspelt modality key is answered with the closest keys."""
    layout, _ = built
    with pytest.raises(InputError, match="did you mean extradition"):
        _run(layout, "instruments-providing-modality", {"modality": "extradtion"})
