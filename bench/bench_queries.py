"""Latency of every library question on rdflib, lexgraph and raw pyoxigraph, side by side.

One run measures, at the shipped size and on a synthetic graph of a million triples or more
(:mod:`synthetic`):

- ``lexgraph build`` wall time and peak memory, in a scratch copy of the sources (``build/``
  is not touched; the scratch build's outputs are the "shipped" graph of the run);
- the synthetic graph's generation and load time (bulk load plus the build's inferences);
- per question, median and p90 latency after a warm-up on (a) plain rdflib, an in-memory
  ``Dataset`` with the union as default graph and ``initBindings``; (b) lexgraph,
  ``execute(store, text, substitutions(...))`` on the read-only store, parameter resolution
  included; (c) raw pyoxigraph, ``store.query(text, use_default_graph_as_union=True,
  substitutions=...)`` with bindings resolved beforehand, every row read as a tuple of terms;
  and, as a diagnosis, (d) raw pyoxigraph with the parameters written into the query as
  constants, which shows what binding through ``substitutions`` costs the engine's planner,
  and (e) raw pyoxigraph on an in-memory store loaded from the same file as rdflib;
- peak memory (``ru_maxrss``) of each engine in its own process.

Every engine runs in a worker process that loads the data once and answers the questions in
turn; a run that takes longer than ``--timeout`` seconds is killed (the rdflib worker forks a
child per question, so killing it costs no reload; an Oxigraph worker is killed and
restarted) and reported as a timeout. lexgraph and raw pyoxigraph alternate within one
worker, so that their ratio is not skewed by what else the machine is doing; their memory is
measured again by one short worker each. Each engine gets the query text on every call, so
every latency includes parsing and planning.

    .venv/bin/python bench/bench_queries.py            # or: make bench
    .venv/bin/python bench/bench_queries.py --sizes shipped --reps 5   # a quick look

Results go to ``bench/.work/results.json`` and ``bench/.work/results.md`` (tables for
``bench/RESULTS.md``). The workers import lexgraph and rdflib only where they need them, so
the raw pyoxigraph worker's memory is pyoxigraph's own.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import inspect
import json
import os
import platform
import re
import resource
import select
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / ".work"
#: What `lexgraph build` reads: copied into the scratch tree whose build is timed.
SOURCES = ("ontology", "graph", "queries", "pyproject.toml")
_CLI = "import sys; from lexgraph.cli import main; sys.exit(main())"  # without the script
TARGET_SHIPPED_MS = 10.0
TARGET_LARGE_MS = 200.0
TARGET_FACTOR = 1.3
NONE = "-"  # a cell with nothing to show
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

Json = dict[str, Any]

# ---------------------------------------------------------------------------------------------
# HOOK (issue 5): the legal-basis finder. When `lexgraph.find_basis` exists, every case below
# is timed like a question (lexgraph engine, both sizes) and reported in its own table; when
# it does not, this block is skipped. Edit the cases, or `call_find_basis`, if the finder's
# signature changes. Only states with real ISO codes resolve, so the cases name real ones.
BASIS_CASES: tuple[Json, ...] = (
    {
        "requesting": "JPN",
        "requested": "FRA",
        "crime": "cybercrime",
        "modality": "extradition",
        "on": "2025-01-01",
    },
    {
        "requesting": "ITA",
        "requested": "NGA",
        "crime": "trafficking-in-persons",
        "modality": "mutual-legal-assistance",
        "on": "2025-01-01",
    },
    {
        "requesting": "MEX",
        "requested": "COL",
        "crime": "drug-trafficking",
        "modality": "extradition",
        "on": "2025-01-01",
    },
)


def find_basis_runner(store: ox.Store) -> Callable[[Json], int] | None:
    """Return a function that runs one case through ``lexgraph.find_basis``, or None."""
    import lexgraph

    finder = getattr(lexgraph, "find_basis", None)
    if finder is None:
        return None
    takes_store = "store" in inspect.signature(finder).parameters

    def call_find_basis(case: Json) -> int:
        answer = finder(**case, store=store) if takes_store else finder(**case)
        candidates = getattr(answer, "candidates", answer)
        return len(candidates) if hasattr(candidates, "__len__") else 1

    return call_find_basis


# END OF HOOK ---------------------------------------------------------------------------------


# --------------------------------------------------------------------------- terms and queries


def term_json(term: Any) -> Json:
    """Describe a pyoxigraph term as JSON, for a worker that must rebuild it."""
    if isinstance(term, ox.NamedNode):
        return {"iri": term.value}
    assert isinstance(term, ox.Literal)
    return {"literal": term.value, "datatype": term.datatype.value, "language": term.language}


def ox_term(data: Json) -> ox.NamedNode | ox.Literal:
    if "iri" in data:
        return ox.NamedNode(data["iri"])
    if data.get("language"):
        return ox.Literal(data["literal"], language=data["language"])
    return ox.Literal(data["literal"], datatype=ox.NamedNode(data["datatype"]))


def rdflib_term(data: Json) -> Any:
    from rdflib import Literal, URIRef

    if "iri" in data:
        return URIRef(data["iri"])
    if data.get("language"):
        return Literal(data["literal"], lang=data["language"])
    if data["datatype"] == XSD_STRING:  # rdflib keeps plain and xsd:string literals apart
        return Literal(data["literal"])
    return Literal(data["literal"], datatype=URIRef(data["datatype"]))


def inline(text: str, bindings: Mapping[str, Json]) -> str | None:
    """Write the bindings into the query as constants (a diagnosis only, never for users).

    In the projection ``?x`` becomes ``(<term> AS ?x)``; in the pattern, the term itself; in
    GROUP BY and ORDER BY it is dropped, as a constant neither groups nor orders.
    """
    if not bindings:
        return None
    match = re.search(r"\bSELECT\b(.*?)\bWHERE\b", text, re.S)
    end = text.rfind("}")
    if not match or end < match.end():
        return None
    head, projection = text[: match.start()], match.group(1)
    body, tail = text[match.end() : end + 1], text[end + 1 :]
    for name, data in bindings.items():
        term = str(ox_term(data))
        var = re.compile(rf"\?{re.escape(name)}\b")
        projection = var.sub(f"({term} AS ?{name})", projection)
        body = var.sub(term, body)
        tail = var.sub("", tail)
    return f"{head}SELECT{projection}WHERE{body}{tail}"


@dataclass(frozen=True)
class Question:
    """A library question as the workers get it: text, parameters and resolved bindings."""

    name: str
    path: str
    text: str
    params: dict[str, str]
    bindings: dict[str, Json]
    inlined: str | None


def prepare(store_path: Path, questions_dir: Path) -> list[Question]:
    """Read the library and resolve each question's default parameters on a store."""
    from lexgraph.store.library import read_library
    from lexgraph.store.query import substitutions

    store = ox.Store.read_only(str(store_path))
    out = []
    for q in read_library(questions_dir):
        params = {p.name: p.default for p in q.params if p.default is not None}
        bound = {v.value: term_json(t) for v, t in substitutions(store, q, params).items()}
        out.append(Question(q.name, str(q.path), q.text, params, bound, inline(q.text, bound)))
    return out


