"""The build: conformance, both directions of structure, determinism and atomic outputs."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from lexgraph.core.errors import RdfSyntaxError, ValidationFailed
from lexgraph.core.namespaces import LEX, instance
from lexgraph.core.paths import Layout
from lexgraph.store.build import BuildResult, build


def test_built_graph_conforms(built: tuple[Layout, BuildResult]) -> None:
    """The shipped graph breaks no error-level shape or check."""
    _, result = built
    assert [f for f in result.findings if f.severity == "error"] == []


def test_build_writes_every_output(built: tuple[Layout, BuildResult]) -> None:
    """TriG, Turtle, N-Triples, JSON-LD and the Oxigraph store are all written."""
    layout, _ = built
    for name in ("lexgraph.trig", "lexgraph.ttl", "lexgraph.nt", "lexgraph.jsonld"):
        assert (layout.build / name).stat().st_size > 0
    store = ox.Store.read_only(str(layout.store))
    assert len(store) > 0


def test_provision_links_exist_in_both_directions(built: tuple[Layout, BuildResult]) -> None:
    """The built graph holds both lex:hasProvision and lex:partOf for every provision."""
    layout, _ = built
    store = ox.Store.read_only(str(layout.store))
    untoc = ox.NamedNode(instance("instrument", "untoc"))
    art18 = ox.NamedNode(instance("instrument", "untoc/article/18"))
    assert list(store.quads_for_pattern(untoc, ox.NamedNode(LEX + "hasProvision"), art18))
    assert list(store.quads_for_pattern(art18, ox.NamedNode(LEX + "partOf"), untoc))


def test_every_source_file_is_its_own_named_graph(built: tuple[Layout, BuildResult]) -> None:
    """Each source file's triples sit in a named graph named after the file."""
    layout, result = built
    store = ox.Store.read_only(str(layout.store))
    names = {g.value for g in store.named_graphs()}
    assert "https://w3id.org/lexgraph/source/graph/instruments/untoc.ttl" in names
    assert len(names) == len(result.files) + 1  # plus the inferred graph


def test_no_fact_lacks_a_source(built: tuple[Layout, BuildResult]) -> None:
    """No instrument, provision, participation, reservation or crime type lacks a source: the
    check queries/checks/fact-without-source.rq, run by the build, finds none."""
    layout, result = built
    assert (layout.checks / "fact-without-source.rq").is_file()
    assert [f.node for f in result.findings if f.rule == "fact-without-source"] == []


def test_two_builds_give_identical_ntriples(project: Layout) -> None:
    """Building twice from the same sources gives byte-identical N-Triples and Turtle."""
    build(project)
    first = {
        n: (project.build / n).read_bytes()
        for n in ("lexgraph.nt", "lexgraph.ttl", "lexgraph.trig")
    }
    build(project)
    for name, data in first.items():
        assert (project.build / name).read_bytes() == data, name


def test_failed_build_leaves_previous_outputs(project_built: Layout) -> None:
    """A build that fails on a malformed file keeps the previous outputs as they were."""
    project = project_built
    before = (project.build / "lexgraph.nt").read_bytes()
    (project.graph / "broken.ttl").write_text('@prefix ex: <http://e/> .\nex:a ex:b "x .\n')
    with pytest.raises(RdfSyntaxError) as info:
        build(project)
    assert str(info.value).startswith("graph/broken.ttl:2:")
    assert (project.build / "lexgraph.nt").read_bytes() == before


def test_violation_fails_the_build(project: Layout) -> None:
    """A provision without an article number fails the build with a violation."""
    (project.graph / "extra.ttl").write_text(
        "@prefix lex: <https://w3id.org/lexgraph/ontology#> .\n"
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        "<https://w3id.org/lexgraph/id/instrument/untoc/article/99> a lex:Provision ;\n"
        "  lex:partOf <https://w3id.org/lexgraph/id/instrument/untoc> ;\n"
        "  dcterms:source <https://example.org/> .\n"
    )
    with pytest.raises(ValidationFailed):
        build(project)
    assert not (project.build / "current").exists()


def test_undeclared_lex_term_is_an_error(project: Layout) -> None:
    """Using a lex: term the ontology does not declare fails the undeclared-term check."""
    (project.graph / "typo.ttl").write_text(
        "@prefix lex: <https://w3id.org/lexgraph/ontology#> .\n"
        "<https://w3id.org/lexgraph/id/instrument/untoc> lex:covres "
        "<https://w3id.org/lexgraph/id/crime/corruption> .\n"
    )
    found = []
    with pytest.raises(ValidationFailed):
        build(project, on_findings=found.extend)
    assert any(f.rule == "undeclared-lex-term" and f.node.endswith("#covres") for f in found)
