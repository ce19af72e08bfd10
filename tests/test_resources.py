"""The graph's IRIs resolve: ``lexgraph serve`` and the site answer the paths w3id sends to."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pyoxigraph as ox
import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from lexgraph.core.namespaces import BASE, ID
from lexgraph.core.paths import Layout
from lexgraph.render.resource import negotiate, resource_path, write_resources
from lexgraph.serve.resources import resource_routes
from lexgraph.serve.run import running
from lexgraph.serve.settings import GatewaySettings
from lexgraph.store.build import BuildResult
from lexgraph.views.context import caption_line

HTACCESS = Path(__file__).resolve().parents[1] / "docs" / "w3id" / ".htaccess"
ACCEPTS = {
    "html": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
}
MEDIA = {"html": "text/html", "ttl": "text/turtle", "jsonld": "application/ld+json",
         "nt": "application/n-triples"}  # fmt: skip


def _rules() -> tuple[str, list[tuple[list[tuple[str, str, bool]], str, str]]]:
    """The host and the (conditions, pattern, target) of each RewriteRule of the .htaccess."""
    host, rules, conds = "", [], []
    for line in HTACCESS.read_text(encoding="utf-8").splitlines():
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        if words[0] == "RewriteCond":
            conds.append((words[1], words[2], "[OR]" in line))
        elif words[0] == "RewriteRule":
            if words[2] == "-":
                host = re.search(r"E=LEXGRAPH_HOST:([^\]\s]+)", line).group(1)  # type: ignore[union-attr]
            else:
                rules.append((conds, words[1], words[2]))
            conds = []
    return host, rules


def _redirect(path: str, accept: str) -> str | None:
    """Where w3id sends ``https://w3id.org/lexgraph/<path>``, by the rules of the file."""
    host, rules = _rules()
    for conds, pattern, target in rules:
        matched = re.search(pattern, path)
        if not matched:
            continue
        if conds:
            results = [bool(re.search(p, accept)) for _, p, _ in conds]
            ors = [c[2] for c in conds]
            ok = results[0]
            for result, was_or in zip(results[1:], ors[:-1], strict=True):
                ok = (ok or result) if was_or else (ok and result)
            if not ok:
                continue
        out = target.replace("%{ENV:LEXGRAPH_HOST}", host)
        return re.sub(r"\$(\d)", lambda m, found=matched: found.group(int(m.group(1))), out)
    return None


@pytest.fixture(scope="module")
def samples(graph: tuple[Layout, ox.Store]) -> list[str]:
    """One IRI of every kind of resource (the first segment of its key), and the ontology."""
    _, store = graph
    by_kind: dict[str, str] = {}
    for quad in store.quads_for_pattern(None, None, None):
        iri = quad.subject.value if isinstance(quad.subject, ox.NamedNode) else ""
        if iri.startswith(ID):
            kind = iri[len(ID) :].split("/")[0] + ("/article" if "/article/" in iri else "")
            by_kind[kind] = min(by_kind.get(kind, iri), iri)
    return [BASE + "ontology", *sorted(by_kind.values())]


@pytest.fixture(scope="module")
def client(graph: tuple[Layout, ox.Store]) -> TestClient:
    """The resource routes of ``lexgraph serve`` over the built store, in process."""
    layout, _ = graph
    return TestClient(Starlette(routes=resource_routes(layout.store, layout)))


