"""`lexgraph serve` under attack: SERVICE hidden in a prefixed name, a memory bomb, slow
headers, a client that queues more than its share, a client table that only grows.

Each attack is first shown to work where nothing stops it (the raw engine fetches from a
loopback listener), then shown to be stopped. Servers bind 127.0.0.1, run under memory caps,
and are stopped; nothing reaches the internet.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import Iterator

import httpx
import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run_in_thread  # type: ignore[import-not-found]
from lexgraph.core.paths import Layout
from lexgraph.serve.policy import RateLimiter
from lexgraph.serve.run import running
from lexgraph.serve.settings import GatewaySettings
from lexgraph.serve.workers import Busy, FairPool
from lexgraph.store.build import BuildResult
from lexgraph.untrusted.free import free_query
from lexgraph.untrusted.gate import QueryRefused, check_query
from lexgraph.untrusted.sandbox import MIN_MEMORY_BYTES, Worker
from listener import Listener

#: The attack of issue 15: Oxigraph reads `ex:<local>.SERVICE:sparql {..}` as a prefixed name
#: ending at the second dot, then `SERVICE :sparql {..}`; rdflib reads one prefixed name.
ATTACK = (
    "PREFIX ex: <https://> PREFIX : <{base}/> SELECT * WHERE {{ ?s ?p "
    "ex:w3id.org\\/lexgraph\\/id\\/state\\/JPN.SERVICE:sparql {{ ?x ?y ?z }} }}"
)
JPN = "https://w3id.org/lexgraph/id/state/JPN"
#: A sort of every pair of triples: memory without bound, and a text the check passes at once.
BOMB = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?d"


def _store() -> ox.Store:
    """A store where `?s ?p ex:...JPN` and `?s ?p ex:a.b` match, so that a SERVICE after runs."""
    store = ox.Store()
    node = ox.NamedNode("urn:x")
    for target in (JPN, "https://a.b", "urn:x"):
        store.add(ox.Quad(node, node, ox.NamedNode(target)))
    return store


def _run_raw(store: ox.Store, text: str) -> None:
    with contextlib.suppress(OSError, SyntaxError):
        answer = store.query(text)
        if not isinstance(answer, ox.QueryBoolean):
            list(answer)


def test_the_prefixed_name_attack_fetches_on_the_raw_engine(listener: Listener) -> None:
    """Unchecked, Oxigraph reads a SERVICE out of the prefixed name and connects."""
    _run_raw(_store(), ATTACK.format(base=listener.url.rsplit("/", 1)[0]))
    time.sleep(0.05)
    assert listener.connections >= 1


def test_the_prefixed_name_attack_is_refused_by_every_path(listener: Listener) -> None:
    """The check, free_query on a store and free_query in a child all refuse it, unconnected."""
    text = ATTACK.format(base=listener.url.rsplit("/", 1)[0])
    with pytest.raises(QueryRefused, match="SERVICE"):
        check_query(text)
    with pytest.raises(QueryRefused, match="SERVICE"):
        free_query(text, store=_store())
    assert listener.connections == 0


def test_engine_children_have_no_network_where_the_system_allows() -> None:
    """An engine child cannot open even a loopback connection (unless namespaces are denied)."""
    confined = Worker(memory_bytes=MIN_MEMORY_BYTES, quiet=True)
    free = Worker(memory_bytes=MIN_MEMORY_BYTES, isolate_network=False, quiet=True)
    try:
        assert free.call(("network",), 30) is True
        reachable = confined.call(("network",), 30)
    finally:
        confined.close()
        free.close()
    if reachable:
        pytest.skip("this system does not allow unprivileged network namespaces")
    assert reachable is False


def _cased(word: str) -> st.SearchStrategy[str]:
    return st.lists(st.booleans(), min_size=len(word), max_size=len(word)).map(
        lambda flips: "".join(c.lower() if f else c for c, f in zip(word, flips, strict=True))
    )


_LOCAL_PART = st.sampled_from(["a", "b", "JPN", "w3id", "org", "x1", "_y", "%41", "é"])
_ESCAPE = st.sampled_from(["\\/", "\\.", "\\-", "\\~", "\\%", "\\:"])
_LOCAL = st.lists(
    st.one_of(_LOCAL_PART, _ESCAPE, st.sampled_from([".", "..", ":"])), min_size=1, max_size=6
).map("".join)
_KEYWORD = st.one_of(_cased("SERVICE"), _cased("SERVICE").map(lambda k: k + " SILENT"))
_FILLER = st.sampled_from(
    ["", " ", ".", "1", '"\\u0022"', "# c\n", "?v", "@en", ";", "ex:", ":", "\\/"]
)


@st.composite
def _queries(draw: st.DrawFn, base: str) -> str:
    """A query mixing prefixed names, escapes, dots, comments and SERVICE in any case."""
    target = draw(st.sampled_from([":sparql", f"<{base}/sparql>", "?svc", ":"]))
    parts = [
        draw(st.sampled_from(["ex:", ":", "ex:a.", "SERVICE:"])),
        draw(_LOCAL),
        draw(_FILLER),
        draw(st.sampled_from(["", ".", "..", " . "])),
        draw(_KEYWORD),
        draw(_FILLER),
        target,
        " { ?x ?y ?z }",
    ]
    body = "".join(parts)
    return f"PREFIX ex: <https://> PREFIX : <{base}/> SELECT * WHERE {{ ?s ?p {body} }}"


@pytest.fixture(scope="module")
def module_listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.sock.close()


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_generated_query_makes_a_request(module_listener: Listener, data: st.DataObject) -> None:
    """Whatever mix of names, escapes, dots and SERVICE spellings: refused, or no connection."""
    base = module_listener.url.rsplit("/", 1)[0]
    text = data.draw(_queries(base))
    before = module_listener.connections
    try:
        check_query(text)
    except QueryRefused:
        return
    _run_raw(_store(), text)
    time.sleep(0.01)
    assert module_listener.connections == before, text


# ---------------------------------------------------------------------------------------------
# The server under a memory bomb, slow headers and a greedy client


@pytest.fixture(scope="module")
def hold(built: tuple[Layout, BuildResult]) -> Iterator[str]:
    """A layer with small engines (512 MiB each), a 1 s header limit, 4 connections a client."""
    layout, _ = built
    settings = GatewaySettings(
        layout.store,
        port=0,
        timeout_s=25,
        engines=2,
        memory_bytes=MIN_MEMORY_BYTES,
        header_timeout_s=1.0,
        max_connections_per_client=4,
        errors_per_minute=600,
    )
    with running(settings) as url:
        yield url


def test_memory_bomb_gets_503_once_and_the_engine_is_replaced(hold: str) -> None:
    """A query over the cap gets one 503 that says memory, one engine restart, never re-sent."""
    with httpx.Client(timeout=60) as client:
        before = client.get(hold + "/health").json()["oxigraph"]
        answer = client.post(
            hold + "/query",
            content=BOMB,
            headers={"Content-Type": "application/sparql-query"},
        )
        assert answer.status_code == 503, answer.text
        assert "memory" in answer.text
        after = client.get(hold + "/health").json()["oxigraph"]
        assert after["out_of_memory"] == before["out_of_memory"] + 1
        assert after["restarts"] == before["restarts"] + 1  # the query was not sent again
        ok = client.get(hold + "/query", params={"query": "ASK { ?s ?p ?o }"})
        assert ok.status_code == 200 and ok.json()["boolean"] is True


def _slow_connection(port: int, address: str) -> socket.socket:
    sock = socket.socket()
    sock.bind((address, 0))
    sock.connect(("127.0.0.1", port))
    sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")  # and never the blank line
    return sock


def _closed(sock: socket.socket, within_s: float) -> bool:
    sock.settimeout(within_s)
    try:
        return sock.recv(1024) == b""
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True


def test_slow_headers_are_cut_and_never_block_a_normal_client(hold: str) -> None:
    """Connections that never finish their headers are closed after 1 s; others are served."""
    port = int(hold.rsplit(":", 1)[1])
    slow = [_slow_connection(port, f"127.0.0.{60 + i}") for i in range(20)]
    try:
        started = time.monotonic()
        with httpx.Client(timeout=10) as client:
            answer = client.get(hold + "/query", params={"query": "ASK { ?s ?p ?o }"})
        assert answer.status_code == 200
        assert time.monotonic() - started < 1.0
        assert all(_closed(sock, 5.0) for sock in slow)
    finally:
        for sock in slow:
            sock.close()


def test_one_address_holds_at_most_its_share_of_connections(hold: str) -> None:
    """A fifth connection from one address is closed at once; a fresh address is served."""
    port = int(hold.rsplit(":", 1)[1])
    held = [_slow_connection(port, "127.0.0.90") for _ in range(4)]
    extra = _slow_connection(port, "127.0.0.90")
    try:
        assert _closed(extra, 0.5)
    finally:
        for sock in [*held, extra]:
            sock.close()


def test_fair_pool_serves_a_newcomer_before_a_greedy_clients_queue() -> None:
    """With one client's queries queued, another's waits for one turn, not for the whole queue."""

    async def scenario() -> list[str]:
        pool: FairPool[int] = FairPool([1, 2])
        order: list[str] = []

        async def use(client: str, seconds: float) -> None:
            item = await pool.acquire(client, 10)
            order.append(client)
            await asyncio.sleep(seconds)
            pool.release(client, item)

        greedy = [asyncio.create_task(use("greedy", 0.05)) for _ in range(8)]
        await asyncio.sleep(0.01)
        newcomer = asyncio.create_task(use("newcomer", 0))
        await asyncio.gather(*greedy, newcomer)
        return order

    order = run_in_thread(lambda: asyncio.run(scenario()))
    assert order.index("newcomer") <= 2  # one greedy query at most before it


def test_fair_pool_tells_a_client_to_come_back_past_its_deadline() -> None:
    """A client that cannot get a worker within its deadline gets Busy, not an endless wait."""

    async def scenario() -> None:
        pool: FairPool[int] = FairPool([1])
        await pool.acquire("a", 1)
        with pytest.raises(Busy):
            await pool.acquire("b", 0.05)
        assert pool.waiting == 0

    run_in_thread(lambda: asyncio.run(scenario()))


def test_rate_limiter_forgets_idle_clients_a_few_per_call() -> None:
    """Clients idle long enough for full budgets are forgotten, without rescanning the table."""
    now = [0.0]
    limits = RateLimiter(clock=lambda: now[0])
    for i in range(1000):
        assert limits.admit(f"10.0.{i // 256}.{i % 256}") is None
        limits.done(f"10.0.{i // 256}.{i % 256}", seconds=0.1, error=False)
    assert len(limits) == 1000
    now[0] += limits.forget_after_s + 1
    limits.admit("192.0.2.1")
    assert len(limits) == 1000 - 2 + 1  # two forgotten by one call: O(1), no rescan
    for _ in range(600):
        limits.admit("192.0.2.1")
        limits.done("192.0.2.1", seconds=0.0, error=False)
    assert len(limits) == 1