# ------------------------------------------------------------------------------------ workers


def _emit(message: Json) -> None:
    # os.write, not print: a forked child must not flush a copy of its parent's buffer.
    os.write(1, (json.dumps(message) + "\n").encode())


def _maxrss_kb(who: int) -> int:
    return resource.getrusage(who).ru_maxrss  # kilobytes on Linux


@dataclass
class Plan:
    """How many runs a question gets: warm-ups, then up to ``reps`` within ``budget_s``."""

    reps: int
    warmup: int
    budget_s: float
    min_reps: int

    def runs(self, first_ms: float) -> tuple[int, int]:
        """Return (further warm-ups, timed runs) once the first warm-up took ``first_ms``."""
        warm = 0 if first_ms > 1000 else max(self.warmup - 1, 0)
        fit = int(self.budget_s * 1000 / max(first_ms, 1e-3))
        return warm, max(self.min_reps, min(self.reps, fit))


def _run_phase(phase: str, engines: Sequence[tuple[str, Callable[[], int]]], plan: Plan) -> None:
    """Run engines in turn (alternating their order), emitting one message per run."""

    def once(engine: str, fn: Callable[[], int], warm: bool) -> float:
        started, cpu = time.perf_counter_ns(), time.process_time_ns()
        rows = fn()
        ms = (time.perf_counter_ns() - started) / 1e6
        cpu_ms = (time.process_time_ns() - cpu) / 1e6
        _emit(
            {"run": phase, "engine": engine, "ms": ms, "cpu_ms": cpu_ms, "rows": rows, "warm": warm}
        )
        return ms

    first = sum(once(e, fn, True) for e, fn in engines)
    warm, reps = plan.runs(first)
    for _ in range(warm):
        for e, fn in engines:
            once(e, fn, True)
    for i in range(reps):
        for e, fn in engines if i % 2 == 0 else reversed(engines):
            once(e, fn, False)


def _open_store(spec: Json, in_memory: bool) -> tuple[ox.Store, float]:
    """Open the read-only on-disk store, or bulk-load the dataset file into memory."""
    started = time.perf_counter()
    if in_memory:
        store = ox.Store()
        fmt = ox.RdfFormat.TRIG if spec["rdflib_format"] == "trig" else ox.RdfFormat.N_QUADS
        store.bulk_load(path=spec["rdflib_source"], format=fmt)
    else:
        store = ox.Store.read_only(spec["store"])
    return store, time.perf_counter() - started


