"""Validation: the SHACL shapes and the SPARQL checks of ``queries/checks/``.

A finding is a :class:`Finding`; violations (severity error) fail a build, warnings are shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import rdflib
from pyshacl import validate as shacl_validate
from rdflib.namespace import RDF, SH

from lexgraph.core.errors import InputError
from lexgraph.store.library import LibraryQuery, read_library


@dataclass(frozen=True)
class Finding:
    """One violation or warning: the offending node, the shape or check, and a message."""

    node: str
    rule: str
    message: str
    severity: str
    path: str = ""
    value: str = ""

    def line(self) -> str:
        where = f" {self.path}" if self.path else ""
        value = f" (value {self.value})" if self.value else ""
        return f"{self.severity}: {self.node}{where}: {self.message}{value} [{self.rule}]"


def _rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> rdflib.term.Node:
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def to_rdflib(quads: Iterable[ox.Quad]) -> rdflib.Graph:
    """Return the union of quads as an rdflib Graph (for pySHACL).

    Terms are converted one by one: going through N-Triples text and rdflib's parser took
    several times longer on the participation records.
    """
    graph = rdflib.Graph()
    for quad in quads:
        if isinstance(quad.object, ox.Triple):  # RDF 1.2 quoted triples are not shaped
            continue
        graph.add(
            (_rdflib_term(quad.subject), _rdflib_term(quad.predicate), _rdflib_term(quad.object))  # type: ignore[arg-type]
        )
    return graph


def load_shapes(path: Path) -> rdflib.Graph:
    """Parse the shapes graph."""
    graph = rdflib.Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises several unrelated types for bad Turtle
        raise InputError(f"{path}: cannot parse shapes: {exc}") from exc
    return graph


def _short(term: object) -> str:
    return str(term) if term is not None else ""


def run_shacl(data: rdflib.Graph, shapes: rdflib.Graph) -> list[Finding]:
    """Validate ``data`` against ``shapes``; return every result as a finding."""
    _conforms, report, _text = shacl_validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    assert isinstance(report, rdflib.Graph)
    findings = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = report.value(result, SH.resultSeverity)
        findings.append(
            Finding(
                node=_short(report.value(result, SH.focusNode)),
                rule=_short(report.value(result, SH.sourceShape)),
                message=_short(report.value(result, SH.resultMessage)),
                severity="error" if severity == SH.Violation else "warning",
                path=_short(report.value(result, SH.resultPath)),
                value=_short(report.value(result, SH.value)),
            )
        )
    return sorted(findings, key=lambda f: (f.severity, f.node, f.rule, f.path, f.value))


def _value(term: object) -> str:
    return term.value if isinstance(term, ox.NamedNode | ox.Literal | ox.BlankNode) else ""


def run_check(store: ox.Store, check: LibraryQuery) -> list[Finding]:
    """Run one check query; each row is a finding, its first variable the offending node."""
    try:
        result = store.query(check.text, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise InputError(f"{check.path}: {exc}") from None
    if not isinstance(result, ox.QuerySolutions):
        raise InputError(f"{check.path}: a check must be a SELECT query")
    names = [v.value for v in result.variables]
    findings = []
    for row in result:
        values = [_value(row[name]) for name in names]
        details = ", ".join(f"{n}={v}" for n, v in zip(names[1:], values[1:], strict=True) if v)
        message = check.summary + (f" ({details})" if details else "")
        findings.append(Finding(values[0], check.name, message, check.severity))
    return findings


def run_checks(store: ox.Store, checks_dir: Path) -> list[Finding]:
    """Run every check of ``checks_dir``."""
    findings: list[Finding] = []
    for check in read_library(checks_dir):
        findings.extend(run_check(store, check))
    return sorted(findings, key=lambda f: (f.severity, f.rule, f.node, f.message))
