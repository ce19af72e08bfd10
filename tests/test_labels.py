"""One label rule: prefLabel, then rdfs:label, then skos:notation, then the key; English first."""

from __future__ import annotations

import pyoxigraph as ox

from lexgraph.store.labels import label, labels

PREFIXES = """\
@base <https://w3id.org/lexgraph/id/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
ID = "https://w3id.org/lexgraph/id/"


def _store(turtle: str) -> ox.Store:
    store = ox.Store()
    store.load((PREFIXES + turtle).encode(), format=ox.RdfFormat.TURTLE)
    return store


def test_english_preferred_label_comes_first() -> None:
    """Of several preferred labels the English one is shown, whatever the store's order."""
    store = _store('<crime/x> skos:prefLabel "fraude"@fr, "fraud"@en, "Betrug"@de .')
    assert label(store, ID + "crime/x") == "fraud"


def test_label_without_language_comes_before_other_languages() -> None:
    """Without an English label, a label without a language is shown before a French one."""
    store = _store('<crime/x> skos:prefLabel "fraude"@fr, "fraud" .')
    assert label(store, ID + "crime/x") == "fraud"


def test_each_property_is_a_fallback_for_the_one_before() -> None:
    """prefLabel beats rdfs:label, which beats skos:notation, which beats the key."""
    store = _store(
        '<a/1> skos:prefLabel "pref" ; rdfs:label "rdfs" ; skos:notation "N" .\n'
        '<a/2> rdfs:label "rdfs" ; skos:notation "N" .\n'
        '<a/3> skos:notation "N" .\n'
    )
    found = [label(store, ID + f"a/{n}") for n in (1, 2, 3, 4)]
    assert found == ["pref", "rdfs", "N", "4"]


def test_labels_of_a_kind_leave_unlabelled_nodes_out() -> None:
    """``labels`` gives each labelled node under the prefix by the same rule, and no others."""
    store = _store(
        '<crime/x> skos:prefLabel "fraude"@fr, "fraud"@en .\n'
        '<crime/y> rdfs:label "theft" .\n'
        "<crime/z> skos:broader <crime/x> .\n"
        '<modality/m> skos:prefLabel "help"@en .\n'
    )
    assert labels(store, ID + "crime/") == {ID + "crime/x": "fraud", ID + "crime/y": "theft"}