def worker_oxigraph(spec: Json, engines: Sequence[str]) -> None:
    """Answer questions with the lexgraph engine and/or raw pyoxigraph.

    Engines: ``lexgraph``, ``raw`` (both on the read-only store), ``library`` (lexgraph on the
    in-memory copy that the library API uses, :func:`lexgraph.store.memory.memory_store`),
    ``inline`` (raw, the parameters written into the text), ``inmem`` (raw, on an in-memory
    store loaded from the dataset file) and ``basis`` (the find_basis hook).
    """
    store, open_s = _open_store(spec, in_memory="inmem" in engines)
    memory: ox.Store | None = None
    copy_s = None
    if "library" in engines:
        from lexgraph.store.memory import memory_store

        started = time.perf_counter()
        memory = memory_store(Path(spec["store"]))
        copy_s = time.perf_counter() - started
    plan = Plan(**spec["plan"])
    questions = [Question(**q) for q in spec["questions"]]
    if {"lexgraph", "library", "basis"} & set(engines):
        from lexgraph.store.library import read_query
        from lexgraph.store.query import execute, substitutions
    ready = {"ready": True, "pid": os.getpid(), "load_s": open_s, "quads": len(store)}
    _emit({**ready, "memory_copy_s": copy_s})

    def raw(text: str, pre: Mapping[ox.Variable, Any]) -> Callable[[], int]:
        def run() -> int:
            answer = store.query(text, use_default_graph_as_union=True, substitutions=dict(pre))
            # every row read as a tuple of terms: the least a caller does, and what lexgraph does
            return len([tuple(row) for row in answer])  # type: ignore[union-attr]

        return run

    for line in sys.stdin:
        command = json.loads(line)
        if "quit" in command:
            break
        _emit({"start": os.getpid()})
        error = None
        try:
            phase: list[tuple[str, Callable[[], int]]] = []
            if "basis" in command:
                runner = find_basis_runner(store)
                case = BASIS_CASES[command["basis"]]
                if runner is not None:

                    def basis(run: Callable[[Json], int] = runner, case: Json = case) -> int:
                        return run(case)

                    phase.append(("lexgraph", basis))
            else:
                q = questions[command["q"]]
                pre = {ox.Variable(k): ox_term(v) for k, v in q.bindings.items()}
                wanted = {"lexgraph", "library"} & set(engines)
                library_q = read_query(Path(q.path)) if wanted else None
                if "lexgraph" in engines:

                    def lex(q: Question = q, lq: Any = library_q) -> int:
                        return len(execute(store, q.text, substitutions(store, lq, q.params)).rows)

                    phase.append(("lexgraph", lex))
                if memory is not None:

                    def lib(q: Question = q, lq: Any = library_q, m: ox.Store = memory) -> int:
                        return len(execute(m, q.text, substitutions(m, lq, q.params)).rows)

                    phase.append(("library", lib))
                for engine in ("raw", "inmem"):
                    if engine in engines:
                        phase.append((engine, raw(q.text, pre)))
                if "inline" in engines and q.inlined is not None:
                    phase.append(("inline", raw(q.inlined, {})))
            if phase:
                _run_phase("+".join(e for e, _ in phase), phase, plan)
        except Exception as exc:  # reported, so that one broken question does not stop a run
            error = f"{type(exc).__name__}: {exc}"
        _emit({"done": True, "error": error})
    _emit({"bye": True, "maxrss_kb": _maxrss_kb(resource.RUSAGE_SELF)})


def worker_rdflib(spec: Json) -> None:
    """Load the dataset into rdflib once; answer each question in a forked child."""
    import rdflib

    started = time.perf_counter()
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(spec["rdflib_source"], format=spec["rdflib_format"])
    load_s = time.perf_counter() - started
    plan = Plan(**spec["plan"])
    questions = [Question(**q) for q in spec["questions"]]
    _emit(
        {
            "ready": True,
            "pid": os.getpid(),
            "load_s": load_s,
            "quads": len(dataset),
            "rss_after_load_kb": _maxrss_kb(resource.RUSAGE_SELF),
        }
    )
    for line in sys.stdin:
        command = json.loads(line)
        if "quit" in command:
            break
        q = questions[command["q"]]
        bindings = {k: rdflib_term(v) for k, v in q.bindings.items()}
        child = os.fork()
        if child == 0:  # the child: answers, reports, and leaves without cleanup
            code = 0
            try:
                _emit({"start": os.getpid()})

                def run(q: Question = q, bound: Json = bindings) -> int:
                    return len(list(dataset.query(q.text, initBindings=bound)))

                _run_phase("rdflib", [("rdflib", run)], plan)
            except Exception as exc:
                _emit({"failed": f"{type(exc).__name__}: {exc}"})
                code = 1
            os._exit(code)
        _, status = os.waitpid(child, 0)
        killed = os.WIFSIGNALED(status)
        _emit({"done": True, "error": "killed" if killed else None})
    _emit(
        {
            "bye": True,
            "maxrss_kb": _maxrss_kb(resource.RUSAGE_SELF),
            "maxrss_children_kb": _maxrss_kb(resource.RUSAGE_CHILDREN),
        }
    )


