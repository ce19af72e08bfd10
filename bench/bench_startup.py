"""How long a one-shot command takes, against a bare pyoxigraph script asking the same thing.

Three commands, each a fresh Python process over the built store (``build/store``):

- **bare**: a script that imports pyoxigraph, opens the store read-only, runs
  ``queries/questions/instruments-providing-modality.rq`` with ``modality`` bound to
  extradition and prints the rows: the least any command can take;
- **query**: ``lexgraph query instruments-providing-modality -p modality=extradition``;
- **basis**: ``lexgraph basis --from FRA --to JPN --crime trafficking-in-persons
  --modality extradition --on 2020-01-01``.

Target (issue 11): each command takes at most 3 times the bare script's wall time. The basis
finder runs several queries, so its ratio against the one-question script is the harder one.

Each process is started ``--runs`` times (after ``--warmup`` runs that fill the bytecode cache),
in rounds that start each command once, so that the machine's other work falls on all three
alike; the medians are reported, and the fastest runs, which the machine's other work
disturbs least. The target is judged on the medians. Bytecode goes to ``bench/.work/pycache``
(``PYTHONPYCACHEPREFIX``), so that the timing is of a warm install even where
``PYTHONDONTWRITEBYTECODE`` is set, and the source tree stays clean. Every process runs under an
address-space cap (``--memory-gb``). Then each command runs once under ``python -X importtime``,
and the report names the slowest imports and which heavy libraries were loaded.

The lexgraph timed is the one ``python`` imports: ``PYTHONPATH=OTHER/src`` times another tree
over this tree's build.

    .venv/bin/python bench/bench_startup.py              # results: bench/.work/startup.md
    .venv/bin/python bench/bench_startup.py --runs 5
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from host import machine

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / ".work"
STORE = ROOT / "build" / "store"
QUESTION = ROOT / "queries" / "questions" / "instruments-providing-modality.rq"
EXTRADITION = "https://w3id.org/lexgraph/id/modality/extradition"
TARGET = 3.0
#: Libraries that a one-shot query has no use for; the report says which ones a command loaded.
HEAVY = (
    "rdflib", "pyshacl", "matplotlib", "networkx", "jinja2", "pyvis", "starlette", "uvicorn",
    "httpx", "SPARQLWrapper", "pylode", "importlib.metadata", "importlib.resources",
)  # fmt: skip

BARE = """\
import sys
import pyoxigraph as ox
store = ox.Store.read_only(sys.argv[1])
with open(sys.argv[2], encoding="utf-8") as handle:
    text = handle.read()
answer = store.query(
    text,
    substitutions={ox.Variable("modality"): ox.NamedNode(sys.argv[3])},
    use_default_graph_as_union=True,
)
for row in answer:
    print("\\t".join("" if term is None else term.value for term in row))
