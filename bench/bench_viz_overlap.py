"""Count overlapping labels on the default view of every focus page, in headless Chromium.

The pages are those ``lexgraph viz`` writes (:func:`lexgraph.render.viz.focus_page`) for every
crime type, every instrument, every cooperation modality and 20 states (Nigeria, which issue
14 names, and the 19 others with the most instruments, the densest pages), each at depth 1,
and the whole corpus without and with the states,
loaded from ``file://`` in Debian's Chromium at 1280 x 800 with every network request
refused. Once the page is ready (``data-ready`` on ``<body>``), the box of every label that
vis-network draws at the default zoom is read from the network itself (each visible node's
``labelModule.size``, the rectangle its text is drawn in, in canvas units, turned into screen
pixels) and every pair of boxes is tested: a pair overlaps when the boxes share more than
half a pixel both across and down. Labels that vis-network does not draw at that zoom (below
its draw threshold, or inside a collapsed group) are not counted; how many were drawn, and
the smallest drawn text in screen pixels, are reported beside the count.

    .venv/bin/python bench/bench_viz_overlap.py          # results: bench/.work/viz-overlap/
    .venv/bin/python bench/bench_viz_overlap.py --only instrument:untoc state:NGA
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from host import machine

from lexgraph.core.paths import Layout

BENCH = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
LOCAL = ("file:", "data:", "about:", "blob:")
LEX = "PREFIX lex: <https://w3id.org/lexgraph/ontology#>\n"

#: Reads the drawn label boxes in screen pixels and counts the pairs that overlap.
MEASURE = """() => {
  const net = lexgraphViz.network, body = net.body, scale = net.getScale();
  const boxes = [];
  let smallest = Infinity;
  for (const id of body.nodeIndices) {
    const node = body.nodes[id];
    if (!node || node.options.hidden || !node.labelModule.visible()) continue;
    const s = node.labelModule.size;
    const a = net.canvasToDOM({x: s.left, y: s.top});
    const b = net.canvasToDOM({x: s.left + s.width, y: s.top + s.height});
    boxes.push([String(id), node.options.label, a.x, a.y, b.x, b.y]);
    smallest = Math.min(smallest, node.labelModule.fontOptions.size * scale);
  }
  const pairs = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const p = boxes[i], q = boxes[j];
      const dx = Math.min(p[4], q[4]) - Math.max(p[2], q[2]);
      const dy = Math.min(p[5], q[5]) - Math.max(p[3], q[3]);
      if (dx > 0.5 && dy > 0.5) pairs.push([p[1], q[1]]);
    }
  }
  return {drawn: boxes.length, pairs: pairs, smallest: boxes.length ? smallest : null,
          scale: scale};
}"""


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def keys(store: ox.Store, cls: str) -> list[str]:
    rows = store.query(
        LEX + f"SELECT DISTINCT ?k WHERE {{ ?x a lex:{cls} ; lex:key ?k }} ORDER BY ?k",
        use_default_graph_as_union=True,
    )
    return [row["k"].value for row in rows]  # type: ignore[index, union-attr]


def busiest_states(store: ox.Store, count: int) -> list[str]:
    """Nigeria and the states with the most instruments they took part in."""
    rows = store.query(
        LEX + "SELECT ?code (COUNT(DISTINCT ?i) AS ?n) WHERE { ?p a lex:Participation ; "
        "lex:participant ?s ; lex:instrument ?i . ?s lex:iso3166Alpha3 ?code } "
        "GROUP BY ?code ORDER BY DESC(?n) ?code",
        use_default_graph_as_union=True,
    )
    codes = [row["code"].value for row in rows]  # type: ignore[index, union-attr]
    return (["NGA"] + [c for c in codes if c != "NGA"])[:count]


def focuses(store: ox.Store, states: int) -> list[tuple[str, str]]:
    return (
        [("crime", k) for k in keys(store, "CrimeType")]
        + [("instrument", k) for k in keys(store, "Instrument")]
        + [("modality", k) for k in keys(store, "CooperationModality")]
        + [("state", c) for c in busiest_states(store, states)]
        + [("corpus", "alone"), ("corpus", "with-states")]
    )


def write(store: ox.Store, kind: str, key: str, work: Path) -> Path:
    """Write the page that ``lexgraph viz --KIND KEY`` writes."""
    from lexgraph.render.viz import focus_page

    path = work / f"{kind}-{key}.html"
    if kind == "corpus":
        text = focus_page(store, with_states=key == "with-states", citation="bench")
    else:
        text = focus_page(store, **{kind: key}, citation="bench")
    path.write_text(text, encoding="utf-8")
    return path


def measure(browser: Any, path: Path) -> dict[str, Any]:
    blocked: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.route(
        "**/*",
        lambda r: r.continue_() if r.request.url.startswith(LOCAL) else (
            blocked.append(r.request.url), r.abort()
        ),
    )  # fmt: skip
    page = context.new_page()
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready]", state="attached", timeout=120_000)
    result: dict[str, Any] = page.evaluate(MEASURE)
    result["requests"] = len(blocked)
    context.close()
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--states", type=int, default=20, help="states to check (default 20)")
    parser.add_argument("--only", nargs="*", help="KIND:KEY pages only, e.g. instrument:untoc")
    parser.add_argument("--work", type=Path, default=BENCH / ".work" / "viz-overlap")
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
    store = ox.Store()
    store.bulk_extend(ox.Store.read_only(str(built / "store")).quads_for_pattern(None, None, None))
    wanted = focuses(store, args.states)
    if args.only:
        wanted = [tuple(item.split(":", 1)) for item in args.only]  # type: ignore[misc]
    rows: list[dict[str, Any]] = []
    started = time.perf_counter()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        version = browser.version
        for kind, key in wanted:
            row = {"kind": kind, "key": key} | measure(browser, write(store, kind, key, args.work))
            rows.append(row)
            if row["pairs"]:
                say(f"  {kind} {key}: {len(row['pairs'])} overlapping pairs of {row['drawn']}")
        browser.close()
    totals: dict[str, dict[str, int]] = {}
    for row in rows:
        total = totals.setdefault(row["kind"], {"pages": 0, "overlapping": 0, "pairs": 0})
        total["pages"] += 1
        total["overlapping"] += bool(row["pairs"])
        total["pairs"] += len(row["pairs"])
    smallest = [r["smallest"] for r in rows if r["smallest"] is not None]
    results = {
        "machine": machine() | {"chromium": version},
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "seconds": round(time.perf_counter() - started, 1),
        "totals": totals,
        "pages": len(rows),
        "pairs": sum(len(r["pairs"]) for r in rows),
        "requests": sum(r["requests"] for r in rows),
        "smallest_text_px": round(min(smallest), 1) if smallest else None,
        "rows": rows,
    }
    (args.work / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps({k: v for k, v in results.items() if k != "rows"}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
