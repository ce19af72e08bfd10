"""The numbers the corpus must hold, read from the built graph."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from lexgraph.core.namespaces import sparql_prologue
from lexgraph.core.paths import Layout
from lexgraph.store.build import BuildResult
from lexgraph.views.stats import compute_stats


def _count(layout: Layout, pattern: str) -> int:
    store = ox.Store.read_only(str(layout.store))
    text = sparql_prologue() + f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}"
    result = store.query(text, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    value = next(iter(result))["n"]
    assert isinstance(value, ox.Literal)
    return int(value.value)


@pytest.mark.parametrize(
    ("what", "pattern", "minimum"),
    [
        ("instruments", "?x a lex:Instrument", 45),
        ("provisions", "?x a lex:Provision", 900),
        ("crime types", "?x a lex:CrimeType", 25),
        ("states", "?x a lex:State", 249),
        ("SDG targets", "?x a sdgo:Target", 8),
        ("ICCS mappings", "?x a lex:Mapping", 10),
        ("discussion questions", "?x a lex:DiscussionQuestion", 10),
    ],
)
def test_corpus_holds_at_least(
    built: tuple[Layout, BuildResult], what: str, pattern: str, minimum: int
) -> None:
    """The built graph holds at least the promised number of each kind of resource."""
    layout, _ = built
    assert _count(layout, pattern) >= minimum, what


def test_corpus_has_150_modality_links(built: tuple[Layout, BuildResult]) -> None:
    """At least 150 provision -> modality links are in the graph."""
    layout, _ = built
    assert compute_stats(ox.Store.read_only(str(layout.store))).modality_links >= 150


def test_protocol_offences_reach_the_convention(built: tuple[Layout, BuildResult]) -> None:
    """Each UNTOC Protocol's offences are established under UNTOC, so its articles apply."""
    layout, _ = built
    assert (
        _count(
            layout,
            "?x lex:offencesEstablishedUnder <https://w3id.org/lexgraph/id/instrument/untoc>",
        )
        == 3
    )


def test_every_crime_type_key_of_the_contract_exists(built: tuple[Layout, BuildResult]) -> None:
    """The crime-type keys that users and the finder name are all in the scheme."""
    layout, _ = built
    store = ox.Store.read_only(str(layout.store))
    for key in (
        "cybercrime",
        "wildlife-crime",
        "trafficking-in-cultural-property",
        "trafficking-in-persons",
        "smuggling-of-migrants",
        "firearms-trafficking",
        "drug-trafficking",
        "money-laundering",
        "corruption",
        "bribery",
        "participation-in-organized-criminal-group",
        "obstruction-of-justice",
        "terrorism",
        "financing-of-terrorism",
        "illicit-financial-flows",
        "cryptocurrency-enabled-laundering",
        "cyber-dependent-crime",
        "cyber-enabled-crime",
    ):
        node = ox.NamedNode(f"https://w3id.org/lexgraph/id/crime/{key}")
        assert list(store.quads_for_pattern(node, None, None)), key
