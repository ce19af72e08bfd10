"""Load on ``lexgraph serve``: throughput against Oxigraph alone, a memory bomb, slowloris.

Starts ``lexgraph serve --cache-mb 0`` as a user does (127.0.0.1, an ephemeral port,
``--timeout`` seconds per query, the address space of the whole process tree capped) and two
Oxigraph servers without the layer as baselines: ``oxigraph serve-read-only`` over the on-disk
store, and ``oxigraph serve`` with an in-memory store loaded from the build's TriG (what the
layer's engines hold). Each phase is bounded by a number of queries and a time:

1. **clean**, in ``--rounds`` rounds, each round on the layer then on each baseline, so that
   they share the machine's load: 32 concurrent clients, each from its own loopback address
   (127.0.0.2 to 127.0.0.33, so that each has its own rate-limit budget, as distinct machines
   would), send the library's questions in turn, with no pause, as POST
   ``application/sparql-query``. Every answer must be a 200 whose row count equals the one the
   same question gave alone before the run; anything else counts as an error;
2. **memory bomb**: the clean load on the layer while four more clients each send a query that
   grows the engine without bound (three sorts of every pair of triples, and the 2,000-MINUS
   query of issue 15): their status codes, and the peak resident memory of the layer's
   process tree;
3. **slowloris**: ``--slow`` connections from their own addresses send request headers a line
   a second and never finish, while one normal client asks a question at a time: its latency,
   and how many slow connections the layer cut;
4. **hostile**: the clean load while one more client (127.0.0.200) keeps the cartesian product
   ``SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?d ?g`` running: each one
   gets 503 at the limit and its engine is replaced.

It reports throughput (the layer against each baseline, per round), p50/p99/max latency,
errors, the bomb's and the hostile queries' outcomes, and, as a footnote, what running a
free-form query in a child process (``lexgraph.free_query``) costs against in-process.

    .venv/bin/python bench/bench_load.py                   # prints the Markdown section
    .venv/bin/python bench/bench_load.py --append bench/RESULTS.md

Traffic goes to loopback addresses only, every loop is bounded in count and time, and every
process started has its memory capped.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))  # host.py
CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?d ?g"
#: A sort of every pair of triples (2.3 billion rows): it needs memory without bound, and its
#: text passes the check at once, so that it reaches an engine.
SORT_BOMB = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?d"
JSON_RESULTS = "application/sparql-results+json"


@dataclass(frozen=True)
class Question:
    name: str
    text: str
    rows: int | None  # None for ASK


@dataclass
class Phase:
    """What one phase saw: each library answer's latency, the errors, the hostile outcomes."""

    name: str
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    hostile: list[tuple[int, float]] = field(default_factory=list)
    seconds: float = 0.0
    restarts: int = 0


def _count(body: bytes) -> int | None:
    doc = json.loads(body)
    if "boolean" in doc:
        return None
    return len(doc["results"]["bindings"])


def questions(store: Path) -> list[Question]:
    """The library's questions with their default parameters bound as VALUES, as remote runs."""
    from lexgraph.publish.remote import with_values
    from lexgraph.store.library import read_library
    from lexgraph.store.query import open_store, substitutions

    opened = open_store(store)
    found = []
    for question in read_library(ROOT / "queries" / "questions"):
        text = with_values(question.text, substitutions(opened, question, {}))
        found.append(Question(question.name, text, None))
    return found


async def _ask(http: httpx.AsyncClient, url: str, text: str) -> httpx.Response:
    return await http.post(
        url,
        content=text.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": JSON_RESULTS},
    )


async def expected(url: str, found: list[Question]) -> list[Question]:
    """Each question's row count, asked alone before the load."""
    async with httpx.AsyncClient(timeout=120) as http:
        out = []
        for q in found:
            answer = await _ask(http, url, q.text)
            answer.raise_for_status()
            out.append(Question(q.name, q.text, _count(answer.content)))
        return out


