"""`lexgraph serve`'s policy layer: what it refuses, stops, caps and limits, over real HTTP.

The layer and the Oxigraph process behind it run on ephemeral loopback ports with small limits
(a 10 s query timeout); a loopback listener shows that a refused SERVICE makes no request.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from lexgraph.core.paths import Layout
from lexgraph.publish.remote import Endpoint, with_values
from lexgraph.render.formats import render_result
from lexgraph.serve.app import TRUNCATED
from lexgraph.serve.oxigraph import free_port
from lexgraph.serve.run import running
from lexgraph.serve.settings import GatewaySettings
from lexgraph.store.build import BuildResult
from lexgraph.store.library import LibraryQuery, read_library
from lexgraph.store.query import open_store, substitutions
from listener import Listener

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"
QUESTIONS = read_library(ROOT / "queries" / "questions")
CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?d ?g"
#: Above the slowest library question on a loaded 2-core machine (about 2 s).
LIMIT_S = 10
MAX_QUERY = 4096
#: Above every golden answer (the longest has 553 rows).
MAX_ROWS = 1000


@pytest.fixture(scope="module")
def gateway(built: tuple[Layout, BuildResult]) -> Iterator[str]:
    """The layer over the built store, with a 10 s limit and 1,000 rows; yields its base URL."""
    layout, _ = built
    settings = GatewaySettings(
        layout.store,
        port=0,
        timeout_s=LIMIT_S,
        engines=2,
        max_rows=MAX_ROWS,
        max_query_bytes=MAX_QUERY,
        max_body_bytes=3 * MAX_QUERY + 1024,
        errors_per_minute=600,
    )
    with running(settings) as url:
        yield url


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=60) as session:
        yield session


def _get(client: httpx.Client, base: str, text: str, **headers: str) -> httpx.Response:
    return client.get(base + "/query", params={"query": text}, headers=headers)


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.name)
def test_question_through_the_layer_matches_golden(
    built: tuple[Layout, BuildResult], gateway: str, question: LibraryQuery
) -> None:
    """Each library question gives its golden answer through the layer, via SPARQLWrapper.

    Rows are compared as a set: the layer's engines hold an in-memory copy of the build, which
    may order rows that tie on a question's ORDER BY differently from the on-disk store.
    """
    layout, _ = built
    text = with_values(question.text, substitutions(open_store(layout.store), question, {}))
    result = Endpoint(gateway + "/query").query(text, question.name)
    got = render_result(result, "csv").splitlines()
    golden = (GOLDEN / f"{question.name}.csv").read_text().splitlines()
    assert got[:1] == golden[:1]
    assert sorted(got) == sorted(golden)


@pytest.mark.parametrize("how", ["get", "form", "body"])
def test_service_is_refused_with_no_request_made(
    gateway: str, client: httpx.Client, listener: Listener, how: str
) -> None:
    """SERVICE to a loopback listener gets 400, however it is sent, and nothing connects."""
    text = f"SELECT * {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
    if how == "get":
        answer = _get(client, gateway, text)
    elif how == "form":
        answer = client.post(gateway + "/query", data={"query": text})
    else:
        answer = client.post(
            gateway + "/sparql",
            content=text,
            headers={"Content-Type": "application/sparql-query"},
        )
    assert answer.status_code == 400
    assert "SERVICE" in answer.text
    assert listener.connections == 0


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * { ?s ?p ?o { SELECT ?s WHERE { SERVICE <{url}> { ?s ?p ?o } } } }",
        "SELECT * { ?s ?p ?o FILTER NOT EXISTS { SERVICE SILENT <{url}> { ?s ?p ?o } } }",
        "SELECT * { ?s ?p 1SERVICE<{url}>{ ?s ?p ?o } }",
    ],
)
def test_nested_service_is_refused(
    gateway: str, client: httpx.Client, listener: Listener, text: str
) -> None:
    """SERVICE inside a subquery or NOT EXISTS, or glued to a number, gets 400 too."""
    answer = _get(client, gateway, text.replace("{url}", listener.url))
    assert answer.status_code == 400
    assert listener.connections == 0


def test_update_is_refused(gateway: str, client: httpx.Client) -> None:
    """Updates get 400 by every route: /update, an update form field, an update body, /query."""
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    answers = [
        client.post(gateway + "/update", data={"update": update}),
        client.post(gateway + "/query", data={"update": update}),
        client.post(
            gateway + "/query",
            content=update,
            headers={"Content-Type": "application/sparql-update"},
        ),
        _get(client, gateway, update),
        _get(client, gateway, "LOAD <http://127.0.0.1:9/x.ttl>"),
    ]
    assert [a.status_code for a in answers] == [400] * 5
    assert all("update" in a.text or "LOAD" in a.text for a in answers)


def test_graphs_outside_the_build_are_refused(gateway: str, client: httpx.Client) -> None:
    """FROM, and the protocol's default-graph-uri, may not name a graph outside the build."""
    by_from = _get(client, gateway, "SELECT * FROM <http://127.0.0.1:9/g> { ?s ?p ?o }")
    by_param = client.get(
        gateway + "/query",
        params={"query": "ASK { ?s ?p ?o }", "default-graph-uri": "http://127.0.0.1:9/g"},
    )
    assert (by_from.status_code, by_param.status_code) == (400, 400)