@pytest.fixture(scope="module")
def site(
    graph: tuple[Layout, ox.Store], samples: list[str], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The site's resource files of the sample IRIs."""
    layout, store = graph
    out = tmp_path_factory.mktemp("resources")
    write_resources(out, store, caption_line(layout, store), samples)
    return out


def test_negotiation_honours_q_values() -> None:
    """The highest q wins, a wildcard loses to an exact type, nothing acceptable is None."""
    assert negotiate("text/html;q=0.1, text/turtle") == "ttl"
    assert negotiate("application/n-triples, */*;q=0.1") == "nt"
    assert negotiate("text/turtle;q=0") is None
    assert negotiate(ACCEPTS["html"]) == "html"


@pytest.mark.parametrize("fmt", sorted(ACCEPTS))
def test_w3id_redirects_are_served_and_written(
    fmt: str, samples: list[str], client: TestClient, site: Path
) -> None:
    """For an IRI of every kind, w3id's target path is served and is a file of the site."""
    assert len(samples) > 10
    for iri in samples:
        target = _redirect(iri[len(BASE) :], ACCEPTS[fmt])
        assert target is not None, iri
        path = urlsplit(target).path.lstrip("/")
        assert path == f"{resource_path(iri)}.{fmt}"
        answer = client.get("/" + path)
        assert answer.status_code == 200, (iri, answer.text[:200])
        assert answer.headers["content-type"].startswith(MEDIA[fmt])
        assert (site / path).read_bytes() == answer.content, path


def test_explicit_suffix_keeps_its_format() -> None:
    """``id/<key>.ttl`` on w3id goes to the same suffix on the host, whatever the Accept."""
    target = _redirect("id/state/JPN.ttl", ACCEPTS["html"])
    assert target is not None and target.endswith("/id/state/JPN.ttl")


def test_negotiated_path_gives_each_format(client: TestClient) -> None:
    """``/id/<key>`` answers the page or the description that ``Accept`` asks for."""
    for fmt, accept in ACCEPTS.items():
        answer = client.get("/id/instrument/untoc", headers={"Accept": accept})
        assert answer.status_code == 200 and answer.headers["content-type"].startswith(MEDIA[fmt])
        assert answer.headers["vary"] == "Accept"
        assert answer.headers["content-location"] == f"/id/instrument/untoc.{fmt}"
    described = json.loads(client.get("/id/state/JPN.jsonld").text)
    assert described[0]["@id"] == ID + "state/JPN"
    turtle = client.get("/id/instrument/untoc/article/18", headers={"Accept": "text/turtle"})
    assert ox.parse(turtle.content, format=ox.RdfFormat.TURTLE)


def test_page_shows_labels_facts_and_sources(client: TestClient) -> None:
    """A resource's page names it, links what it refers to, and lists its sources."""
    page = client.get("/id/instrument/untoc").text
    assert "<h1>United Nations Convention against Transnational Organized Crime</h1>" in page
    assert "<h2>Sources</h2>" in page and "graph/instruments/untoc.ttl" in page
    assert 'href="../../ontology.html#' in page and "http://" not in page.split("<body>")[0]


def test_ontology_page_has_an_anchor_per_term(client: TestClient) -> None:
    """``/ontology#Term`` lands on the term: the page has an element with that id."""
    page = client.get("/ontology", headers={"Accept": "text/html"}).text
    assert 'id="Instrument"' in page and 'id="hasProvision"' in page
    assert client.get("/ontology.ttl").headers["content-type"].startswith("text/turtle")


def test_unknown_iri_is_a_clear_404(client: TestClient) -> None:
    """An IRI the graph says nothing about gets a 404 page that says so, with a suggestion."""
    answer = client.get("/id/instrument/untok")
    assert answer.status_code == 404 and "says nothing about" in answer.text
    assert "instrument/untoc" in answer.text
    assert client.get("/id/../../etc/passwd").status_code == 404


def test_nothing_acceptable_is_406(client: TestClient) -> None:
    """An Accept header that no format answers gets 406, naming the formats offered."""
    answer = client.get("/id/state/JPN", headers={"Accept": "image/png"})
    assert answer.status_code == 406 and "text/turtle" in answer.text


def test_page_escapes_hostile_text(tmp_path: Path) -> None:
    """A label that tries to break out of HTML is written as text."""
    store = ox.Store()
    node = ox.NamedNode(ID + "crime/x")
    label = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    store.add(ox.Quad(node, label, ox.Literal("<script>alert(1)</script>")))
    write_resources(tmp_path, store, "cite", [node.value])
    page = (tmp_path / "id" / "crime" / "x.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_lexgraph_serve_answers_the_w3id_targets(
    built: tuple[Layout, BuildResult], samples: list[str]
) -> None:
    """The real server (policy layer and Oxigraph on loopback) answers every target path."""
    layout, _ = built
    with running(GatewaySettings(layout.store, port=0)) as url, httpx.Client(timeout=60) as http:
        for iri in samples:
            for fmt, accept in ACCEPTS.items():
                target = _redirect(iri[len(BASE) :], accept)
                assert target is not None
                answer = http.get(url + urlsplit(target).path)
                assert answer.status_code == 200, (iri, fmt)
                assert answer.headers["content-type"].startswith(MEDIA[fmt])
        negotiated = http.get(url + "/id/state/JPN", headers={"Accept": "text/turtle"})
        assert negotiated.headers["content-type"].startswith("text/turtle")
        assert http.get(url + "/id/state/XXX").status_code == 404
        assert http.get(url + "/health").status_code == 200
