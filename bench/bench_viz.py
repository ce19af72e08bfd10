"""Time from page load to a settled layout of the interactive pages, in headless Chromium.

Three pages of :func:`lexgraph.viz.page`, with physics (the default) and, as the floor that
physics adds to, without:

- ``corpus``: the whole shipped corpus with the states (``build/store``);
- ``synthetic``: the corpus grown by :mod:`synthetic` at ``--scale`` (1.6 by default:
  instruments, articles and states times 1.6, participation times 1.6 squared), which makes
  the page of at least 2,000 nodes that issue 6 asks for; the synthetic states, instruments
  and articles are lexgraph-shaped but random;
- ``focus``: 200 nodes, the crime type corruption and two steps around it with the states
  (``select(..., max_nodes=200)``).

Each page is loaded ``--runs`` times from ``file://``, each time in a fresh browser context,
with every network request refused (none is made), in rounds that load every page once, so
that the machine's other work falls on all pages alike. Per page: nodes, edges, file size, the
Python time to select the view and write the page, and the medians (and worst) of

- **ready**: navigation start to ``data-ready`` on ``<body>``, which the page sets once the
  physics has stopped and the settled layout is drawn. It includes parsing the inlined
  vis-network (about 0.5 MB) and the data: what a reader waits for;
- **layout**: from the moment the page hands its data to vis-network (after its scripts are
  parsed and run) to ``data-ready``: the layout and the first drawing alone.

Targets (issue 6): at most 3 s for the whole corpus of 2,000 nodes or more, 0.5 s for the
200-node focus page.

    .venv/bin/python bench/bench_viz.py               # results: bench/.work/viz/results.md
    .venv/bin/python bench/bench_viz.py --runs 3 --scale 1.6
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from host import machine

from lexgraph.core.paths import Layout
from lexgraph.render.viz import write_page
from lexgraph.store.inference import infer
from lexgraph.views.subgraph import Subgraph, select

BENCH = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
LOCAL = ("file:", "data:", "about:", "blob:")


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def synthetic_store(trig: Path, work: Path, scale: float, seed: int) -> ox.Store:
    """The shipped build grown by ``synthetic.py``, in memory, with the build's inferences."""
    sys.path.insert(0, str(BENCH))
    from synthetic import DATASET_FILE, write_dataset

    manifest = write_dataset(trig, work / "synthetic", scale=scale, seed=seed)
    say(f"  synthetic: {manifest.quads} quads, {manifest.states} states (scale {scale})")
    store = ox.Store()
    store.bulk_load(path=str(work / "synthetic" / DATASET_FILE), format=ox.RdfFormat.N_QUADS)
    store.bulk_extend(infer(store))
    return store


def write(name: str, sub: Subgraph, work: Path, selecting: float, physics: bool) -> dict[str, Any]:
    started = time.perf_counter()
    path = write_page(sub, work / f"{name}.html", title=name, citation="bench", physics=physics)
    return {
        "page": name,
        "physics": physics,
        "nodes": len(sub.nodes),
        "edges": len(sub.edges),
        "bytes": path.stat().st_size,
        "python_s": round(selecting + time.perf_counter() - started, 2),
        "path": str(path),
    }


def load_once(browser: Any, path: str) -> tuple[float, float, int, int]:
    """Load ``path`` in a fresh context: ready and layout seconds, iterations, requests."""
    blocked: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.route(
        "**/*",
        lambda r: r.continue_() if r.request.url.startswith(LOCAL) else (
            blocked.append(r.request.url), r.abort()
        ),
    )  # fmt: skip
    page = context.new_page()
    page.goto(Path(path).as_uri())
    page.wait_for_selector("body[data-ready]", state="attached", timeout=120_000)
    at, start, iterations = page.evaluate(
        "() => [lexgraphViz.readyAt, lexgraphViz.startedAt, lexgraphViz.iterations]"
    )
    context.close()
    return at / 1000, (at - start) / 1000, iterations, len(blocked)


def summary(runs: list[tuple[float, float, int, int]]) -> dict[str, Any]:
    ready = [r[0] for r in runs]
    layout = [r[1] for r in runs]
    return {
        "iterations": runs[-1][2],
        "ready_s": round(statistics.median(ready), 2),
        "ready_max_s": round(max(ready), 2),
        "layout_s": round(statistics.median(layout), 2),
        "layout_max_s": round(max(layout), 2),
        "requests": sum(r[3] for r in runs),
    }


def table(rows: list[dict[str, Any]]) -> str:
    head = (
        "| page | physics | nodes | edges | page size | Python (select + page) | iterations "
        "| ready, median (max) | layout, median (max) | requests |\n"
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    )
    return head + "".join(
        f"| {r['page']} | {'on' if r['physics'] else 'off'} | {r['nodes']:,} | {r['edges']:,} "
        f"| {r['bytes'] / 1e6:.1f} MB | {r['python_s']:.2f} s | {r['iterations']} "
        f"| {r['ready_s']:.2f} s ({r['ready_max_s']:.2f}) "
        f"| {r['layout_s']:.2f} s ({r['layout_max_s']:.2f}) | {r['requests']} |\n"
        for r in rows
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=7, help="loads per page (default 7)")
    parser.add_argument("--scale", type=float, default=1.6, help="synthetic scale (default 1.6)")
    parser.add_argument("--seed", type=int, default=4, help="synthetic seed (default 4)")
    parser.add_argument("--work", type=Path, default=BENCH / ".work" / "viz")
    args = parser.parse_args(argv)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        say("error: pip install playwright (the dev extras have it)")
        return 2
    built = Layout.default().build
    if not (built / "store").exists():
        say("error: no build/store; run `lexgraph build` first")
        return 2
    args.work.mkdir(parents=True, exist_ok=True)
    say("selecting the views and writing the pages...")
    shipped = ox.Store.read_only(str(built / "store"))
    views: list[tuple[str, ox.Store, dict[str, Any]]] = [
        ("corpus", shipped, {"with_states": True}),
        ("synthetic", synthetic_store(built / "lexgraph.trig", args.work, args.scale, args.seed),
         {"with_states": True}),
        ("focus", shipped,
         {"crime": "corruption", "depth": 2, "with_states": True, "max_nodes": 200}),
    ]  # fmt: skip
    pages = []
    for name, store, options in views:
        started = time.perf_counter()
        sub = select(store, **options)
        selecting = time.perf_counter() - started
        for physics in (True, False):
            pages.append(write(name, sub, args.work / ("on" if physics else "off"), selecting,
                               physics))  # fmt: skip
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        version = browser.version
        # Round after round of every page, so that what else the machine does in the
        # meantime falls on all of them alike.
        timings: list[list[tuple[float, float, int, int]]] = [[] for _ in pages]
        for run in range(args.runs):
            say(f"round {run + 1} of {args.runs}...")
            for info, times in zip(pages, timings, strict=True):
                times.append(load_once(browser, info["path"]))
        rows = [info | summary(times) for info, times in zip(pages, timings, strict=True)]
        browser.close()
    results = {
        "machine": machine() | {"chromium": version},
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "runs": args.runs,
        "scale": args.scale,
        "rows": rows,
    }
    (args.work / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    text = table(rows)
    (args.work / "results.md").write_text(text)
    print(json.dumps(results["machine"]))
    print(text, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
