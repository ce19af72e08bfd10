"""Ontology hygiene: every term is labelled, defined and homed; the version is the package's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib
from pyshacl import validate
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from lexgraph import __version__
from lexgraph.core.namespaces import LEX

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = rdflib.Graph().parse(ROOT / "ontology" / "lexgraph.ttl")
ONTOLOGY_IRI = rdflib.URIRef("https://w3id.org/lexgraph/ontology")
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
TERMS = sorted({s for k in KINDS for s in ONTOLOGY.subjects(RDF.type, k) if str(s).startswith(LEX)})


def test_ontology_declares_terms() -> None:
    """The ontology declares the classes and properties that are a public contract."""
    names = {str(t)[len(LEX) :] for t in TERMS}
    for name in (
        "Instrument",
        "Treaty",
        "Convention",
        "Protocol",
        "SoftLawInstrument",
        "Declaration",
        "Resolution",
        "Standard",
        "Provision",
        "CrimeType",
        "CooperationModality",
        "State",
        "Participation",
        "Reservation",
        "hasProvision",
        "partOf",
        "articleNumber",
        "providesFor",
        "criminalises",
        "covers",
        "supplements",
        "contributesTo",
        "adoptionDate",
        "entryIntoForceDate",
    ):
        assert name in names, name


@pytest.mark.parametrize("term", TERMS, ids=lambda t: str(t)[len(LEX) :])
def test_term_has_one_label_one_definition_and_a_home(term: rdflib.URIRef) -> None:
    """Each term has one English rdfs:label, one skos:definition and rdfs:isDefinedBy."""
    assert len(list(ONTOLOGY.objects(term, RDFS.label))) == 1
    definitions = list(ONTOLOGY.objects(term, SKOS.definition))
    assert len(definitions) == 1
    assert str(term)[len(LEX) :].lower() not in str(definitions[0]).lower().split()[:1]
    assert ONTOLOGY.value(term, RDFS.isDefinedBy) == ONTOLOGY_IRI
    assert not list(ONTOLOGY.objects(term, RDFS.comment))


def test_ontology_version_equals_package_version() -> None:
    """owl:versionInfo and owl:versionIRI carry the package version."""
    assert str(ONTOLOGY.value(ONTOLOGY_IRI, OWL.versionInfo)) == __version__
    assert str(ONTOLOGY.value(ONTOLOGY_IRI, OWL.versionIRI)).endswith("/" + __version__)


def test_package_version_equals_pyproject() -> None:
    """The installed package's version is the one pyproject.toml declares."""
    declared = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M)
    assert declared and declared.group(1) == __version__


def test_shapes_pass_meta_validation() -> None:
    """The shapes graph conforms to the SHACL-for-SHACL shapes."""
    shapes = rdflib.Graph().parse(ROOT / "ontology" / "shapes.ttl")
    conforms, _, text = validate(rdflib.Graph(), shacl_graph=shapes, meta_shacl=True)
    assert conforms, text


def test_every_property_shape_has_a_message() -> None:
    """Each named property shape carries a curator-facing sh:message."""
    shapes = rdflib.Graph().parse(ROOT / "ontology" / "shapes.ttl")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    for shape in shapes.subjects(RDF.type, sh.PropertyShape):
        assert isinstance(shape, rdflib.URIRef)
        assert shapes.value(shape, sh.message), shape


def test_dataset_version_equals_package_version() -> None:
    """The dataset description carries the package version."""
    dataset = rdflib.Graph().parse(ROOT / "graph" / "dataset.ttl")
    assert {str(v) for v in dataset.objects(None, OWL.versionInfo)} == {__version__}
