"""Library questions run with parameters bound by the engine, never pasted into text."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from lexgraph.core.errors import InputError
from lexgraph.core.paths import Layout
from lexgraph.store.build import BuildResult
from lexgraph.store.names import resolve_state
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


STATE = "https://w3id.org/lexgraph/id/state/"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("United States", "USA"),
        ("United Kingdom", "GBR"),
        ("UK", "GBR"),
        ("Russia", "RUS"),
        ("Russian Federation", "RUS"),
        ("Netherlands", "NLD"),
        ("Iran", "IRN"),
        ("Philippines", "PHL"),
        ("Côte d'Ivoire", "CIV"),
        ("Ivory Coast", "CIV"),
        ("South Korea", "KOR"),
        ("North Korea", "PRK"),
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),
        ("Czechia", "CZE"),
        ("Czech Republic", "CZE"),
        ("Viet Nam", "VNM"),
        ("Vietnam", "VNM"),
    ],
)
def test_common_english_name_resolves(graph: tuple[Layout, ox.Store], name: str, code: str) -> None:
    """A state's UN name or common English name resolves to its ISO alpha-3 code."""
    assert resolve_state(graph[1], name).value == STATE + code


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Fédération de Russie", "RUS"),
        ("Филиппины", "PHL"),
        ("Países Bajos", "NLD"),
        ("荷兰王国", "NLD"),
        ("الاتحاد الروسي", "RUS"),
    ],
)
def test_name_in_another_un_language_resolves(
    graph: tuple[Layout, ox.Store], name: str, code: str
) -> None:
    """A state's name in French, Russian, Spanish, Chinese or Arabic resolves to it."""
    assert resolve_state(graph[1], name).value == STATE + code


@pytest.mark.parametrize(
    "name", ["cote d'ivoire", "COTE D\u2019IVOIRE", "Côte-d\u2019Ivoire", "  côte   d'ivoire "]
)
def test_case_accent_and_punctuation_are_ignored(graph: tuple[Layout, ox.Store], name: str) -> None:
    """Case, accents, apostrophes, hyphens and spacing do not matter in a state's name."""
    assert resolve_state(graph[1], name).value == STATE + "CIV"


@pytest.mark.parametrize(
    ("name", "code"),
    [("the Philippines", "PHL"), ("Philippines (the)", "PHL"), ("les Pays-Bas", "NLD")],
)
def test_articles_of_unterm_names_are_ignored(
    graph: tuple[Layout, ox.Store], name: str, code: str
) -> None:
    """A name matches with or without the article UNTERM writes before or after it."""
    assert resolve_state(graph[1], name).value == STATE + code


def test_misspelt_state_gets_suggestions(graph: tuple[Layout, ox.Store]) -> None:
    """A misspelt state name is refused with the closest names and their codes."""
    with pytest.raises(InputError, match=r"unknown state 'Rusia'; did you mean Russia \(RUS\)"):
        resolve_state(graph[1], "Rusia")


def test_name_of_two_states_is_ambiguous() -> None:
    """A name that folds to the name of two states is refused naming both, never settled."""
    store = ox.Store()
    store.load(
        input=(
            "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
            f'<{STATE}XAA> skos:prefLabel "Congo"@en .\n'
            f'<{STATE}XBB> skos:prefLabel "Congo (le)"@fr .\n'
        ).encode(),
        format=ox.RdfFormat.TURTLE,
    )
    with pytest.raises(InputError, match=r"'congo' is ambiguous: it names .*XAA.* and .*XBB"):
        resolve_state(store, "congo")
