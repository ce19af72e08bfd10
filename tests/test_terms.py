"""The vocabulary's typed names (``lexgraph.core.terms``) match the vocabularies they name."""

from __future__ import annotations

import inspect

import pytest
import rdflib.namespace
from rdflib import URIRef

from lexgraph.core import terms
from lexgraph.core.paths import Layout

#: Each class of external names and the rdflib vocabulary list that holds its terms.
EXTERNAL = {
    "Rdf": "RDF",
    "Rdfs": "RDFS",
    "Owl": "OWL",
    "Xsd": "XSD",
    "Skos": "SKOS",
    "Dcterms": "DCTERMS",
    "Void": "VOID",
    "Dcat": "DCAT",
}

#: Terms newer than the vocabulary lists rdflib ships: DCAT 3 (W3C Recommendation, 2024).
NEWER = {"http://www.w3.org/ns/dcat#version"}


def _names(cls: type) -> dict[str, str]:
    return {k: v for k, v in vars(cls).items() if not k.startswith("__") and isinstance(v, str)}


def test_lex_names_every_term_of_the_ontology_and_no_other() -> None:
    """``Lex`` is exactly the ``lex:`` terms declared in ``ontology/lexgraph.ttl``."""
    text = (Layout.default().ontology / "lexgraph.ttl").read_text(encoding="utf-8")
    declared = terms.declared_terms(text)
    assert sorted(_names(terms.Lex)) == declared
    assert inspect.getsource(terms.Lex).endswith(terms._lex_source(declared))


def test_lex_values_are_their_names() -> None:
    """Each ``Lex`` name holds the IRI of the term of that name."""
    for name, iri in _names(terms.Lex).items():
        assert iri == "https://w3id.org/lexgraph/ontology#" + name


@pytest.mark.parametrize("name", sorted(EXTERNAL))
def test_external_names_are_terms_of_their_vocabulary(name: str) -> None:
    """Every name of an external vocabulary is a term that vocabulary defines, spelt right."""
    cls = getattr(terms, name)
    namespace = getattr(rdflib.namespace, EXTERNAL[name])
    for local, iri in _names(cls).items():
        assert iri == str(namespace) + local.rstrip("_"), local
        assert iri in NEWER or URIRef(iri) in namespace, f"{name}.{local} is not in {namespace}"


def test_no_term_iri_is_built_from_a_string() -> None:
    """Outside ``core/terms.py``, no code glues a prefix and a local name into a term IRI
    (``PREFIXES["skos"] + "prefLabel"``, ``LEX + "covers"``): it names the term instead."""
    import re
    from pathlib import Path

    glued = re.compile(
        r"""PREFIXES\[["'][a-z-]+["']\]\s*\+\s*["'][A-Za-z]"""
        r"""|\b(?:LEX|LEX_SH|SKOS|RDF|RDFS|OWL|XSD|DCTERMS|DCAT|VOID|PROV|SH|SDGO)\s*\+\s*["'][A-Za-z]"""
    )
    package = Path(terms.__file__).resolve().parents[1]
    found = [
        f"{path.relative_to(package)}:{number}"
        for path in sorted(package.rglob("*.py"))
        if path.name != "terms.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if glued.search(line)
    ]
    assert found == []