"""
CLI = "import sys; from lexgraph.cli import main; sys.exit(main())"  # what the script runs

COMMANDS: dict[str, list[str]] = {
    "bare": ["-c", BARE, str(STORE), str(QUESTION), EXTRADITION],
    "query": ["-c", CLI, "query", "instruments-providing-modality", "-p", "modality=extradition"],
    "basis": [
        "-c", CLI, "basis", "--from", "FRA", "--to", "JPN", "--crime", "trafficking-in-persons",
        "--modality", "extradition", "--on", "2020-01-01",
    ],
}  # fmt: skip
SHOWN = {
    "bare": "bare pyoxigraph script, same question",
    "query": "`lexgraph query instruments-providing-modality -p modality=extradition`",
    "basis": "`lexgraph basis --from FRA --to JPN --crime trafficking-in-persons "
    "--modality extradition --on 2020-01-01`",
}


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(WORK / "pycache")
    env["LEXGRAPH_ROOT"] = str(ROOT)
    return env


def run(
    name: str, env: dict[str, str], *flags: str, extra: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, *flags, *COMMANDS[name], *extra],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{name} failed ({done.returncode}):\n{done.stderr}")
    return done


def timed(name: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    run(name, env)
    return time.perf_counter() - started


def imports(name: str, env: dict[str, str], top: int) -> dict[str, Any]:
    """The slowest imports of one run (cumulative microseconds) and the heavy libraries loaded.

    ``libraries`` are packages outside lexgraph, timed where they were first imported (their
    time includes what they import); ``lexgraph`` the modules of lexgraph other than the
    package and the command line's entry modules, which contain everything.
    """
    lines = run(name, env, "-X", "importtime").stderr.splitlines()
    rows = []
    for line in lines:
        if not line.startswith("import time:") or "|" not in line or "self [us]" in line:
            continue
        _, cumulative, module = line[len("import time:") :].split("|")
        rows.append((module.strip(), int(cumulative)))
    slowest = sorted(rows, key=lambda row: -row[1])
    outside = [(m, us) for m, us in slowest if "." not in m and m != "lexgraph"]
    entry = {"lexgraph", "lexgraph.cli", "lexgraph.cli.main"}
    ours = [(m, us) for m, us in slowest if m.startswith("lexgraph.") and m not in entry]
    return {
        "modules": len(rows),
        "libraries": outside[:top],
        "lexgraph": ours[:top],
        "heavy": [lib for lib in HEAVY if lib in {m for m, _ in rows}],
    }


def _listed(rows: list[tuple[str, int]]) -> str:
    return ", ".join(f"{module} {us / 1000:.0f} ms" for module, us in rows) or "none"


def report(results: dict[str, Any]) -> str:
    info = results["machine"]
    median = {name: statistics.median(times) for name, times in results["times"].items()}
    lines = [
        f"Command: `{results['command']}`. Machine: {info['cores']} cores ({info['cpu']}), "
        f"Python {info['python']}, load average {info['load'][0]:.1f} at the start and "
        f"{info['load_end'][0]:.1f} at the end (the machine is shared with other jobs). "
        f"{results['runs']} runs of each, in rounds, after {results['warmup']} warm-up round(s); "
        f"bytecode cached; address space capped at {results['memory_gb']:g} GB.",
        "",
        "| command | median | fastest | median against bare | fastest against bare | target |",
        "|---|---:|---:|---:|---:|---|",
    ]
    fastest = {name: min(times) for name, times in results["times"].items()}
    for name in results["times"]:
        ratio = median[name] / median["bare"]
        target = f"{TARGET:g}x, {'met' if ratio <= TARGET else 'missed'}" if name != "bare" else ""
        lines.append(
            f"| {SHOWN[name]} | {1000 * median[name]:.0f} ms | {1000 * fastest[name]:.0f} ms | "
            f"{ratio:.1f}x | {fastest[name] / fastest['bare']:.1f}x | {target} |"
        )
    lines += ["", "Slowest imports (`-X importtime`, cumulative, one run):", ""]
    for name, found in results["imports"].items():
        heavy = ", ".join(found["heavy"]) or "none of them"
        lines.append(
            f"- {name}: {found['modules']} modules. Libraries: {_listed(found['libraries'])}. "
            f"lexgraph: {_listed(found['lexgraph'])}. Heavy libraries loaded: {heavy}."
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each command")
    parser.add_argument("--warmup", type=int, default=2, help="untimed runs of each first")
    parser.add_argument("--memory-gb", type=float, default=4.0, help="address-space cap")
    parser.add_argument("--top", type=int, default=8, help="slowest imports to name")
    args = parser.parse_args(argv)
    if not STORE.exists():
        raise SystemExit(f"no built store at {STORE}: run `lexgraph build` first")
    cap = int(args.memory_gb * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))  # the children inherit it
    WORK.mkdir(exist_ok=True)
    env = environment()
    results: dict[str, Any] = {
        "command": "python bench/bench_startup.py " + " ".join(argv or sys.argv[1:]),
        "machine": machine(),
        "runs": args.runs,
        "warmup": args.warmup,
        "memory_gb": args.memory_gb,
        "times": {name: [] for name in COMMANDS},
    }
    bare = run("bare", env).stdout.splitlines()
    tsv = run("query", env, extra=("--format", "tsv")).stdout.splitlines()[1:]  # no header
    if len(bare) != len(tsv):
        raise SystemExit(f"the bare script answers {len(bare)} rows, lexgraph query {len(tsv)}")
    for _ in range(args.warmup):
        for name in COMMANDS:
            run(name, env)
    for round_ in range(args.runs):
        for name in COMMANDS:
            results["times"][name].append(timed(name, env))
        say(f"round {round_ + 1}/{args.runs}")
    results["machine"]["load_end"] = [round(x, 2) for x in os.getloadavg()]
    results["imports"] = {name: imports(name, env, args.top) for name in COMMANDS if name != "bare"}
    (WORK / "startup.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    text = report(results)
    (WORK / "startup.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
