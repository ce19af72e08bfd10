"""The vocabulary's typed names (lexgraph.core.terms) are the terms the vocabularies declare."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
import rdflib.namespace as shipped

from lexgraph.core import terms
from lexgraph.core.namespaces import LEX
from lexgraph.core.terms import Lex, declared_terms

ROOT = Path(__file__).resolve().parents[1]
#: Each class of external terms and the namespace rdflib ships for it (closed: no other term).
SHIPPED = {
    terms.Rdf: "RDF",
    terms.Rdfs: "RDFS",
    terms.Owl: "OWL",
    terms.Xsd: "XSD",
    terms.Skos: "SKOS",
    terms.Dcterms: "DCTERMS",
    terms.Void: "VOID",
}


def _names(cls: type) -> dict[str, str]:
    return {k: v for k, v in vars(cls).items() if not k.startswith("_")}


def test_lex_names_exactly_the_terms_of_the_ontology() -> None:
    """Class Lex holds every term ontology/lexgraph.ttl declares, and nothing else."""
    declared = declared_terms((ROOT / "ontology" / "lexgraph.ttl").read_text(encoding="utf-8"))
    assert sorted(_names(Lex)) == declared
    assert all(iri == LEX + name for name, iri in _names(Lex).items())


@pytest.mark.parametrize("cls", list(SHIPPED), ids=lambda c: c.__name__)
def test_external_names_are_terms_of_their_vocabulary(cls: type) -> None:
    """Each typed name of an external vocabulary is a term rdflib knows in that vocabulary."""
    namespace = getattr(shipped, SHIPPED[cls])
    for name, iri in _names(cls).items():
        assert iri == str(getattr(namespace, name)), name


def test_sdgo_names_are_used_by_the_sdg_kos() -> None:
    """Each sdgo: name occurs in the imported SDG KOS (rdflib ships no sdgo: namespace)."""
    kos = rdflib.Graph().parse(ROOT / "graph" / "imported" / "sdg.ttl")
    used = {str(t) for triple in kos for t in triple[1:]}
    assert set(_names(terms.Sdgo).values()) <= used