def test_rows_are_capped_and_flagged(gateway: str, client: httpx.Client) -> None:
    """A SELECT past the row cap comes back cut to it, flagged in a header and in the JSON."""
    answer = _get(client, gateway, "SELECT * WHERE { ?s ?p ?o } LIMIT 1200")
    assert answer.status_code == 200
    assert answer.headers[TRUNCATED] == "true"
    doc = answer.json()
    assert len(doc["results"]["bindings"]) == MAX_ROWS
    assert doc["truncated"] is True
    small = _get(client, gateway, "SELECT * WHERE { ?s ?p ?o } LIMIT 3")
    assert small.headers[TRUNCATED] == "false"
    assert "truncated" not in small.json()


@pytest.mark.parametrize(
    ("accept", "rows"),
    [
        ("text/csv", MAX_ROWS + 1),
        ("text/tab-separated-values", MAX_ROWS + 1),
        ("application/sparql-results+xml", MAX_ROWS),
    ],
)
def test_rows_are_capped_in_every_results_format(
    gateway: str, client: httpx.Client, accept: str, rows: int
) -> None:
    """CSV, TSV and XML answers are cut to the cap too (header line included for CSV/TSV)."""
    answer = _get(client, gateway, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1200", Accept=accept)
    assert answer.headers[TRUNCATED] == "true"
    count = answer.text.count("<result>") if "xml" in accept else len(answer.text.splitlines())
    assert count == rows


def test_triples_are_capped(gateway: str, client: httpx.Client) -> None:
    """A CONSTRUCT past the cap comes back with the cap's number of triples, flagged."""
    answer = _get(client, gateway, "CONSTRUCT WHERE { ?s ?p ?o }", Accept="application/n-triples")
    assert answer.headers[TRUNCATED] == "true"
    assert len(answer.text.splitlines()) == MAX_ROWS


def test_size_limits_give_413(gateway: str, client: httpx.Client) -> None:
    """A query over the size limit, or a body over the body limit, gets 413 with the reason."""
    long_query = "ASK { ?s ?p ?o }" + "#" * MAX_QUERY
    by_get = _get(client, gateway, long_query)
    by_body = client.post(
        gateway + "/query",
        content=long_query,
        headers={"Content-Type": "application/sparql-query"},
    )
    huge_form = client.post(gateway + "/query", data={"query": "ASK {}", "pad": "x" * 20_000})
    assert [by_get.status_code, by_body.status_code, huge_form.status_code] == [413] * 3
    assert "limit" in by_get.text and "limit" in huge_form.text


def test_overrunning_query_gets_503_and_the_worker_is_replaced(
    gateway: str, client: httpx.Client
) -> None:
    """A cartesian ORDER BY gets 503 near the limit, and the next query is answered at once."""
    before = client.get(gateway + "/health").json()["oxigraph"]["restarts"]
    started = time.monotonic()
    answer = _get(client, gateway, CARTESIAN)
    took = time.monotonic() - started
    assert answer.status_code == 503
    # The memory cap may stop it before the time limit does.
    assert re.search(rf"limit of ({LIMIT_S} s|2,048 MiB)", answer.text), answer.text
    assert took < LIMIT_S + 5
    started = time.monotonic()
    fresh = f"# {time.time()}: not a kept answer\nASK {{ ?s ?p <urn:not-there> }}"
    ordinary = _get(client, gateway, fresh)
    assert ordinary.status_code == 200
    assert ordinary.json()["boolean"] is False
    assert time.monotonic() - started < LIMIT_S  # not queued behind the overrunning query
    assert client.get(gateway + "/health").json()["oxigraph"]["restarts"] == before + 1


def test_health(built: tuple[Layout, BuildResult], gateway: str, client: httpx.Client) -> None:
    """GET /health says Oxigraph is up, which store is served, and the versions."""
    layout, _ = built
    answer = client.get(gateway + "/health")
    assert answer.status_code == 200
    doc = answer.json()
    assert doc["status"] == "ok"
    assert doc["oxigraph"]["up"] is True
    assert doc["oxigraph"]["version"].startswith("0.5")
    assert doc["oxigraph"]["network"] in (False, True)  # False where namespaces are allowed
    assert doc["store"] == str(layout.store)
    assert doc["version"]


def test_query_page_is_lexgraphs_own_and_needs_no_network(
    gateway: str, client: httpx.Client
) -> None:
    """The query page at / is lexgraph's: the project's prefixes, every library question as an
    example, a link to the ontology's documentation, no update form, its script from the layer."""
    page = client.get(gateway + "/").text
    assert (
        "http://" not in page.replace("http://HOST:PORT", "").replace("PREFIX", "")
        or "<https://w3id.org/lexgraph/ontology#>" in page
    )
    assert "<title>lexgraph SPARQL endpoint</title>" in page
    assert "PREFIX lex: &lt;https://w3id.org/lexgraph/ontology#&gt;" in page
    assert 'href="ontology"' in page and "update" not in page.split("<form")[1].split("</form>")[0]
    examples = json.loads(
        page.split('id="examples">', 1)[1].split("</script>", 1)[0].replace("<\\/", "</")
    )
    assert "instruments-providing-modality" in examples
    assert "VALUES (?modality)" in examples["instruments-providing-modality"]
    assert "script-src 'self'" in page and "<script>" not in page
    for asset in ("assets/query.js", "assets/query.css"):
        response = client.get(f"{gateway}/{asset}")
        assert response.status_code == 200 and len(response.content) > 500
    answer = client.post(
        gateway + "/query",
        data={"query": examples["instruments-providing-modality"]},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert answer.status_code == 200 and answer.json()["results"]["bindings"]


def test_cors(gateway: str, client: httpx.Client) -> None:
    """A browser page from elsewhere may query the endpoint (CORS), preflight included."""
    answer = _get(client, gateway, "ASK {}", Origin="https://example.org")
    assert answer.headers["access-control-allow-origin"] == "*"
    preflight = client.options(
        gateway + "/query",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200


def test_access_log_line(
    gateway: str, client: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    """Each request gives one access-log line with client, method, path, status and duration."""
    caplog.set_level(logging.INFO, logger="lexgraph.access")
    _get(client, gateway, "ASK {}")
    time.sleep(0.1)
    lines = [r.getMessage() for r in caplog.records if r.name == "lexgraph.access"]
    assert any(line.startswith('127.0.0.1 "GET /query" 200 ') for line in lines)
    assert all("ASK" not in line for line in lines)  # the query itself is not logged


# ---------------------------------------------------------------------------------------------
# Rate limits


def test_rate_limit_gives_429_with_retry_after(
    built: tuple[Layout, BuildResult], client: httpx.Client
) -> None:
    """Past its error budget a client gets 429 and Retry-After; X-Forwarded-For is not trusted."""
    layout, _ = built
    settings = GatewaySettings(layout.store, port=0, errors_per_minute=1, checkers=1, engines=1)
    with running(settings) as url:
        codes = []
        for n in range(3):
            answer = client.get(
                url + "/query",
                params={"query": "SELECT nonsense"},
                headers={"X-Forwarded-For": f"198.51.100.{n}"},
            )
            codes.append(answer.status_code)
        assert codes == [400, 400, 429]  # a burst of two errors, then the budget is spent
        assert int(answer.headers["Retry-After"]) >= 1
        assert "retry after" in answer.text


def test_forwarded_for_is_used_when_the_proxy_is_trusted(
    built: tuple[Layout, BuildResult], client: httpx.Client
) -> None:
    """With --trust-proxy 127.0.0.1 each X-Forwarded-For address has a budget of its own."""
    layout, _ = built
    settings = GatewaySettings(
        layout.store, port=0, errors_per_minute=1, checkers=1, engines=1, trust_proxy=("127.0.0.1",)
    )
    with running(settings) as url:
        codes = [
            client.get(
                url + "/query",
                params={"query": "SELECT nonsense"},
                headers={"X-Forwarded-For": f"198.51.100.{n}"},
            ).status_code
            for n in range(4)
        ]
    assert codes == [400] * 4


# ---------------------------------------------------------------------------------------------
# lexgraph serve, as a user runs it


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _rebuild(build: Path) -> str:
    """Do to ``build/`` what `lexgraph build` does: switch in a new generation, prune the rest."""
    from lexgraph.store.build import _prune, _switch

    current = (build / "current").resolve()
    fresh = build / ".gen" / f"rebuilt-{time.monotonic_ns()}"
    shutil.copytree(current, fresh)
    _switch(build, fresh)
    _prune(build, fresh)
    return fresh.name


def test_serve_keeps_its_build_through_rebuilds_reloads_on_sighup_and_stops_on_sigterm(
    built: tuple[Layout, BuildResult], tmp_path: Path
) -> None:
    """Two builds while serving change nothing (time limit included) until SIGHUP; SIGTERM stops
    the layer and every engine and checker process with it."""
    layout, _ = built
    root = tmp_path / "project"
    root.mkdir()
    shutil.copytree(layout.build, root / "build", symlinks=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [
            *(str(Path(sys.executable).parent / "lexgraph"), "serve", "--port", str(port)),
            *("--timeout", "2", "--memory-limit", "1024", "--engines", "2"),
        ],
        env={**os.environ, "LEXGRAPH_ROOT": str(root)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert f"{base}/query" in process.stdout.readline()
        first = httpx.get(base + "/health", timeout=30).json()["generation"]
        assert first["current"] is True
        _rebuild(root / "build")
        newest = _rebuild(root / "build")  # the generation served at start is pruned now
        assert not (root / "build" / ".gen" / first["id"]).exists()
        overrun = httpx.get(base + "/query", params={"query": CARTESIAN}, timeout=30)
        assert overrun.status_code == 503 and re.search(r"limit of (2 s|1,024 MiB)", overrun.text)
        answer = httpx.get(base + "/query", params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
        assert json.loads(answer.text)["boolean"] is True
        health = httpx.get(base + "/health", timeout=30).json()
        assert health["status"] == "ok"
        assert health["generation"]["id"] == first["id"]
        assert health["generation"]["current"] is False  # a newer build waits for SIGHUP
        children = _children(process.pid)
        assert children
        process.send_signal(signal.SIGHUP)
        for _ in range(100):
            health = httpx.get(base + "/health", timeout=30).json()
            if health["generation"]["id"] == newest:
                break
            time.sleep(0.1)
        assert health["generation"] == {**health["generation"], "id": newest, "current": True}
        answer = httpx.get(base + "/query", params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
        assert json.loads(answer.text)["boolean"] is True
        children += _children(process.pid)
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "stopped" in out
    assert '"GET /query" 200' in err  # the access log
    assert not [c for c in children if Path(f"/proc/{c}").exists()]


def test_repeated_query_is_answered_from_the_kept_answers(
    gateway: str, client: httpx.Client
) -> None:
    """The same query twice gets the same answer, the second time without Oxigraph's work."""
    text = f"# {time.time()}\nSELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o }}"
    first = _get(client, gateway, text)
    second = _get(client, gateway, text)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content


def test_query_parameter_must_be_single(gateway: str, client: httpx.Client) -> None:
    """Two query parameters are refused rather than one of them chosen."""
    url = gateway + "/query?" + urllib.parse.urlencode([("query", "ASK {}"), ("query", "ASK {}")])
    assert client.get(url).status_code == 400


def test_from_selects_the_graph_it_names(gateway: str, client: httpx.Client) -> None:
    """FROM <a source graph> reads that graph alone, not the union standing in for it."""
    graph = "https://w3id.org/lexgraph/source/graph/instruments/untoc.ttl"
    count = "SELECT (COUNT(*) AS ?n) {from} WHERE {{ {pattern} }}"

    def n(text: str) -> int:
        answer = _get(client, gateway, text)
        assert answer.status_code == 200, answer.text
        return int(answer.json()["results"]["bindings"][0]["n"]["value"])

    union = n(count.format(**{"from": "", "pattern": "?s ?p ?o"}))
    alone = n(count.format(**{"from": f"FROM <{graph}>", "pattern": "?s ?p ?o"}))
    named = n(count.format(**{"from": "", "pattern": f"GRAPH <{graph}> {{ ?s ?p ?o }}"}))
    assert 0 < alone == named < union


def test_reload_on_build_follows_a_new_build(
    built: tuple[Layout, BuildResult], tmp_path: Path
) -> None:
    """With reload_on_build, the layer serves a new build soon after it is switched in."""
    layout, _ = built
    build = tmp_path / "build"
    shutil.copytree(layout.build, build, symlinks=True)
    settings = GatewaySettings(build / "store", port=0, engines=1, checkers=1, reload_on_build=True)
    with running(settings) as url, httpx.Client(timeout=30) as client:
        first = client.get(url + "/health").json()["generation"]["id"]
        newest = _rebuild(build)
        for _ in range(100):
            generation = client.get(url + "/health").json()["generation"]
            if generation["id"] != first:
                break
            time.sleep(0.1)
        assert generation["id"] == newest and generation["current"] is True
        assert generation["reloads"] == 1
        assert _get(client, url, "ASK { ?s ?p ?o }").json()["boolean"] is True
