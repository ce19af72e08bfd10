"""Every hand-edited and generated file of the repository parses and follows the prefix table."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.plugins.sparql import prepareQuery

from lexgraph.core.namespaces import PREFIXES

ROOT = Path(__file__).resolve().parents[1]
TURTLE = sorted(p for d in ("ontology", "graph") for p in (ROOT / d).rglob("*.ttl"))
QUERIES = sorted((ROOT / "queries").rglob("*.rq"))


def _id(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("path", TURTLE, ids=_id)
def test_turtle_file_parses(path: Path) -> None:
    """Each Turtle file parses in both pyoxigraph and rdflib."""
    assert list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    assert len(rdflib.Graph().parse(path, format="turtle")) > 0


@pytest.mark.parametrize("path", QUERIES, ids=_id)
def test_query_parses_in_pyoxigraph(path: Path) -> None:
    """Each .rq file parses in pyoxigraph's SPARQL engine."""
    ox.Store().query(path.read_text())


@pytest.mark.parametrize("path", QUERIES, ids=_id)
def test_query_parses_in_rdflib(path: Path) -> None:
    """Each .rq file parses in rdflib's SPARQL engine."""
    prepareQuery(path.read_text())


@pytest.mark.parametrize("path", TURTLE, ids=_id)
def test_turtle_prefixes_match_the_table(path: Path) -> None:
    """Each @prefix of a Turtle file is in the package's prefix table with the same IRI."""
    for prefix, iri in re.findall(r"^@prefix\s+([\w-]*):\s*<([^>]*)>", path.read_text(), re.M):
        assert PREFIXES.get(prefix) == iri, f"{prefix}: <{iri}>"


@pytest.mark.parametrize("path", QUERIES, ids=_id)
def test_query_prefixes_match_the_table(path: Path) -> None:
    """Each PREFIX line of a query is in the package's prefix table with the same IRI."""
    for prefix, iri in re.findall(
        r"^PREFIX\s+([\w-]*):\s*<([^>]*)>", path.read_text(), re.M | re.I
    ):
        assert PREFIXES.get(prefix) == iri, f"{prefix}: <{iri}>"


@pytest.mark.parametrize("path", sorted((ROOT / "queries" / "questions").glob("*.rq")), ids=_id)
def test_question_has_header_and_order_by(path: Path) -> None:
    """Each question has summary, params and tags lines and orders its rows."""
    text = path.read_text()
    for field in ("summary", "params", "tags"):
        assert re.search(rf"^#\+ {field}:", text, re.M), field
    assert "ORDER BY" in text


def test_generated_files_name_their_source() -> None:
    """Each file under graph/imported/ opens with a comment naming its generator."""
    for path in (ROOT / "graph" / "imported").rglob("*.ttl"):
        head = path.read_text()[:600]
        assert head.startswith("#") and "lexgraph import" in head, path
