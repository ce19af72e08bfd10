"""Load on ``lexgraph serve``: 32 clients run the question library, with and without a hostile one.

Starts ``lexgraph serve`` as a user does (on 127.0.0.1, an ephemeral port, ``--timeout``
seconds per query) over the built store, then runs two phases, each bounded by a number of
queries and a time (10,000 queries or 120 s, whichever comes first):

1. **clean**: 32 concurrent clients, each from its own loopback address (127.0.0.2 to
   127.0.0.33, so that each has its own rate-limit budget, as distinct machines would), send
   the library's questions in turn, with no pause, as POST ``application/sparql-query``.
   Every answer must be a 200 whose row count equals the one the same question gave alone
   before the run; anything else counts as an error;
2. **hostile**: the same, while one more client (127.0.0.200) keeps the cartesian product
   ``SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?d ?g`` running: each one
   gets 503 at the limit and its Oxigraph process is replaced; the client sends the next one
   at once (or after ``Retry-After``).

It reports throughput, p50/p99/max latency of the library questions, errors, the hostile
queries' outcomes and the Oxigraph restarts, and, as a footnote, what running a free-form
query in a child process (``lexgraph.free_query``) costs against running it in-process.

    .venv/bin/python bench/bench_load.py                   # prints the Markdown section
    .venv/bin/python bench/bench_load.py --append bench/RESULTS.md

Traffic goes to loopback addresses only, and every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?d ?g"
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


def report(phases: list[Phase], args: argparse.Namespace, overhead: tuple[float, float]) -> str:
    load = os.getloadavg()
    machine = (
        f"{os.cpu_count()} cores ({platform.processor() or platform.machine()}), "
        f"Python {platform.python_version()}, load average {load[0]:.1f} at the end "
        "(the machine is shared with other jobs)"
    )
    command = " ".join([".venv/bin/python", "bench/bench_load.py", *args.argv])
    lines = [
        "",
        "## Load",
        "",
        f"`lexgraph serve --timeout {args.timeout}` on 127.0.0.1 over the built store, run "
        "once keeping whole answers for repeated queries (`--cache-mb 64`, the default) and "
        f"once not (`--cache-mb 0`). {args.clients} concurrent clients, each from its own "
        "loopback address (so each has its own rate-limit budget), send the library's "
        "questions in turn with no pause (default parameters, bound as a VALUES block), "
        f"bounded at {args.queries:,} queries or {args.seconds:.0f} s per phase. Every answer "
        "is checked: status 200 and the row count the question gave alone. In the hostile "
        "phase one more client keeps the cartesian-product `ORDER BY` running: each gets 503 "
        "at the limit and replaces the Oxigraph process. The last row is the clean phase "
        "sent straight to an Oxigraph server, without the layer, for comparison. The load "
        "generator shares the 2 "
        f"cores with the server. Command: `{command}`. Machine: {machine}.",
        "",
        "| phase | queries | errors | time | queries/s | p50 ms | p99 ms | max ms | restarts |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        *(_row(p) for p in phases),
        "",
        *(_hostile_line(p, args.timeout) for p in phases if p.hostile),
        "",
        f"Running a free-form query in a child process (`free_query(text)`, killed at its "
        f"deadline) costs {_ms(overhead[0])} ms for a one-triple ASK, against "
        f"{_ms(overhead[1])} ms in-process (median of {args.reps}): the start of a Python "
        "that imports pyoxigraph and opens the store. Library questions stay in-process.",
        "",
    ]
    errors = [f"- {p.name} error: {e}" for p in phases for e in p.errors[:5]]
    return "\n".join(lines[:-1] + errors + lines[-1:])


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    p.add_argument("--clients", type=int, default=32)
    p.add_argument("--queries", type=int, default=10_000, help="per phase, at most")
    p.add_argument("--seconds", type=float, default=120.0, help="per phase, at most")
    p.add_argument("--timeout", type=int, default=10, help="the server's --timeout")
    p.add_argument("--reps", type=int, default=15, help="of the isolation-overhead query")
    p.add_argument(
        "--cache-mb",
        type=lambda text: [int(x) for x in text.split(",")],
        default=[64, 0],
        help="the server's --cache-mb, one run per value (default: 64,0)",
    )
    p.add_argument(
        "--no-baseline",
        dest="baseline",
        action="store_false",
        help="skip the clean phase against Oxigraph alone",
    )
    p.add_argument("--append", type=Path, help="append the Markdown section to this file")
    args = p.parse_args(argv)
    args.argv = list(argv if argv is not None else sys.argv[1:])
    return args


def serve_and_load(args: argparse.Namespace, store: Path, cache_mb: int) -> list[Phase]:
    """Start `lexgraph serve --cache-mb N`, run the clean and the hostile phase, stop it."""
    from lexgraph.serve.oxigraph import free_port

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [
        str(Path(sys.executable).parent / "lexgraph"),
        "serve",
        "--port",
        str(port),
        "--timeout",
        str(args.timeout),
        "--cache-mb",
        str(cache_mb),
    ]
    # The access log (one line per query) goes nowhere.
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    label = "answers kept" if cache_mb else "no answers kept"
    phases = []
    try:
        assert server.stdout is not None
        server.stdout.readline()  # the URL, once the server answers
        found = asyncio.run(expected(base + "/query", questions(store)))
        for name, hostile in (("clean", False), ("hostile", True)):
            before = _health(base)["oxigraph"]
            phase = Phase(f"{name}, {label}")
            asyncio.run(
                run_phase(
                    base + "/query",
                    found,
                    phase,
                    clients=args.clients,
                    max_queries=args.queries,
                    max_seconds=args.seconds,
                    hostile=hostile,
                )
            )
            after = _health(base)["oxigraph"]
            assert isinstance(before, dict) and isinstance(after, dict)
            phase.restarts = int(after["restarts"]) - int(before["restarts"])
            phases.append(phase)
            print(_row(phase), file=sys.stderr)
    finally:
        server.terminate()
        server.wait(60)
    return phases


def oxigraph_alone(args: argparse.Namespace, store: Path) -> Phase:
    """The clean phase straight against an Oxigraph server, without the layer: the baseline."""
    from lexgraph.serve.oxigraph import ServerConfig, free_port, start, stop

    config = ServerConfig(store.resolve(), port=free_port(), timeout_s=args.timeout)
    process = start(config)
    try:
        found = asyncio.run(expected(config.url + "/query", questions(store)))
        phase = Phase("clean, Oxigraph alone (no layer)")
        asyncio.run(
            run_phase(
                config.url + "/query",
                found,
                phase,
                clients=args.clients,
                max_queries=args.queries,
                max_seconds=args.seconds,
                hostile=False,
            )
        )
    finally:
        stop(process)
    print(_row(phase), file=sys.stderr)
    return phase


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    from lexgraph.core.paths import Layout

    store = Layout.default().store
    if not store.exists():
        print(f"no built store at {store}: run `lexgraph build` first", file=sys.stderr)
        return 2
    phases = [p for mb in args.cache_mb for p in serve_and_load(args, store, mb)]
    if args.baseline:
        phases.append(oxigraph_alone(args, store))
    section = report(phases, args, isolation_overhead(store, args.reps))
    print(section)
    if args.append:
        with args.append.open("a", encoding="utf-8") as out:
            out.write(section)
    return 0 if not any(p.errors for p in phases) else 1


if __name__ == "__main__":
    raise SystemExit(main())
