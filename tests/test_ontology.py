"""The ontology's contract and version; its hygiene rules (one label, one definition, a home,
no rdfs:comment, a message on every shape) are checks in queries/checks/, see test_checks.py."""

from __future__ import annotations

import re
from pathlib import Path

import rdflib
from pyshacl import validate
from rdflib.namespace import OWL, RDF

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


def test_dataset_version_equals_package_version() -> None:
    """The dataset description carries the package version."""
    dataset = rdflib.Graph().parse(ROOT / "graph" / "dataset.ttl")
    assert {str(v) for v in dataset.objects(None, OWL.versionInfo)} == {__version__}