async def run_phase(
    url: str,
    found: list[Question],
    phase: Phase,
    *,
    clients: int,
    max_queries: int,
    max_seconds: float,
    hostile: bool,
) -> None:
    started = time.monotonic()
    stop = asyncio.Event()

    async def client(index: int) -> None:
        transport = httpx.AsyncHTTPTransport(local_address=f"127.0.0.{2 + index}")
        async with httpx.AsyncClient(transport=transport, timeout=120) as http:
            turn = index
            while not stop.is_set():
                q = found[turn % len(found)]
                turn += 1
                sent = time.perf_counter()
                try:
                    answer = await _ask(http, url, q.text)
                    if answer.status_code != 200:
                        problem = f"{q.name}: HTTP {answer.status_code} {answer.text[:80]}"
                    elif _count(answer.content) != q.rows:
                        problem = f"{q.name}: {_count(answer.content)} rows, not {q.rows}"
                    else:
                        problem = ""
                except (httpx.HTTPError, ValueError, KeyError) as exc:
                    problem = f"{q.name}: {exc!r}"
                phase.latencies.append(time.perf_counter() - sent)
                if problem:
                    phase.errors.append(problem)
                done = len(phase.latencies)
                if done >= max_queries or time.monotonic() - started >= max_seconds:
                    stop.set()

    async def attacker() -> None:
        transport = httpx.AsyncHTTPTransport(local_address="127.0.0.200")
        async with httpx.AsyncClient(transport=transport, timeout=300) as http:
            while not stop.is_set():
                sent = time.perf_counter()
                try:
                    answer = await _ask(http, url, CARTESIAN)
                except httpx.HTTPError:
                    continue
                phase.hostile.append((answer.status_code, time.perf_counter() - sent))
                if answer.status_code == 429:
                    wait = float(answer.headers.get("Retry-After", "1"))
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), timeout=wait)

    tasks = [asyncio.create_task(client(i)) for i in range(clients)]
    if hostile:
        tasks.append(asyncio.create_task(attacker()))
    await asyncio.wait_for(stop.wait(), timeout=max_seconds + 60)
    phase.seconds = time.monotonic() - started
    await asyncio.gather(*tasks[:clients])
    for task in tasks[clients:]:
        task.cancel()


def _health(base: str) -> dict[str, object]:
    return dict(httpx.get(base + "/health", timeout=30).json())


def _tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants, read from /proc."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += 1024 * int(
                next(x for x in status.splitlines() if x.startswith("VmRSS")).split()[1]
            )
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total


class PeakRss:
    """Samples a process tree's resident memory every 50 ms in a thread; keeps the peak."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, _tree_rss(self.pid))

    def __enter__(self) -> PeakRss:
        self.peak = _tree_rss(self.pid)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _bomb(minus: int) -> str:
    return "SELECT * WHERE { ?s ?p ?o " + "MINUS{?s ?p ?o}" * minus + "}"


async def bombs(url: str, texts: list[str]) -> list[tuple[int, float, str]]:
    """Send each bomb from its own address at once; each one's status, seconds and message."""

    async def one(index: int, text: str) -> tuple[int, float, str]:
        transport = httpx.AsyncHTTPTransport(local_address=f"127.0.0.{210 + index}")
        async with httpx.AsyncClient(transport=transport, timeout=300) as http:
            sent = time.perf_counter()
            try:
                answer = await _ask(http, url, text)
            except httpx.HTTPError as exc:
                return 0, time.perf_counter() - sent, repr(exc)
            return answer.status_code, time.perf_counter() - sent, answer.text.strip()[:90]

    return list(await asyncio.gather(*(one(i, t) for i, t in enumerate(texts))))