def worker_load(spec: Json) -> None:
    """Load the synthetic dataset into a store (and dump it for rdflib)."""
    sys.path.insert(0, str(BENCH))
    from synthetic import load_store

    report = load_store(Path(spec["dataset"]), Path(spec["store"]), Path(spec["dump"]))
    _emit({**dataclasses.asdict(report), "maxrss_kb": _maxrss_kb(resource.RUSAGE_SELF)})


# ------------------------------------------------------------------------- driving the workers


class Timeout(Exception):
    """A worker sent nothing for longer than the time limit."""


class Worker:
    """A worker process, spoken to in JSON lines over its stdin and stdout."""

    def __init__(self, kind: str, spec_path: Path, log: Path) -> None:
        self.kind, self.spec_path, self.log = kind, spec_path, log
        self.buffer = b""
        self.rusage: resource.struct_rusage | None = None
        with log.open("ab") as err:
            self.proc = subprocess.Popen(
                [sys.executable, str(Path(__file__).resolve()), "--worker", kind, str(spec_path)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=err,
                cwd=ROOT,
            )

    def read(self, timeout: float) -> Json:
        """Return the next message; raise :class:`Timeout` after ``timeout`` seconds."""
        assert self.proc.stdout is not None
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Timeout()
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if ready:
                chunk = os.read(self.proc.stdout.fileno(), 1 << 16)
                if not chunk:
                    raise RuntimeError(f"{self.kind} worker died; see {self.log}")
                self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        message: Json = json.loads(line)
        return message

    def send(self, message: Json) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write((json.dumps(message) + "\n").encode())
        self.proc.stdin.flush()

    def reap(self) -> int:
        """Wait for the process and keep its resource usage (for its peak memory)."""
        _, _, self.rusage = os.wait4(self.proc.pid, 0)
        self.proc.returncode = 0
        return self.rusage.ru_maxrss

    def kill(self) -> None:
        self.proc.kill()
        self.reap()


@dataclass
class Samples:
    """The runs of one engine on one question."""

    ms: list[float] = field(default_factory=list)
    warm_ms: list[float] = field(default_factory=list)
    #: This process's CPU time per timed run: what the machine's other load does not inflate.
    cpu_ms: list[float] = field(default_factory=list)
    rows: int | None = None
    status: str = "ok"

    def summary(self) -> Json:
        out: Json = {"status": self.status, "reps": len(self.ms), "rows": self.rows}
        if self.ms:
            ordered = sorted(self.ms)
            out["median_ms"] = statistics.median(ordered)
            out["p90_ms"] = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
            out["min_ms"] = ordered[0]
        if self.cpu_ms:
            out["cpu_median_ms"] = statistics.median(self.cpu_ms)
        elif self.warm_ms:
            out["first_ms"] = self.warm_ms[0]
        return out


def ask(
    worker: Worker, command: Json, engines: Sequence[str], timeout: float
) -> tuple[dict[str, Samples], bool]:
    """Send one command and collect its runs; return them and whether the worker died."""
    samples = {e: Samples() for e in engines}
    worker.send(command)
    runner = worker.proc.pid
    try:
        while True:
            message = worker.read(timeout)
            if "start" in message:
                runner = message["start"]
            elif "run" in message:
                s = samples[message["engine"]]
                (s.warm_ms if message["warm"] else s.ms).append(message["ms"])
                if not message["warm"] and "cpu_ms" in message:
                    s.cpu_ms.append(message["cpu_ms"])
                s.rows = message["rows"]
            elif "failed" in message:
                for s in samples.values():
                    s.status = "error: " + message["failed"]
            elif "done" in message:
                if message["error"]:
                    for s in samples.values():
                        s.status = s.status if s.status != "ok" else "error: " + message["error"]
                return samples, False
    except Timeout:
        for s in samples.values():
            s.status = "timeout"
        if runner == worker.proc.pid:
            worker.kill()
            return samples, True
        os.kill(runner, signal.SIGKILL)  # a forked rdflib child; its worker lives on
        while "done" not in worker.read(timeout):
            pass
        for s in samples.values():
            s.status = "timeout"
        return samples, False


def run_engine(
    kind: str,
    spec_path: Path,
    commands: Sequence[Json],
    engines: Sequence[str],
    timeout: float,
    log: Path,
    startup_timeout: float = 1800,
) -> tuple[Json, list[dict[str, Samples]]]:
    """Run a worker over ``commands``, restarting it after a timeout that killed it."""
    info: Json = {"restarts": 0, "loadavg_start": os.getloadavg()}
    results: list[dict[str, Samples]] = []
    worker: Worker | None = None
    started = time.perf_counter()
    for command in commands:
        if worker is None:
            worker = Worker(kind, spec_path, log)
            ready = worker.read(startup_timeout)
            info.setdefault("ready", ready)
        samples, died = ask(worker, command, engines, timeout)
        results.append(samples)
        if died:
            info["restarts"] += 1
            info.setdefault("maxrss_kb_killed", []).append(
                worker.rusage.ru_maxrss if worker.rusage else None
            )
            worker = None
    if worker is not None:
        worker.send({"quit": True})
        info["bye"] = worker.read(startup_timeout)
        info["maxrss_kb"] = worker.reap()
    info["seconds"] = time.perf_counter() - started
    info["loadavg_end"] = os.getloadavg()
    return info, results


# ------------------------------------------------------------------------------ measurements


def copy_sources(target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        elif source.is_file():
            shutil.copy2(source, target / name)


def time_build(scratch: Path, log: Path) -> Json:
    """Time ``lexgraph build`` in a scratch copy of the sources; return time, memory, status."""
    copy_sources(scratch)
    script = Path(sys.executable).with_name("lexgraph")
    cli = [str(script)] if script.is_file() else [sys.executable, "-c", _CLI]
    env = {**os.environ, "LEXGRAPH_ROOT": str(scratch)}
    started = time.perf_counter()
    with log.open("ab") as out:
        proc = subprocess.Popen([*cli, "build"], cwd=scratch, env=env, stdout=out, stderr=out)
        _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    info = (
        json.loads((scratch / "build" / "current" / "build-info.json").read_text())
        if not status
        else {}
    )
    return {
        "seconds": time.perf_counter() - started,
        "exit": proc.returncode,
        "maxrss_kb": usage.ru_maxrss,
        "quads": info.get("quads"),
        "triples": info.get("triples"),
    }


def measure_size(label: str, store: Path, source: Path, fmt: str, args: argparse.Namespace) -> Json:
    """Run every engine over every question on one dataset."""
    log = args.work / f"workers-{label}.log"
    questions = prepare(store, args.questions)
    if args.only:
        questions = [q for q in questions if q.name in args.only]
    plan = {
        "reps": args.reps,
        "warmup": args.warmup,
        "budget_s": args.budget,
        "min_reps": args.min_reps,
    }
    spec = {
        "store": str(store),
        "rdflib_source": str(source),
        "rdflib_format": fmt,
        "plan": plan,
        "questions": [dataclasses.asdict(q) for q in questions],
    }
    spec_path = args.work / f"spec-{label}.json"
    spec_path.write_text(json.dumps(spec))
    memory_spec = {**spec, "plan": {"reps": 1, "warmup": 1, "budget_s": 0, "min_reps": 1}}
    memory_path = args.work / f"spec-{label}-memory.json"
    memory_path.write_text(json.dumps(memory_spec))
    out: Json = {
        "questions": {
            q.name: {"params": q.params, "sha1": hashlib.sha1(q.text.encode()).hexdigest()[:10]}
            for q in questions
        },
        "workers": {},
    }

    def record(kind: str, info: Json, results: list[dict[str, Samples]], names: list[str]) -> None:
        out["workers"][kind] = info
        for name, samples in zip(names, results, strict=True):
            for engine, s in samples.items():
                out["questions"][name][engine] = s.summary()
        say(f"  {label}: {kind} done in {info['seconds']:.0f} s")

    names = [q.name for q in questions]
    every = list(range(len(questions)))

    def engine(kind: str, indexes: Sequence[int], spec: Path = spec_path) -> None:
        engines = ["lexgraph", "library", "raw"] if kind == "oxigraph" else kind.split("+")
        cmds = [{"q": i} for i in indexes]
        info, results = run_engine(kind, spec, cmds, engines, args.timeout, log)
        record(kind, info, results, [names[i] for i in indexes])

    engine("oxigraph", every)
    slow = {i for i, n in enumerate(names) if out["questions"][n]["raw"]["status"] == "timeout"}
    engine("inline", [i for i, q in enumerate(questions) if q.inlined is not None])
    engine("inmem", every)
    for kind in ("lexgraph", "raw"):  # peak memory of each engine alone
        info, _ = run_engine(
            kind, memory_path, [{"q": i} for i in every if i not in slow], [kind], args.timeout, log
        )
        out["workers"][f"{kind}-memory"] = info
        say(f"  {label}: {kind} memory run done in {info['seconds']:.0f} s")
    import lexgraph

    if not args.no_basis and hasattr(lexgraph, "find_basis"):  # the issue-5 hook
        basis = [{"basis": j} for j in range(len(BASIS_CASES))]
        info, results = run_engine("basis", spec_path, basis, ["lexgraph"], args.timeout, log)
        out["workers"]["basis"] = info
        out["basis"] = [
            {"case": case, **r["lexgraph"].summary()}
            for case, r in zip(BASIS_CASES, results, strict=True)
        ]
        say(f"  {label}: find_basis done in {info['seconds']:.0f} s")
    if not args.no_rdflib:
        engine("rdflib", every)
    return out


def _reusable(out: Path, trig: Path, args: argparse.Namespace) -> tuple[Json, Json] | None:
    """Return the manifest and load report of a synthetic graph that fits this run, or None."""
    try:
        manifest = json.loads((out / "manifest.json").read_text())
        loaded = json.loads((out / "load.json").read_text())
    except (OSError, ValueError):
        return None
    fits = (
        manifest.get("seed") == args.seed
        and manifest.get("target") == args.triples
        and manifest.get("base_digest") == hashlib.sha256(trig.read_bytes()).hexdigest()
        and (out / "store").is_dir()
        and (out / "full.nq").is_file()
    )
    return (manifest, loaded) if fits else None


def machine() -> Json:
    from importlib.metadata import version

    def run(*cmd: str) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip()
        except OSError:
            return ""

    cpu = run("lscpu")
    model = re.search(r"Model name:\s*(.+)", cpu)
    mem = (
        Path("/proc/meminfo").read_text().split("\n", 1)[0]
        if Path("/proc/meminfo").exists()
        else ""
    )
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "uname": " ".join(platform.uname()),
        "cpu": model.group(1).strip() if model else platform.processor(),
        "cores": os.cpu_count(),
        "memory": " ".join(mem.split()[1:]),
        "python": sys.version.split()[0],
        "packages": {p: version(p) for p in ("pyoxigraph", "rdflib", "pyshacl", "lexgraph")},
        "git": run("git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"),
        "git_dirty": bool(run("git", "-C", str(ROOT), "status", "--porcelain")),
        "queries_uncommitted": run(
            "git", "-C", str(ROOT), "status", "--porcelain", "--", "queries"
        ).splitlines(),
        "loadavg_start": os.getloadavg(),
    }


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------- reporting


def _ms(stats: Json | None) -> str:
    if not stats:
        return NONE
    if stats["status"] == "timeout":
        return "timeout"
    if stats["status"] != "ok":
        return "error"
    if "median_ms" not in stats:
        return NONE
    return f"{stats['median_ms']:.2f} / {stats['p90_ms']:.2f}"


def _median(stats: Json | None) -> float | None:
    if stats and stats["status"] == "ok" and "median_ms" in stats:
        return float(stats["median_ms"])
    return None


def _ratio(top: Json | None, bottom: Json | None) -> str:
    a, b = _median(top), _median(bottom)
    return f"{a / b:.2f}" if a is not None and b else NONE


def _mib(kb: int | None) -> str:
    return f"{kb / 1024:.0f} MiB" if kb else NONE


def _s(value: float | None) -> str:
    return f"{value:.1f} s" if value is not None else NONE


def table(size: Json, target_ms: float) -> list[str]:
    """The main table: the engines side by side, the factors, the verdicts.

    The time target is held against the library (lexgraph on the in-memory copy that the
    library API, notebooks and the site use), by its wall-clock median and by its CPU-time
    median (the process's own time, which other jobs on a shared machine inflate far less);
    the factor against lexgraph on disk and raw pyoxigraph on the same store.
    """
    lines = [
        "| question | params | rows | rdflib | lexgraph, on disk | library, in memory "
        "| library, CPU median | raw pyoxigraph, on disk | lexgraph/raw | rdflib/library "
        f"| library <= {target_ms:g} ms (wall / CPU) | <= {TARGET_FACTOR}x raw |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|:-:|:-:|",
    ]
    for name, q in size["questions"].items():
        lex, raw, rdf = q.get("lexgraph"), q.get("raw"), q.get("rdflib")
        lib = q.get("library") or lex
        rows = str(lex.get("rows")) if lex and lex.get("rows") is not None else NONE
        if rdf and rdf.get("rows") is not None and lex and rdf["rows"] != lex.get("rows"):
            rows += f" (rdflib {rdf['rows']})"
        params = ", ".join(f"{k}={v}" for k, v in q["params"].items()) or NONE
        median = _median(lib)
        factor = _ratio(lex, raw)
        fast = "yes" if median is not None and median <= target_ms else "**no**"
        cpu = (q.get("library") or {}).get("cpu_median_ms")
        fast += " / " + (NONE if cpu is None else "yes" if cpu <= target_ms else "**no**")
        cpu_cell = NONE if cpu is None else f"{cpu:.2f}"
        close = NONE if factor == NONE else "yes" if float(factor) <= TARGET_FACTOR else "**no**"
        lines.append(
            f"| {name} | {params} | {rows} | {_ms(rdf)} | {_ms(lex)} | {_ms(q.get('library'))} "
            f"| {cpu_cell} | {_ms(raw)} | {factor} | {_ratio(rdf, lib)} | {fast} | {close} |"
        )
    return lines


def diagnosis(size: Json) -> list[str]:
    """Raw pyoxigraph three ways: bound by substitutions, with constants, in memory."""
    lines = [
        "| question | on disk, substitutions | on disk, constants inlined | in memory, "
        "substitutions |",
        "|---|--:|--:|--:|",
    ]
    for name, q in size["questions"].items():
        lines.append(
            f"| {name} | {_ms(q.get('raw'))} | {_ms(q.get('inline'))} | {_ms(q.get('inmem'))} |"
        )
    return lines


def summary(results: Json) -> list[str]:
    """Build, generation and load times, and each engine's peak memory, per size."""
    sizes = results["sizes"]
    labels = [label for label in ("shipped", "synthetic") if label in sizes]
    build = results.get("build") or {}

    def worker(label: str, kind: str, key: str) -> Any:
        w = sizes[label]["workers"].get(kind) or {}
        if key == "maxrss_kb":
            return w.get("maxrss_kb") or max(w.get("maxrss_kb_killed") or [0]) or None
        if key == "maxrss_children_kb":
            return (w.get("bye") or {}).get(key)
        return (w.get("ready") or {}).get(key)

    rows: list[tuple[str, Callable[[str], str]]] = [
        ("quads in the store", lambda label: f"{sizes[label].get('quads', 0):,}"),
        (
            "`lexgraph build` (scratch copy), wall / peak RSS",
            lambda label: (
                f"{_s(build.get('seconds'))} / {_mib(build.get('maxrss_kb'))}"
                if label == "shipped" and build
                else NONE
            ),
        ),
        (
            "synthetic generation (N-Quads written)",
            lambda label: (
                _s(sizes[label].get("generate", {}).get("seconds"))
                if "generate" in sizes[label]
                else NONE
            ),
        ),
        (
            "bulk load + inference into the on-disk store / peak RSS",
            lambda label: (
                (
                    f"{_s(sizes[label]['load']['bulk_load_seconds'])} + "
                    f"{_s(sizes[label]['load']['infer_seconds'])} / "
                    f"{_mib(sizes[label]['load'].get('maxrss_kb_wait4'))}"
                )
                if "load" in sizes[label]
                else NONE
            ),
        ),
        ("rdflib: parse into a Dataset", lambda label: _s(worker(label, "rdflib", "load_s"))),
        (
            "the library's in-memory copy (`memory_store`): load",
            lambda label: _s(worker(label, "oxigraph", "memory_copy_s")),
        ),
        (
            "pyoxigraph in memory: bulk load",
            lambda label: _s(worker(label, "inmem", "load_s")),
        ),
        (
            "peak RSS, rdflib (loaded process / question children)",
            lambda label: (
                f"{_mib(worker(label, 'rdflib', 'maxrss_kb'))} / "
                f"{_mib(worker(label, 'rdflib', 'maxrss_children_kb'))}"
            ),
        ),
        ("peak RSS, lexgraph", lambda label: _mib(worker(label, "lexgraph-memory", "maxrss_kb"))),
        (
            "peak RSS, raw pyoxigraph (on disk)",
            lambda label: _mib(worker(label, "raw-memory", "maxrss_kb")),
        ),
        (
            "peak RSS, raw pyoxigraph (in memory)",
            lambda label: _mib(worker(label, "inmem", "maxrss_kb")),
        ),
    ]
    lines = ["| | " + " | ".join(labels) + " |", "|---|" + "--:|" * len(labels)]
    for title, cell in rows:
        lines.append(f"| {title} | " + " | ".join(cell(label) for label in labels) + " |")
    return lines


def markdown(results: Json) -> str:
    out = ["<!-- generated by bench/bench_queries.py -->", ""]
    out += summary(results)
    for label, target in (("shipped", TARGET_SHIPPED_MS), ("synthetic", TARGET_LARGE_MS)):
        size = results["sizes"].get(label)
        if not size:
            continue
        out += ["", f"### {label}: {size.get('quads', 0):,} quads, median / p90 ms", ""]
        out += table(size, target)
        out += ["", f"Diagnosis, {label}: raw pyoxigraph, median / p90 ms", ""]
        out += diagnosis(size)
        if size.get("basis"):
            out += ["", f"find_basis, {label} (lexgraph, median / p90 ms)", ""]
            out += ["| case | candidates | median / p90 ms |", "|---|--:|--:|"]
            for b in size["basis"]:
                case = ", ".join(f"{k}={v}" for k, v in b["case"].items())
                out.append(f"| {case} | {b.get('rows')} | {_ms(b)} |")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    p.add_argument("--sizes", default="shipped,synthetic", help="shipped, synthetic or both")
    p.add_argument("--triples", type=int, default=1_000_000, help="synthetic size (quads)")
    p.add_argument("--seed", type=int, default=4)
    p.add_argument("--reps", type=int, default=20, help="timed runs per question and engine")
    p.add_argument("--warmup", type=int, default=2, help="untimed runs first")
    p.add_argument("--budget", type=float, default=6.0, help="seconds of timed runs, at most")
    p.add_argument("--min-reps", type=int, default=3, help="timed runs, at least")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds one run may take")
    p.add_argument("--work", type=Path, default=WORK)
    p.add_argument("--only", nargs="*", help="only these questions")
    p.add_argument(
        "--questions",
        type=Path,
        default=ROOT / "queries" / "questions",
        help="the questions to time (default queries/questions/), e.g. a directory of rewrites",
    )
    p.add_argument(
        "--reuse",
        action="store_true",
        help="reuse bench/.work/synthetic if it was made from the same build, seed and size",
    )
    p.add_argument("--no-build", action="store_true", help="use build/ instead of a scratch build")
    p.add_argument("--no-rdflib", action="store_true")
    p.add_argument("--no-basis", action="store_true")
    p.add_argument("--worker", nargs=2, metavar=("KIND", "SPEC"), help=argparse.SUPPRESS)
    return p.parse_args(argv)


def run_worker(kind: str, spec_path: str) -> None:
    spec = json.loads(Path(spec_path).read_text())
    if kind == "rdflib":
        worker_rdflib(spec)
    elif kind == "load":
        worker_load(spec)
    elif kind == "oxigraph":
        worker_oxigraph(spec, ["lexgraph", "library", "raw"])
    else:
        worker_oxigraph(spec, kind.split("+"))


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        run_worker(*args.worker)
        return 0
    args.work = args.work.resolve()
    args.work.mkdir(parents=True, exist_ok=True)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    started = time.perf_counter()
    results: Json = {"machine": machine(), "command": " ".join(sys.argv), "sizes": {}}
    log = args.work / "build.log"
    scratch = args.work / "scratch"
    built = scratch / "build"
    if not args.no_build:
        say("timing `lexgraph build` in a scratch copy...")
        results["build"] = time_build(scratch, log)
        say(f"  {results['build']['seconds']:.1f} s, exit {results['build']['exit']}")
    if args.no_build or results["build"]["exit"] != 0:
        if not args.no_build:
            say(f"  the scratch build failed (see {log}); measuring build/ instead")
        built = ROOT / "build"
        if not (built / "store").exists():
            say("error: no build/store; run `lexgraph build` (or drop --no-build)")
            return 2
    trig, store = (built / "lexgraph.trig").resolve(), (built / "store").resolve()
    if "shipped" in sizes:
        say("shipped graph...")
        shipped = measure_size("shipped", store, trig, "trig", args)
        shipped["quads"] = len(ox.Store.read_only(str(store)))
        results["sizes"]["shipped"] = shipped
    if "synthetic" in sizes:
        sys.path.insert(0, str(BENCH))
        from synthetic import DATASET_FILE, write_dataset

        out = args.work / "synthetic"
        reused = _reusable(out, trig, args) if args.reuse else None
        if reused:
            manifest_data, loaded = reused
            say(f"reusing {out} ({manifest_data['quads']} quads)")
        else:
            shutil.rmtree(out, ignore_errors=True)
            say(f"generating a synthetic graph of >= {args.triples} quads...")
            manifest = write_dataset(trig, out, triples=args.triples, seed=args.seed)
            manifest_data = dataclasses.asdict(manifest)
            say(f"  {manifest.quads} quads in {manifest.seconds:.1f} s; loading...")
            spec = {"dataset": str(out / DATASET_FILE), "store": str(out / "store")}
            spec["dump"] = str(out / "full.nq")
            (args.work / "spec-load.json").write_text(json.dumps(spec))
            loader = Worker("load", args.work / "spec-load.json", args.work / "workers-load.log")
            loaded = loader.read(1800)
            loaded["maxrss_kb_wait4"] = loader.reap()
            (out / "load.json").write_text(json.dumps(loaded, indent=2) + "\n")
            say(f"  loaded in {loaded['seconds']:.1f} s")
        synthetic = measure_size("synthetic", out / "store", out / "full.nq", "nquads", args)
        synthetic["generate"] = manifest_data
        synthetic["load"] = loaded
        synthetic["quads"] = loaded["quads"]
        results["sizes"]["synthetic"] = synthetic
    results["seconds"] = time.perf_counter() - started
    results["machine"]["loadavg_end"] = os.getloadavg()
    (args.work / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    text = markdown(results)
    (args.work / "results.md").write_text(text)
    print(text)
    say(f"done in {results['seconds']:.0f} s; {args.work / 'results.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
