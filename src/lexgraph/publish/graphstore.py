"""Upload the build to a SPARQL 1.1 Graph Store Protocol server, one named graph per source.

Each named graph of the built store (one per source file, plus the inferred graph) is sent
with an HTTP ``PUT`` to ``<graph store>?graph=<graph IRI>``, which replaces that graph and
nothing else, so an interrupted upload converges when it is run again. Afterwards the triple
count of every graph is read back through the query endpoint and compared with the build.
With ``replace``, graphs of lexgraph's source namespace that the server holds but the build
no longer has (a renamed or deleted source file) are deleted, so the server ends up with
exactly the build; without it they are left alone and reported.

Credentials come from the environment (:mod:`lexgraph.publish.remote`), never from the command line.
"""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox

from lexgraph.core.errors import InputError
from lexgraph.core.http import describe_failure
from lexgraph.core.namespaces import SOURCE_GRAPH
from lexgraph.core.progress import Progress
from lexgraph.publish.remote import (
    DEFAULT_TIMEOUT_S,
    RETRIES,
    USER_AGENT,
    Endpoint,
    RemoteError,
    auth_header,
    digest_authorization,
    digest_credentials,
    probe,
    retry_wait,
)
from lexgraph.store.query import python_value


@dataclass(frozen=True)
class PublishResult:
    """What a publication sent, what the server holds afterwards, and what it removed."""

    graphs: int
    triples: int
    removed: tuple[str, ...] = ()
    stale: tuple[str, ...] = ()
    checked: dict[str, int] = field(default_factory=dict)


def default_graph_store(endpoint: str) -> str:
    """Guess the Graph Store URL of an endpoint whose query URL ends in ``/query`` (Oxigraph).

    >>> default_graph_store("http://127.0.0.1:7878/query")
    'http://127.0.0.1:7878/store'
    """
    parts = urllib.parse.urlsplit(endpoint)
    if parts.path.endswith("/query"):
        return urllib.parse.urlunsplit(parts._replace(path=parts.path[: -len("query")] + "store"))
    raise InputError(
        f"cannot tell the Graph Store URL of {endpoint}; give it with --graph-store "
        "(Fuseki: .../<dataset>/data, GraphDB: .../repositories/<id>/rdf-graphs/service, "
        "Virtuoso: .../sparql-graph-crud-auth)"
    )


def local_graphs(store: ox.Store) -> dict[str, list[ox.Triple]]:
    """Return the triples of each named graph of the build, by graph IRI."""
    graphs: dict[str, set[ox.Triple]] = {}
    for quad in store.quads_for_pattern(None, None, None, None):
        if isinstance(quad.graph_name, ox.NamedNode):
            graphs.setdefault(quad.graph_name.value, set()).add(quad.triple)
    return {g: sorted(ts, key=str) for g, ts in sorted(graphs.items())}


def _n_triples(triples: list[ox.Triple]) -> bytes:
    return "".join(f"{t} .\n" for t in triples).encode("utf-8")


def _send(
    method: str,
    url: str,
    body: bytes | None,
    timeout_s: float,
    sleep: Callable[[float], None],
) -> None:
    headers = {"User-Agent": USER_AGENT}
    if body is not None:
        headers["Content-Type"] = "application/n-triples"
    header = auth_header()
    if header:
        headers["Authorization"] = header
    digest = digest_credentials()
    for attempt in range(RETRIES + 1):
        try:
            if digest:
                answer = digest_authorization(method, url, digest, timeout_s)
                if answer:
                    headers["Authorization"] = answer
            request = urllib.request.Request(url, data=body, method=method, headers=headers)
            with urllib.request.urlopen(request, timeout=timeout_s) as response:
                response.read()
            return
        except urllib.error.HTTPError as exc:
            if exc.code == 404 and method == "DELETE":
                return  # already gone: the state wanted
            wait = retry_wait(exc, attempt, RETRIES, f"{method} {url}")
            if wait is None:
                raise RemoteError(describe_failure(exc, url, timeout_s, method)) from None
            sleep(wait)
        except (OSError, http.client.HTTPException) as exc:  # time limit, unreachable, reset
            refusal = _refusal(url, timeout_s) if body is not None else None
            raise RemoteError(describe_failure(refusal or exc, url, timeout_s, method)) from None


def _refusal(url: str, timeout_s: float) -> urllib.error.HTTPError | None:
    """Return the 401 or 403 that a :func:`probe` of ``url`` gets, if it gets one.

    A server that refuses an upload (Virtuoso without credentials) may answer and close before
    the body is sent, and the client then sees only a broken pipe: the probe finds out why.
    """
    try:
        refused = probe(url, timeout_s)
    except (OSError, http.client.HTTPException):
        return None
    return refused if refused is not None and refused.code in (401, 403) else None


def _graph_url(graph_store: str, graph: str) -> str:
    joiner = "&" if "?" in graph_store else "?"
    return f"{graph_store}{joiner}{urllib.parse.urlencode({'graph': graph})}"


COUNT_QUERY = f"""
SELECT ?g (COUNT(*) AS ?n) WHERE {{
  GRAPH ?g {{ ?s ?p ?o }}
  FILTER(STRSTARTS(STR(?g), "{SOURCE_GRAPH}"))
}} GROUP BY ?g
"""


def remote_counts(endpoint: Endpoint) -> dict[str, int]:
    """Return the triple count of each lexgraph source graph the endpoint holds."""
    result = endpoint.query(COUNT_QUERY, "counting the published graphs")
    counts: dict[str, int] = {}
    for graph, count in result.rows:
        value = python_value(count)
        if isinstance(graph, ox.NamedNode) and isinstance(value, int):
            counts[graph.value] = value
    return counts


def publish(
    store: ox.Store,
    endpoint_url: str,
    graph_store: str | None = None,
    *,
    replace: bool = False,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    sleep: Callable[[float], None] | None = None,
    progress: Progress | None = None,
) -> PublishResult:
    """Upload every named graph of ``store`` and check the server's counts against it."""
    pause = sleep or time.sleep
    endpoint = Endpoint(endpoint_url, timeout_s=timeout_s, sleep=pause)
    target = graph_store or default_graph_store(endpoint_url)
    Endpoint(target)  # the same URL checks as the query endpoint
    graphs = local_graphs(store)
    if progress:
        progress.total = len(graphs)
    for graph, triples in graphs.items():
        if progress:
            progress.advance(f"{graph} ({len(triples)} triples)")
        _send("PUT", _graph_url(target, graph), _n_triples(triples), timeout_s, pause)
    if progress:
        progress.done()
    expected = {g: len(ts) for g, ts in graphs.items()}
    counts = remote_counts(endpoint)
    stale = tuple(sorted(set(counts) - set(expected)))
    removed: tuple[str, ...] = ()
    if replace and stale:
        for graph in stale:
            _send("DELETE", _graph_url(target, graph), None, timeout_s, pause)
        removed, stale = stale, ()
        counts = remote_counts(endpoint)
    wrong = {g: (n, counts.get(g, 0)) for g, n in expected.items() if counts.get(g, 0) != n}
    if wrong:
        lines = "; ".join(f"{g}: sent {n}, server has {m}" for g, (n, m) in sorted(wrong.items()))
        raise RemoteError(f"the server's triple counts differ from the build: {lines}")
    leftover = [g for g in removed if g in counts]
    if leftover:
        raise RemoteError(f"the server still holds deleted graphs: {', '.join(leftover)}")
    return PublishResult(
        graphs=len(graphs),
        triples=sum(expected.values()),
        removed=removed,
        stale=stale,
        checked={g: counts[g] for g in expected},
    )