@dataclass
class Slowloris:
    """What the normal client saw while slow connections held on, and what became of them."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    opened: int = 0
    cut: int = 0
    seconds: float = 0.0


def slowloris(base: str, found: list[Question], slow: int, seconds: float) -> Slowloris:
    """``slow`` connections send a header line a second and never end; one client asks."""
    port = int(base.rsplit(":", 1)[1])
    result = Slowloris()
    socks: list[socket.socket] = []
    for i in range(slow):
        sock = socket.socket()
        try:
            sock.bind((f"127.0.{1 + i // 250}.{1 + i % 250}", 0))
            sock.connect(("127.0.0.1", port))
            sock.sendall(b"POST /query HTTP/1.1\r\nHost: x\r\n")
        except OSError:
            sock.close()
            continue
        sock.setblocking(False)
        socks.append(sock)
    result.opened = len(socks)
    started = time.monotonic()
    last_drip = started
    closed: set[int] = set()
    with httpx.Client(timeout=60) as http:
        turn = 0
        while time.monotonic() - started < seconds:
            q = found[turn % len(found)]
            turn += 1
            sent = time.perf_counter()
            try:
                answer = http.post(
                    base + "/query",
                    content=q.text.encode(),
                    headers={"Content-Type": "application/sparql-query", "Accept": JSON_RESULTS},
                )
                if answer.status_code != 200 or _count(answer.content) != q.rows:
                    result.errors.append(f"{q.name}: HTTP {answer.status_code}")
            except httpx.HTTPError as exc:
                result.errors.append(f"{q.name}: {exc!r}")
            result.latencies.append(time.perf_counter() - sent)
            if time.monotonic() - last_drip >= 1.0:
                last_drip = time.monotonic()
                for index, sock in enumerate(socks):
                    if index in closed:
                        continue
                    try:
                        if sock.recv(1) == b"":
                            closed.add(index)
                            continue
                    except BlockingIOError:
                        pass
                    except OSError:
                        closed.add(index)
                        continue
                    try:
                        sock.send(b"X-Slow: 1\r\n")
                    except OSError:
                        closed.add(index)
    for sock in socks:
        sock.close()
    result.cut = len(closed)
    result.seconds = time.monotonic() - started
    return result


def isolation_overhead(store: Path, reps: int) -> tuple[float, float]:
    """Median seconds of one small free-form query: in a child process, and in-process."""
    from lexgraph.store.query import execute, open_store
    from lexgraph.untrusted.free import free_query

    text = "ASK { <https://w3id.org/lexgraph/id/instrument/untoc> ?p ?o }"
    child = []
    for _ in range(reps):
        sent = time.perf_counter()
        free_query(text, location=store)
        child.append(time.perf_counter() - sent)
    opened = open_store(store)
    inside = []
    for _ in range(reps):
        sent = time.perf_counter()
        execute(opened, text)
        inside.append(time.perf_counter() - sent)
    return statistics.median(child), statistics.median(inside)


def _ms(seconds: float) -> str:
    return f"{1000 * seconds:.1f}"


def _row(phase: Phase) -> str:
    lat = sorted(phase.latencies)
    p50 = statistics.median(lat)
    p99 = lat[min(len(lat) - 1, int(0.99 * len(lat)))]
    return (
        f"| {phase.name} | {len(lat):,} | {len(phase.errors)} | {phase.seconds:.1f} s | "
        f"{len(lat) / phase.seconds:.0f} | {_ms(p50)} | {_ms(p99)} | {_ms(lat[-1])} | "
        f"{phase.restarts} |"
    )


def _hostile_line(phase: Phase, limit: int) -> str:
    codes: dict[int, int] = {}
    for code, _ in phase.hostile:
        codes[code] = codes.get(code, 0) + 1
    stopped = [s for code, s in phase.hostile if code == 503]
    told = ", ".join(f"{n} x {code}" for code, n in sorted(codes.items()))
    when = f" (503 after {min(stopped):.1f} to {max(stopped):.1f} s)" if stopped else ""
    return (
        f"- {phase.name}: {len(phase.hostile)} hostile queries, answered {told}{when}; "
        f"{phase.restarts} Oxigraph restarts; the slowest library answer took "
        f"{_ms(max(phase.latencies))} ms, against a limit of {limit} s."
    )


def _ms(seconds: float) -> str:
    return f"{1000 * seconds:.1f}"


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _row(phase: Phase) -> str:
    lat = phase.latencies
    return (
        f"| {phase.name} | {len(lat):,} | {len(phase.errors)} | {phase.seconds:.1f} s | "
        f"{len(lat) / phase.seconds:.0f} | {_ms(_p(lat, 0.5))} | {_ms(_p(lat, 0.99))} | "
        f"{_ms(max(lat))} | {phase.restarts} |"
    )


def _rate(phase: Phase) -> float:
    return len(phase.latencies) / phase.seconds


@dataclass
class Run:
    """Everything one run measured."""

    clean: list[Phase] = field(default_factory=list)
    bomb: Phase | None = None
    bomb_answers: list[tuple[int, float, str]] = field(default_factory=list)
    bomb_rss: tuple[int, int] = (0, 0)
    bomb_cap: int = 0
    slow: Slowloris | None = None
    hostile: Phase | None = None


def report(run: Run, args: argparse.Namespace, overhead: tuple[float, float]) -> str:
    from host import machine

    info = machine()
    load = os.getloadavg()
    where = (
        f"{info['cpu']}, {info['cores']} cores, Python {info['python']}, {info['system']}; "
        f"load average {load[0]:.1f} at the end (the machine is shared with other jobs)"
    )
    command = " ".join([".venv/bin/python", "bench/bench_load.py", *args.argv])
    lines = [
        "",
        "## Load (issue 15)",
        "",
        f"`lexgraph serve --timeout {args.timeout} --cache-mb 0` on 127.0.0.1 (engines: child "
        "processes holding an in-memory copy of the build, one query each at a time), against "
        "Oxigraph alone on the same questions in the same run: `oxigraph serve-read-only` over "
        "the on-disk store, and `oxigraph serve` with an in-memory store loaded from the same "
        f"TriG. {args.clients} concurrent clients, each from its own loopback address, send the "
        "library's questions in turn with no pause (default parameters, bound as a VALUES "
        f"block), bounded at {args.queries:,} queries or {args.seconds:.0f} s per phase; the "
        "rounds alternate the three servers so that they share the machine's load. Every answer "
        "is checked: status 200 and the row count the question gave alone. The load generator "
        f"shares the cores with the servers. Command: `{command}`. Machine: {where}.",
        "",
        "| phase | queries | errors | time | queries/s | p50 ms | p99 ms | max ms | restarts |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        *(_row(p) for p in run.clean),
        *(_row(p) for p in (run.bomb, run.hostile) if p is not None),
        "",
    ]
    layer = [p for p in run.clean if p.name.startswith("lexgraph")]
    for label in ("on-disk", "in-memory"):
        base = [p for p in run.clean if label in p.name]
        if layer and base:
            ratios = [_rate(a) / _rate(b) for a, b in zip(layer, base, strict=False)]
            total = sum(map(_rate, layer)) / sum(map(_rate, base))
            lines.append(
                f"- Throughput of the layer against Oxigraph alone ({label} store): "
                + ", ".join(f"{r:.0%}" for r in ratios)
                + f" by round, {total:.0%} over all rounds (target: at least 90%)."
            )
    if run.bomb is not None:
        told = "; ".join(
            f"{code} after {secs:.1f} s ({text})" for code, secs, text in run.bomb_answers
        )
        lines.append(
            f"- Memory bomb: {len(run.bomb_answers)} bombs at once from four addresses (three "
            f"`{SORT_BOMB}`, and the 2,000-MINUS query of issue 15) answered {told}. "
            "Peak resident memory of the layer's process tree "
            f"{run.bomb_rss[1] / 2**20:,.0f} MiB (at rest {run.bomb_rss[0] / 2**20:,.0f} MiB), "
            f"each engine capped at {run.bomb_cap / 2**20:,.0f} MiB; "
            f"{len(run.bomb.errors)} errors among the {len(run.bomb.latencies):,} library "
            f"answers meanwhile."
        )
    if run.slow is not None and run.slow.latencies:
        slow = run.slow
        lines.append(
            f"- Slowloris: {slow.opened} connections sent a header line a second and never "
            f"finished; the layer cut {slow.cut} of them within the {slow.seconds:.0f} s of the "
            f"phase. One normal client meanwhile asked {len(slow.latencies)} questions, one at "
            f"a time: p50 {_ms(_p(slow.latencies, 0.5))} ms, p99 {_ms(_p(slow.latencies, 0.99))} "
            f"ms, max {_ms(max(slow.latencies))} ms, {len(slow.errors)} errors."
        )
    if run.hostile is not None:
        lines.append(_hostile_line(run.hostile, args.timeout))
    lines += [
        "",
        f"Running a free-form query in a child process (`free_query(text)`, killed at its "
        f"deadline) costs {_ms(overhead[0])} ms for a one-triple ASK, against "
        f"{_ms(overhead[1])} ms in-process (median of {args.reps}).",
        "",
    ]
    phases = [*run.clean, *(p for p in (run.bomb, run.hostile) if p is not None)]
    errors = [f"- {p.name} error: {e}" for p in phases for e in p.errors[:5]]
    return "\n".join(lines[:-1] + errors + lines[-1:])


def _hostile_line(phase: Phase, limit: int) -> str:
    codes: dict[int, int] = {}
    for code, _ in phase.hostile:
        codes[code] = codes.get(code, 0) + 1
    stopped = [s for code, s in phase.hostile if code == 503]
    told = ", ".join(f"{n} x {code}" for code, n in sorted(codes.items()))
    when = f" (503 after {min(stopped):.1f} to {max(stopped):.1f} s)" if stopped else ""
    return (
        f"- {phase.name}: {len(phase.hostile)} hostile queries, answered {told}{when}; "
        f"{phase.restarts} engine restarts; the slowest library answer took "
        f"{_ms(max(phase.latencies))} ms, against a limit of {limit} s."
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    p.add_argument("--clients", type=int, default=32)
    p.add_argument("--queries", type=int, default=6_000, help="per phase, at most")
    p.add_argument("--seconds", type=float, default=30.0, help="per phase, at most")
    p.add_argument("--rounds", type=int, default=3, help="of the clean phase on each server")
    p.add_argument("--timeout", type=int, default=10, help="the server's --timeout")
    p.add_argument("--memory-limit", type=int, default=512, help="the server's, in MiB")
    p.add_argument("--engines", type=int, default=0, help="the server's (0: its default)")
    p.add_argument("--slow", type=int, default=200, help="slowloris connections")
    p.add_argument("--reps", type=int, default=15, help="of the isolation-overhead query")
    p.add_argument("--no-hostile", dest="hostile", action="store_false")
    p.add_argument("--append", type=Path, help="append the Markdown section to this file")
    args = p.parse_args(argv)
    args.argv = list(argv if argv is not None else sys.argv[1:])
    return args


#: The address space of each process tree started here (the layer's engines cap their own).
TREE_CAP = 6 * 1024**3


def _cap_tree() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (TREE_CAP, TREE_CAP))


def start_layer(args: argparse.Namespace) -> tuple[subprocess.Popen[str], str]:
    from lexgraph.serve.oxigraph import free_port

    port = free_port()
    command = [
        str(Path(sys.executable).parent / "lexgraph"),
        "serve",
        *("--port", str(port), "--timeout", str(args.timeout), "--cache-mb", "0"),
        *("--memory-limit", str(args.memory_limit)),
        *(("--engines", str(args.engines)) if args.engines else ()),
    ]
    # The access log (one line per query) goes nowhere.
    server = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        preexec_fn=_cap_tree,
    )
    assert server.stdout is not None
    server.stdout.readline()  # the URL, once the server answers
    return server, f"http://127.0.0.1:{port}"


def start_memory_oxigraph(args: argparse.Namespace, trig: Path) -> tuple[object, str]:
    from lexgraph.serve.oxigraph import ServerConfig, free_port, start

    config = ServerConfig(
        None, port=free_port(), read_only=False, timeout_s=args.timeout, memory_bytes=TREE_CAP
    )
    process = start(config)
    answer = httpx.post(
        config.url + "/store",
        content=trig.read_bytes(),
        headers={"Content-Type": "application/trig"},
        timeout=120,
    )
    answer.raise_for_status()
    return process, config.url


def clean(url: str, found: list[Question], name: str, args: argparse.Namespace) -> Phase:
    phase = Phase(name)
    asyncio.run(
        run_phase(
            url + "/query",
            found,
            phase,
            clients=args.clients,
            max_queries=args.queries,
            max_seconds=args.seconds,
            hostile=False,
        )
    )
    print(_row(phase), file=sys.stderr)
    return phase


def restarts(base: str) -> int:
    found = _health(base)["oxigraph"]
    assert isinstance(found, dict)
    return int(found["restarts"])


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    from lexgraph.core.paths import Layout
    from lexgraph.serve.oxigraph import ServerConfig, free_port, start, stop

    _cap_tree()  # the load generator too
    # SIGTERM ends the run through the finally blocks, so that no server is left behind.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(143))
    layout = Layout.default()
    store = layout.store
    if not store.exists():
        print(f"no built store at {store}: run `lexgraph build` first", file=sys.stderr)
        return 2
    run = Run()
    layer, base = start_layer(args)
    # Oxigraph's server starts a thread per connection: a 2 GiB address space (the default
    # cap) is too little for 32 connections ("os error 11"), so the baselines get more.
    disk = ServerConfig(
        store.resolve(), port=free_port(), timeout_s=args.timeout, memory_bytes=TREE_CAP
    )
    disk_process = start(disk)
    memory_process, memory_url = start_memory_oxigraph(args, layout.build / "lexgraph.trig")
    try:
        found = asyncio.run(expected(base + "/query", questions(store)))
        for round_ in range(1, args.rounds + 1):
            run.clean.append(clean(base, found, f"lexgraph serve, round {round_}", args))
            run.clean.append(
                clean(disk.url, found, f"Oxigraph alone, on-disk, round {round_}", args)
            )
            run.clean.append(
                clean(memory_url, found, f"Oxigraph alone, in-memory, round {round_}", args)
            )
        # The memory bomb, under the clean load.
        before = restarts(base)
        engines = _health(base)["oxigraph"]
        assert isinstance(engines, dict)
        run.bomb_cap = int(engines["memory_limit_bytes"])
        texts = [SORT_BOMB] * 3 + [_bomb(2000)]
        phase = Phase("lexgraph serve, clean load during the memory bomb")

        async def bomb_phase() -> list[tuple[int, float, str]]:
            load = asyncio.create_task(
                run_phase(
                    base + "/query",
                    found,
                    phase,
                    clients=args.clients,
                    max_queries=args.queries,
                    max_seconds=args.seconds,
                    hostile=False,
                )
            )
            await asyncio.sleep(1)
            told = await bombs(base + "/query", texts)
            await load
            return told

        with PeakRss(layer.pid) as peak:
            rest = peak.peak
            run.bomb_answers = asyncio.run(bomb_phase())
        run.bomb_rss = (rest, peak.peak)
        phase.restarts = restarts(base) - before
        run.bomb = phase
        print(_row(phase), run.bomb_answers, file=sys.stderr)
        run.slow = slowloris(base, found, args.slow, 20.0)
        if args.hostile:
            before = restarts(base)
            phase = Phase("lexgraph serve, hostile")
            asyncio.run(
                run_phase(
                    base + "/query",
                    found,
                    phase,
                    clients=args.clients,
                    max_queries=args.queries,
                    max_seconds=args.seconds,
                    hostile=True,
                )
            )
            phase.restarts = restarts(base) - before
            run.hostile = phase
    finally:
        layer.terminate()
        layer.wait(60)
        stop(disk_process)
        stop(memory_process)  # type: ignore[arg-type]
    section = report(run, args, isolation_overhead(store, args.reps))
    print(section)
    if args.append:
        with args.append.open("a", encoding="utf-8") as out:
            out.write(section)
    phases = [*run.clean, *(p for p in (run.bomb, run.hostile) if p is not None)]
    return 0 if not any(p.errors for p in phases) else 1


if __name__ == "__main__":
    raise SystemExit(main())
