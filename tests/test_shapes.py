"""Each SHACL shape accepts its valid fixture and rejects its invalid one, for that shape."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from pyshacl import validate
from rdflib.namespace import RDF, SH

from lexgraph.core.namespaces import LEX_SH

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "data" / "shapes"
SHAPES = rdflib.Graph().parse(ROOT / "ontology" / "shapes.ttl")
BACKGROUND = rdflib.Graph()
for _path in [
    ROOT / "ontology" / "lexgraph.ttl",
    ROOT / "ontology" / "alignments.ttl",
    *sorted((ROOT / "ontology" / "vocab").glob("*.ttl")),
]:
    BACKGROUND.parse(_path)


def _broken(data: rdflib.Graph) -> set[str]:
    _conforms, report, _ = validate(data, shacl_graph=SHAPES, inference="none", advanced=True)
    assert isinstance(report, rdflib.Graph)
    return {
        str(report.value(r, SH.sourceShape))[len(LEX_SH) :]
        for r in report.subjects(RDF.type, SH.ValidationResult)
    }


def _with_background(path: Path) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph += BACKGROUND
    graph.parse(path, format="turtle")
    return graph


def _invalid() -> list[Path]:
    return sorted(FIXTURES.glob("*.invalid.ttl"))


def test_every_property_shape_has_fixtures() -> None:
    """Each named property shape of shapes.ttl has a valid and an invalid fixture."""
    names = {str(s)[len(LEX_SH) :] for s in SHAPES.subjects(RDF.type, SH.PropertyShape)}
    covered = {p.name.split(".")[0] for p in _invalid()}
    tested_elsewhere = {  # shapes whose rule is the same kind as a tested one
        "Instrument-entryIntoForceDate",
        "Instrument-adoptedBy",
        "Instrument-depositary",
        "Instrument-arrangementAmong",
        "Provision-heading",
        "Provision-subdivisionOf",
        "Concept-prefLabel",
        "Concept-inScheme",
        "State-alpha2",
        "State-label",
        "Participation-participant",
        "Participation-instrument",
        "Participation-asAt",
        "StatusList-instrument",
        "Reservation-participant",
        "Change-participant",
        "Change-instrument",
        "Reservation-instrument",
        "Reservation-affectsProvision",
        "Unverified-subject",
        "Unverified-predicate",
        "Unverified-object",
        "Mapping-from",
        "Mapping-to",
        "Question-label",
        "Membership-participant",
        "Membership-since",
        "MembershipList-organisation",
        "Restriction-instrument",
        "Restriction-organisation",
    }
    assert names - covered - tested_elsewhere == set()


@pytest.mark.parametrize("path", _invalid(), ids=lambda p: p.name.split(".")[0])
def test_valid_fixture_conforms(path: Path) -> None:
    """The valid fixture of a shape breaks no shape at all."""
    assert _broken(_with_background(path.with_name(path.name.replace("invalid", "valid")))) == set()


@pytest.mark.parametrize("path", _invalid(), ids=lambda p: p.name.split(".")[0])
def test_invalid_fixture_breaks_its_shape(path: Path) -> None:
    """The invalid fixture of a shape breaks exactly that shape."""
    expected = path.read_text().splitlines()[0].removeprefix("# breaks: ").strip()
    assert _broken(_with_background(path)) == {expected}
